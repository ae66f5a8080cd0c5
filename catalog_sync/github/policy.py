"""Policy gates in GitHub: the `catalog-sync/policy/<env>` commit status (a required check
can block the merge of a blocked plan), the `impact: …` label on the pull request, and
the override on merge: a `policy-override` label counts only when someone with write
access added it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

from catalog_sync.cds.impact import Impact
from catalog_sync.errors import GitHubError
from catalog_sync.github.client import GitHubClient
from catalog_sync.github.comments import check_marker_name
from catalog_sync.plan.policy import PolicyVerdict

StatusState = Literal["success", "failure", "pending"]
IMPACT_LABEL_PREFIX = "impact: "
WRITE_PERMISSIONS = frozenset({"admin", "maintain", "write"})
_DESCRIPTION = 140  # GitHub's limit for a status description
_SHA = re.compile(r"^[0-9a-f]{40}$")


def status_context(environment: str) -> str:
    """`catalog-sync/policy/production`: one status per environment, so the legs of
    the plan matrix never overwrite each other's verdict."""
    return f"catalog-sync/policy/{check_marker_name(environment)}"


def status_of(verdict: PolicyVerdict) -> tuple[StatusState, str]:
    """The commit status and its description for a policy verdict."""
    if verdict.blocked:
        blocking = [r for r in verdict.rules if r.outcome == "block"]
        text = "Blocked: " + "; ".join(f"{r.rule}: {r.summary}" for r in blocking)
        return "failure", _cut(text)
    if verdict.outcome == "warn":
        warned = [r.summary for r in verdict.rules if r.outcome == "warn"]
        return "success", _cut("Passes with warnings: " + "; ".join(warned))
    return "success", "Passes every policy rule"


def set_policy_status(
    client: GitHubClient,
    *,
    sha: str,
    environment: str,
    state: StatusState,
    description: str,
    target_url: str | None = None,
) -> None:
    """Create the commit status on `sha` (statuses: write)."""
    if not _SHA.fullmatch(sha):
        raise GitHubError(f"{sha!r} is not a full commit SHA")
    body: dict[str, str] = {
        "state": state,
        "context": status_context(environment),
        "description": _cut(description),
    }
    if target_url:
        body["target_url"] = target_url
    client.send_json("POST", client.repo_path(f"/statuses/{sha}"), body)


def impact_label(impact: Impact) -> str:
    return IMPACT_LABEL_PREFIX + impact


def set_impact_label(client: GitHubClient, *, number: int, impact: Impact) -> None:
    """Leave exactly one `impact: …` label on the pull request: this plan's class."""
    wanted = impact_label(impact)
    current = _label_names(client, number)
    stale = [
        name
        for name in current
        if name.startswith(IMPACT_LABEL_PREFIX) and name != wanted
    ]
    for name in stale:
        path = client.repo_path(f"/issues/{number}/labels/{quote(name, safe='')}")
        client.request("DELETE", path)
    if wanted not in current:
        path = client.repo_path(f"/issues/{number}/labels")
        client.request("POST", path, json_body={"labels": [wanted]})


@dataclass(frozen=True, slots=True)
class Override:
    """An accepted override: `reason` goes to `apply --override-policy`."""

    reason: str


def find_override(
    client: GitHubClient, *, number: int, label: str
) -> tuple[Override | None, str]:
    """The override carried by `label` on pull request `number`, if the last person to
    add it has write access; the second value says what was decided, for the log."""
    if label not in _label_names(client, number):
        return None, f"#{number} has no {label!r} label"
    actor = _last_labeler(client, number, label)
    if actor is None:
        return None, f"#{number}: no record of who added {label!r}; not an override"
    permission = _permission(client, actor)
    if permission not in WRITE_PERMISSIONS:
        return None, (
            f"#{number}: {label!r} was added by {actor}, who has {permission} access, "
            "not write; ignored"
        )
    return Override(f"label {label} by {actor} on #{number}"), (
        f"#{number}: {label!r} added by {actor} ({permission} access): policy overridden"
    )


def one_line(text: str, limit: int = 300) -> str:
    """Untrusted text (a dispatch input) as one line for $GITHUB_OUTPUT and a log."""
    return " ".join(text.split())[:limit]


def _label_names(client: GitHubClient, number: int) -> list[str]:
    issue = client.get_json(client.repo_path(f"/issues/{number}"))
    labels = issue.get("labels") if isinstance(issue, dict) else None
    return [
        str(item.get("name"))
        for item in labels or ()
        if isinstance(item, dict) and item.get("name")
    ]


def _last_labeler(client: GitHubClient, number: int, label: str) -> str | None:
    actor = None
    for event in client.iter_pages(client.repo_path(f"/issues/{number}/events")):
        named = event.get("label")
        if (
            event.get("event") == "labeled"
            and isinstance(named, dict)
            and named.get("name") == label
            and isinstance(event.get("actor"), dict)
        ):
            actor = str(event["actor"].get("login") or "") or None
    return actor


def _permission(client: GitHubClient, login: str) -> str:
    path = client.repo_path(f"/collaborators/{quote(login, safe='')}/permission")
    try:
        answer = client.get_json(path)
    except GitHubError:
        return "no"  # not a collaborator: GitHub answers 404
    permission = answer.get("permission") if isinstance(answer, dict) else None
    return str(permission) if permission else "no"


def _cut(text: str) -> str:
    line = one_line(text, limit=10_000)
    return line if len(line) <= _DESCRIPTION else line[: _DESCRIPTION - 1] + "…"
