"""A fork's artifact may only speak for environments the default branch configures, and
only for an integer pull request (issue 15, item 9)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from catalog_sync.cli import cli
from catalog_sync.errors import GitHubError
from catalog_sync.github.artifact import build_payload
from catalog_sync.github.artifact import read_payloads

SHA = "ab" * 20
CONFIG = (
    "environments:\n"
    "  staging:\n    base_url: https://api.example.test\n"
    "    client_id_env: S_ID\n    client_secret_env: S_SECRET\n"
)


def _write(folder: Path, **changes: Any) -> None:
    payload = build_payload(
        pull_request=12, head_sha=SHA, environment="staging", body="### plan"
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
