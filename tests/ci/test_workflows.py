"""Workflow convention tests: every workflow and local action under .github/ keeps the rules of
tests/ci/conventions.py, and each rule is shown to catch what it is for."""

from __future__ import annotations

import pytest

import conventions as c

DOCUMENTS = c.WORKFLOWS + c.ACTIONS
WORKFLOW_IDS = [p.name for p in c.WORKFLOWS]
DOCUMENT_IDS = [str(p.relative_to(c.ROOT)) for p in DOCUMENTS]


def test_the_workflows_are_there():
    names = {p.stem for p in c.WORKFLOWS}
    assert {"ci", "sanitizers", "cluster", "docs", "bench", "demos"} <= names


# Each rule returns what breaks it; every workflow (and, for the rules that read steps, every
# local action) must break none.
RULES = {
    "actions are pinned": (c.unpinned_uses, DOCUMENTS),
    "a concurrency group": (c.concurrency_problems, c.WORKFLOWS),
    "gh has a token": (c.gh_without_token, DOCUMENTS),
    "history is not shallow": (c.shallow_checkouts_needing_history, c.WORKFLOWS),
    "cron expressions are valid": (c.cron_problems, c.WORKFLOWS),
}
CASES = [(rule, path) for rule, (_, paths) in RULES.items() for path in paths]


@pytest.mark.parametrize("rule,path", CASES, ids=[f"{r}: {p.relative_to(c.ROOT)}" for r, p in CASES])
def test_rule_holds(rule, path):
    assert RULES[rule][0](c.load(path)) == []


@pytest.mark.parametrize("path", c.WORKFLOWS, ids=WORKFLOW_IDS)
def test_can_be_run_by_hand(path):
    assert "workflow_dispatch" in c.triggers(c.load(path))


@pytest.mark.parametrize("path", DOCUMENTS, ids=DOCUMENT_IDS)
def test_calls_only_what_exists(path):
    assert c.missing_commands(c.load(path), c.test_phases()) == []


@pytest.mark.parametrize("path", c.WORKFLOWS, ids=WORKFLOW_IDS)
def test_jobs_have_a_timeout_and_least_permissions(path):
    workflow = c.load(path)
    assert workflow.get("permissions") == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        assert "timeout-minutes" in job, name


@pytest.mark.parametrize("path", c.WORKFLOWS, ids=WORKFLOW_IDS)
def test_jobs_that_run_scripts_use_the_debian_container_and_the_caches(path):
    for name, job in c.load(path)["jobs"].items():
        runs = [s for s in job.get("steps", []) if "scripts/" in (s.get("run") or "")]
        if not runs:
            continue
        assert job.get("container") == c.CONTAINER, name
        uses = [s.get("uses") for s in job["steps"]]
        assert "./.github/actions/prepare" in uses, name
        assert uses.index("./.github/actions/prepare") > uses.index(next(u for u in uses if u and u.startswith("actions/checkout@")))


def test_ci_runs_every_phase_of_make_test():
    run = set()
    for path in c.WORKFLOWS:
        run |= c.phases_run(c.load(path))
    assert c.test_phases() - run == set()


# --- the rules themselves -------------------------------------------------------------------


def _workflow(steps, **top):
    return {"on": {"push": None}, "jobs": {"j": {"runs-on": "x", "steps": steps}}, **top}


def test_rule_pins():
    steps = [
        {"uses": "actions/checkout@v4"},
        {"uses": "actions/cache@main"},
        {"uses": "actions/cache@v4.2.3"},
        {"uses": "actions/setup-go@" + "a" * 40},
        {"uses": "./.github/actions/prepare"},
    ]
    assert c.unpinned_uses(_workflow(steps)) == ["j: actions/checkout@v4", "j: actions/cache@main"]


def test_rule_concurrency():
    assert c.concurrency_problems(_workflow([])) == ["no top-level concurrency"]
    assert c.concurrency_problems(_workflow([], concurrency={"cancel-in-progress": True})) != []
    assert c.concurrency_problems(_workflow([], concurrency={"group": "g"})) == []


def test_rule_gh_token():
    step = {"name": "label", "run": "gh pr edit 1 --add-label x"}
    assert len(c.gh_without_token(_workflow([step]))) == 1
    assert c.gh_without_token(_workflow([{**step, "env": {"GH_TOKEN": "t"}}])) == []
    assert c.gh_without_token(_workflow([step], env={"GH_TOKEN": "t"})) == []
    assert c.gh_without_token(_workflow([{"run": "echo high"}])) == []


def test_rule_history():
    steps = [{"uses": "actions/checkout@v4.2.2"}, {"run": "git merge-base HEAD origin/main"}]
    assert len(c.shallow_checkouts_needing_history(_workflow(steps))) == 1
    steps[0]["with"] = {"fetch-depth": 0}
    assert c.shallow_checkouts_needing_history(_workflow(steps)) == []


@pytest.mark.parametrize("cron", ["17 3 * * 1", "*/15 0-6 1,15 * 0", "0 0 31 12 7"])
def test_rule_cron_accepts(cron):
    assert c.cron_problem(cron) is None


@pytest.mark.parametrize("cron", ["17 3 * *", "60 3 * * 1", "0 24 * * *", "0 0 0 * *", "5-1 * * * *", "*/0 * * * *", "a * * * *"])
def test_rule_cron_rejects(cron):
    assert c.cron_problem(cron) is not None


def test_rule_missing_commands():
    steps = [{"run": "scripts/no-such-script --x && make no-such-target"}, {"run": "scripts/test --only dev,nope"}]
    problems = c.missing_commands(_workflow(steps), {"dev"})
    assert len(problems) == 3, problems
    assert c.missing_commands(_workflow([{"run": "scripts/test --only dev && make test"}]), {"dev"}) == []


def test_rule_follows_the_scripts_a_step_calls(tmp_path, monkeypatch):
    script = tmp_path / "scripts" / "ci" / "label"
    script.parent.mkdir(parents=True)
    script.write_text("#!/usr/bin/env bash\ngh pr edit 1 --add-label x\ngit merge-base HEAD main\n")
    monkeypatch.setattr(c, "ROOT", tmp_path)
    steps = [{"uses": "actions/checkout@v4.2.2"}, {"name": "label", "run": "scripts/ci/label"}]
    assert len(c.gh_without_token(_workflow(steps))) == 1
    assert len(c.shallow_checkouts_needing_history(_workflow(steps))) == 1


def test_rule_reads_phases_from_the_matrix():
    workflow = _workflow([{"run": 'scripts/test --only "${{ matrix.phases }}"'}])
    workflow["jobs"]["j"]["strategy"] = {"matrix": {"include": [{"phases": "dev,scripts"}, {"phases": "dve"}]}}
    assert c.missing_commands(workflow, {"dev", "scripts"}) == ["j: scripts/test has no phase 'dve'"]
    assert c.phases_run(workflow) == {"dev", "scripts", "dve"}
