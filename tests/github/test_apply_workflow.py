"""What merges is what was reviewed, end to end over loopback: the real CLI against the
emulator (as the Fiskil API) and the fake GitHub API, chained as apply.yml chains them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalog_sync.cli import cli
from catalog_sync.emulator.store import LOCAL_CLIENT_ID
from catalog_sync.emulator.store import LOCAL_CLIENT_SECRET
from catalog_sync.github.comments import apply_marker
from catalog_sync.github.comments import plan_marker
from catalog_sync.plan.digest import change_set_digest
from catalog_sync.workflow import load_plan
from tests.apply.harness import product
from tests.apply.harness import writes
from tests.cli.catalogs import write_catalog
from tests.github.merges import add_plan_artifact
from tests.github.merges import merge_pull
from tests.github.merges import push
from tests.github.merges import sha

Step = Callable[..., str]


def _config(base_url: str, allow: bool = False) -> str:
    return (
        "removal: delete\nenvironments:\n  staging:\n"
        f"    base_url: {base_url}\n"
        "    client_id_env: FISKIL_STAGING_CLIENT_ID\n"
        "    client_secret_env: FISKIL_STAGING_CLIENT_SECRET\n"
        + ("    allow_unreviewed: true\n" if allow else "")
    )


@pytest.fixture
def step(tmp_path, github_env, emulator_server) -> Step:
    env = {
        **github_env,
        "FISKIL_STAGING_CLIENT_ID": LOCAL_CLIENT_ID,
        "FISKIL_STAGING_CLIENT_SECRET": LOCAL_CLIENT_SECRET,
    }

    def run(*args: str, expect: int = 0) -> str:
        config = str(tmp_path / "catalog-sync.yaml")
        result = CliRunner().invoke(cli, ["--config", config, *args], env=env)
        assert result.exit_code == expect, (result.output, result.exception)
        return result.output

    return run


def _files(tmp_path: Path, base_url: str, allow: bool = False, **names: str) -> None:
    products = {pid: product(pid, name=name) for pid, name in names.items()}
    write_catalog(tmp_path, products, _config(base_url, allow))


def _pull_request_plan(step: Step, fake_github, tmp_path: Path, number: int) -> str:
    """plan.yml for pull request `number`: plan, sticky comment with the digest, and
    the plan-staging artifact of its head commit."""
    plan_file = tmp_path / "plan-staging.json"
    markdown = step("plan", "--env", "staging", "--format", "markdown",
                    "--out", str(plan_file))  # fmt: skip
    (tmp_path / "plan.md").write_text(markdown)
    fake_github.add_issue(number=number)
    step("github", "comment", "--pr", str(number), "--env", "staging",
         "--body-file", str(tmp_path / "plan.md"), "--plan-file", str(plan_file))  # fmt: skip
    add_plan_artifact(fake_github, pull=number, head=sha(100 + number),
                      environment="staging", plan_text=plan_file.read_text())  # fmt: skip
    return change_set_digest(load_plan(plan_file))


def _apply_job(step: Step, tmp_path: Path, head: str, expect: int = 0) -> str:
    """apply.yml's staging job after the head check: plan on main, fetch the reviewed
    plans, apply with --reviewed-dir, report on the merged pull request."""
    step("plan", "--env", "staging", "--out", str(tmp_path / "plan.json"))
    reviewed = tmp_path / f"reviewed-{head[-4:]}"  # a fresh runner each time
    found = step("github", "reviewed-plans", "--env", "staging", "--sha", head,
                 "--out-dir", str(reviewed), "--report-file", str(tmp_path / "reviewed.md"))  # fmt: skip
    out = step("apply", str(tmp_path / "plan.json"), "--auto-approve",
               "--reviewed-dir", str(reviewed), "--report",
               str(tmp_path / "apply-report.md"), expect=expect)  # fmt: skip
    outcome = "success" if expect == 0 else "failure"
    step("github", "report-apply", "--env", "staging", "--sha", head,
         "--outcome", outcome, "--report-file", str(tmp_path / "apply-report.md"))  # fmt: skip
    if expect == 0:
        step("github", "record-applied", "--env", "staging", "--sha", head,
             "--plan-file", str(tmp_path / "plan.json"), "--run-url", "https://run")  # fmt: skip
    return found + out


@pytest.fixture
def merged(tmp_path, step, fake_github, emulator_server):
    """Live p01, p02 applied at commit 1; pull request #11 renames p01, is planned and
    reviewed, and merges as commit 2."""
    store = emulator_server.store
    store.seed([product("p01"), product("p02")])
    push(fake_github, sha(1))
    step("github", "record-applied", "--env", "staging", "--sha", sha(1),
         "--plan-file", str(_empty_plan(step, tmp_path, emulator_server.base_url)))  # fmt: skip
    _files(tmp_path, emulator_server.base_url, p01="Reviewed", p02="Product p02")
    digest = _pull_request_plan(step, fake_github, tmp_path, 11)
    merge_pull(fake_github, 11, head=sha(111), merge=sha(2))
    store.ledger.clear()
    return digest


def _empty_plan(step: Step, tmp_path: Path, base_url: str) -> Path:
    _files(tmp_path, base_url, p01="Product p01", p02="Product p02")
    path = tmp_path / "applied.json"
    step("plan", "--env", "staging", "--out", str(path))
    return path


def test_the_merge_applies_exactly_the_reviewed_changes(
    tmp_path, step, fake_github, emulator_server, merged
):
    comment = fake_github.comments[11][0]["body"]
    assert comment.startswith(plan_marker("staging"))
    assert f"Change-set digest: `{merged}`" in comment
    assert "is the head of main" in step("github", "head-check", "--sha", sha(2))
    assert (tmp_path / "output.txt").read_text() == "current=true\n"
    out = _apply_job(step, tmp_path, sha(2))
    assert f"- #11: reviewed plan of {sha(111)[:12]}, digest `{merged}`" in out
    assert "Every change of the plan was reviewed" in out
    assert [p for _, p, _ in writes(emulator_server.store)] == [
        "/v1/data-provider/cdr/products/p01"
    ]
    assert fake_github.deployments[0]["sha"] == sha(2)
    assert fake_github.deployments[0]["payload"] == {"change_set_digest": merged}
    assert fake_github.comments[11][1]["body"].startswith(apply_marker("staging"))
    # A re-run of the same commit finds nothing new, and nothing to apply.
    out = _apply_job(step, tmp_path, sha(2))
    assert "merged since the last apply (000000000000)\n\n- none\n" in out
    assert "Apply complete: 0 done" in out


def test_a_console_edit_between_review_and_merge_writes_nothing(
    tmp_path, step, fake_github, emulator_server, merged
):
    store = emulator_server.store
    store.seed([product("p02", name="Console edit")])
    store.ledger.clear()
    out = _apply_job(step, tmp_path, sha(2), expect=1)
    assert "1 change was not in any reviewed plan for staging" in out
    assert "update p02: live changed since the review" in out
    assert writes(store) == []
    assert store.products()["p02"]["name"] == "Console edit"
    report = fake_github.comments[11][1]["body"]
    assert "Apply to staging failed" in report
    assert "live changed since the review" in report
    assert "plan_digest sha256:" in report
    assert fake_github.deployments[0]["sha"] == sha(1)  # nothing recorded


def test_two_quick_merges_apply_together_and_a_push_without_review_is_refused(
    tmp_path, step, fake_github, emulator_server, merged
):
    base_url = emulator_server.base_url
    _files(tmp_path, base_url, p01="Reviewed", p02="Second")
    _pull_request_plan(step, fake_github, tmp_path, 12)
    merge_pull(fake_github, 12, head=sha(112), merge=sha(3))
    # The run for commit 2 finds it is no longer the head: it applies nothing.
    out = step("github", "head-check", "--sha", sha(2))
    assert "::notice::" in out
    assert "no longer the head of main" in out
    assert "current=false" in (tmp_path / "output.txt").read_text()
    out = _apply_job(step, tmp_path, sha(3))
    assert "#11: reviewed plan" in out
    assert "#12: reviewed plan" in out
    assert sorted(p for _, p, _ in writes(emulator_server.store)) == [
        "/v1/data-provider/cdr/products/p01",
        "/v1/data-provider/cdr/products/p02",
    ]
    _files(tmp_path, base_url, p01="Reviewed", p02="Pushed straight to main")
    push(fake_github, sha(4))
    out = _apply_job(step, tmp_path, sha(4), expect=1)
    assert f"- commit {sha(4)[:12]}: **pushed without a pull request**" in out
    assert "update p02: no reviewed plan shows it" in out


def test_allow_unreviewed_is_reported_to_the_workflow(
    tmp_path, step, fake_github, emulator_server
):
    _files(tmp_path, emulator_server.base_url, allow=True, p01="x")
    merge_pull(fake_github, 13, head=sha(113), merge=sha(1))
    out = step("github", "reviewed-plans", "--env", "staging", "--sha", sha(1),
               "--out-dir", str(tmp_path / "r"))  # fmt: skip
    assert "no earlier apply is recorded" in out
    assert "- #13: **no reviewed plan**: no plan-staging artifact for its head" in out
    assert "allow_unreviewed: true" in out
    outputs = (tmp_path / "output.txt").read_text()
    assert "count=0\nallow-unreviewed=true\n" in outputs
