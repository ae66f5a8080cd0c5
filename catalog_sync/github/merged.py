"""Which pull requests reached a branch since the commit last applied: every commit between
the two (GitHub's compare), and the merged pull request each belongs to. Commits that
belong to none were pushed without a pull request."""

from __future__ import annotations

from dataclasses import dataclass

from catalog_sync.errors import GitHubError
from catalog_sync.github.client import GitHubClient
from catalog_sync.github.deployments import check_sha
from catalog_sync.types import JSONObject

MAX_COMMITS = 500
MAX_PULLS = 50
_PAGE = 100


@dataclass(frozen=True, slots=True)
class MergedPull:
    """A merged pull request: its number, its last head commit and where that lives."""

    number: int
    head_sha: str
    head_repository: str


@dataclass(frozen=True, slots=True)
class MergedSince:
    """What reached the branch after `base` (None: nothing was recorded yet, so only the
    head commit counts), up to `head`."""

    base: str | None
    head: str
    pulls: tuple[MergedPull, ...]
    direct_commits: tuple[str, ...]


def merged_since(
    client: GitHubClient, *, base: str | None, head: str, branch: str
) -> MergedSince:
    """The merged pull requests (into `branch`) and the commits without one, between
    `base` (exclusive) and `head` (inclusive), oldest first."""
    commits = _commits_between(client, base, head) if base else [check_sha(head)]
    pulls: dict[int, MergedPull] = {}
    direct: list[str] = []
    for sha in commits:
        found = _merged_pulls(client, sha, branch)
        if not found:
            direct.append(sha)
        for pull in found:
            pulls.setdefault(pull.number, pull)
        if len(pulls) > MAX_PULLS:
            raise GitHubError(
                f"more than {MAX_PULLS} pull requests were merged since the last apply",
                hint="apply through the workflow_dispatch escape hatch (plan_digest)",
            )
    return MergedSince(base, head, tuple(pulls.values()), tuple(direct))


def _commits_between(client: GitHubClient, base: str, head: str) -> list[str]:
    path = client.repo_path(f"/compare/{check_sha(base)}...{check_sha(head)}")
    commits: list[str] = []
    page = 1
    while True:
        answer = client.get_json(path, params={"per_page": _PAGE, "page": page})
        if not isinstance(answer, dict) or not isinstance(answer.get("commits"), list):
            raise GitHubError(f"GitHub API: GET {path} answered no commit list")
        chunk = [str(item.get("sha")) for item in answer["commits"]]
        commits += [check_sha(sha) for sha in chunk]
        total = answer.get("total_commits")
        if len(commits) > MAX_COMMITS:
            raise GitHubError(
                f"more than {MAX_COMMITS} commits since the last apply ({base[:12]})",
                hint="apply through the workflow_dispatch escape hatch (plan_digest)",
            )
        if not chunk or not isinstance(total, int) or len(commits) >= total:
            return commits
        page += 1


def _merged_pulls(client: GitHubClient, sha: str, branch: str) -> list[MergedPull]:
    path = client.repo_path(f"/commits/{sha}/pulls")
    return [
        _pull(item)
        for item in client.iter_pages(path)
        if item.get("merged_at") and _base_ref(item) == branch
    ]


def _base_ref(pull: JSONObject) -> object:
    base = pull.get("base")
    return base.get("ref") if isinstance(base, dict) else None


def _pull(item: JSONObject) -> MergedPull:
    head = item.get("head")
    repo = head.get("repo") if isinstance(head, dict) else None
    try:
        return MergedPull(
            number=int(item["number"]),
            head_sha=check_sha(str(head["sha"] if isinstance(head, dict) else "")),
            head_repository=str(repo.get("full_name"))
            if isinstance(repo, dict)
            else "",
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise GitHubError("GitHub API: a pull request without number or head") from exc
