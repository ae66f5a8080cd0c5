"""`catalog-sync emulator`: serve the local Fiskil-compatible API over HTTP on loopback."""

from __future__ import annotations

import signal
import sqlite3
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click

from catalog_sync.config.extensions import checked_prefixes
from catalog_sync.errors import ConfigError

if TYPE_CHECKING:
    from catalog_sync.emulator.faults import World
    from catalog_sync.emulator.store import Store

DEFAULT_SCOPES = ("api:provider.products.read", "api:provider.products.write")


def parse_client(spec: str) -> tuple[str, str, tuple[str, ...]]:
    """`ID:SECRET:SCOPE[,SCOPE...]` split at the first two colons (scopes contain colons)."""
    parts = spec.split(":", 2)
    if len(parts) != 3 or not parts[0] or not parts[1] or not parts[2]:
        raise click.BadParameter(
            "expected ID:SECRET:SCOPE[,SCOPE...], e.g. "
            "ci:<secret>:api:provider.products.read",
            param_hint="--client",
        )
    scopes = tuple(scope.strip() for scope in parts[2].split(",") if scope.strip())
    return parts[0], parts[1], scopes


@click.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Interface to bind."
)
@click.option(
    "--port", default=8787, show_default=True, help="Port (0 picks a free one)."
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite file for the state (default: in memory).",
)
@click.option(
    "--client",
    "clients",
    multiple=True,
    metavar="ID:SECRET:SCOPES",
    help="Add an API client; repeatable. Scopes are comma-separated.",
)
@click.option(
    "--token-lifetime",
    default=900.0,
    show_default=True,
    help="Token lifetime in seconds.",
)
@click.option(
    "--seed",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Load every product file in this folder as-is.",
)
@click.option(
    "--rate-limit",
    type=float,
    help="Allow this many requests per second; above it answer 429 with Retry-After.",
)
@click.option(
    "--burst", type=float, help="Bucket size for --rate-limit (default: the rate)."
)
@click.option(
    "--fail",
    "fails",
    multiple=True,
    metavar="SPEC",
    help="'METHOD PATH-GLOB STATUS [xN|always] [retry-after=V]'; repeatable.",
)
@click.option(
    "--latency",
    "latencies",
    multiple=True,
    metavar="SPEC",
    help="'SECONDS [METHOD] [PATH-GLOB] [xN]': delay matching requests (all, or the "
    "next N); repeatable.",
)
@click.option(
    "--drop-after-commit",
    "drops",
    multiple=True,
    metavar="SPEC",
    help="'METHOD PATH-GLOB [xN]': commit the write, then drop the connection.",
)
@click.option(
    "--truncate",
    "truncations",
    multiple=True,
    metavar="SPEC",
    help="'METHOD PATH-GLOB [xN] [keep=BYTES]': handle, then cut the body short.",
)
@click.option(
    "--stale-public",
    type=click.FloatRange(min=0),
    default=0.0,
    metavar="SECONDS",
    help="After each write, the public PRD endpoints keep serving the old data for "
    "SECONDS (tests `verify --wait`).",
)
@click.option(
    "--summaries", is_flag=True, help="The management list returns summaries only."
)
@click.option(
    "--page-params",
    metavar="PAGE,SIZE",
    help="Names of the management list's page and page-size parameters "
    "(default: page,page-size).",
)
@click.option(
    "--cursor-paging",
    is_flag=True,
    help="Page the management list by an opaque cursor in links.next, not page numbers.",
)
@click.option("--no-etag", is_flag=True, help="Send no ETag with a product.")
@click.option(
    "--public-versions",
    metavar="V[,V]",
    help="Product-detail x-v versions the public endpoint serves (default: 6,7).",
)
@click.option(
    "--date-skew",
    type=float,
    default=0.0,
    help="Seconds the Date header is ahead of (negative: behind) the real clock.",
)
@click.option(
    "--schema",
    default="cds-v7",
    show_default=True,
    type=click.Choice(["cds-v7", "cds-v6"]),
    help="Schema for validating write bodies.",
)
@click.option("--no-validate", is_flag=True, help="Accept any product body.")
@click.option(
    "--extension-prefix",
    "extension_prefixes",
    metavar="HID",
    multiple=True,
    help="A holder identifier whose HID- extension fields product bodies may carry "
    "anywhere (repeatable), like extension_prefixes in catalog-sync.yaml.",
)
@click.option(
    "--control",
    is_flag=True,
    help="Enable the /_emulator/ control endpoints (faults, ledger, reset).",
)
@click.option(
    "--allow-remote", is_flag=True, help="Allow --host to be a non-loopback interface."
)
def emulator(
    host: str, port: int, db: Path | None, clients: tuple[str, ...], token_lifetime: float,
    seed: Path | None, rate_limit: float | None, burst: float | None, fails: tuple[str, ...],
    latencies: tuple[str, ...], drops: tuple[str, ...], truncations: tuple[str, ...],
    stale_public: float, summaries: bool, page_params: str | None, cursor_paging: bool,
    no_etag: bool, public_versions: str | None, date_skew: float, schema: str,
    no_validate: bool, extension_prefixes: tuple[str, ...], control: bool,
    allow_remote: bool,
) -> None:  # fmt: skip
    """Serve the local Fiskil-compatible API (management + public PRD) until Ctrl-C.

    --page-params, --cursor-paging, --no-etag, --public-versions, --date-skew and
    --summaries play an API that differs from the assumed contract, for `doctor`."""
    from catalog_sync.emulator.app import make_app
    from catalog_sync.emulator.server import EmulatorServer
    from catalog_sync.emulator.server import check_bind_host
    from catalog_sync.emulator.store import Store

    parsed = [parse_client(spec) for spec in clients]
    prefixes = checked_prefixes(extension_prefixes, where="--extension-prefix")
    world = parse_world(
        page_params, cursor=cursor_paging, etag=not no_etag,
        public_versions=public_versions, date_skew=date_skew,
    )  # fmt: skip
    faults = {
        "fail": fails,
        "latency": latencies,
        "drop": drops,
        "truncate": truncations,
    }
    store: Store | None = None
    try:
        check_bind_host(host, allow_remote=allow_remote)
        store = Store(
            db or ":memory:", token_lifetime=token_lifetime, summaries=summaries
        )
        store.world = world
        seeded = _configure(store, parsed, faults, seed, rate_limit, burst)
        store.public_lag.set(stale_public)
        app = make_app(
            store, validate=not no_validate, schema=schema, control=control,
            extension_prefixes=prefixes,
        )  # fmt: skip
        server = EmulatorServer(app, host, port)
    except (ValueError, OSError, sqlite3.Error) as exc:  # spec and seed errors included
        if store is not None:
            store.close()
        raise ConfigError(str(exc), hint="see `catalog-sync emulator --help`") from exc
    _announce(server.base_url, seeded, [c[0] for c in parsed])
    # Only the main thread may set handlers. Run from another thread (embedded), the
    # emulator stops only with its process, so no test takes the other branch.
    if threading.current_thread() is threading.main_thread():  # pragma: no branch
        signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops as Ctrl-C does
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        click.echo("Stopping the emulator.", err=True)
    finally:
        server.close()
        store.close()


def parse_world(
    page_params: str | None,
    *,
    cursor: bool,
    etag: bool,
    public_versions: str | None,
    date_skew: float,
) -> World:
    """The emulator's `World` from its options; BadParameter names the bad one."""
    from catalog_sync.emulator.faults import World

    names = [name.strip() for name in (page_params or "page,page-size").split(",")]
    if len(names) != 2 or not all(names) or names[0] == names[1]:
        raise click.BadParameter(
            "expected two different names, e.g. pageNumber,pageSize",
            param_hint="--page-params",
        )
    words = [word.strip() for word in (public_versions or "6,7").split(",")]
    if not all(word in ("6", "7") for word in words):
        raise click.BadParameter("expected 6, 7 or 6,7", param_hint="--public-versions")
    return World(
        page_param=names[0],
        page_size_param=names[1],
        cursor=cursor,
        etag=etag,
        public_versions=frozenset(int(word) for word in words),
        date_skew=date_skew,
    )


def _configure(
    store: Store,
    clients: list[tuple[str, str, tuple[str, ...]]],
    faults: dict[str, tuple[str, ...]],
    seed: Path | None,
    rate_limit: float | None,
    burst: float | None,
) -> int:
    """Apply the options to a fresh store; returns how many products were seeded."""
    from catalog_sync.emulator.seed import load_seed_dir

    for kind, specs in faults.items():
        for spec in specs:
            store.faults.apply_spec(kind, spec)
    if rate_limit is not None:
        store.set_rate_limit(rate_limit, burst)
    for client_id, secret, scopes in clients:
        store.add_client(client_id, secret, scopes)
    return store.seed(load_seed_dir(seed)) if seed else 0


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _announce(base_url: str, seeded: int, client_ids: list[str]) -> None:
    clients = ", ".join(["local (secret: local-secret)", *client_ids])
    click.echo(f"Fiskil emulator listening on {base_url} ({seeded} products seeded)")
    click.echo(f"Clients: {clients}")
    click.echo(
        f"Get a token: curl -s -X POST {base_url}/v1/token -H 'Content-Type: application/json' "
        '-d \'{"client_id": "local", "client_secret": "local-secret"}\''
    )
    click.echo("Press Ctrl-C to stop.")
