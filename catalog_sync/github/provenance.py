"""Where a fork's artifact came from, checked against GitHub rather than the artifact:
its pull request is open and its head is the commit the workflow run built."""

from __future__ import annotations

import re
from collections.abc import Sequence

from catalog_sync.errors import GitHubError
from catalog_sync.github.artifact import CommentPayload
from catalog_sync.github.client import GitHubClient

_HEX40 = re.compile(r"^[0-9a-f]{40}$")


def verify_pull_request(
    client: GitHubClient,
    payload: CommentPayload,
    *,
    run_head_sha: str,
    run_pull_requests: Sequence[int],
) -> None:
    """Refuse unless the payload's pull request is open and its head is the commit the
    workflow run built (both facts come from GitHub, not from the artifact)."""
    if not _HEX40.fullmatch(run_head_sha):
        raise GitHubError("the workflow_run head SHA is missing or malformed")
    if payload.head_sha != run_head_sha:
        raise GitHubError("the artifact names a different commit than the workflow run")
    if run_pull_requests and payload.pull_request not in run_pull_requests:
        raise GitHubError(
            f"the artifact names pull request #{payload.pull_request}, "
            "which is not the workflow run's"
        )
    pull = client.get_json(client.repo_path(f"/pulls/{payload.pull_request}"))
    head = pull.get("head") if isinstance(pull, dict) else None
    if not isinstance(head, dict) or head.get("sha") != run_head_sha:
        raise GitHubError(
            f"pull request #{payload.pull_request}'s head is not the workflow run's commit",
            hint="a newer push supersedes this run; its own run will comment",
        )
    if pull.get("state") != "open":
        raise GitHubError(f"pull request #{payload.pull_request} is not open")
