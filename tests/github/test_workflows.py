"""The policy test: our workflows pass it, and it catches each kind of bad workflow."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.github.workflow_policy import ALLOWED_PERMISSIONS
from tests.github.workflow_policy import check_workflow
from tests.github.workflow_policy import load_workflow

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"
NAMES = ("plan.yml", "plan-comment.yml", "apply.yml", "drift.yml", "ci.yml")

CHECKOUT = "actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2"
GOOD = f"""
name: ci
on:
  pull_request:
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: {CHECKOUT}
        with:
          persist-credentials: false
      - name: Test
        env:
          TITLE: ${{{{ github.event.pull_request.title }}}}
        run: make test
"""


def test_every_expected_workflow_exists():
    assert sorted(path.name for path in WORKFLOWS.glob("*.yml")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_our_workflows_satisfy_the_policy(name):
    assert check_workflow(name, (WORKFLOWS / name).read_text()) == []


def test_allow_list_covers_exactly_the_jobs_that_exist():
    jobs = {
        (name, job)
        for name in NAMES
        for job in load_workflow((WORKFLOWS / name).read_text())["jobs"]
    }
    assert jobs == set(ALLOWED_PERMISSIONS)


def test_apply_runs_staging_then_production_with_the_saved_plan():
    apply = load_workflow((WORKFLOWS / "apply.yml").read_text())
    assert apply["on"]["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in apply["on"]
    production = apply["jobs"]["production"]
    assert "staging" in production["needs"]
    runs = [step.get("run", "") for step in production["steps"]]
    assert any("catalog-sync apply plan.json --auto-approve" in run for run in runs)
    assert any("--reviewed-dir" in run and "--plan-digest" in run for run in runs)
    assert apply["concurrency"] == {
        "group": "catalog-sync-apply",
        "cancel-in-progress": False,
    }
    assert apply["on"]["workflow_dispatch"]["inputs"]["plan_digest"]["required"]


def test_fork_jobs_get_no_secrets_and_no_write_token():
    plan = load_workflow((WORKFLOWS / "plan.yml").read_text())
    fork = plan["jobs"]["fork-plan"]
    assert "!= github.repository" in fork["if"]
    assert fork["permissions"] == {"contents": "read"}
    assert "secrets." not in (WORKFLOWS / "plan.yml").read_text().split("fork-plan:")[1]
    commenter = load_workflow((WORKFLOWS / "plan-comment.yml").read_text())
    assert commenter["on"]["workflow_run"] == {
        "workflows": ["plan"],
        "types": ["completed"],
    }


def test_the_good_example_passes():
    assert check_workflow("ci.yml", GOOD) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  pull_request:\n",
            "  pull_request_target:\n",
            "pull_request_target is forbidden",
        ),
        (CHECKOUT, "actions/checkout@v4", "not pinned to a full commit SHA"),
        (CHECKOUT, CHECKOUT.split(" #")[0], "lacks a '# vX.Y.Z' version comment"),
        ("persist-credentials: false", "fetch-depth: 0", "without persist-credentials"),
        (
            "permissions:\n  contents: read\njobs",
            "permissions: write-all\njobs",
            "top-level",
        ),
        (
            "    permissions:\n      contents: read\n    steps",
            "    permissions:\n      contents: read\n      issues: write\n    steps",
            "asks for issues: write, more than it uses",
        ),
        (
            "    permissions:\n      contents: read\n    steps",
            "    steps",
            "must declare",
        ),
        (
            "run: make test",
            "run: echo ${{ github.event.pull_request.title }}",
            "interpolates pull-request text",
        ),
        ("run: make test", "run: echo ${{ github.head_ref }}", "pull-request text"),
        (
            "run: make test",
            "run: make test TOKEN=${{ secrets.FISKIL_CLIENT_SECRET }}",
            "references secrets directly",
        ),
        (
            "TITLE: ${{ github.event.pull_request.title }}\n        run: make test",
            "SECRET: ${{ secrets.X }}\n        run: echo $SECRET",
            "prints the secret $SECRET",
        ),
        (
            "TITLE: ${{ github.event.pull_request.title }}\n        run: make test",
            "SECRET: ${{ secrets.X }}\n        run: set -x; make test",
            "set -x would print",
        ),
        (
            "TITLE: ${{ github.event.pull_request.title }}",
            "SECRET: ${{ secrets.X }}",
            "may run for a fork's pull request",
        ),
        ("  test:\n", "  sneaky:\n", "not in the permission allow-list"),
    ],
)
def test_the_policy_catches_a_bad_workflow(old, new, expected):
    assert old in GOOD
    problems = check_workflow("ci.yml", GOOD.replace(old, new))
    assert any(expected in problem for problem in problems), problems


APPLY = f"""
name: apply
on:
  push:
    branches: [main]
permissions:
  contents: read
concurrency:
  group: catalog-sync-apply
  cancel-in-progress: false
jobs:
  production:
    runs-on: ubuntu-latest
    environment: production
    concurrency:
      group: catalog-sync-apply-production
      cancel-in-progress: false
    permissions:
      contents: read
    steps:
      - uses: {CHECKOUT}
        with:
          persist-credentials: false
      - id: head
        run: catalog-sync github head-check --sha "$SHA"
      - id: plan
        if: steps.head.outputs.current == 'true'
        run: catalog-sync plan --out plan.json
      - if: steps.plan.outcome == 'success'
        run: catalog-sync apply plan.json --auto-approve
"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    environment: production\n",
            "",
            "applies without `environment: production`",
        ),
        ("environment: production", "environment: staging", "environment: production"),
        (
            "      group: catalog-sync-apply-production\n      cancel-in-progress: false",
            "      group: catalog-sync-apply-production\n      cancel-in-progress: true",
            "catalog-sync-apply-<env> concurrency group",
        ),
        (
            "    concurrency:\n      group: catalog-sync-apply-production\n"
            "      cancel-in-progress: false\n",
            "",
            "catalog-sync-apply-<env> concurrency group",
        ),
        (
            "concurrency:\n  group: catalog-sync-apply\n  cancel-in-progress: false\njobs",
            "jobs",
            "workflow-level catalog-sync-apply concurrency group",
        ),
        (
            "  group: catalog-sync-apply\n  cancel-in-progress: false\n",
            "  group: catalog-sync-apply\n  cancel-in-progress: true\n",
            "workflow-level catalog-sync-apply concurrency group",
        ),
        (
            "      - if: steps.plan.outcome == 'success'\n",
            "      - if: always()\n",
            "still the head of main",
        ),
        (
            "        if: steps.head.outputs.current == 'true'\n",
            "        if: steps.head.outputs.current != 'false'\n",
            "still the head of main",
        ),
        (
            '        run: catalog-sync github head-check --sha "$SHA"\n',
            "        run: echo not a head check\n",
            "still the head of main",
        ),
    ],
)
def test_the_policy_catches_an_ungated_apply(old, new, expected):
    assert check_workflow("apply.yml", APPLY) == []
    assert old in APPLY
    problems = check_workflow("apply.yml", APPLY.replace(old, new))
    assert any(expected in problem for problem in problems), problems


def test_a_privileged_run_must_not_check_out_the_pull_requests_code():
    bad = GOOD.replace(
        "persist-credentials: false",
        "persist-credentials: false\n          ref: ${{ github.event.workflow_run.head_sha }}",
    )
    assert any(
        "checks out the pull request's code" in p for p in check_workflow("ci.yml", bad)
    )


BIN = Path(sys.executable).parent
INJECTABLE = """
name: bad
on: pull_request
permissions:
  contents: read
jobs:
  a:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - run: echo "${{ github.event.pull_request.title }}"
"""


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.skip(f"{name} is not installed in this environment")
    return str(path)


def test_zizmor_passes_ours_and_fails_an_injectable_workflow(tmp_path):
    zizmor = _tool("zizmor")
    ours = subprocess.run(
        [zizmor, "--offline", "--no-progress", str(WORKFLOWS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ours.returncode == 0, ours.stdout + ours.stderr
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(INJECTABLE)
    found = subprocess.run(
        [zizmor, "--offline", "--no-progress", "--no-config", str(bad.parent)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode != 0
    assert "template-injection" in found.stdout


def test_schema_check_fails_a_workflow_github_would_reject(tmp_path):
    checker = _tool("check-jsonschema")
    bad = tmp_path / "bad.yml"
    bad.write_text(
        INJECTABLE.replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest")
    )
    result = subprocess.run(
        [checker, "--builtin-schema", "vendor.github-workflows", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
