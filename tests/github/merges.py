"""Seed the fake GitHub with what the apply workflow reads: merged pull requests on main,
plan-workflow runs and their `plan-<env>` artifacts (zipped as GitHub serves them)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from tests.github.fake_github import REPO
from tests.github.fake_github import State


def sha(number: int) -> str:
    return f"{number:040x}"


def push(state: State, commit: str) -> str:
    """A commit lands on main (without a pull request, unless one is added for it)."""
    state.history.append(commit)
    state.branches["main"] = commit
    return commit


def merge_pull(
    state: State, number: int, *, head: str, merge: str, repo: str = REPO
) -> None:
    """Pull request `number` (head commit `head`) merged into main as commit `merge`."""
    state.pulls[number] = {
        "number": number,
        "state": "closed",
        "merged_at": f"2026-07-01T00:00:{number % 60:02}Z",
        "base": {"ref": "main"},
        "head": {"sha": head, "repo": {"full_name": repo}},
    }
    state.commit_pulls[merge] = [number]
    push(state, merge)


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def add_plan_artifact(
    state: State,
    *,
    pull: int,
    head: str,
    environment: str,
    plan_text: str | None = None,
    files: dict[str, bytes] | None = None,
    **run_fields: Any,
) -> dict[str, Any]:
    """A plan-workflow run for `head` with its `plan-<environment>` artifact; run_fields
    override the run (event, path, head_repository, pull_requests), `size_in_bytes`
    and `expired` the artifact."""
    size = run_fields.pop("size_in_bytes", None)
    expired = run_fields.pop("expired", False)
    run_id = 9000 + len(state.runs)
    run = {
        "id": run_id,
        "event": "pull_request",
        "path": ".github/workflows/plan.yml",
        "head_sha": head,
        "head_repository": {"full_name": REPO},
        "pull_requests": [{"number": pull}],
        "created_at": f"2026-07-01T00:{len(state.runs):02}:00Z",
        **run_fields,
    }
    state.runs.append(run)
    content = files or {
        f"plan-{environment}.json": (plan_text or "").encode(),
        "plan.md": b"### plan\n",
    }
    data = zipped(content)
    artifact_id = 700 + len(state.artifacts)
    meta = {
        "id": artifact_id,
        "name": f"plan-{environment}",
        "size_in_bytes": len(data) if size is None else size,
        "expired": expired,
        "workflow_run": {"id": run_id, "head_sha": head},
    }
    state.artifacts[artifact_id] = (meta, data)
    return meta
