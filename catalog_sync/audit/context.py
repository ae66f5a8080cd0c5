"""Who applied, and from where: read from the GitHub Actions variables when they are set,
else the local user and the checkout's commit. Only names, URLs and numbers are read;
no token variable is ever looked at."""

from __future__ import annotations

import getpass
import json
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PULL_REQUEST_ENV = "CATALOG_SYNC_PULL_REQUEST"
"""Set it to the pull request's number when a workflow knows it (GITHUB_REF and the
event payload give it only for pull_request events)."""


def who(environ: Mapping[str, str]) -> dict[str, Any]:
    """`{"actor", "source"}`: GITHUB_ACTOR in Actions, else the local user name."""
    actor = environ.get("GITHUB_ACTOR")
    if actor:
        return {"actor": actor, "source": "GITHUB_ACTOR"}
    try:
        name = getpass.getuser()
    except (OSError, KeyError):  # no USER/LOGNAME and no passwd entry (containers)
        name = "unknown"
    return {"actor": name, "source": "local user"}


def where(environ: Mapping[str, str], root: Path) -> dict[str, Any]:
    """`{"repository", "commit", "ref", "pull_request", "run_url", "workflow"}`, each
    None when unknown."""
    server = environ.get("GITHUB_SERVER_URL") or "https://github.com"
    repository = environ.get("GITHUB_REPOSITORY") or None
    run_id = environ.get("GITHUB_RUN_ID")
    run_url = None
    if repository and run_id:
        run_url = f"{server}/{repository}/actions/runs/{run_id}"
        attempt = environ.get("GITHUB_RUN_ATTEMPT")
        if attempt and attempt != "1":
            run_url += f"/attempts/{attempt}"
    return {
        "repository": repository,
        "commit": environ.get("GITHUB_SHA") or _local_commit(root),
        "ref": environ.get("GITHUB_REF") or None,
        "pull_request": pull_request_number(environ),
        "run_url": run_url,
        "workflow": environ.get("GITHUB_WORKFLOW") or None,
    }


def pull_request_number(environ: Mapping[str, str]) -> int | None:
    """From CATALOG_SYNC_PULL_REQUEST, `refs/pull/N/...`, or the pull_request event."""
    explicit = environ.get(PULL_REQUEST_ENV, "")
    if explicit.isascii() and explicit.isdigit():
        return int(explicit)
    match = re.fullmatch(r"refs/pull/(\d+)/\w+", environ.get("GITHUB_REF", ""))
    if match:
        return int(match.group(1))
    event_path = environ.get("GITHUB_EVENT_PATH")
    if not event_path:
        return None
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    pull = event.get("pull_request") if isinstance(event, dict) else None
    number = pull.get("number") if isinstance(pull, dict) else None
    return number if isinstance(number, int) and not isinstance(number, bool) else None


def _local_commit(root: Path) -> str | None:
    """HEAD of the checkout holding the catalog, if git can tell."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    text = done.stdout.strip()
    return (
        text
        if done.returncode == 0 and re.fullmatch(r"[0-9a-f]{40,64}", text)
        else None
    )
