"""Where the apply workflow records what it applied: one GitHub deployment per successful
apply (task `catalog-sync-apply`, in the environment's name, with a `success` status),
and the head-of-branch check that keeps an older run from applying after a newer one.

GitHub also creates deployments for every job that names an environment, but those
succeed when a job merely skips; ours exist only for an apply that succeeded.
"""

from __future__ import annotations

import re

from catalog_sync.errors import GitHubError
from catalog_sync.github.client import GitHubClient

APPLY_TASK = "catalog-sync-apply"
MAX_DEPLOYMENTS_READ = 50
_SHA = re.compile(r"^[0-9a-f]{40}$")


def check_sha(sha: str) -> str:
    """`sha` if it is a full lower-case commit SHA, else a GitHubError."""
    if not _SHA.fullmatch(sha):
        raise GitHubError(f"{sha!r} is not a full commit SHA")
    return sha


def branch_head(client: GitHubClient, branch: str) -> str:
    """The commit at the head of `branch`, as GitHub sees it now."""
    answer = client.get_json(client.repo_path(f"/branches/{branch}"))
    commit = answer.get("commit") if isinstance(answer, dict) else None
    sha = commit.get("sha") if isinstance(commit, dict) else None
    if not isinstance(sha, str):
        raise GitHubError(f"GitHub API: branch {branch!r} has no head commit")
    return check_sha(sha)


def last_applied_commit(client: GitHubClient, environment: str) -> str | None:
    """The commit of the newest `catalog-sync-apply` deployment of `environment` whose
    latest status is `success`, or None when there is none (the first apply)."""
    path = client.repo_path("/deployments")
    params: dict[str, str | int] = {"environment": environment, "task": APPLY_TASK}
    for read, deployment in enumerate(client.iter_pages(path, params=params)):
        if read >= MAX_DEPLOYMENTS_READ:
            break
        statuses = client.get_json(
            client.repo_path(f"/deployments/{int(deployment['id'])}/statuses"),
            params={"per_page": 1},
        )
        latest = statuses[0] if isinstance(statuses, list) and statuses else {}
        if isinstance(latest, dict) and latest.get("state") == "success":
            return check_sha(str(deployment.get("sha")))
    return None


def record_applied(
    client: GitHubClient,
    *,
    environment: str,
    sha: str,
    digest: str,
    run_url: str | None,
) -> int:
    """Record that `sha` was applied to `environment` (with the plan's change-set
    digest); returns the deployment's id."""
    created = client.send_json(
        "POST",
        client.repo_path("/deployments"),
        {
            "ref": check_sha(sha),
            "task": APPLY_TASK,
            "environment": environment,
            "auto_merge": False,
            "required_contexts": [],
            "payload": {"change_set_digest": digest},
            "description": f"catalog-sync applied {digest}"[:140],
        },
    )
    deployment_id = created.get("id")
    if not isinstance(deployment_id, int):
        raise GitHubError("GitHub API: the deployment was not created (no id)")
    status: dict[str, object] = {"state": "success", "description": "applied"}
    if run_url:
        status["log_url"] = run_url
    client.send_json(
        "POST", client.repo_path(f"/deployments/{deployment_id}/statuses"), status
    )
    return deployment_id
