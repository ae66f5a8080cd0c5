"""Build the one `httpx.Client` a run uses: the base URL checked (HTTPS, or HTTP only on
loopback), TLS always verified, redirects never followed, timeouts from the api contract,
and the retry transport in front of the real one."""

from __future__ import annotations

import ipaddress

import httpx

from catalog_sync.config.model import ApiContract
from catalog_sync.errors import ConfigError
from catalog_sync.fiskil.flow import FlowControl
from catalog_sync.fiskil.observe import CallObserver
from catalog_sync.fiskil.observe import ObservedTransport
from catalog_sync.fiskil.retry import Retrier
from catalog_sync.fiskil.transport import RetryTransport

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


def is_loopback_host(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_base_url(url: str, *, what: str = "base_url") -> httpx.URL:
    """The parsed URL, or ConfigError: https everywhere, http only to this machine."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ConfigError(f"{what} {url!r} is not a valid URL") from exc
    if parsed.scheme == "https" and parsed.host:
        return parsed
    if parsed.scheme == "http" and parsed.host and is_loopback_host(parsed.host):
        return parsed
    if parsed.scheme == "http":
        raise ConfigError(
            f"{what} {url!r} uses plain http to a host that is not this machine",
            hint="use https://; plain http is only allowed for loopback (the emulator)",
        )
    raise ConfigError(f"{what} {url!r} must be an https:// URL")


def build_http_client(
    base_url: str,
    *,
    api: ApiContract,
    retrier: Retrier,
    auth: httpx.Auth | None = None,
    transport: httpx.BaseTransport | None = None,
    max_in_flight: int | None = None,
    check_url: bool = True,
    flow: FlowControl | None = None,
    observer: CallObserver | None = None,
) -> httpx.Client:
    """An httpx.Client with retries; `transport` replaces the network (tests, embedded);
    `flow` (else a new one) decides when each request may start; `observer` hears every
    attempt (fiskil.observe), e.g. for the audit record."""
    if check_url:
        check_base_url(base_url)
    inner: httpx.BaseTransport = transport or httpx.HTTPTransport()
    if observer is not None:
        inner = ObservedTransport(inner, observer)
    return httpx.Client(
        base_url=base_url,
        auth=auth,
        transport=RetryTransport(
            inner, retrier=retrier, max_in_flight=max_in_flight, flow=flow
        ),
        timeout=httpx.Timeout(api.timeout_seconds),
        follow_redirects=False,
        headers={"Accept": "application/json", "User-Agent": "catalog-sync"},
    )
