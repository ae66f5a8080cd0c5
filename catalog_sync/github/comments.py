"""One sticky pull-request comment per environment: found by a hidden marker (and the
workflow's own authorship) and edited in place on every push, never a new comment per
push."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from catalog_sync.errors import GitHubError
from catalog_sync.github.client import GitHubClient
from catalog_sync.github.summary import fit_chars
from catalog_sync.types import JSONObject

# GitHub rejects comment and issue bodies over 65,536 characters; keep room for the marker.
COMMENT_LIMIT_CHARS = 65_000
_MARKER_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_ANY_MARKER = re.compile(r"<!--\s*catalog-sync:", re.IGNORECASE)

CommentAction = Literal["created", "updated", "unchanged"]


@dataclass(frozen=True, slots=True)
class CommentResult:
    """What `upsert_comment` did, and the comment it left."""

    action: CommentAction
    comment_id: int
    url: str


def marker(kind: str, environment: str) -> str:
    """The hidden HTML marker by which the tool finds its own comment or issue again:
    `<!-- catalog-sync:<kind>:<environment> -->`."""
    return f"<!-- catalog-sync:{kind}:{check_marker_name(environment)} -->"


def plan_marker(environment: str) -> str:
    """The hidden marker of the plan comment for `environment`."""
    return marker("plan", environment)


def apply_marker(environment: str) -> str:
    """The hidden marker of the apply report for `environment` on a merged PR."""
    return marker("apply", environment)


def check_marker_name(name: str) -> str:
    """`name` if it is safe inside a marker, else a GitHubError."""
    if not _MARKER_NAME.fullmatch(name):
        raise GitHubError(
            f"environment name {name!r} cannot be used in a comment marker",
            hint="use letters, digits, '.', '_' or '-' (at most 64)",
        )
    return name


def compose_body(body: str, marker: str) -> str:
    """The comment text: marker first, then `body` within GitHub's size limit.

    Markers inside `body` are defused so that no body can impersonate another comment.
    """
    safe = _ANY_MARKER.sub("<!-- (catalog-sync marker removed):", body)
    fitted = fit_chars(safe, COMMENT_LIMIT_CHARS, unit="65,536-character comment")
    return f"{marker}\n{fitted}"


def find_comment(
    client: GitHubClient, *, issue_number: int, marker: str
) -> JSONObject | None:
    """The first comment on the issue or pull request whose body starts with `marker`
    and that the client's own identity wrote: a copy of the marker in anyone else's
    comment is ignored, so nobody can have the plan edited into their comment."""
    path = client.repo_path(f"/issues/{issue_number}/comments")
    for comment in client.iter_pages(path):
        if str(comment.get("body") or "").startswith(marker) and client.author.wrote(
            comment
        ):
            return comment
    return None


def upsert_comment(
    client: GitHubClient, *, issue_number: int, body: str, marker: str
) -> CommentResult:
    """Create the marked comment, or edit it in place when it exists."""
    text = compose_body(body, marker)
    existing = find_comment(client, issue_number=issue_number, marker=marker)
    if existing is None:
        path = client.repo_path(f"/issues/{issue_number}/comments")
        created = client.send_json("POST", path, {"body": text})
        return _result("created", created)
    if existing.get("body") == text:
        return _result("unchanged", existing)
    path = client.repo_path(f"/issues/comments/{existing['id']}")
    updated = client.send_json("PATCH", path, {"body": text})
    return _result("updated", updated)


def pull_requests_for_commit(client: GitHubClient, sha: str) -> tuple[int, ...]:
    """Numbers of the merged pull requests that `sha` belongs to (newest first)."""
    if not re.match(r"^[0-9a-f]{40}$", sha):
        raise GitHubError(f"{sha!r} is not a full commit SHA")
    path = client.repo_path(f"/commits/{sha}/pulls")
    pulls = [pull for pull in client.iter_pages(path) if pull.get("merged_at")]
    pulls.sort(key=lambda pull: str(pull.get("merged_at")), reverse=True)
    return tuple(int(pull["number"]) for pull in pulls)


def _result(action: CommentAction, comment: JSONObject) -> CommentResult:
    try:
        return CommentResult(
            action, int(comment["id"]), str(comment.get("html_url", ""))
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise GitHubError("GitHub API: a comment without an id was returned") from exc
