"""A small GitHub REST client for the workflows: token from `GITHUB_TOKEN`, pagination
through `Link` headers, and waits on primary and secondary rate limits (403/429 with
`Retry-After` or `x-ratelimit-reset`), capped so a workflow never sleeps for an hour.
"""

from __future__ import annotations

import email.utils
import logging
import re
import time
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from typing import Any

import httpx

from catalog_sync.errors import GitHubError
from catalog_sync.github.identity import DEFAULT_AUTHOR
from catalog_sync.github.identity import Author
from catalog_sync.github.identity import author_from_env
from catalog_sync.github.responses import decode_json
from catalog_sync.github.responses import path_only
from catalog_sync.github.responses import raise_for_status
from catalog_sync.types import JSONObject

LOG = logging.getLogger("catalog_sync.github")

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
PER_PAGE = 100
MAX_PAGES = 1_000
SECONDARY_LIMIT_WAIT_SECONDS = 60.0

_NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')
_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


def next_link(header: str | None) -> str | None:
    """The `rel="next"` URL of a `Link` header, or None on the last page."""
    if not header:
        return None
    for part in header.split(","):
        match = _NEXT_LINK.search(part)
        if match:
            return match.group(1)
    return None


class GitHubClient:
    """Calls the GitHub REST API for one repository; share one per command run."""

    def __init__(
        self,
        *,
        token: str,
        repository: str,
        api_url: str = DEFAULT_API_URL,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], float] = time.time,
        max_wait_seconds: float = 120.0,
        max_attempts: int = 4,
        timeout_seconds: float = 30.0,
        author: Author = DEFAULT_AUTHOR,
    ) -> None:
        if not _REPOSITORY.fullmatch(repository):
            raise GitHubError(
                f"GITHUB_REPOSITORY {repository!r} is not owner/name",
                hint="run inside GitHub Actions, or set GITHUB_REPOSITORY=owner/name",
            )
        self.repository = repository
        self.author = author
        """The account the token writes as: only its comments and issues are edited."""
        self._sleep = sleep
        self._now = now
        self._max_wait = max_wait_seconds
        self._max_attempts = max_attempts
        self._http = httpx.Client(
            base_url=api_url.rstrip("/"),
            transport=transport,
            timeout=timeout_seconds,
            follow_redirects=False,
            headers={
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {token}",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": "catalog-sync",
            },
        )

    def __repr__(self) -> str:
        return f"GitHubClient(repository={self.repository!r})"

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def repo_path(self, suffix: str) -> str:
        """`/repos/{owner}/{name}` followed by `suffix`."""
        return f"/repos/{self.repository}{suffix}"

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: JSONObject | None = None,
        params: Mapping[str, str | int] | None = None,
        redirect_ok: bool = False,
    ) -> httpx.Response:
        """Send one request, waiting out rate limits; raise GitHubError on a failure
        (with `redirect_ok`, a 302 is an answer: its Location is the caller's)."""
        for attempt in range(1, self._max_attempts + 1):
            try:
                response = self._http.request(
                    method, path, json=json_body, params=params
                )
            except httpx.HTTPError as exc:
                raise GitHubError(
                    f"GitHub API: {method} {path_only(path)} failed: {type(exc).__name__}",
                    hint="check the network and GITHUB_API_URL",
                ) from exc
            wait = self._rate_limit_wait(response)
            if wait is None and self._is_transient(response, method, attempt):
                wait = float(2 ** (attempt - 1))
            if wait is None:
                if not (redirect_ok and response.status_code == 302):
                    raise_for_status(response, method, path)
                return response
            self._wait_or_give_up(wait, attempt, method, path)
        raise AssertionError("unreachable: the last attempt raises")  # pragma: no cover

    def get_json(
        self, path: str, *, params: Mapping[str, str | int] | None = None
    ) -> Any:
        """GET `path` and return its decoded JSON body."""
        return decode_json(self.request("GET", path, params=params), "GET", path)

    def send_json(self, method: str, path: str, body: JSONObject) -> JSONObject:
        """POST or PATCH a JSON body and return the decoded JSON answer."""
        decoded = decode_json(self.request(method, path, json_body=body), method, path)
        if not isinstance(decoded, dict):
            raise GitHubError(f"GitHub API: {method} {path} answered a non-object")
        return decoded

    def iter_pages(
        self, path: str, *, params: Mapping[str, str | int] | None = None
    ) -> Iterator[JSONObject]:
        """Every item of a list endpoint, following `Link: rel="next"` page by page."""
        url: str | None = path
        query: Mapping[str, str | int] | None = {"per_page": PER_PAGE, **(params or {})}
        seen: set[str] = set()
        while url is not None:
            if url in seen or len(seen) >= MAX_PAGES:
                raise GitHubError(f"GitHub API: pagination of {path} does not end")
            seen.add(url)
            response = self.request("GET", url, params=query)
            items = decode_json(response, "GET", path)
            if not isinstance(items, list):
                raise GitHubError(f"GitHub API: GET {path} did not answer a list")
            yield from (item for item in items if isinstance(item, dict))
            # The next URL already carries every query parameter.
            url, query = next_link(response.headers.get("link")), None

    def _is_transient(
        self, response: httpx.Response, method: str, attempt: int
    ) -> bool:
        """A 502/503/504 on a request that is safe to repeat (GET, PATCH of a body)."""
        return (
            response.status_code in (502, 503, 504)
            and method in ("GET", "PATCH")
            and attempt < self._max_attempts
        )

    def _rate_limit_wait(self, response: httpx.Response) -> float | None:
        """Seconds to wait before retrying, or None if this is not a rate limit."""
        if response.status_code not in (403, 429):
            return None
        headers = response.headers
        retry_after = headers.get("retry-after")
        if retry_after is not None:
            return _parse_retry_after(retry_after, self._now())
        if headers.get("x-ratelimit-remaining") == "0" and headers.get(
            "x-ratelimit-reset"
        ):
            try:
                return max(0.0, float(headers["x-ratelimit-reset"]) - self._now())
            except ValueError:
                return SECONDARY_LIMIT_WAIT_SECONDS
        if response.status_code == 429 or "rate limit" in response.text.lower():
            # GitHub's advice for a secondary limit without headers: wait a minute.
            return SECONDARY_LIMIT_WAIT_SECONDS
        return None

    def _wait_or_give_up(
        self, wait: float, attempt: int, method: str, path: str
    ) -> None:
        where = f"{method} {path_only(path)}"
        if wait > self._max_wait:
            raise GitHubError(
                f"GitHub API: {where} is rate limited for {wait:.0f} s, "
                f"more than the {self._max_wait:.0f} s this run waits",
                hint="re-run the workflow later",
            )
        if attempt >= self._max_attempts:
            raise GitHubError(
                f"GitHub API: {where} still rate limited after {attempt} attempts",
                hint="re-run the workflow later",
            )
        LOG.debug("rate limited on %s; waiting %.1f s", where, wait)
        self._sleep(wait)


def _parse_retry_after(value: str, now: float) -> float:
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return SECONDARY_LIMIT_WAIT_SECONDS
    return max(0.0, when.timestamp() - now)


def client_from_env(
    env: Mapping[str, str], *, transport: httpx.BaseTransport | None = None
) -> GitHubClient:
    """A client configured like GitHub Actions does: GITHUB_TOKEN, GITHUB_REPOSITORY,
    GITHUB_API_URL (GitHub Enterprise sets the latter), and the token's identity from
    CATALOG_SYNC_GITHUB_AUTHOR (github-actions[bot] when unset)."""
    token = env.get("GITHUB_TOKEN", "")
    if not token:
        raise GitHubError(
            "GITHUB_TOKEN is not set",
            hint="pass it to the step with `env: GITHUB_TOKEN: ${{ github.token }}`",
        )
    return GitHubClient(
        token=token,
        repository=env.get("GITHUB_REPOSITORY", ""),
        api_url=env.get("GITHUB_API_URL") or DEFAULT_API_URL,
        transport=transport,
        author=author_from_env(env),
    )
