"""GitHub API responses as values or errors: a status becomes GitHubError with a hint
for the usual causes, a body becomes JSON, and messages name only the URL's path."""

from __future__ import annotations

import json
from typing import Any

import httpx

from catalog_sync.errors import GitHubError

_HINTS = {
    401: "the token is invalid or expired: the workflow passes GITHUB_TOKEN through env:",
    403: "the workflow token lacks a permission: grant this job the permission it needs "
    "(pull-requests: write for comments, issues: write for the drift issue)",
    404: "check GITHUB_REPOSITORY and the pull request or issue number; GitHub also "
    "answers 404 when the token cannot see the repository",
    410: "the issue or pull request is gone or issues are disabled on the repository",
    422: "GitHub rejected the request body; see the errors it listed",
}


def path_only(path: str) -> str:
    """The path of a URL without host or query, for messages."""
    return httpx.URL(path).path


def raise_for_status(response: httpx.Response, method: str, path: str) -> None:
    status = response.status_code
    if status < 300:
        return
    detail = _error_detail(response)
    where = f"{method} {path_only(path)}"
    message = f"GitHub API: {where} returned {status} {response.reason_phrase}"
    if detail:
        message += f": {detail}"
    raise GitHubError(message, hint=_HINTS.get(status))


def _error_detail(response: httpx.Response) -> str:
    """GitHub's `message` plus each entry of `errors`, as one line."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text.strip()[:200]
    if not isinstance(body, dict):
        return ""
    parts = [str(body.get("message", "")).strip()]
    for error in body.get("errors") or ():
        if isinstance(error, dict):
            text = error.get("message") or " ".join(
                f"{key}={error[key]}"
                for key in ("resource", "field", "code")
                if key in error
            )
            parts.append(str(text))
        else:
            parts.append(str(error))
    return "; ".join(part for part in parts if part)[:500]


def decode_json(response: httpx.Response, method: str, path: str) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GitHubError(
            f"GitHub API: {method} {path_only(path)} answered invalid JSON"
        ) from exc
