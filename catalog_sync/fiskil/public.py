"""`PublicReader`: the holder's public CDS Product Reference Data endpoints
(`/cds-au/v1/banking/products` and product detail), read without credentials, with `x-v`
/ `x-min-v` version negotiation, `effective=ALL` and CDS paging, through the same retries.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

import httpx

from catalog_sync.config.model import ApiContract
from catalog_sync.config.model import Config
from catalog_sync.config.model import Environment
from catalog_sync.errors import ApiError
from catalog_sync.errors import ConfigError
from catalog_sync.fiskil.clock import Clock
from catalog_sync.fiskil.observe import CallObserver
from catalog_sync.fiskil.paging import PageGuard
from catalog_sync.fiskil.paging import next_page_exists
from catalog_sync.fiskil.paging import page_body
from catalog_sync.fiskil.paging import products_of
from catalog_sync.fiskil.products import product_path
from catalog_sync.fiskil.responses import error_for_response
from catalog_sync.fiskil.retry import Retrier
from catalog_sync.fiskil.session import build_http_client
from catalog_sync.fiskil.wire import send
from catalog_sync.types import JSONObject

# Get Products (list) version released alongside each Get Product Detail version
# (CDS 1.32: 3/4, 1.33: 3/5, 1.34: 4/6, 1.35-1.36: 5/7; see fiskil-api.md §4.2).
LIST_VERSION_FOR_DETAIL = {4: 3, 5: 3, 6: 4, 7: 5}
PUBLIC_MAX_PAGE_SIZE = 1000  # the CDS maximum page-size


def _list_version(detail_version: int) -> int:
    return LIST_VERSION_FOR_DETAIL.get(detail_version, max(1, detail_version - 2))


class PublicReader:
    """Reads what data recipients see; no Authorization header is ever sent."""

    def __init__(
        self,
        http: httpx.Client,
        *,
        api: ApiContract,
        on_close: tuple[Callable[[], None], ...] = (),
    ) -> None:
        self.http = http
        self.api = api
        self._path = api.public_products_path
        self._on_close = on_close

    def iter_products(
        self, *, effective: str = "ALL", **filters: str
    ) -> Iterator[JSONObject]:
        """Every product summary the public list shows (`effective=ALL` by default);
        `filters` are extra CDS query parameters such as `brand` or `product-category`."""
        headers = {
            "x-v": str(_list_version(self.api.public_version)),
            "x-min-v": str(_list_version(self.api.public_min_version)),
        }
        size = min(self.api.page_size, PUBLIC_MAX_PAGE_SIZE)
        guard = PageGuard(what=f"GET {self._path}", page_param="page")
        for page in range(1, self.api.max_pages + 1):
            params: dict[str, Any] = {
                "effective": effective,
                "page": page,
                "page-size": size,
                **filters,
            }
            response = send(
                self.http, "GET", self._path, params=params, headers=headers
            )
            if response.status_code != 200:
                raise error_for_response(response)
            body = page_body(response, what=guard.what)
            products = products_of(body, what=guard.what)
            guard.check(page, products)
            yield from products
            if not next_page_exists(body, page, len(products), size):
                return
        raise ApiError(f"GET {self._path}: still more pages after {self.api.max_pages}")

    def get_product(self, product_id: str) -> JSONObject | None:
        found = self.get_product_versioned(product_id)
        return found[0] if found is not None else None

    def get_product_versioned(self, product_id: str) -> tuple[JSONObject, int] | None:
        """The product detail and the `x-v` version the server answered with, newest
        first: x-v=public_version with x-min-v=public_min_version, then each older
        version alone for servers that ignore x-min-v. None when it does not exist."""
        path = product_path(self._path, product_id)
        newest, oldest = self.api.public_version, self.api.public_min_version
        attempts = [(newest, oldest)] + [
            (v, v) for v in range(newest - 1, oldest - 1, -1)
        ]
        response: httpx.Response | None = None
        for version, minimum in attempts:
            headers = {"x-v": str(version), "x-min-v": str(minimum)}
            response = send(self.http, "GET", path, headers=headers)
            if response.status_code != 406:
                break
        assert response is not None
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise error_for_response(response)
        try:
            body = response.json()
        except ValueError as exc:
            raise ApiError(f"GET {path}: the response is not JSON") from exc
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise ApiError(f"GET {path}: the response has no product object")
        answered = response.headers.get("x-v", "")
        # ASCII digits only: a latin-1 "²" passes isdigit() and int() refuses it.
        known = answered.isascii() and answered.isdigit()
        return data, int(answered) if known else version

    def close(self) -> None:
        self.http.close()
        for close in self._on_close:
            close()

    def __enter__(self) -> PublicReader:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PublicReader(base_url={str(self.http.base_url)!r})"


def open_public_reader(
    config: Config,
    env: Environment,
    *,
    clock: Clock | None = None,
    transport: httpx.BaseTransport | None = None,
    rng: random.Random | None = None,
    api: ApiContract | None = None,
    observer: CallObserver | None = None,
) -> PublicReader:
    """The public PRD reader for `env` (the embedded emulator for `local`); `api`
    replaces the configured contract (e.g. another detail version), `observer` hears
    every call."""
    api = api or config.api
    retrier = Retrier.from_contract(api, clock=clock, rng=rng)
    on_close: tuple[Callable[[], None], ...] = ()
    if env.target == "embedded":
        from catalog_sync.emulator.app import make_app
        from catalog_sync.emulator.store import Store
        from catalog_sync.emulator.transport import EmulatorTransport
        from catalog_sync.targets import EMBEDDED_BASE_URL

        if transport is None:
            db_path = env.db_path or config.state_dir / f"{env.name}.db"
            db_path.parent.mkdir(parents=True, exist_ok=True)
            store = Store(db_path)
            transport = EmulatorTransport(make_app(store, schema=config.schema))
            on_close = (store.close,)
        base_url, check = EMBEDDED_BASE_URL, False
    else:
        if not env.public_base_url:
            raise ConfigError(
                f"environment {env.name!r} has no public_base_url",
                hint="set environments.<name>.public_base_url to the Data Provider "
                "domain (Fiskil Console > Settings > Domains)",
            )
        base_url, check = env.public_base_url, True
    http = build_http_client(
        base_url,
        api=api,
        retrier=retrier,
        transport=transport,
        check_url=check,
        observer=observer,
    )
    return PublicReader(http, api=api, on_close=on_close)
