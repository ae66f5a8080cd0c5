"""Turn an HTTP response the client cannot accept into the narrow error tree: auth, scope,
not found, conflict, server validation (with the server's own messages), rate limited.

Messages name METHOD and path and quote the server only through `redact`; the token
endpoint's body is never quoted at all, since it could echo the credentials back.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from catalog_sync.errors import ApiError
from catalog_sync.errors import AuthError
from catalog_sync.errors import ConflictError
from catalog_sync.errors import NotFoundError
from catalog_sync.errors import ScopeError
from catalog_sync.errors import ServerValidationError
from catalog_sync.errors import StatusError
from catalog_sync.fiskil.redact import redact
from catalog_sync.fiskil.scopes import READ_SCOPE
from catalog_sync.fiskil.scopes import SCOPE_HINT
from catalog_sync.fiskil.scopes import WRITE_SCOPE
from catalog_sync.fiskil.scopes import scope_for_method
from catalog_sync.fiskil.transport import describe_request

_ERROR_CODE = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_MAX_MESSAGES = 20
_MAX_MESSAGE_CHARS = 300


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def oauth_error_code(response: httpx.Response) -> str | None:
    """`error` of an OAuth-style body (`invalid_client`, `insufficient_scope`), if sane."""
    body = _json(response)
    code = body.get("error") if isinstance(body, dict) else None
    return code if isinstance(code, str) and _ERROR_CODE.fullmatch(code) else None


def server_messages(response: httpx.Response) -> tuple[str, ...]:
    """What the server said: CDS `errors[].title/detail`, or `error_description`/`message`."""
    body = _json(response)
    messages: list[str] = []
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list):
            for item in errors[:_MAX_MESSAGES]:
                if isinstance(item, dict):
                    parts = [str(item[k]) for k in ("title", "detail") if item.get(k)]
                    messages.append(": ".join(parts) or str(item.get("code", "")))
        for key in ("error_description", "message", "detail"):
            if not messages and isinstance(body.get(key), str):
                messages.append(body[key])
    return tuple(_printable(redact(m))[:_MAX_MESSAGE_CHARS] for m in messages if m)


def _printable(text: str) -> str:
    """Server text on one line, control characters (ESC, CR, C1) shown as escapes: it
    is printed to terminals and put in reports."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def error_for_response(response: httpx.Response) -> ApiError:
    """The error for a status the caller does not treat as success. A 429 never gets
    here: the retry transport waits it out or raises RateLimitedError itself."""
    request = response.request
    what = describe_request(request)
    status = response.status_code
    common: dict[str, Any] = {
        "status": status,
        "method": request.method,
        "url": request.url.path,
    }
    messages = server_messages(response)
    detail = "; ".join(messages) or None
    if status == 401:
        sent_credentials = "authorization" in request.headers
        return AuthError(
            f"{what}: 401 authentication failed",
            hint="check the client id and secret"
            if sent_credentials
            # The public PRD endpoints are read without credentials.
            else "no credentials were sent: check that the URL is the public "
            "product endpoint (public_base_url)",
            **common,
        )
    if status == 403:
        scope = _named_scope(response) or scope_for_method(request.method)
        return ScopeError(
            f"{what}: 403 forbidden; these credentials lack {scope}",
            scope=scope,
            hint=SCOPE_HINT,
            **common,
        )
    if status == 404:
        return NotFoundError(f"{what}: 404 not found", **common)
    if status in (409, 412):
        return ConflictError(
            f"{what}: {status} changed underneath us, re-plan",
            detail=detail,
            hint="run plan again to see the current difference",
            **common,
        )
    if status in (400, 422):
        listing = "; ".join(messages) if messages else "no details given"
        return ServerValidationError(
            f"{what}: {status} rejected by server validation: {listing}",
            messages=messages,
            **common,
        )
    if 300 <= status < 400:
        target = httpx.URL(response.headers.get("location", "")).host or "elsewhere"
        return StatusError(
            f"{what}: {status} redirect to {target} not followed",
            hint="check base_url: the API must answer directly",
            **common,
        )
    suffix = f": {detail}" if detail else ""
    return StatusError(f"{what}: HTTP {status}{suffix}", detail=detail, **common)


def _named_scope(response: httpx.Response) -> str | None:
    """The scope a 403 body names (`scope` field), when it is one of ours."""
    body = _json(response)
    scope = body.get("scope") if isinstance(body, dict) else None
    return scope if scope in (READ_SCOPE, WRITE_SCOPE) else None


def token_endpoint_error(
    response: httpx.Response, *, credentials_hint: str | None = None
) -> ApiError:
    """The token endpoint refused: never quote its body (it may echo the secret)."""
    request = response.request
    status = response.status_code
    code = oauth_error_code(response)
    common: dict[str, Any] = {
        "status": status,
        "method": "POST",
        "url": request.url.path,
    }
    if status in (400, 401, 403) or code == "invalid_client":
        where = f" in {credentials_hint}" if credentials_hint else ""
        return AuthError(
            f"POST {request.url.path}: {status} credentials rejected"
            f" ({code or 'no error code'})",
            hint=f"check the client id and secret{where}, and that the key is not revoked",
            **common,
        )
    return StatusError(
        f"POST {request.url.path}: token request failed with HTTP {status}", **common
    )
