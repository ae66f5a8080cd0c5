"""Open the products API for an environment: credentials from the variables the environment
names, the token auth, retries and the checked base URL; for the embedded `local`
environment the emulator runs in-process, so exactly the same client code path runs."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from collections.abc import Mapping
from typing import TextIO

import httpx

from catalog_sync.config.model import ApiContract
from catalog_sync.config.model import Config
from catalog_sync.config.model import Environment
from catalog_sync.errors import ConfigError
from catalog_sync.fiskil.auth import TokenAuth
from catalog_sync.fiskil.clock import Clock
from catalog_sync.fiskil.observe import CallObserver
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.fiskil.redact import Secret
from catalog_sync.fiskil.redact import install_redaction
from catalog_sync.fiskil.retry import Retrier
from catalog_sync.fiskil.scopes import Need
from catalog_sync.fiskil.scopes import scope_for
from catalog_sync.fiskil.session import build_http_client

EMBEDDED_BASE_URL = "http://embedded.localhost"


def connect_products(
    base_url: str,
    *,
    client_id: str,
    client_secret: Secret,
    api: ApiContract,
    need: Need = "read",
    clock: Clock | None = None,
    rng: random.Random | None = None,
    transport: httpx.BaseTransport | None = None,
    github_actions: bool = False,
    mask_stream: TextIO | None = None,
    max_in_flight: int | None = None,
    credentials_hint: str | None = None,
    check_url: bool = True,
    on_close: tuple[Callable[[], None], ...] = (),
    observer: CallObserver | None = None,
) -> ProductsClient:
    """A ProductsClient for `base_url` with these credentials; `transport` replaces the
    network (httpx.WSGITransport over the emulator, MockTransport in tests)."""
    retrier = Retrier.from_contract(api, clock=clock, rng=rng)
    auth = TokenAuth(
        token_url=base_url.rstrip("/") + api.token_path,
        client_id=client_id,
        client_secret=client_secret,
        api=api,
        clock=retrier.clock,
        required_scopes=(scope_for(need),),
        github_actions=github_actions,
        mask_stream=mask_stream,
        credentials_hint=credentials_hint,
    )
    http = build_http_client(
        base_url,
        api=api,
        retrier=retrier,
        auth=auth,
        transport=transport,
        max_in_flight=max_in_flight,
        check_url=check_url,
        observer=observer,
    )
    uninstall = install_redaction(auth.log_filter)
    return ProductsClient(
        http, api=api, retrier=retrier, auth=auth, on_close=(*on_close, uninstall)
    )


def open_products_api(
    config: Config,
    env: Environment,
    *,
    need: Need,
    clock: Clock | None = None,
    transport: httpx.BaseTransport | None = None,
    rng: random.Random | None = None,
    environ: Mapping[str, str] | None = None,
    mask_stream: TextIO | None = None,
    max_in_flight: int | None = None,
    observer: CallObserver | None = None,
) -> ProductsClient:
    """The products API of `env`, authenticated for `need` ("read": plan, drift;
    "write": apply); `observer` hears every call. The caller closes it (it is a
    context manager)."""
    variables = os.environ if environ is None else environ
    github_actions = variables.get("GITHUB_ACTIONS") == "true"
    if env.target == "embedded":
        return _open_embedded(
            config, env, need=need, clock=clock, transport=transport, rng=rng,
            github_actions=github_actions, mask_stream=mask_stream,
            max_in_flight=max_in_flight, observer=observer,
        )  # fmt: skip
    client_id, secret = read_credentials(env, variables)
    assert env.base_url is not None
    return connect_products(
        env.base_url,
        client_id=client_id,
        client_secret=secret,
        api=config.api,
        need=need,
        clock=clock,
        rng=rng,
        transport=transport,
        github_actions=github_actions,
        mask_stream=mask_stream,
        max_in_flight=max_in_flight,
        credentials_hint=f"{env.client_id_env} / {env.client_secret_env}",
        observer=observer,
    )


def read_credentials(
    env: Environment, variables: Mapping[str, str]
) -> tuple[str, Secret]:
    """Client id and secret from the variables `env` names; ConfigError names the
    variable (never a value) when one is unset or empty."""
    names = (env.client_id_env, env.client_secret_env)
    values: list[str] = []
    for name in names:
        value = variables.get(name or "", "") if name else ""
        if not value:
            raise ConfigError(
                f"environment {env.name!r}: the variable {name or '(unnamed)'} is not set",
                hint=f"export {names[0]} and {names[1]} with the {env.name} API key "
                "(Fiskil Console > API Keys)",
            )
        values.append(value)
    return values[0], Secret(values[1])


def _open_embedded(
    config: Config,
    env: Environment,
    *,
    need: Need,
    clock: Clock | None,
    transport: httpx.BaseTransport | None,
    rng: random.Random | None,
    github_actions: bool,
    mask_stream: TextIO | None,
    max_in_flight: int | None,
    observer: CallObserver | None,
) -> ProductsClient:
    from catalog_sync.emulator.app import make_app
    from catalog_sync.emulator.store import LOCAL_CLIENT_ID
    from catalog_sync.emulator.store import LOCAL_CLIENT_SECRET
    from catalog_sync.emulator.store import Store
    from catalog_sync.emulator.transport import EmulatorTransport

    on_close: tuple[Callable[[], None], ...] = ()
    if transport is None:
        db_path = env.db_path or config.state_dir / f"{env.name}.db"
        db_path.parent.mkdir(parents=True, exist_ok=True)
        store = Store(db_path, summaries=not config.api.list_returns_details)
        transport = EmulatorTransport(make_app(store, schema=config.schema))
        on_close = (store.close,)
    return connect_products(
        EMBEDDED_BASE_URL,
        client_id=LOCAL_CLIENT_ID,
        client_secret=Secret(LOCAL_CLIENT_SECRET),
        api=config.api,
        need=need,
        clock=clock,
        rng=rng,
        transport=transport,
        github_actions=github_actions,
        mask_stream=mask_stream,
        max_in_flight=max_in_flight,
        check_url=False,
        on_close=on_close,
        observer=observer,
    )
