"""Build a `ProductsClient` from a base URL and credentials: the token auth, retries with
flow control, and the checked base URL, all over one httpx.Client. Nothing here knows
the configuration file, environments or the emulator (that is `catalog_sync.targets`)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from catalog_sync.config.model import ApiContract
from catalog_sync.fiskil.auth import TokenAuth
from catalog_sync.fiskil.clock import Clock
from catalog_sync.fiskil.flow import FlowControl
from catalog_sync.fiskil.observe import CallObserver
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.fiskil.redact import Secret
from catalog_sync.fiskil.redact import install_redaction
from catalog_sync.fiskil.retry import Retrier
from catalog_sync.fiskil.scopes import Need
from catalog_sync.fiskil.scopes import scope_for
from catalog_sync.fiskil.session import build_http_client


@dataclass(frozen=True, slots=True)
class Credentials:
    """A client id and secret; `hint` names where they came from, for error messages
    (the variables, never their values)."""

    client_id: str
    client_secret: Secret
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class ClientOptions:
    """How a client is built, beyond where it points and who it is. The defaults are
    production's; tests replace the clock, randomness and transport."""

    clock: Clock | None = None
    rng: random.Random | None = None
    transport: httpx.BaseTransport | None = None
    """Replaces the network: httpx.WSGITransport over the emulator, MockTransport."""
    max_in_flight: int | None = None
    """Requests in flight at most (None: no limit); see `fiskil.flow`."""
    on_token: Callable[[str], None] | None = None
    """Hears each newly issued token before it is used (GitHub masking)."""
    observer: CallObserver | None = None
    """Hears every call (method, path, status, duration), e.g. for the audit record."""
    wrap: Callable[[httpx.BaseTransport], httpx.BaseTransport] | None = None
    """Wraps whichever transport is used, beneath the retries (`doctor` watches every
    response the server sends, including the 429s that retries then wait out)."""


def connect_products(
    base_url: str,
    credentials: Credentials,
    *,
    api: ApiContract,
    need: Need = "read",
    options: ClientOptions | None = None,
    check_url: bool = True,
    on_close: tuple[Callable[[], None], ...] = (),
) -> ProductsClient:
    """A ProductsClient for `base_url`, authenticated for `need`. `check_url=False`
    only for the in-process emulator, whose URL is not a network address."""
    options = options or ClientOptions()
    retrier = Retrier.from_contract(api, clock=options.clock, rng=options.rng)
    auth = TokenAuth(
        token_url=base_url.rstrip("/") + api.token_path,
        client_id=credentials.client_id,
        client_secret=credentials.client_secret,
        api=api,
        clock=retrier.clock,
        required_scopes=(scope_for(need),),
        on_token=options.on_token,
        credentials_hint=credentials.hint,
        origin=base_url,
    )
    flow = FlowControl(retrier, max_in_flight=options.max_in_flight)
    http = build_http_client(
        base_url,
        api=api,
        retrier=retrier,
        auth=auth,
        transport=_wrapped(options),
        max_in_flight=options.max_in_flight,
        observer=options.observer,
        check_url=check_url,
        flow=flow,
    )
    uninstall = install_redaction(auth.log_filter)
    return ProductsClient(
        http,
        api=api,
        retrier=retrier,
        auth=auth,
        flow=flow,
        on_close=(*on_close, uninstall),
    )


def _wrapped(options: ClientOptions) -> httpx.BaseTransport | None:
    if options.wrap is None:
        return options.transport
    return options.wrap(options.transport or httpx.HTTPTransport())
