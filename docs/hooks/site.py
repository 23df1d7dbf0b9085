"""MkDocs hooks of coodie's docs site (mkdocs.yml `hooks:`), run by scripts/docs.

- `api:` links. A guide links the API reference by C++ name,
  `[driver_session](api:coodie::driver_session)`, or by header, `(api:coodie/orm/session.hpp)`.
  The names are looked up in the tag file Doxygen writes beside its HTML; a name Doxygen does
  not know is a warning (an error under --strict), and a known one becomes a relative link to
  its page and anchor, which MkDocs then checks like any other link.
- The API reference. Doxygen's HTML (build/docs/api/html, or $COODIE_DOCS_API) is added to the
  site's files under api/, so links into it are checked and it is copied into the site.
- The examples. Every examples/*.cpp gets a page, examples/NAME.md, that shows the whole file
  (included, not copied); examples/migrations/*.cql share one page.
- No copies. A fenced block of a guide whose lines are lines of examples/ or tests/ is a warning
  (an error under --strict): code is included from there with `--8<--`, so it cannot drift.
- Example markers. The `// [readme:NAME]` lines that scripts/check-readme uses to compare
  README.md with the examples are left out of included code.
- llms.txt and llms-full.txt (https://llmstxt.org) in the site root: the list of pages with a
  note each, and every page's Markdown with its snippets expanded; each page's Markdown is also
  written beside its HTML (models.md beside models.html).
"""

from __future__ import annotations

import logging
import os
import pathlib
import posixpath
import re
import xml.etree.ElementTree as ET

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel
from pymdownx.snippets import SnippetMissingError

log = logging.getLogger("mkdocs.hooks.coodie")

ROOT = pathlib.Path(__file__).resolve().parents[2]
API_PREFIX = "api"
README_MARKER = re.compile(r"^\s*// \[readme:[A-Za-z0-9_-]+( end)?\]\s*$")
API_LINK = re.compile(r"\]\(api:([^)\s#]+)(#[^)\s]*)?\)")
FENCE = re.compile(r"^\s*(```|~~~)")

_api_names: dict[str, str] = {}  # C++ name or header path -> api/FILE.html[#anchor]
_pages_markdown: dict[str, str] = {}  # src_uri -> the page's Markdown, snippets expanded
_snippets: markdown.Markdown | None = None


# --- readme markers --------------------------------------------------------------------------


class _DropReadmeMarkers(Preprocessor):
    """Runs after pymdownx.snippets (priority 32) and before the fences are parsed (25)."""

    def run(self, lines):
        return [line for line in lines if not README_MARKER.match(line)]


class _DropReadmeMarkersExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's name)
        md.preprocessors.register(_DropReadmeMarkers(md), "coodie_drop_readme_markers", 31)


def on_config(config):
    config.markdown_extensions.append(_DropReadmeMarkersExtension())
    global _snippets
    _snippets = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": config.mdx_configs.get("pymdownx.snippets", {})})
    _api_names.clear()
    _pages_markdown.clear()
    _code_lines.clear()
    return config


# --- the API reference and the example pages -------------------------------------------------


def _api_dir(config) -> pathlib.Path:
    where = os.environ.get("COODIE_DOCS_API", "build/docs/api/html")
    return pathlib.Path(config.config_file_path).parent / where


def _read_tagfile(tagfile: pathlib.Path):
    """{name: api/FILE.html[#anchor]} for every compound and member of Doxygen's tag file."""
    names = {}

    def html(filename):
        return filename if filename.endswith(".html") else filename + ".html"

    for compound in ET.parse(tagfile).getroot().iter("compound"):
        kind = compound.get("kind")
        name = compound.findtext("name", "")
        filename = compound.findtext("filename", "")
        if kind == "file":
            path = compound.findtext("path", "")
            rel = path.split("/include/", 1)[-1] if "/include/" in path else path
            name = posixpath.join(rel, name)
        elif kind == "page":
            continue
        names.setdefault(name, f"{API_PREFIX}/{html(filename)}")
        for member in compound.findall("member"):
            anchorfile = member.findtext("anchorfile", "")
            anchor = member.findtext("anchor", "")
            member_name = member.findtext("name", "")
            if not anchorfile or not member_name:
                continue
            qualified = member_name if kind == "file" else f"{name}::{member_name}"
            names.setdefault(qualified, f"{API_PREFIX}/{html(anchorfile)}#{anchor}")
    return names


def _example_page(source: pathlib.Path) -> str:
    """The Markdown of the page that shows examples/NAME.cpp: its opening comment, then the file."""
    lines = source.read_text(encoding="utf-8").split("\n")
    intro = []
    for line in lines:
        if not line.startswith("//") or README_MARKER.match(line) or "--8<--" in line:
            break
        intro.append(line[2:].strip())
    rel = source.relative_to(ROOT).as_posix()
    return (f"# {source.name}\n\n{' '.join(intro).strip()}\n\n"
            f"`make test` builds and runs it (CTest label `example`). The whole file:\n\n"
            f'```cpp title="{rel}"\n--8<-- "{rel}"\n```\n')


def _migrations_page(folder: pathlib.Path) -> str:
    parts = ["# examples/migrations\n\n",
             "The migration files that `examples/run-shop-admin` applies with the `shop_admin` "
             "program ([shop_admin.cpp](shop_admin.md)), in id order. "
             "[Migrations](../migrations.md) explains their format.\n"]
    for cql in sorted(folder.glob("*.cql")):
        rel = cql.relative_to(ROOT).as_posix()
        parts.append(f'\n## {cql.name}\n\n```sql title="{rel}"\n--8<-- "{rel}"\n```\n')
    return "".join(parts)


def on_files(files, config):
    api = _api_dir(config)
    tagfile = api.parent / "coodie.tag"
    if not (api / "index.html").is_file() or not tagfile.is_file():
        raise PluginError(f"coodie: no Doxygen output at {api} (scripts/docs runs Doxygen first)")
    _api_names.update(_read_tagfile(tagfile))
    for path in sorted(api.rglob("*")):
        if path.is_file():
            uri = f"{API_PREFIX}/{path.relative_to(api).as_posix()}"
            files.append(File.generated(config, uri, abs_src_path=str(path),
                                        inclusion=InclusionLevel.INCLUDED))

    for source in sorted((ROOT / "examples").glob("*.cpp")):
        files.append(File.generated(config, f"examples/{source.stem}.md",
                                    content=_example_page(source)))
    files.append(File.generated(config, "examples/migrations.md",
                                content=_migrations_page(ROOT / "examples" / "migrations")))
    # Written by on_post_build; listed here so that pages may link them.
    for name in ("llms.txt", "llms-full.txt"):
        files.append(File.generated(config, name, content="", inclusion=InclusionLevel.INCLUDED))
    return files


# --- api: links, and each page's Markdown for llms-full.txt ----------------------------------


def _resolve_api_links(text: str, page) -> str:
    here = posixpath.dirname(page.file.src_uri)

    def replace(m):
        name, fragment = m.group(1), m.group(2) or ""
        target = _api_names.get(name)
        if target is None:
            log.warning("Doc file '%s' links the API name '%s', which Doxygen does not document "
                        "(a C++ name like coodie::driver_session, or a header like "
                        "coodie/orm/session.hpp).", page.file.src_uri, name)
            return m.group(0)
        if fragment and "#" in target:
            target = target.split("#", 1)[0]
        return f"]({posixpath.relpath(target, here or '.')}{fragment})"

    out, in_fence = [], False
    for line in text.split("\n"):
        if FENCE.match(line):
            in_fence = not in_fence
        out.append(line if in_fence else API_LINK.sub(replace, line))
    return "\n".join(out)


_code_lines: dict[str, set[str]] = {}  # file -> its lines worth comparing


def _compared(line: str) -> str | None:
    """A line as the copy check compares it: stripped, and long enough to mean something."""
    line = line.strip()
    return line if len(line) >= 12 else None


def _source_lines() -> dict[str, set[str]]:
    if not _code_lines:
        for pattern in ("examples/*.cpp", "tests/**/*.cpp", "tests/**/*.hpp", "bench/*.cpp"):
            for path in sorted(ROOT.glob(pattern)):
                lines = {c for c in map(_compared, path.read_text(encoding="utf-8").split("\n"))
                         if c}
                _code_lines[path.relative_to(ROOT).as_posix()] = lines
    return _code_lines


def _check_copies(text: str, page) -> None:
    """Warns of a fenced block whose lines are copied from examples/ or tests/."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if not FENCE.match(lines[i]):
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not FENCE.match(lines[j]):
            j += 1
        body = [c for c in map(_compared, lines[i + 1:j]) if c]
        if body and not any("--8<--" in line for line in body):
            hits, where = max((sum(1 for b in body if b in have), path)
                              for path, have in _source_lines().items())
            if hits == len(body) or (hits >= 3 and 2 * hits >= len(body)):
                log.warning("Doc file '%s' has a code block (line %d) copied from %s (%d of its "
                            "%d lines): include the lines with --8<-- instead.",
                            page.file.src_uri, i + 1, where, hits, len(body))
        i = j + 1


def _expand_snippets(text: str) -> str:
    lines = _snippets.preprocessors["snippet"].run(text.split("\n"))
    return "\n".join(line for line in lines if not README_MARKER.match(line))


def on_page_markdown(text, page, config, files):
    if not page.file.generated_by:
        _check_copies(text, page)
    text = _resolve_api_links(text, page)
    try:
        _pages_markdown[page.file.src_uri] = _expand_snippets(text)
    except SnippetMissingError as e:
        raise PluginError(f"Doc file '{page.file.src_uri}' includes what is not there: {e} "
                          "(check_paths: a --8<-- include needs its file, and its section's "
                          "start and end markers)") from e
    return text


# --- llms.txt, llms-full.txt and the pages' Markdown -----------------------------------------


def _note(page) -> str:
    """The page's description (front matter), else the first sentence of its first paragraph."""
    if page.meta.get("description"):
        return str(page.meta["description"]).strip()
    paragraph = []
    in_fence = False
    for line in _pages_markdown.get(page.file.src_uri, "").split("\n"):
        if FENCE.match(line):
            in_fence = not in_fence
            if paragraph:
                break
            continue
        starts_block = line.lstrip().startswith(("#", "<!--", "|", ">", "- ", "* ", "1. "))
        if in_fence or starts_block or not line.strip():
            if paragraph:
                break
            continue
        paragraph.append(line.strip())
    text = " ".join(paragraph)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # [text](url) -> text
    sentence = re.match(r"(.+?\.)(\s|$)", text)
    return (sentence.group(1) if sentence else text).strip()


def _nav_sections(nav):
    """[(section title, [page or link])] from the nav, top-level pages in a section of their own."""
    sections = []
    loose = []
    for item in nav.items:
        if item.is_section:
            entries = []
            stack = list(item.children)
            while stack:
                child = stack.pop(0)
                if child.is_section:
                    stack[0:0] = list(child.children)
                else:
                    entries.append(child)
            sections.append((item.title, entries))
        else:
            loose.append(item)
    return [("Start", loose)] + sections if loose else sections


def on_post_build(config):
    site = pathlib.Path(config.site_dir)
    nav = _last_nav["nav"]
    summary = config.site_description
    lines = [f"# {config.site_name}", "", f"> {summary}", "",
             "Each page below is the Markdown of one page of the site (its HTML is beside it, "
             "`.html` for `.md`); llms-full.txt is all of them in one file, code included. "
             "The API reference, generated by Doxygen from the headers' comments, is at "
             "api/index.html.", ""]
    full = [f"# {config.site_name}", "", f"> {summary}", ""]
    for title, entries in _nav_sections(nav):
        lines.append(f"## {title}")
        lines.append("")
        for entry in entries:
            if entry.is_page and entry.file.is_documentation_page():
                src = entry.file.src_uri
                text = _pages_markdown.get(src, "")
                (site / src).parent.mkdir(parents=True, exist_ok=True)
                (site / src).write_text(text, encoding="utf-8")
                note = _note(entry)
                lines.append(f"- [{entry.title}]({src})" + (f": {note}" if note else ""))
                full += [f"<!-- page: {src} -->", "", text.rstrip(), ""]
            else:  # a link, or a page that is no Markdown (the API reference's index.html)
                url = entry.file.url if entry.is_page else entry.url
                lines.append(f"- [{entry.title}]({url}): generated by Doxygen from the public "
                             "headers' comments")
        lines.append("")
    (site / "llms.txt").write_text("\n".join(lines), encoding="utf-8")
    (site / "llms-full.txt").write_text("\n".join(full), encoding="utf-8")


_last_nav: dict = {}


def on_nav(nav, config, files):
    _last_nav["nav"] = nav
    return nav
