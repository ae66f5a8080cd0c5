"""Send one request and map httpx's network exceptions to `TransportError` at this one
boundary, with a message that names METHOD and path and says what to check."""

from __future__ import annotations

from typing import Any

import httpx

from catalog_sync.errors import TransportError
from catalog_sync.fiskil.redact import redact
from catalog_sync.fiskil.transport import NEVER_SENT
from catalog_sync.fiskil.transport import is_tls_verification_failure


def transport_error(exc: httpx.HTTPError, *, what: str) -> TransportError:
    """Our error for an httpx failure that retries did not overcome."""
    if is_tls_verification_failure(exc):
        return TransportError(
            f"{what}: TLS certificate verification failed; refusing to connect",
            hint="fix the server's certificate or the trust store (SSL_CERT_FILE); "
            "catalog-sync never turns verification off",
        )
    if isinstance(exc, httpx.TimeoutException):
        return TransportError(
            f"{what}: timed out ({type(exc).__name__})",
            hint="the API is slow or unreachable; api.timeout_seconds sets the limit",
        )
    if isinstance(exc, NEVER_SENT):
        return TransportError(
            f"{what}: could not connect ({redact(str(exc))[:200]})",
            hint="check base_url and the network",
        )
    return TransportError(
        f"{what}: the connection failed mid-request ({type(exc).__name__})",
        hint="a network problem or a proxy cut the response; run again",
    )


def send_raw(
    http: httpx.Client, method: str, path: str, **kwargs: Any
) -> httpx.Response:
    """`http.request` without mapping: callers that must tell ambiguous failures apart."""
    return http.request(method, path, **kwargs)


def send(http: httpx.Client, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """`http.request`, with network failures as TransportError."""
    try:
        return http.request(method, path, **kwargs)
    except httpx.HTTPError as exc:
        raise transport_error(exc, what=f"{method} {path}") from exc
