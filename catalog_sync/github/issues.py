"""The drift issue: one open issue labelled `drift` per environment, found by a hidden
marker; opened when drift appears, edited while it persists, closed when clean again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from catalog_sync.github.client import GitHubClient
from catalog_sync.github.comments import COMMENT_LIMIT_CHARS
from catalog_sync.github.comments import marker
from catalog_sync.github.summary import fit_chars
from catalog_sync.types import JSONObject

DRIFT_LABEL = "drift"
ISSUE_LIMIT_CHARS = COMMENT_LIMIT_CHARS  # the same 65,536-character cap applies

DriftAction = Literal["opened", "updated", "unchanged", "closed", "none"]


@dataclass(frozen=True, slots=True)
class DriftIssueResult:
    """What `sync_drift_issue` did; `number` is 0 when there was no issue to touch."""

    action: DriftAction
    number: int
    url: str


def drift_marker(environment: str) -> str:
    """The hidden marker of the drift issue for `environment`."""
    return marker("drift", environment)


def drift_title(environment: str) -> str:
    """The issue title; humans search for it, the marker is what the tool matches."""
    return f"Drift: the live {environment} catalog differs from git"


def find_drift_issue(client: GitHubClient, *, environment: str) -> JSONObject | None:
    """The open `drift` issue of `environment`, or None."""
    marker = drift_marker(environment)
    params = {"state": "open", "labels": DRIFT_LABEL}
    for issue in client.iter_pages(client.repo_path("/issues"), params=params):
        # The issues endpoint lists pull requests too; they never carry our marker,
        # but a user could paste it into one.
        if "pull_request" in issue:
            continue
        # Anyone may open an issue with our marker and label; only our own counts.
        if str(issue.get("body") or "").startswith(marker) and client.author.wrote(
            issue
        ):
            return issue
    return None


def sync_drift_issue(
    client: GitHubClient, *, environment: str, drifted: bool, report: str
) -> DriftIssueResult:
    """Open, update or close the drift issue so that it matches the drift result."""
    existing = find_drift_issue(client, environment=environment)
    if drifted:
        body = _issue_body(environment, report)
        if existing is None:
            created = client.send_json(
                "POST",
                client.repo_path("/issues"),
                {
                    "title": drift_title(environment),
                    "body": body,
                    "labels": [DRIFT_LABEL],
                },
            )
            return _result("opened", created)
        if existing.get("body") == body:
            return _result("unchanged", existing)
        path = client.repo_path(f"/issues/{existing['number']}")
        return _result("updated", client.send_json("PATCH", path, {"body": body}))
    if existing is None:
        return DriftIssueResult("none", 0, "")
    number = existing["number"]
    client.send_json(
        "POST",
        client.repo_path(f"/issues/{number}/comments"),
        {"body": _resolved_comment(environment, report)},
    )
    closed = client.send_json(
        "PATCH",
        client.repo_path(f"/issues/{number}"),
        {"state": "closed", "state_reason": "completed"},
    )
    return _result("closed", closed)


def _issue_body(environment: str, report: str) -> str:
    intro = (
        f"The scheduled drift check found that the live **{environment}** catalog no "
        "longer matches `products/` on the default branch. This issue is updated while "
        "the drift persists and closed automatically once the catalog is clean.\n\n"
    )
    text = fit_chars(intro + report, ISSUE_LIMIT_CHARS, unit="65,536-character issue")
    return f"{drift_marker(environment)}\n{text}"


def _resolved_comment(environment: str, report: str) -> str:
    text = f"The live **{environment}** catalog matches git again; closing.\n\n{report}"
    return fit_chars(text, ISSUE_LIMIT_CHARS, unit="65,536-character comment")


def _result(action: DriftAction, issue: JSONObject) -> DriftIssueResult:
    return DriftIssueResult(
        action, int(issue["number"]), str(issue.get("html_url", ""))
    )
