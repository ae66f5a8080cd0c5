"""`catalog-sync github` step options the workflow tests do not reach: missing Actions
variables, --marker, oversized bodies, --run-pull-requests and public-plan --out."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from catalog_sync.cli import cli
from tests.cli.catalogs import catalog_of
from tests.cli.catalogs import write_catalog

SHA = "cd" * 20


def _run(env: dict[str, str], *args: str):
    return CliRunner().invoke(cli, list(args), env=env)


def _body(tmp_path: Path, text: str = "plan") -> str:
    path = tmp_path / "body.md"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_summary_outside_actions_says_where_it_runs(github_env, tmp_path):
    env = {**github_env, "GITHUB_STEP_SUMMARY": ""}
    result = _run(env, "github", "summary", "--body-file", _body(tmp_path))
    assert result.exit_code == 1
    assert str(result.exception) == (
        "GITHUB_STEP_SUMMARY is not set (this step runs inside GitHub Actions)"
    )


def test_drift_issue_needs_exactly_one_of_exit_code_and_status(
    fake_github, github_env, tmp_path
):
    result = _run(
        github_env, "github", "drift-issue", "--env", "production",
        "--report-file", _body(tmp_path), "--exit-code", "2", "--status", "drift",
    )  # fmt: skip
    assert result.exit_code != 0
    assert "give exactly one of --exit-code and --status" in result.output
    assert fake_github.ledger == []


def test_report_apply_without_a_step_summary_still_comments(
    fake_github, github_env, tmp_path
):
    fake_github.pulls[21] = {"number": 21, "merged_at": "2026-11-01T00:00:00Z"}
    fake_github.add_issue(number=21)
    fake_github.commit_pulls[SHA] = [21]
    env = {**github_env, "GITHUB_STEP_SUMMARY": ""}
    result = _run(
        env, "github", "report-apply", "--env", "production", "--sha", SHA,
        "--outcome", "success",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "#21: apply report created" in result.output
    assert not (tmp_path / "summary.md").exists()


def test_comment_with_an_explicit_marker_uses_it(fake_github, github_env, tmp_path):
    fake_github.add_issue(number=9)
    marker = "<!-- catalog-sync: custom -->"
    result = _run(
        github_env, "github", "comment", "--pr", "9", "--marker", marker,
        "--body-file", _body(tmp_path, "hello"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [c["body"] for c in fake_github.comments[9]] == [f"{marker}\nhello"]


def test_comment_refuses_a_marker_that_is_not_an_html_comment(
    fake_github, github_env, tmp_path
):
    result = _run(
        github_env, "github", "comment", "--pr", "9", "--marker", "plan",
        "--body-file", _body(tmp_path),
    )  # fmt: skip
    assert result.exit_code != 0
    assert "--marker must be an HTML comment: <!-- ... -->" in result.output
    assert fake_github.ledger == []


def test_comment_refuses_a_body_file_too_large_for_github(
    fake_github, github_env, tmp_path
):
    fake_github.add_issue(number=9)
    big = tmp_path / "big.md"
    with big.open("wb") as handle:  # sparse: never read
        handle.truncate(8 * 1024 * 1024 + 1)
    result = _run(
        github_env, "github", "comment", "--pr", "9", "--env", "staging",
        "--body-file", str(big),
    )  # fmt: skip
    assert result.exit_code == 1
    assert str(result.exception) == f"{big} is larger than 8388608 bytes"
    assert fake_github.requests("POST") == []


def test_fork_mode_outside_actions_only_prints_the_mode(github_env, tmp_path):
    config = write_catalog(tmp_path, {}, "products_dir: products\n")
    env = {**github_env, "GITHUB_OUTPUT": ""}
    result = _run(env, "--config", str(config), "github", "fork-mode", "--env", "local")
    assert result.exit_code == 0, result.output
    assert result.output == "validation-only\n"
    assert not (tmp_path / "output.txt").exists()


def _artifact(tmp_path: Path, fake_github, github_env) -> Path:
    fake_github.pulls[12] = {"number": 12, "state": "open", "head": {"sha": SHA}}
    fake_github.add_issue(number=12)
    artifact = tmp_path / "artifact"
    result = _run(
        github_env, "github", "comment-payload", "--env", "staging", "--pr", "12",
        "--head-sha", SHA, "--out", str(artifact / "comment.json"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return artifact


def test_post_artifact_comment_reads_the_run_pull_requests(
    fake_github, github_env, tmp_path
):
    artifact = _artifact(tmp_path, fake_github, github_env)

    def post(run_pull_requests: str):
        return _run(
            github_env, "github", "post-artifact-comment",
            "--artifact-dir", str(artifact), "--run-head-sha", SHA,
            "--run-pull-requests", run_pull_requests,
        )  # fmt: skip

    not_json = post("[{")
    not_a_list = post('{"number": 12}')
    elsewhere = post('[{"number": 5}, true]')
    assert "--run-pull-requests must be JSON" in not_json.output
    assert "--run-pull-requests must be a JSON list" in not_a_list.output
    assert "names pull request #12, which is not the workflow run's" in str(
        elsewhere.exception
    )
    assert fake_github.requests("POST") == []
    posted = post('[{"number": 5}, 12, "13"]')
    assert posted.exit_code == 0, posted.output
    assert len(fake_github.comments[12]) == 1


def test_public_plan_can_also_save_the_plan(emulator_server, github_env, tmp_path):
    config = write_catalog(
        tmp_path,
        catalog_of("a"),
        "products_dir: products\nenvironments:\n  staging:\n"
        f"    base_url: {emulator_server.base_url}\n"
        f"    public_base_url: {emulator_server.base_url}\n"
        "    client_id_env: S_ID\n    client_secret_env: S_SECRET\n",
    )
    result = _run(
        github_env, "--config", str(config), "github", "public-plan",
        "--env", "staging", "--out", str(tmp_path / "plan.json"),
        "--markdown-out", str(tmp_path / "plan.md"),
    )  # fmt: skip
    assert result.exit_code == 0, (result.output, result.exception)
    saved = json.loads((tmp_path / "plan.json").read_text())
    assert saved["format_version"]
    assert [c["product_id"] for c in saved["changes"]] == ["a"]
    assert "Preview from the public PRD endpoint" in (tmp_path / "plan.md").read_text()
