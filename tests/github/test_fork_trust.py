"""A fork's artifact may only speak for environments the default branch configures, only
for an integer pull request, and only as plan data that the trusted side neutralises and
renders itself (issue 15, item 9)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from catalog_sync.cli import cli
from catalog_sync.errors import GitHubError
from catalog_sync.github.artifact import MAX_PAYLOAD_BYTES
from catalog_sync.github.artifact import build_payload
from catalog_sync.github.artifact import read_payloads
from catalog_sync.plan.diff import FieldChange
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from catalog_sync.plan.plan import Plan
from catalog_sync.plan.planfile import plan_to_document
from catalog_sync.plan.planfile import seal
from tests.github.hostile import HOSTILE
from tests.github.hostile import MORE_HOSTILE
from tests.github.hostile import assert_harmless

SHA = "ab" * 20
CONFIG = (
    "environments:\n"
    "  staging:\n    base_url: https://api.example.test\n"
    "    client_id_env: S_ID\n    client_secret_env: S_SECRET\n"
)


def _write(folder: Path, **changes: Any) -> None:
    payload = build_payload(
        pull_request=12, head_sha=SHA, environment="staging", plan=None
    )
    payload.update(changes)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "comment.json").write_text(json.dumps(payload))


def test_a_float_pull_request_number_is_refused(tmp_path):
    _write(tmp_path, pull_request=12.0)
    with pytest.raises(GitHubError, match="pull_request must be a JSON integer"):
        read_payloads(tmp_path)


def test_two_payloads_for_one_environment_are_refused(tmp_path):
    _write(tmp_path / "a")
    _write(tmp_path / "b")
    with pytest.raises(GitHubError, match="two payloads for one environment"):
        read_payloads(tmp_path)


@pytest.mark.parametrize("names", [["evil"], ["staging", "local"], ["production"]])
def test_only_environments_of_the_trusted_config_are_posted(
    fake_github, github_env, tmp_path, names
):
    fake_github.pulls[12] = {"number": 12, "state": "open", "head": {"sha": SHA}}
    fake_github.add_issue(number=12)
    config = tmp_path / "catalog-sync.yaml"
    config.write_text(CONFIG)
    artifact = tmp_path / "artifact"
    for name in names:
        _write(artifact / name, environment=name)
    result = CliRunner().invoke(
        cli,
        [
            "--config", str(config), "github", "post-artifact-comment",
            "--artifact-dir", str(artifact), "--run-head-sha", SHA,
        ],
        env=github_env,
    )  # fmt: skip
    assert isinstance(result.exception, GitHubError)
    assert "does not configure; nothing was posted" in str(result.exception)
    assert "configured: staging" in str(result.exception)
    assert fake_github.ledger == []


# The trusted side renders the comment from the artifact's plan data (issue 15, item 9).


def _hostile_plan_text(environment: str = "staging") -> str:
    """A plan file an attacker crafted in the fork's run: properly sealed, with hostile
    text in every string a renderer could show."""
    text = HOSTILE + MORE_HOSTILE
    field = FieldChange(
        path="name", label=text, subject=text, field="name", kind="changed",
        before=text, after=text, unit=None,
    )  # fmt: skip
    changes = (
        Change(
            action=Action.CREATE, product_id=text, brand=text, category=text,
            name=text, file=text, before=None, after={"name": text, text: [text]},
        ),
        Change(
            action=Action.UPDATE, product_id="p" + text, brand=text, category=text,
            name=text, file=text, before={"name": "x"}, after={"name": text},
            field_changes=(field,), live_fingerprint=text,
        ),
        Change(
            action=Action.DELETE, product_id="q" + text, brand=text, category=None,
            name=text, file=None, before={"name": text}, after=None,
            live_fingerprint=text,
        ),
    )  # fmt: skip
    plan = Plan(
        environment=environment, base_url=text, schema=text, removal="delete",
        desired_digest=text, live_fingerprints={text: text}, changes=changes,
        products_dir=text,
    )  # fmt: skip
    return seal(plan_to_document(plan))


def _post(fake_github, github_env, tmp_path, **changes: Any) -> Any:
    fake_github.pulls[12] = {"number": 12, "state": "open", "head": {"sha": SHA}}
    fake_github.add_issue(number=12)
    config = tmp_path / "catalog-sync.yaml"
    config.write_text(CONFIG)
    artifact = tmp_path / "artifact"
    _write(artifact, **changes)
    return CliRunner().invoke(
        cli,
        [
            "--config", str(config), "github", "post-artifact-comment",
            "--artifact-dir", str(artifact), "--run-head-sha", SHA,
        ],
        env=github_env,
    )  # fmt: skip


def test_a_hostile_plan_is_rendered_harmless_on_the_trusted_side(
    fake_github, github_env, tmp_path
):
    result = _post(
        fake_github, github_env, tmp_path, preview="plan", plan=_hostile_plan_text()
    )
    assert result.exit_code == 0, (result.output, result.exception)
    [comment] = fake_github.comments[12]
    body = comment["body"]
    assert_harmless(body)
    assert "unprivileged run" in body
    assert "Preview from the public PRD endpoint" in body
    assert "<details><summary>" in body  # the normal Markdown plan renderer
    assert "org/team" in body
    assert "add-mask" in body
    assert "1 to create" in body
    assert "1 to delete" in body


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"preview": "plan", "plan": _hostile_plan_text().replace("p@", "P@", 1)},
            "checksum does not match its content",
        ),
        (
            {"preview": "plan", "plan": _hostile_plan_text("production")},
            "carries a plan of another environment",
        ),
        (
            {"preview": "plan", "plan": '{"format_version": 1}'},
            "plan format_version 1 is not supported",
        ),
        (
            {"format_version": 1, "body": HOSTILE, "preview": None, "plan": None},
            "format_version 1 carries Markdown written by the pull request's own code",
        ),
        ({"format_version": 3}, "not a plan-comment payload of format_version 2"),
        ({"preview": "plan", "plan": None}, "schema at plan"),
        ({"preview": "too-large", "plan": "{}"}, "schema at plan"),
    ],
)
def test_a_tampered_or_old_payload_is_refused_and_nothing_is_posted(
    fake_github, github_env, tmp_path, changes, message
):
    payload_changes = {k: v for k, v in changes.items() if v is not None}
    result = _post(fake_github, github_env, tmp_path, **payload_changes)
    assert isinstance(result.exception, GitHubError), result.output
    assert message in str(result.exception)
    assert "nothing was posted" in str(result.exception) or "schema" in message
    assert "\n" not in str(result.exception)
    assert fake_github.ledger == []


def test_a_plan_too_large_for_the_payload_becomes_a_notice(
    fake_github, github_env, tmp_path
):
    plan_file = tmp_path / "plan-staging.json"
    with plan_file.open("wb") as handle:
        handle.truncate(MAX_PAYLOAD_BYTES + 1)  # sparse; never read
    out = tmp_path / "artifact" / "comment.json"
    written = CliRunner().invoke(
        cli,
        [
            "github", "comment-payload", "--env", "staging", "--pr", "12",
            "--head-sha", SHA, "--plan-file", str(plan_file), "--out", str(out),
        ],
        env=github_env,
    )  # fmt: skip
    assert written.exit_code == 0, (written.output, written.exception)
    assert "(too-large)" in written.output
    assert json.loads(out.read_text())["plan"] is None
    huge = build_payload(
        pull_request=12, head_sha=SHA, environment="staging",
        plan="x" * MAX_PAYLOAD_BYTES,
    )  # fmt: skip
    assert huge["preview"] == "too-large"
    result = _post(fake_github, github_env, tmp_path, preview="too-large")
    assert result.exit_code == 0, (result.output, result.exception)
    [comment] = fake_github.comments[12]
    assert "too large to post" in comment["body"]
    assert "preview-plan-staging" in comment["body"]
