"""The reviewed plan of a merged pull request: the `plan-<env>` artifact that the plan
workflow uploaded for the pull request's last head commit, fetched from the trusted side
(the apply job, through the API) and treated as untrusted data until it is a valid plan
file of this environment and base URL.

Only a run of the plan workflow for a `pull_request` event, from a branch of this
repository, with the pull request's head commit, counts: a fork's run produces only a
preview from the public endpoint, and its artifacts are written by the fork's code.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from catalog_sync.errors import GitHubError
from catalog_sync.errors import PlanFormatError
from catalog_sync.github.client import GitHubClient
from catalog_sync.github.merged import MergedPull
from catalog_sync.plan.digest import change_set_digest
from catalog_sync.plan.planfile import plan_from_json
from catalog_sync.types import JSONObject

PLAN_WORKFLOW_PATH = ".github/workflows/plan.yml"
MAX_ARTIFACT_BYTES = 64 * 1024 * 1024
MAX_PLAN_BYTES = 128 * 1024 * 1024
MAX_MEMBERS = 16
MAX_RUNS = 20

Fetcher = Callable[[str, int], bytes]
"""Downloads a URL (no credentials: it is pre-signed) of at most N bytes."""


@dataclass(frozen=True, slots=True)
class ReviewedPlanFile:
    """A pull request's reviewed plan, written to `path`; or why there is none."""

    pull: MergedPull
    path: Path | None
    digest: str | None = None
    problem: str | None = None


def fetch_reviewed_plan(
    client: GitHubClient,
    pull: MergedPull,
    *,
    environment: str,
    base_url: str,
    out_dir: Path,
    fetch: Fetcher,
) -> ReviewedPlanFile:
    """Find, download and validate the pull request's last plan artifact for
    `environment`, and write it to `out_dir/pr-<n>.json`."""
    if pull.head_repository != client.repository:
        return _missing(
            pull,
            "a pull request from a fork: its preview, planned from the public "
            "endpoint, cannot serve as the reviewed plan",
        )
    artifact = _find_artifact(client, pull, f"plan-{environment}")
    if artifact is None:
        return _missing(
            pull,
            f"no plan-{environment} artifact for its head commit "
            f"{pull.head_sha[:12]} (its plan failed, did not run, or expired)",
        )
    size = artifact.get("size_in_bytes")
    if not isinstance(size, int) or size > MAX_ARTIFACT_BYTES:
        return _missing(pull, f"its plan artifact is over {MAX_ARTIFACT_BYTES} bytes")
    try:
        text = _plan_text(
            _download(client, artifact, fetch), f"plan-{environment}.json"
        )
        plan = plan_from_json(text)
    except (GitHubError, PlanFormatError) as exc:
        return _missing(pull, f"its plan artifact is not a valid plan: {_code(exc)}")
    if (plan.environment, plan.base_url) != (environment, base_url):
        return _missing(
            pull,
            f"its plan artifact was made for another environment or base URL, not "
            f"{environment} at {base_url}",
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"pr-{pull.number}.json"
    path.write_text(text, encoding="utf-8")
    return ReviewedPlanFile(pull, path, change_set_digest(plan))


def _code(error: Exception) -> str:
    """An error that may quote the artifact, as one Markdown code span: no mention,
    link, HTML or workflow command in it is live."""
    text = " ".join(str(error).replace("`", "'").split())[:300]
    return f"`{text}`"


def _missing(pull: MergedPull, problem: str) -> ReviewedPlanFile:
    return ReviewedPlanFile(pull, None, problem=problem)


def _find_artifact(
    client: GitHubClient, pull: MergedPull, name: str
) -> JSONObject | None:
    """The newest unexpired artifact `name` of a plan run for the pull request's head."""
    answer = client.get_json(
        client.repo_path(f"/actions/workflows/{Path(PLAN_WORKFLOW_PATH).name}/runs"),
        params={
            "head_sha": pull.head_sha,
            "event": "pull_request",
            "per_page": MAX_RUNS,
        },
    )
    runs = answer.get("workflow_runs") if isinstance(answer, dict) else None
    candidates = [run for run in runs or () if _is_trusted_run(client, run, pull)]
    candidates.sort(key=lambda run: str(run.get("created_at")), reverse=True)
    for run in candidates:
        listed = client.get_json(
            client.repo_path(f"/actions/runs/{int(run['id'])}/artifacts"),
            params={"name": name},
        )
        artifacts = listed.get("artifacts") if isinstance(listed, dict) else None
        for artifact in artifacts or ():
            if artifact.get("name") == name and artifact.get("expired") is False:
                return dict(artifact)
    return None


def _is_trusted_run(client: GitHubClient, run: object, pull: MergedPull) -> bool:
    """A plan-workflow run for this pull request's head, from this repository."""
    if not isinstance(run, dict) or not isinstance(run.get("id"), int):
        return False
    head_repo = run.get("head_repository")
    numbers = [
        p.get("number") for p in run.get("pull_requests") or () if isinstance(p, dict)
    ]
    return (
        run.get("event") == "pull_request"
        and run.get("path") == PLAN_WORKFLOW_PATH
        and run.get("head_sha") == pull.head_sha
        and isinstance(head_repo, dict)
        and head_repo.get("full_name") == client.repository
        and (not numbers or pull.number in numbers)
    )


def _download(client: GitHubClient, artifact: JSONObject, fetch: Fetcher) -> bytes:
    path = client.repo_path(f"/actions/artifacts/{int(artifact['id'])}/zip")
    response = client.request("GET", path, redirect_ok=True)
    if response.status_code != 302:
        return _capped(response.content)
    location = response.headers.get("location")
    if not location:
        raise GitHubError("GitHub API: the artifact download has no Location")
    return _capped(fetch(location, MAX_ARTIFACT_BYTES))


def _capped(data: bytes) -> bytes:
    if len(data) > MAX_ARTIFACT_BYTES:
        raise GitHubError(f"the artifact is over {MAX_ARTIFACT_BYTES} bytes")
    return data


def _plan_text(archive: bytes, member: str) -> str:
    """The plan file inside the artifact's zip: one regular member, size-capped."""
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
            infos = zipped.infolist()
            if len(infos) > MAX_MEMBERS:
                raise GitHubError(f"the artifact holds more than {MAX_MEMBERS} files")
            info = next((i for i in infos if i.filename == member), None)
            if info is None or info.is_dir():
                raise GitHubError(f"the artifact holds no {member}")
            with zipped.open(info) as handle:  # read at most the cap, whatever it says
                data = handle.read(MAX_PLAN_BYTES + 1)
    except (
        zipfile.BadZipFile,
        EOFError,
        ValueError,
    ) as exc:  # ValueError: bad CRC etc.
        raise GitHubError(f"the artifact is not a readable zip ({exc})") from exc
    if len(data) > MAX_PLAN_BYTES:
        raise GitHubError(f"{member} is over {MAX_PLAN_BYTES} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GitHubError(f"{member} is not UTF-8") from exc


def fetch_url(url: str, cap: int) -> bytes:
    """GET a pre-signed download URL without credentials, streaming at most `cap`
    bytes; https only (or loopback http, for tests and local mirrors)."""
    parsed = httpx.URL(url)
    if parsed.scheme != "https" and parsed.host not in ("127.0.0.1", "localhost"):
        raise GitHubError("the artifact download URL is not https")
    data = bytearray()
    try:
        with (
            httpx.Client(timeout=60.0, follow_redirects=False) as http,
            http.stream("GET", url) as response,
        ):
            if response.status_code != 200:
                raise GitHubError(
                    f"the artifact download answered {response.status_code}"
                )
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > cap:
                    raise GitHubError(f"the artifact is over {cap} bytes")
    except httpx.HTTPError as exc:
        raise GitHubError(
            f"the artifact download failed: {type(exc).__name__}"
        ) from exc
    return bytes(data)
