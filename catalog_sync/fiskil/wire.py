"""Send one request and map httpx's network exceptions to `TransportError` at this one
boundary, with a message that names METHOD and path and says what to check."""

from __future__ import annotations

from typing import Any

import httpx

from catalog_sync.errors import TransportError
from catalog_sync.fiskil.redact import redact
from catalog_sync.fiskil.transport import NEVER_SENT
from catalog_sync.fiskil.transport import describe_request
from catalog_sync.fiskil.transport import is_tls_verification_failure


def failed_request(exc: httpx.HTTPError) -> httpx.Request | None:
    """The request that failed (the token request, say, when a products call was asked
    for), or None when httpx did not attach one."""
    try:
        return exc.request
    except RuntimeError:
        return None


def origin_of(request: httpx.Request) -> str:
    """`scheme://host[:port]` of a request, for "could not connect to …"."""
    url = request.url
    return f"{url.scheme}://{url.host}" + (f":{url.port}" if url.port else "")


def transport_error(exc: httpx.HTTPError, *, what: str) -> TransportError:
    """Our error for an httpx failure that retries did not overcome, named after the
    request that actually failed when httpx says which (`what` otherwise)."""
    request = failed_request(exc)
    if request is not None:
        what = describe_request(request)
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
        where = f" to {origin_of(request)}" if request is not None else ""
        return TransportError(
            f"{what}: could not connect{where} ({redact(str(exc))[:200]})",
            hint="check the environment's base_url in catalog-sync.yaml and that the "
            "host is reachable from here: DNS, network, proxy, firewall",
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
