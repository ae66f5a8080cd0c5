"""`TokenAuth`: OAuth2-style client credentials for the Fiskil Platform API, as an httpx.Auth.

One token per process, in memory, refreshed ahead of expiry by a single refresher under a
lock (a generation counter lets threads that saw the same stale token share one refresh).
A 401 refreshes once and replays once. `invalid_client` is final. A 403 on a write stops
every later write before it is sent. Each new token is handed to `on_token` (GitHub
masking) before it is used.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from collections.abc import Generator
from collections.abc import Iterable
from typing import Any

import httpx

from catalog_sync.config.model import ApiContract
from catalog_sync.errors import AuthError
from catalog_sync.errors import ScopeError
from catalog_sync.fiskil.clock import Clock
from catalog_sync.fiskil.clock import SystemClock
from catalog_sync.fiskil.origin import check_origin
from catalog_sync.fiskil.origin import origin_of
from catalog_sync.fiskil.redact import RedactingFilter
from catalog_sync.fiskil.redact import Secret
from catalog_sync.fiskil.responses import token_endpoint_error
from catalog_sync.fiskil.scopes import SCOPE_HINT
from catalog_sync.fiskil.scopes import WRITE_METHODS
from catalog_sync.fiskil.scopes import WRITE_SCOPE
from catalog_sync.fiskil.scopes import scope_for_method
from catalog_sync.fiskil.scopes import token_scopes
from catalog_sync.fiskil.transport import RETRY_SAFE
from catalog_sync.fiskil.transport import describe_request
from catalog_sync.fiskil.wire import transport_error

logger = logging.getLogger("catalog_sync.fiskil.auth")

MAX_TOKEN_LIFETIME_SECONDS = 86_400.0

_TokenFlow = Generator[httpx.Request, httpx.Response, tuple[str, int]]


def token_lifetime(value: Any, *, default: float) -> tuple[float, str | None]:
    """Seconds a token lives from `expires_in`, and a warning when it was unusable."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default, f"expires_in {type(value).__name__} is not a number"
    if not 0 < value <= MAX_TOKEN_LIFETIME_SECONDS:
        return default, f"expires_in {value!r} is outside (0, 1 day]"
    return float(value), None


class TokenAuth(httpx.Auth):
    """Bearer tokens from `POST {token_url}` with `{client_id, client_secret}`."""

    requires_request_body = True
    requires_response_body = True

    def __init__(
        self,
        *,
        token_url: str,
        client_id: str,
        client_secret: Secret,
        api: ApiContract,
        clock: Clock | None = None,
        required_scopes: Iterable[str] = (),
        on_token: Callable[[str], None] | None = None,
        log_filter: RedactingFilter | None = None,
        credentials_hint: str | None = None,
        origin: str | None = None,
    ) -> None:
        self._token_url = token_url
        self._origin = origin_of(httpx.URL(origin or token_url))
        check_origin(httpx.URL(token_url), self._origin)
        self._client_id = client_id
        self._secret = client_secret
        self._api = api
        self._clock: Clock = clock or SystemClock()
        self._required = tuple(required_scopes)
        self._on_token = on_token
        self.log_filter = log_filter or RedactingFilter()
        self.log_filter.add(client_secret.reveal())
        self._credentials_hint = credentials_hint
        self._lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._token: Secret | None = None
        self._expires_at = 0.0
        self._refresh_at = 0.0
        self._generation = 0
        self._scopes: frozenset[str] | None = None
        self.scopes_source: str | None = None  # where `scopes` was read
        self._writes_denied = False
        self.tokens_issued = 0

    @property
    def scopes(self) -> frozenset[str] | None:
        """Scopes the current token declares (the token response's `scope` field or
        the JWT claim; `scopes_source` says which), or None if unknown."""
        return self._scopes

    @property
    def writes_denied(self) -> bool:
        """True once a write was refused with 403: later writes fail without a request."""
        return self._writes_denied

    def seconds_left(self) -> float:
        """How long the current token still lives (0 without one)."""
        return max(0.0, self._expires_at - self._clock.now()) if self._token else 0.0

    def auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        self._refuse_denied_write(request)
        token, generation = yield from self._valid_token(stale=None)
        self._check_declared_scope(request)
        check_origin(request.url, self._origin)
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            token, _ = yield from self._valid_token(stale=generation)
            request.headers["Authorization"] = f"Bearer {token}"
            response = yield request
            if response.status_code == 401:
                raise AuthError(
                    f"{describe_request(request)}: authentication rejected after refresh",
                    status=401,
                    method=request.method,
                    url=request.url.path,
                    hint="the API refuses a freshly issued token; check that the "
                    "credentials belong to this environment and are not revoked",
                )
        if response.status_code == 403 and request.method in WRITE_METHODS:
            with self._state_lock:
                self._writes_denied = True

    def ensure_token(self, http: httpx.Client) -> None:
        """Obtain a token now (outside a request), e.g. for `auth check`."""
        flow = self._valid_token(stale=None)
        try:
            request = next(flow)
            try:
                response = http.send(request, auth=None)
                response.read()
            except httpx.HTTPError as exc:
                raise transport_error(exc, what=describe_request(request)) from exc
            flow.send(response)
        except StopIteration:
            return
        finally:
            flow.close()  # releases the refresh lock even when the request failed

    def _valid_token(self, *, stale: int | None) -> _TokenFlow:
        """The current token, or a new one if none, expiring, or generation `stale`.
        Single-flight: the lock is held while the one token request is in flight."""
        with self._lock:
            if (
                self._token is not None
                and self._generation != stale
                and not self._expiring()
            ):
                return self._token.reveal(), self._generation
            response = yield self._token_request()
            return self._accept(response), self._generation

    def _expiring(self) -> bool:
        return self._clock.now() >= self._refresh_at

    def _token_request(self) -> httpx.Request:
        timeout = httpx.Timeout(self._api.timeout_seconds).as_dict()
        check_origin(httpx.URL(self._token_url), self._origin)
        return httpx.Request(
            "POST",
            self._token_url,
            json={"client_id": self._client_id, "client_secret": self._secret.reveal()},
            headers={"Accept": "application/json"},
            extensions={"timeout": timeout, RETRY_SAFE: True},
        )

    def _accept(self, response: httpx.Response) -> str:
        if response.status_code not in (200, 201):
            raise token_endpoint_error(
                response, credentials_hint=self._credentials_hint
            )
        try:
            body = response.json()
        except ValueError:
            body = None
        raw = (
            body.get("token") or body.get("access_token")
            if isinstance(body, dict)
            else None
        )
        if not isinstance(raw, str) or not raw:
            raise AuthError(
                f"POST {response.request.url.path}: the token response has no token",
                status=response.status_code,
                method="POST",
                url=response.request.url.path,
            )
        if not raw.isprintable() or any(char.isspace() for char in raw):
            # Never masked nor sent: `::add-mask::` masks one line, and a header
            # cannot carry a line break. The message must not quote it.
            raise AuthError(
                f"POST {response.request.url.path}: the token response's token "
                "contains whitespace or control characters; refusing it",
                status=response.status_code,
                method="POST",
                url=response.request.url.path,
                hint="the token endpoint answered with a malformed token; this is a "
                "server error, report it to the API's operator",
            )
        self._mask(raw)
        lifetime, problem = token_lifetime(
            body.get("expires_in") if isinstance(body, dict) else None,
            default=self._api.default_token_lifetime_seconds,
        )
        if problem:
            logger.warning(
                "token response: %s; assuming a %.0f s lifetime", problem, lifetime
            )
        # A lifetime shorter than twice the skew would otherwise refresh on every call.
        skew = min(self._api.token_refresh_skew_seconds, lifetime / 2)
        now = self._clock.now()
        self._token = Secret(raw)
        self._expires_at = now + lifetime
        self._refresh_at = now + lifetime - skew
        self._scopes, self.scopes_source = token_scopes(body, raw)
        self._generation += 1
        self.tokens_issued += 1
        logger.debug(
            "new access token (generation %d, lifetime %.0f s)",
            self._generation,
            lifetime,
        )
        self._check_required_scopes(response)
        return raw

    def _mask(self, token: str) -> None:
        self.log_filter.add(token)
        if self._on_token is not None:
            self._on_token(token)

    def _check_required_scopes(self, response: httpx.Response) -> None:
        missing = [
            s
            for s in self._required
            if self._scopes is not None and s not in self._scopes
        ]
        if missing:
            raise ScopeError(
                f"these credentials lack {missing[0]} ({self.scopes_source} "
                f"lists: {', '.join(sorted(self._scopes or ())) or 'nothing'})",
                scope=missing[0],
                status=403,
                method="POST",
                url=response.request.url.path,
                hint=SCOPE_HINT,
            )

    def _check_declared_scope(self, request: httpx.Request) -> None:
        needed = scope_for_method(request.method)
        if self._scopes is not None and needed not in self._scopes:
            raise ScopeError(
                f"{describe_request(request)}: not sent; these credentials lack {needed}",
                scope=needed,
                status=403,
                method=request.method,
                url=request.url.path,
                hint=SCOPE_HINT,
            )

    def _refuse_denied_write(self, request: httpx.Request) -> None:
        if self._writes_denied and request.method in WRITE_METHODS:
            raise ScopeError(
                f"{describe_request(request)}: not sent; an earlier write was refused "
                f"with 403, these credentials lack {WRITE_SCOPE}",
                scope=WRITE_SCOPE,
                status=403,
                method=request.method,
                url=request.url.path,
                hint=SCOPE_HINT,
            )

    def __repr__(self) -> str:
        return (
            f"TokenAuth(client_id={self._client_id!r}, token_url={self._token_url!r}, "
            f"has_token={self._token is not None}, generation={self._generation})"
        )
