#!/usr/bin/env python3
"""Doxygen INPUT_FILTER for coodie's public headers: reads a header, prints what Doxygen parses.

The headers are written for people reading them: each opens with a `//` comment that says what
the file is for (often with an example), and their `///` comments indent example code by two
spaces. Doxygen sees neither as such, so this filter, without changing the headers:

- turns the opening `//` comment into the file's documentation (`/// \\file`), taking the place
  of the `#pragma once` after it so that every later line keeps its number;
- escapes, in the prose, what Doxygen would take for markup the headers never mean: `<` and
  `>` outside backticks (`frozen<name>` is no HTML tag) and an `@` inside a word
  (`user@host` is no command);
- wraps each run of indented comment lines (`//   code`, `///   code`, blank comment lines
  between them included) in `\\code{.cpp}` ... `\\endcode`, or `\\verbatim` for a drawn tree, on
  the lines the run already occupies.

Usage: doxygen-filter.py HEADER  (Doxygen runs it as INPUT_FILTER). Standard library only.
"""

import re
import sys

HEADER = re.compile(r"^//(?!/)( |$)")
DOC = re.compile(r"^(\s*)///(?![/<])(.*)$")
# A comment line's text (after `//` or `///`) that is indented: code or a drawing.
INDENTED = re.compile(r"^ {3,}\S")


EMAIL_AT = re.compile(r"(?<=[A-Za-z0-9_.])@")


def escape_prose(lines, prefix_of, text_of):
    """Escapes <, > and in-word @ in the prose lines of one comment block, outside `code`."""
    out = []
    in_code = False
    for line in lines:
        text = text_of(line)
        if INDENTED.match(text):
            out.append(line)
            continue
        pieces = text.split("`")
        for k, piece in enumerate(pieces):
            if k > 0:
                in_code = not in_code
            if not in_code:
                piece = piece.replace("<", "\\<").replace(">", "\\>")
                pieces[k] = EMAIL_AT.sub("\\\\@", piece)
        out.append(prefix_of(line) + "`".join(pieces))
    return out


def wrap_runs(lines, prefix_of, text_of):
    """Wraps the indented runs of one comment block; lines keep their number."""
    out = list(lines)
    i = 0
    while i < len(out):
        if not INDENTED.match(text_of(out[i])):
            i += 1
            continue
        start = end = i
        j = i + 1
        while j < len(out):
            t = text_of(out[j])
            if INDENTED.match(t):
                end = j
            elif t.strip():
                break
            j += 1
        drawing = any(ch in text_of(out[k]) for k in range(start, end + 1) for ch in "├└│")
        opening, closing = ((r"\verbatim", r"\endverbatim") if drawing
                            else (r"\code{.cpp}", r"\endcode"))
        if start > 0 and not INDENTED.match(text_of(out[start - 1])):
            out[start - 1] = out[start - 1].rstrip() + " " + opening
        else:
            out[start] = prefix_of(out[start]) + " " + opening + text_of(out[start])
        out[end] = out[end].rstrip() + " " + closing
        i = end + 1
    return out


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        lines = f.read().split("\n")

    # The opening comment: the file's documentation.
    n = 0
    while n < len(lines) and HEADER.match(lines[n]):
        n += 1
    done = 0  # lines already filtered
    if n:
        block = ["///" + line[2:] for line in lines[:n]]
        block = escape_prose(block, lambda s: "///", lambda s: s[3:])
        block = wrap_runs(block, lambda s: "///", lambda s: s[3:])
        pragma = next((k for k in range(n, len(lines)) if lines[k].strip() == "#pragma once"),
                      None)
        if pragma is not None:
            del lines[pragma]
        lines[:n] = ["/// \\file"] + block
        done = n + 1

    # Every later run of `///` lines.
    i = done
    while i < len(lines):
        if not DOC.match(lines[i]):
            i += 1
            continue
        j = i
        while j < len(lines) and DOC.match(lines[j]):
            j += 1
        prefix_of = lambda s: DOC.match(s).group(1) + "///"  # noqa: E731
        text_of = lambda s: DOC.match(s).group(2)  # noqa: E731
        lines[i:j] = wrap_runs(escape_prose(lines[i:j], prefix_of, text_of), prefix_of, text_of)
        i = j

    sys.stdout.write("\n".join(lines))


if __name__ == "__main__":
    main()
