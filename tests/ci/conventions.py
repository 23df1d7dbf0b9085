"""The rules every GitHub workflow of coodie keeps, as functions that return what breaks them.

tests/ci/test_workflows.py applies them to each file under .github/ and tests the rules themselves
on small examples, so that a rule which stopped finding anything would fail there.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
ACTIONS = sorted((ROOT / ".github" / "actions").glob("*/action.y*ml"))

# owner/repo[/path]@vMAJOR.MINOR.PATCH or @<40 hex>: a moving tag (@v4, @main) is not a pin.
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@(v\d+\.\d+\.\d+|[0-9a-f]{40})$")
HISTORY_COMMANDS = re.compile(r"\bgit\s+(log|rebase|merge|merge-base|describe|rev-list)\b")
GH_COMMAND = re.compile(r"(^|[\s;&|(])gh\s+\w")
SCRIPT_PATH = re.compile(r"(?<![\w./-])((?:\./)?(?:scripts|\.ci|tests)/[\w./-]+)")
MAKE_TARGET = re.compile(r"(?<![\w-])make\s+([\w-]+)")
TEST_PHASES = re.compile(r"scripts/test\b[^\n]*?--only\s+\"?([\w,]+)\"?")
CONTAINER = "debian:bookworm"  # what scripts/bootstrap installs into


def load(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the key `on` as the boolean true.
    on = workflow.get("on", workflow.get(True)) or {}
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {name: None for name in on}
    return on


def steps_of(document: dict):
    """(job name, job, step) for every step of a workflow, or of a composite action."""
    if "runs" in document:
        for step in document["runs"].get("steps", []):
            yield "(composite)", {}, step
        return
    for name, job in (document.get("jobs") or {}).items():
        for step in job.get("steps", []):
            yield name, job, step


def called_text(run: str) -> str:
    """A run: block with the text of each project script it calls appended, so that a rule about
    what a step does also sees what the step hands to a script."""
    texts = [run]
    for path in SCRIPT_PATH.findall(run):
        file = ROOT / path.removeprefix("./")
        if file.is_file():
            texts.append(file.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(texts)


def matrix_values(job: dict, key: str) -> list[str]:
    """The values a job's matrix gives `key`, from its lists and its include entries."""
    matrix = (job.get("strategy") or {}).get("matrix") or {}
    values = [str(v) for v in matrix.get(key, []) if not isinstance(matrix.get(key), str)]
    values += [str(entry[key]) for entry in matrix.get("include", []) if key in entry]
    return values


def unpinned_uses(document: dict) -> list[str]:
    bad = []
    for job_name, job, step in steps_of(document):
        uses = step.get("uses")
        if uses and not uses.startswith("./") and not PINNED.match(uses):
            bad.append(f"{job_name}: {uses}")
    for job_name, job in (document.get("jobs") or {}).items():
        uses = job.get("uses")  # a reusable workflow
        if uses and not uses.startswith("./") and not PINNED.match(uses):
            bad.append(f"{job_name}: {uses}")
    return bad


def concurrency_problems(workflow: dict) -> list[str]:
    concurrency = workflow.get("concurrency")
    if not concurrency:
        return ["no top-level concurrency"]
    if isinstance(concurrency, str):
        return []
    if not concurrency.get("group"):
        return ["concurrency without a group"]
    return []


def gh_without_token(workflow: dict) -> list[str]:
    bad = []
    top_env = workflow.get("env") or {}
    for job_name, job, step in steps_of(workflow):
        run = step.get("run") or ""
        if not GH_COMMAND.search(called_text(run)):
            continue
        env = {**top_env, **(job.get("env") or {}), **(step.get("env") or {})}
        if "GH_TOKEN" not in env:
            bad.append(f"{job_name}: step {step.get('name', run.splitlines()[0])!r} runs gh without GH_TOKEN")
    return bad


def shallow_checkouts_needing_history(workflow: dict) -> list[str]:
    bad = []
    for job_name, job in (workflow.get("jobs") or {}).items():
        steps = job.get("steps", [])
        if not any(HISTORY_COMMANDS.search(called_text(s.get("run") or "")) for s in steps):
            continue
        for s in steps:
            if str(s.get("uses", "")).startswith("actions/checkout@"):
                if str((s.get("with") or {}).get("fetch-depth", 1)) != "0":
                    bad.append(f"{job_name}: reads git history but checks out shallow (fetch-depth 0 needed)")
    return bad


_CRON_RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]


def cron_problem(expression: str) -> str | None:
    """None when the 5-field cron expression is valid, else what is wrong with it."""
    fields = expression.split()
    if len(fields) != 5:
        return f"{expression!r}: {len(fields)} fields, not 5"
    for field, (low, high) in zip(fields, _CRON_RANGES):
        for part in field.split(","):
            base, _, step = part.partition("/")
            if step and (not step.isdigit() or int(step) == 0):
                return f"{expression!r}: bad step in {part!r}"
            if base == "*":
                continue
            bounds = base.split("-")
            if len(bounds) > 2 or not all(b.isdigit() for b in bounds):
                return f"{expression!r}: {part!r} is not a number, a range or *"
            values = [int(b) for b in bounds]
            if any(v < low or v > high for v in values):
                return f"{expression!r}: {part!r} outside {low}-{high}"
            if len(values) == 2 and values[0] > values[1]:
                return f"{expression!r}: range {part!r} runs backwards"
    return None


def cron_problems(workflow: dict) -> list[str]:
    schedule = triggers(workflow).get("schedule") or []
    return [p for entry in schedule if (p := cron_problem(str(entry.get("cron", ""))))]


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([\w-]+):", text, re.MULTILINE))


def test_phases() -> set[str]:
    out = subprocess.run([str(ROOT / "scripts" / "test"), "--list"], capture_output=True, text=True, check=True)
    return {line.split()[0] for line in out.stdout.splitlines() if line.strip()}


def missing_commands(document: dict, phases: set[str] | None = None) -> list[str]:
    """Scripts, make targets and scripts/test phases named in run: blocks that do not exist."""
    bad = []
    targets = make_targets()
    for job_name, job, step in steps_of(document):
        run = step.get("run") or ""
        for path in SCRIPT_PATH.findall(run):
            file = ROOT / path.removeprefix("./")
            if not file.is_file():
                bad.append(f"{job_name}: {path} does not exist")
            elif not file.stat().st_mode & 0o111 and shlex.split(run)[0] == path:
                bad.append(f"{job_name}: {path} is not executable")
        for target in MAKE_TARGET.findall(run):
            if target not in targets:
                bad.append(f"{job_name}: make {target}: no such target in the Makefile")
        if phases is not None:
            groups = TEST_PHASES.findall(run)
            if "matrix.phases" in run:
                groups += matrix_values(job, "phases")
            for group in groups:
                for phase in group.split(","):
                    if phase not in phases:
                        bad.append(f"{job_name}: scripts/test has no phase {phase!r}")
    return bad


def phases_run(workflow: dict) -> set[str]:
    """The scripts/test phases a workflow runs, its matrix entries' `phases` included."""
    found = set()
    for job_name, job in (workflow.get("jobs") or {}).items():
        texts = [s.get("run") or "" for s in job.get("steps", [])]
        for text in texts:
            for group in TEST_PHASES.findall(text):
                if "${{" not in group:
                    found.update(group.split(","))
            if "matrix.phases" in text:
                for group in matrix_values(job, "phases"):
                    found.update(group.split(","))
    return found - {""}
