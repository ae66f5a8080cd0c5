"""Read the plan-comment artifact of a fork's pull-request run as untrusted data:
regular files only, size-capped, JSON-schema checked, and tied to the pull request
that GitHub (not the artifact) says the run belongs to. Nothing in it is executed.

The payload carries the fork's preview plan as plan-file JSON, never Markdown: the
trusted side reads it with the plan-file reader, neutralises every string in it
(`untrusted.neutralise_plan`) and renders the comment itself."""

from __future__ import annotations

import json
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from typing import Literal

import jsonschema

from catalog_sync.cds.impact import Impact
from catalog_sync.errors import GitHubError
from catalog_sync.errors import PlanFormatError
from catalog_sync.github.untrusted import neutralise_plan
from catalog_sync.plan.plan import Plan
from catalog_sync.plan.planfile import plan_from_json

PAYLOAD_FILE = "comment.json"
PAYLOAD_FORMAT_VERSION = 2
MAX_PAYLOAD_BYTES = 8 * 1024 * 1024
MAX_FILES = 16
MAX_ARTIFACT_BYTES = 32 * 1024 * 1024

Preview = Literal["plan", "validation-only", "too-large"]
_UPGRADE = (
    "the pull request's run must use a catalog-sync that writes payload format "
    f"{PAYLOAD_FORMAT_VERSION}: update the pull request from the default branch and push"
)

PAYLOAD_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "catalog-sync plan-comment payload",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "format_version",
        "pull_request",
        "head_sha",
        "environment",
        "preview",
        "plan",
    ],
    "properties": {
        # 1: written before the policy verdict was added; it simply has no `policy`.
        "format_version": {"enum": [1, PAYLOAD_FORMAT_VERSION]},
        "pull_request": {"type": "integer", "minimum": 1, "maximum": 2**31},
        "head_sha": {"type": "string", "pattern": "^[0-9a-f]{40}$"},
        "environment": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,64}$"},
        "preview": {"enum": ["plan", "validation-only", "too-large"]},
        "plan": {"type": ["string", "null"], "maxLength": MAX_PAYLOAD_BYTES},
        "policy": {
            "type": "object",
            "additionalProperties": False,
            "required": ["state", "description", "impact"],
            "properties": {
                "state": {"enum": ["success", "failure"]},
                "description": {"type": "string", "maxLength": 140},
                "impact": {"enum": ["adverse", "review", "favourable", "neutral"]},
            },
        },
    },
    # The plan file's text exactly when the preview is a plan.
    "if": {"properties": {"preview": {"const": "plan"}}},
    "then": {"properties": {"plan": {"type": "string"}}},
    "else": {"properties": {"plan": {"type": "null"}}},
}


@dataclass(frozen=True, slots=True)
class CommentPayload:
    """One environment's preview, as written by the unprivileged run: `plan` is the
    plan file's text when `preview` is "plan", else None."""

    pull_request: int
    head_sha: str
    environment: str
    preview: Preview
    plan: str | None = None
    policy: PayloadPolicy | None = None


@dataclass(frozen=True, slots=True)
class PayloadPolicy:
    """The fork run's policy verdict: computed by the pull request's own code, so the
    status it becomes says so; `apply` re-checks the policy on merge regardless."""

    state: Literal["success", "failure"]
    description: str
    impact: Impact


def build_payload(
    *,
    pull_request: int,
    head_sha: str,
    environment: str,
    plan: str | None,
    too_large: bool = False,
    policy: PayloadPolicy | None = None,
) -> dict[str, Any]:
    """The JSON object the unprivileged run uploads; checked against the schema. No
    plan means validation only; a plan that is `too_large`, or whose payload would
    exceed the cap, is left out and the payload says "too-large"."""
    payload: dict[str, Any] = {
        "format_version": PAYLOAD_FORMAT_VERSION,
        "pull_request": pull_request,
        "head_sha": head_sha,
        "environment": environment,
        "preview": "validation-only" if plan is None else "plan",
        "plan": plan,
    }
    if policy is not None:
        payload["policy"] = {
            "state": policy.state,
            "description": policy.description,
            "impact": policy.impact,
        }
    if too_large or len(payload_text(payload).encode("utf-8")) > MAX_PAYLOAD_BYTES:
        payload.update(preview="too-large", plan=None)
    _check_schema(payload, "the payload being written")
    return payload


def payload_text(payload: dict[str, Any]) -> str:
    """The payload file's text."""
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def read_payloads(directory: Path) -> tuple[CommentPayload, ...]:
    """Every `comment.json` under the downloaded artifact folder, validated."""
    files = _payload_files(directory)
    if not files:
        raise GitHubError(
            f"no {PAYLOAD_FILE} found under {directory}",
            hint="the pull-request run uploads it as the plan-comment-* artifact",
        )
    payloads = tuple(read_payload(path) for path in files)
    if len({(p.pull_request, p.head_sha) for p in payloads}) != 1:
        raise GitHubError("the artifact's payloads disagree on pull request or commit")
    if len({p.environment for p in payloads}) != len(payloads):
        raise GitHubError("the artifact holds two payloads for one environment")
    return payloads


def check_environments(
    payloads: Sequence[CommentPayload], configured: Sequence[str]
) -> None:
    """Refuse payloads for environments the trusted (default-branch) catalog-sync.yaml
    does not configure: a fork must not create comments under names it invents."""
    for payload in payloads:
        if payload.environment not in configured:
            raise GitHubError(
                f"the artifact names environment {payload.environment!r}, which the "
                "default branch's catalog-sync.yaml does not configure; nothing was "
                "posted",
                hint=f"configured: {', '.join(configured) or 'none'}",
            )


def read_payload(path: Path) -> CommentPayload:
    """One payload file: a regular file under the size cap, valid JSON, valid schema."""
    data = _read_capped(path, MAX_PAYLOAD_BYTES)
    try:
        decoded = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise GitHubError(
            f"{path.name}: not UTF-8 JSON ({type(exc).__name__})"
        ) from exc
    _check_version(decoded, path.name)
    _check_schema(decoded, path.name)
    if type(decoded["pull_request"]) is not int:  # JSON Schema's integer allows 5.0
        raise GitHubError(f"{path.name}: pull_request must be a JSON integer")
    raw_policy = decoded.get("policy")
    return CommentPayload(
        pull_request=decoded["pull_request"],
        head_sha=decoded["head_sha"],
        environment=decoded["environment"],
        preview=decoded["preview"],
        plan=decoded["plan"],
        policy=None if raw_policy is None else PayloadPolicy(**raw_policy),
    )


def preview_plan(payload: CommentPayload) -> Plan | None:
    """The payload's plan, read by the plan-file reader (format, checksum, every field
    typed) and with every string neutralised; None when the preview is not a plan.
    GitHubError if it cannot be read or is another environment's."""
    if payload.plan is None:
        return None
    try:
        plan = plan_from_json(payload.plan)
    except PlanFormatError as exc:
        raise GitHubError(
            f"the {payload.environment} preview plan in the artifact cannot be used: "
            f"{_one_line(exc.message)}; nothing was posted",
            hint=_UPGRADE,
        ) from exc
    if plan.environment != payload.environment:
        raise GitHubError(
            f"the {payload.environment} payload carries a plan of another environment; "
            "nothing was posted"
        )
    return neutralise_plan(plan)


def _payload_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise GitHubError(f"artifact folder {directory} does not exist")
    found: list[Path] = []
    total = 0
    for path in sorted(directory.rglob("*")):
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            raise GitHubError(f"artifact contains a symbolic link: {path.name}")
        total += info.st_size
        if total > MAX_ARTIFACT_BYTES:
            raise GitHubError(f"artifact is larger than {MAX_ARTIFACT_BYTES} bytes")
        if path.name == PAYLOAD_FILE:
            found.append(path)
        if len(found) > MAX_FILES:
            raise GitHubError(f"artifact holds more than {MAX_FILES} payloads")
    return found


def _read_capped(path: Path, cap: int) -> bytes:
    info = path.lstat()
    if not stat.S_ISREG(info.st_mode):
        raise GitHubError(f"{path.name}: not a regular file")
    with path.open("rb") as handle:
        data = handle.read(cap + 1)
    if len(data) > cap:
        raise GitHubError(f"{path.name}: larger than the {cap}-byte cap")
    return data


def _check_version(document: Any, label: str) -> None:
    version = document.get("format_version") if isinstance(document, dict) else None
    if type(version) is int and version == PAYLOAD_FORMAT_VERSION:
        return
    if type(version) is int and version == 1:
        raise GitHubError(
            f"{label}: payload format_version 1 carries Markdown written by the pull "
            "request's own code, which is no longer posted; nothing was posted",
            hint=_UPGRADE,
        )
    raise GitHubError(
        f"{label}: not a plan-comment payload of format_version "
        f"{PAYLOAD_FORMAT_VERSION}; nothing was posted",
        hint=_UPGRADE,
    )


def _check_schema(document: Any, label: str) -> None:
    validator = jsonschema.Draft202012Validator(PAYLOAD_SCHEMA)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        where = "/".join(str(part) for part in first.path) or "(root)"
        raise GitHubError(
            f"{label}: does not match the plan-comment schema at {where}: "
            f"{_one_line(first.message)}"
        )


def _one_line(text: str) -> str:
    """Untrusted text made safe for a log line: no newlines, so no workflow commands."""
    return " ".join(text.split())[:200]
