"""The policy gate in GitHub against the fake API: the commit status and impact label
from a saved plan, the override label checked for who added it, and the fork path."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from catalog_sync.cli import cli
from tests.cli.catalogs import catalog_of
from tests.cli.catalogs import run
from tests.cli.catalogs import write_catalog

SHA = "ab" * 20
POLICY = "removal: delete\npolicy:\n  max_rate_change_bp: 100\n"
RATE = {
    "depositRateType": "VARIABLE",
    "rate": "0.0450",
    "applicationType": "PERIODIC",
    "applicationFrequency": "P1M",
}


def _github(env: dict[str, str], config: Path, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config), "github", *args], env=env)


def _blocked_plan(tmp_path: Path, capsys) -> tuple[Path, Path]:
    """A saved plan cutting a deposit rate by 150 bp under a 100 bp limit."""
    config = write_catalog(tmp_path, catalog_of("saver", depositRates=[RATE]), POLICY)
    assert run(capsys, config, "apply", "--auto-approve")[0] == 0
    cut = {**RATE, "rate": "0.0300"}
    write_catalog(tmp_path, catalog_of("saver", depositRates=[cut]), POLICY)
    plan_file = tmp_path / "plan.json"
    assert run(capsys, config, "plan", "--out", str(plan_file))[0] == 0
    return config, plan_file


def test_policy_status_fails_a_blocked_plan_and_labels_the_pull_request(
    fake_github, github_env, tmp_path, capsys
):
    config, plan_file = _blocked_plan(tmp_path, capsys)
    fake_github.add_issue(number=7, labels=[{"name": "impact: neutral"}, {"name": "x"}])
    result = _github(
        github_env, config, "policy-status", "--env", "staging",
        "--plan-file", str(plan_file), "--sha", SHA, "--pr", "7",
        "--target-url", "https://github.test/run/1",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (status,) = fake_github.commit_statuses[SHA]
    assert status == {
        "state": "failure",
        "context": "catalog-sync/policy/staging",
        "description": "Blocked: max_rate_change_bp: 1 rate moving more than 100 bp",
        "target_url": "https://github.test/run/1",
    }
    names = [label["name"] for label in fake_github.issues[7]["labels"]]
    assert names == ["x", "impact: adverse"]


def test_policy_status_passes_with_warnings(fake_github, github_env, tmp_path, capsys):
    config = write_catalog(tmp_path, catalog_of("saver", depositRates=[RATE]))
    assert run(capsys, config, "apply", "--auto-approve")[0] == 0
    write_catalog(
        tmp_path, catalog_of("saver", depositRates=[{**RATE, "rate": "0.0440"}])
    )
    plan_file = tmp_path / "plan.json"
    assert run(capsys, config, "plan", "--out", str(plan_file))[0] == 0
    result = _github(
        github_env, config, "policy-status", "--env", "staging",
        "--plan-file", str(plan_file), "--sha", SHA,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (status,) = fake_github.commit_statuses[SHA]
    assert status["state"] == "success"
    assert status["description"] == (
        "Passes with warnings: 1 adverse or unclassified change to review"
    )


def _merged(fake_github, *, labeled_by: str | None) -> None:
    fake_github.pulls[9] = {"number": 9, "merged_at": "2026-12-01T00:00:00Z"}
    labels = [{"name": "policy-override"}] if labeled_by else []
    fake_github.add_issue(number=9, labels=labels)
    fake_github.commit_pulls[SHA] = [9]
    if labeled_by:
        fake_github.events[9] = [
            {"event": "labeled", "label": {"name": "policy-override"}, "actor": {"login": "mallory"}},
            {"event": "unlabeled", "label": {"name": "policy-override"}, "actor": {"login": "x"}},
            {"event": "labeled", "label": {"name": "policy-override"}, "actor": {"login": labeled_by}},
        ]  # fmt: skip


def _output(github_env) -> str:
    return Path(github_env["GITHUB_OUTPUT"]).read_text()


def test_override_label_added_by_a_maintainer_is_the_reason(
    fake_github, github_env, tmp_path
):
    config = write_catalog(tmp_path, {}, POLICY)
    _merged(fake_github, labeled_by="alice")
    fake_github.permissions.update({"alice": "maintain", "mallory": "read"})
    result = _github(github_env, config, "policy-override", "--sha", SHA)
    assert result.exit_code == 0, result.output
    assert _output(github_env) == "reason=label policy-override by alice on #9\n"


def test_override_label_added_by_a_reader_is_ignored(fake_github, github_env, tmp_path):
    config = write_catalog(tmp_path, {}, POLICY)
    _merged(fake_github, labeled_by="mallory")
    fake_github.permissions["mallory"] = "read"
    result = _github(github_env, config, "policy-override", "--sha", SHA)
    assert "added by mallory, who has read access, not write; ignored" in result.output
    assert _output(github_env) == "reason=\n"
    fake_github.permissions.clear()  # not a collaborator at all: 404
    result = _github(github_env, config, "policy-override", "--sha", SHA)
    assert "who has no access" in result.output


def test_override_without_the_label_or_a_record_or_a_pull_request(
    fake_github, github_env, tmp_path
):
    config = write_catalog(tmp_path, {}, POLICY)
    result = _github(github_env, config, "policy-override", "--sha", SHA)
    assert f"no merged pull request for {SHA[:12]}: no override" in result.output
    _merged(fake_github, labeled_by=None)
    result = _github(github_env, config, "policy-override", "--sha", SHA)
    assert "#9 has no 'policy-override' label" in result.output
    fake_github.issues[9]["labels"] = [{"name": "policy-override"}]
    result = _github(github_env, config, "policy-override", "--sha", SHA)
    assert "no record of who added 'policy-override'" in result.output
    assert _output(github_env).splitlines() == ["reason=", "reason=", "reason="]


def test_override_from_a_dispatch_names_the_actor_on_one_line(
    fake_github, github_env, tmp_path
):
    config = write_catalog(tmp_path, {}, POLICY)
    env = {**github_env, "GITHUB_ACTOR": "carol"}
    result = _github(
        env, config, "policy-override", "--sha", SHA, "--reason", "board ok\nreason=x"
    )
    assert result.exit_code == 0, result.output
    assert _output(github_env) == (
        "reason=workflow_dispatch by carol: board ok reason=x\n"
    )
    assert fake_github.ledger == []


def test_fork_payload_carries_the_verdict_and_the_commenter_posts_it(
    fake_github, github_env, tmp_path, capsys
):
    # The preview is a plan of `staging` (embedded here, so the test needs no server).
    staging = POLICY + "environments:\n  staging:\n    target: embedded\n"
    config = write_catalog(tmp_path, catalog_of("saver", depositRates=[RATE]), staging)
    assert run(capsys, config, "apply", "--env", "staging", "--auto-approve")[0] == 0
    cut = {**RATE, "rate": "0.0300"}
    write_catalog(tmp_path, catalog_of("saver", depositRates=[cut]), staging)
    plan_file = tmp_path / "plan.json"
    assert (
        run(capsys, config, "plan", "--env", "staging", "--out", str(plan_file))[0] == 0
    )
    artifact = tmp_path / "artifact"
    result = _github(
        github_env, config, "comment-payload", "--env", "staging", "--pr", "12",
        "--head-sha", SHA, "--plan-file", str(plan_file),
        "--out", str(artifact / "comment.json"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads((artifact / "comment.json").read_text())
    assert payload["format_version"] == 2
    assert payload["policy"]["state"] == "failure"
    assert payload["policy"]["impact"] == "adverse"
    fake_github.pulls[12] = {"number": 12, "state": "open", "head": {"sha": SHA}}
    fake_github.add_issue(number=12)
    # The commenter accepts only environments the default branch's config publishes to.
    config.write_text(
        POLICY + "environments:\n  staging:\n"
        "    base_url: https://api.example.test\n"
        "    client_id_env: CS_ID\n    client_secret_env: CS_SECRET\n"
    )
    result = _github(
        github_env, config, "post-artifact-comment", "--artifact-dir", str(artifact),
        "--run-head-sha", SHA,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (status,) = fake_github.commit_statuses[SHA]
    assert status["state"] == "failure"
    assert status["description"].startswith(
        "fork preview, re-checked on apply: Blocked"
    )
    assert fake_github.issues[12]["labels"] == [{"name": "impact: adverse"}]


def test_a_bad_sha_sets_no_status(fake_github, github_env, tmp_path, capsys):
    config, plan_file = _blocked_plan(tmp_path, capsys)
    result = _github(
        github_env, config, "policy-status", "--env", "staging",
        "--plan-file", str(plan_file), "--sha", "HEAD",
    )  # fmt: skip
    assert result.exit_code == 1
    assert fake_github.commit_statuses == {}


def test_status_of_a_clean_verdict_and_an_unchanged_label(fake_github, client):
    from catalog_sync.config.model import Policy
    from catalog_sync.github.policy import set_impact_label
    from catalog_sync.github.policy import status_of
    from catalog_sync.plan.policy import evaluate_policy
    from tests.render.plans import make_plan
    from tests.render.plans import product

    catalog = {"a": product("a")}
    verdict = evaluate_policy(make_plan(catalog, catalog), Policy("block", 10))
    assert status_of(verdict) == ("success", "Passes every policy rule")
    fake_github.add_issue(number=5, labels=[{"name": "impact: review"}])
    set_impact_label(client, number=5, impact="review")
    assert fake_github.requests("POST") == []
    assert fake_github.requests("DELETE") == []
