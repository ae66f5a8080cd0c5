"""Test helpers for the engine: a valid minimal CDS product and a ProductsClient wired
to an in-process emulator store (the same client code path as production)."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from catalog_sync.config.model import default_config
from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.store import Store
from catalog_sync.emulator.transport import EmulatorTransport
from catalog_sync.fiskil.connect import ClientOptions
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.targets import open_products_api
from tests.conftest import FakeClock

PRODUCTS_PATH = "/v1/data-provider/cdr/products"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def product(pid: str, **fields: Any) -> dict[str, Any]:
    """A minimal V7-valid product; `fields` override or add."""
    body: dict[str, Any] = {
        "productId": pid,
        "productCategory": "TRANS_AND_SAVINGS_ACCOUNTS",
        "name": f"Product {pid}",
        "description": f"The {pid} account.",
        "brand": "WATTLE",
        "brandName": "Wattle Bank",
        "isTailored": False,
    }
    body.update(fields)
    return body


@contextmanager
def emulator_api(
    store: Store,
    *,
    max_in_flight: int = 4,
    validate: bool = True,
    wrap: Callable[[httpx.BaseTransport], httpx.BaseTransport] | None = None,
) -> Iterator[ProductsClient]:
    """A write-scoped ProductsClient over `store`, with a fake clock so retries never
    really sleep; `wrap` puts a test's own transport around the emulator's."""
    config = default_config(Path("/nonexistent-catalog-root"))
    transport: httpx.BaseTransport = EmulatorTransport(
        make_app(store, validate=validate)
    )
    if wrap is not None:
        transport = wrap(transport)
    with open_products_api(
        config,
        config.environment(None),
        need="write",
        options=ClientOptions(
            clock=FakeClock(), transport=transport, max_in_flight=max_in_flight
        ),
    ) as api:
        yield api


def writes(store: Store) -> list[tuple[str, str, int]]:
    """(method, path, status) of every write request the store saw."""
    return [
        (e.method, e.path, e.status)
        for e in store.ledger.entries()
        if e.method in WRITE_METHODS and e.path.startswith(PRODUCTS_PATH)
    ]
