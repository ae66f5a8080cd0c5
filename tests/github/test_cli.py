from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalog_sync.cli import cli
from catalog_sync.github.comments import apply_marker
from catalog_sync.github.comments import plan_marker
from tests.github.fake_github import TOKEN

SHA = "ab" * 20
CONFIG = (
    "environments:\n"
    "  local:\n    target: embedded\n"
    "  staging:\n    base_url: https://api.example.test\n"
    "    public_base_url: https://public.example.test\n"
    "    client_id_env: S_ID\n    client_secret_env: S_SECRET\n"
    "  production:\n    base_url: https://api.example.test\n"
    "    client_id_env: P_ID\n    client_secret_env: P_SECRET\n"
)


def _run(env: dict[str, str], *args: str, config: Path | None = None):
    prefix = ["--config", str(config)] if config else []
    return CliRunner().invoke(cli, [*prefix, "github", *args], env=env)


def _file(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_comment_creates_then_edits_the_sticky_comment(
    fake_github, github_env, tmp_path
):
    fake_github.add_issue(number=9)
    first = _run(
        github_env, "comment", "--pr", "9", "--env", "staging",
        "--body-file", _file(tmp_path, "a.md", "plan one"),
    )  # fmt: skip
    second = _run(
        github_env, "comment", "--pr", "9", "--env", "staging",
        "--body-file", _file(tmp_path, "b.md", "plan two"),
    )  # fmt: skip
    assert first.exit_code == 0, first.output
    assert "comment created" in first.output
    assert "comment updated" in second.output
    assert [c["body"] for c in fake_github.comments[9]] == [
        f"{plan_marker('staging')}\nplan two"
    ]
    assert TOKEN not in first.output + second.output


def test_comment_needs_exactly_one_of_marker_and_env(github_env, tmp_path):
    body = _file(tmp_path, "a.md", "x")
    result = _run(github_env, "comment", "--pr", "1", "--body-file", body)
    assert result.exit_code != 0
    assert "exactly one of --marker and --env" in result.output


def test_comment_without_token_fails_with_a_hint(github_env, tmp_path):
    env = {**github_env, "GITHUB_TOKEN": ""}
    body = _file(tmp_path, "a.md", "x")
    result = _run(env, "comment", "--pr", "1", "--env", "staging", "--body-file", body)
    assert result.exit_code != 0
    assert "GITHUB_TOKEN is not set" in str(result.exception)


def test_summary_appends_to_the_step_summary(github_env, tmp_path):
    body = _file(tmp_path, "plan.md", "## Plan\n")
    assert _run(github_env, "summary", "--body-file", body).exit_code == 0
    assert Path(github_env["GITHUB_STEP_SUMMARY"]).read_text() == "## Plan\n"


@pytest.mark.parametrize(
    ("exit_code", "expected_state"), [("2", "open"), ("0", "closed")]
)
def test_drift_issue_follows_the_drift_exit_code(
    fake_github, github_env, tmp_path, exit_code, expected_state
):
    report = _file(tmp_path, "drift.md", "1 product changed")
    opened = _run(
        github_env, "drift-issue", "--env", "production",
        "--report-file", report, "--exit-code", "2",
    )  # fmt: skip
    assert opened.exit_code == 0, opened.output
    result = _run(
        github_env, "drift-issue", "--env", "production",
        "--report-file", report, "--exit-code", exit_code,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [issue["state"] for issue in fake_github.issues.values()] == [expected_state]


def test_drift_issue_on_a_failed_drift_run_touches_nothing_and_fails(
    fake_github, github_env, tmp_path
):
    report = _file(tmp_path, "drift.md", "")
    result = _run(
        github_env, "drift-issue", "--env", "production",
        "--report-file", report, "--exit-code", "1",
    )  # fmt: skip
    assert result.exit_code == 1
    assert fake_github.ledger == []


def test_fork_payload_round_trip_posts_one_comment_with_a_notice(
    fake_github, github_env, tmp_path
):
    fake_github.pulls[12] = {"number": 12, "state": "open", "head": {"sha": SHA}}
    fake_github.add_issue(number=12)
    artifact = tmp_path / "artifact"
    for env_name in ("staging", "production"):
        result = _run(
            github_env, "comment-payload", "--env", env_name, "--pr", "12",
            "--head-sha", SHA, "--plan-file", str(tmp_path / "missing.json"),
            "--out", str(artifact / f"plan-comment-{env_name}" / "comment.json"),
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    posted = _run(
        github_env, "post-artifact-comment", "--artifact-dir", str(artifact),
        "--run-head-sha", SHA, "--run-pull-requests", "[]",
    )  # fmt: skip
    assert posted.exit_code == 0, posted.output
    bodies = [c["body"] for c in fake_github.comments[12]]
    assert len(bodies) == 2
    assert all("Validation only" in body for body in bodies)
    assert all("unprivileged run" in body for body in bodies)
    assert fake_github.requests("PATCH") == []


def test_post_artifact_comment_refuses_a_forged_pull_request_number(
    fake_github, github_env, tmp_path
):
    fake_github.pulls[3] = {"number": 3, "state": "open", "head": {"sha": "f" * 40}}
    payload = {
        "format_version": 2,
        "pull_request": 3,
        "head_sha": SHA,
        "environment": "staging",
        "preview": "validation-only",
        "plan": None,
    }
    artifact = tmp_path / "artifact"
    artifact.mkdir()
    (artifact / "comment.json").write_text(json.dumps(payload))
    result = _run(
        github_env, "post-artifact-comment", "--artifact-dir", str(artifact),
        "--run-head-sha", SHA,
    )  # fmt: skip
    assert result.exit_code != 0
    assert "head is not the workflow run's commit" in str(result.exception)
    assert fake_github.requests("POST") == []


def test_report_apply_comments_on_the_merged_pull_request(
    fake_github, github_env, tmp_path
):
    fake_github.pulls[21] = {"number": 21, "merged_at": "2026-11-01T00:00:00Z"}
    fake_github.add_issue(number=21)
    fake_github.commit_pulls[SHA] = [21]
    plan = _file(tmp_path, "plan.md", "| product | change |")
    log = _file(tmp_path, "apply.log", "update wattle-saver: failed (409)")
    report = _file(tmp_path, "apply-report.md", "| failed | 1 |")
    for outcome in ("failure", "success"):
        result = _run(
            github_env, "report-apply", "--env", "production", "--sha", SHA,
            "--outcome", outcome, "--plan-file", plan, "--log-file", log,
            "--report-file", report,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    comments = fake_github.comments[21]
    assert len(comments) == 1
    assert comments[0]["body"].startswith(apply_marker("production"))
    assert "Applied to production" in comments[0]["body"]
    summary = Path(github_env["GITHUB_STEP_SUMMARY"]).read_text()
    assert "Apply to production failed" in summary
    assert "update wattle-saver: failed (409)" in summary
    assert "| failed | 1 |" in summary


def test_report_apply_links_the_workflow_run_under_the_headline(
    fake_github, github_env, tmp_path
):
    fake_github.pulls[21] = {"number": 21, "merged_at": "2026-11-01T00:00:00Z"}
    fake_github.add_issue(number=21)
    fake_github.commit_pulls[SHA] = [21]
    run = "https://github.test/bank/catalog/actions/runs/5"
    result = _run(
        github_env, "report-apply", "--env", "production", "--sha", SHA,
        "--outcome", "cancelled", "--run-url", run, "--audit-url", "",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    body = fake_github.comments[21][0]["body"]
    headline = "### ⚠️ Apply to production was cancelled"
    assert f"{headline}\n\nWorkflow run: {run}\n" in body
    assert "Audit record" not in body  # --audit-url empty: the upload did not run

    audit = "https://github.test/bank/catalog/actions/runs/5/artifacts/9"
    result = _run(
        github_env, "report-apply", "--env", "production", "--sha", SHA,
        "--outcome", "success", "--run-url", run, "--audit-url", audit,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    body = fake_github.comments[21][0]["body"]
    assert f"Audit record: [download the audit record]({audit})\n" in body


def test_report_apply_without_a_merged_pull_request_posts_nothing(
    fake_github, github_env, tmp_path
):
    result = _run(
        github_env, "report-apply", "--env", "production", "--sha", SHA,
        "--outcome", "success",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "nothing posted" in result.output
    assert fake_github.requests("POST") == []


def test_environments_lists_remote_environments_for_a_matrix(github_env, tmp_path):
    config = tmp_path / "catalog-sync.yaml"
    config.write_text(CONFIG)
    result = _run(github_env, "environments", config=config)
    assert result.exit_code == 0, result.exception
    expected = (
        'names=["staging", "production"]\nhas-staging=true\nhas-production=true\n'
    )
    assert result.output == expected
    assert Path(github_env["GITHUB_OUTPUT"]).read_text() == expected


def test_fork_mode_reports_public_only_when_configured(github_env, tmp_path):
    config = tmp_path / "catalog-sync.yaml"
    config.write_text(CONFIG)
    staging = _run(github_env, "fork-mode", "--env", "staging", config=config)
    assert staging.exit_code == 0, staging.exception
    production = _run(github_env, "fork-mode", "--env", "production", config=config)
    assert staging.output.strip() == "public"
    assert production.output.strip() == "validation-only"
    output = Path(github_env["GITHUB_OUTPUT"]).read_text()
    assert output == "mode=public\nmode=validation-only\n"
