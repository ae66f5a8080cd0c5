"""Turn an environment of catalog-sync.yaml into an API: its credentials from the variables
it names, then a products client or a public PRD reader. For the embedded `local`
environment the emulator's store runs in-process behind the same client code path.
The only module that imports the emulator (apart from the `emulator` command)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import replace

import httpx

from catalog_sync.config.model import ApiContract
from catalog_sync.config.model import Config
from catalog_sync.config.model import Environment
from catalog_sync.errors import ConfigError
from catalog_sync.fiskil.connect import ClientOptions
from catalog_sync.fiskil.connect import Credentials
from catalog_sync.fiskil.connect import connect_products
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.fiskil.public import PublicReader
from catalog_sync.fiskil.redact import Secret
from catalog_sync.fiskil.retry import Retrier
from catalog_sync.fiskil.scopes import Need
from catalog_sync.fiskil.session import build_http_client

EMBEDDED_BASE_URL = "http://embedded.localhost"

_Closers = tuple[Callable[[], None], ...]

# The emulator is imported inside the functions that use it: an http environment never
# needs it, and its imports cost about 50 ms of every command's start.


def open_products_api(
    config: Config,
    env: Environment,
    *,
    need: Need,
    options: ClientOptions | None = None,
    environ: Mapping[str, str] | None = None,
) -> ProductsClient:
    """The products API of `env`, authenticated for `need` ("read": plan, drift;
    "write": apply). Under GitHub Actions (`GITHUB_ACTIONS=true` in `environ`, the
    process environment by default) each new token is masked in the log first. The
    caller closes it (it is a context manager)."""
    variables = os.environ if environ is None else environ
    options = options or ClientOptions()
    if options.on_token is None and variables.get("GITHUB_ACTIONS") == "true":
        options = replace(options, on_token=mask_in_github_actions)
    if env.target == "embedded":
        from catalog_sync.emulator.store import LOCAL_CLIENT_ID
        from catalog_sync.emulator.store import LOCAL_CLIENT_SECRET

        transport, on_close = _embedded(config, env, options.transport)
        return connect_products(
            EMBEDDED_BASE_URL,
            Credentials(LOCAL_CLIENT_ID, Secret(LOCAL_CLIENT_SECRET)),
            api=config.api_for(env),
            need=need,
            options=replace(options, transport=transport),
            check_url=False,
            on_close=on_close,
        )
    assert env.base_url is not None
    return connect_products(
        env.base_url,
        read_credentials(env, variables),
        api=config.api_for(env),
        need=need,
        options=options,
    )


def open_public_reader(
    config: Config,
    env: Environment,
    *,
    options: ClientOptions | None = None,
    api: ApiContract | None = None,
) -> PublicReader:
    """The public PRD reader of `env` (no credentials): its `public_base_url`, or the
    embedded emulator's public endpoints for an embedded environment. `api` replaces
    the environment's contract (e.g. another detail version)."""
    options = options or ClientOptions()
    api = api or config.api_for(env)
    retrier = Retrier.from_contract(api, clock=options.clock, rng=options.rng)
    transport: httpx.BaseTransport | None
    if env.target == "embedded":
        transport, on_close = _embedded(config, env, options.transport)
        base_url, check = EMBEDDED_BASE_URL, False
    elif not env.public_base_url:
        raise ConfigError(
            f"environment {env.name!r} has no public_base_url",
            hint="set environments.<name>.public_base_url to the Data Provider "
            "domain (Fiskil Console > Settings > Domains)",
        )
    else:
        transport, on_close = options.transport, ()
        base_url, check = env.public_base_url, True
    http = build_http_client(
        base_url,
        api=api,
        retrier=retrier,
        transport=transport,
        check_url=check,
        observer=options.observer,
    )
    return PublicReader(http, api=api, on_close=on_close)


def read_credentials(env: Environment, variables: Mapping[str, str]) -> Credentials:
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
    return Credentials(values[0], Secret(values[1]), hint=f"{names[0]} / {names[1]}")


def mask_in_github_actions(token: str) -> None:
    """`::add-mask::` makes GitHub Actions hide the token in every later log line; it
    must reach stdout before anything that could carry the token. The command masks
    one line, so a token with a line break (which the client refuses anyway) is
    masked line by line and never written whole."""
    for line in token.replace("\r", "\n").split("\n"):
        if line.strip():
            sys.stdout.write(f"::add-mask::{line}\n")
    sys.stdout.flush()


def _embedded(
    config: Config, env: Environment, transport: httpx.BaseTransport | None
) -> tuple[httpx.BaseTransport, _Closers]:
    """The emulator of an embedded environment, in-process: its store in
    `env.db_path`, listing summaries when the api contract says the list does."""
    if transport is not None:
        return transport, ()
    from catalog_sync.emulator.app import make_app
    from catalog_sync.emulator.store import Store
    from catalog_sync.emulator.transport import EmulatorTransport

    db_path = env.db_path or config.state_dir / f"{env.name}.db"
    db_path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(db_path, summaries=not config.api_for(env).list_returns_details)
    app = make_app(
        store, schema=config.schema, extension_prefixes=config.extension_prefixes
    )
    return EmulatorTransport(app), (store.close,)
