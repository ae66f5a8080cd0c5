"""`ProductsClient`: the Fiskil products API (list, get, create, update, delete) by productId,
implementing `catalog_sync.apply.api.ProductsApi` over one shared httpx.Client.

Pagination hides behind `iter_products` and is guarded against endless and repeating
pages. A create is never blindly resent after an ambiguous failure: the productId is read
back first, and the create is repeated (with the same Idempotency-Key) only if absent.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from catalog_sync.config.model import ApiContract
from catalog_sync.errors import ApiError
from catalog_sync.fiskil.auth import TokenAuth
from catalog_sync.fiskil.compare import matches_sent
from catalog_sync.fiskil.compare import same_product
from catalog_sync.fiskil.flow import FlowControl
from catalog_sync.fiskil.landed import already_live
from catalog_sync.fiskil.landed import landed_create
from catalog_sync.fiskil.paging import PageGuard
from catalog_sync.fiskil.paging import next_link
from catalog_sync.fiskil.paging import next_page_exists
from catalog_sync.fiskil.paging import page_body
from catalog_sync.fiskil.paging import products_of
from catalog_sync.fiskil.paging import same_origin_url
from catalog_sync.fiskil.resource import merge_patch
from catalog_sync.fiskil.resource import product_path
from catalog_sync.fiskil.resource import response_data
from catalog_sync.fiskil.responses import error_for_response
from catalog_sync.fiskil.retry import Retrier
from catalog_sync.fiskil.transport import IDEMPOTENT_RETRY_STATUSES
from catalog_sync.fiskil.transport import NEVER_SENT
from catalog_sync.fiskil.waits import RateLimitWaits
from catalog_sync.fiskil.wire import send
from catalog_sync.fiskil.wire import send_raw
from catalog_sync.fiskil.wire import transport_error
from catalog_sync.types import JSONObject

logger = logging.getLogger("catalog_sync.fiskil.products")

_SUCCESS = frozenset({200, 201, 202, 204})


class ProductsClient:
    """Products CRUD over HTTP; share one instance between threads."""

    def __init__(
        self,
        http: httpx.Client,
        *,
        api: ApiContract,
        retrier: Retrier,
        auth: TokenAuth | None = None,
        new_key: Callable[[], str] | None = None,
        flow: FlowControl | None = None,
        on_close: Sequence[Callable[[], None]] = (),
    ) -> None:
        self.http = http
        self.api = api
        self.retrier = retrier
        self.auth = auth
        self._flow = flow
        self._new_key = new_key or (lambda: str(uuid.uuid4()))
        self._on_close = tuple(on_close)
        self._path = api.products_path

    # -- reading -------------------------------------------------------------------

    def iter_products(self) -> Iterator[JSONObject]:
        """Every live product with full detail, page by page."""
        if self.api.list_returns_details:
            yield from self.iter_listing()
            return
        for page in self._pages():
            yield from self._details(page)

    def iter_listing(self) -> Iterator[JSONObject]:
        """Exactly what the list endpoint returns (details or summaries)."""
        for page in self._pages():
            yield from page

    def list_page(self, page: int = 1) -> list[JSONObject]:
        """One page of the listing (used by `auth check` to prove read access)."""
        what = f"GET {self._path}"
        return products_of(page_body(self._get_page(page), what=what), what=what)

    def get_product(self, product_id: str) -> JSONObject | None:
        found = self.get_product_with_version(product_id)
        return found[0] if found is not None else None

    def get_product_with_version(
        self, product_id: str
    ) -> tuple[JSONObject, str | None] | None:
        """The product and its ETag (for stale-plan checks), or None if it does not exist."""
        response = send(self.http, "GET", product_path(self._path, product_id))
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise self._error(response)
        data = response_data(response)
        if data is None:
            raise ApiError(
                f"GET {response.request.url.path}: the response has no product object"
            )
        return data, response.headers.get("etag")

    def _pages(self) -> Iterator[list[JSONObject]]:
        guard = PageGuard(what=f"GET {self._path}", page_param=self.api.page_param)
        following: httpx.URL | None = None
        for page in range(1, self.api.max_pages + 1):
            body = page_body(self._get_page(page, following), what=guard.what)
            products = products_of(body, what=guard.what)
            guard.check(page, products)
            if products:
                yield products
            if self.api.paging == "next-link":
                link = next_link(body) if products else None
                if link is None:
                    return
                following = same_origin_url(self.http.base_url, link, what=guard.what)
            elif not next_page_exists(body, page, len(products), self.api.page_size):
                return
        raise ApiError(
            f"GET {self._path}: still more pages after {self.api.max_pages}; stopping",
            hint="the server may ignore the page parameter; check api.page_param "
            "or raise api.max_pages",
        )

    def _get_page(
        self, page: int, following: httpx.URL | None = None
    ) -> httpx.Response:
        """Page `page` by number, or (`paging: next-link`) the first page and then the
        `links.next` URL exactly as the server gave it."""
        if following is not None:
            response = send(self.http, "GET", str(following))
        else:
            params = {self.api.page_size_param: self.api.page_size}
            if self.api.paging == "page":
                params[self.api.page_param] = page
            response = send(self.http, "GET", self._path, params=params)
        if response.status_code != 200:
            raise self._error(response)
        return response

    def _details(self, summaries: Iterable[JSONObject]) -> Iterator[JSONObject]:
        ids = [str(item["productId"]) for item in summaries if "productId" in item]
        workers = max(1, min(self.api.detail_concurrency, len(ids)))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for detail in pool.map(self.get_product, ids):
                if (
                    detail is not None
                ):  # deleted between list and get: not live any more
                    yield detail

    # -- writing -------------------------------------------------------------------

    def create_product(self, product: JSONObject) -> JSONObject:
        """POST with an Idempotency-Key; after an ambiguous failure, read back first."""
        product_id = str(product["productId"])
        key = self._new_key()
        headers = {self.api.idempotency_header: key}
        what = f"POST {self._path} ({product_id})"
        reason: str | None = None
        last: ApiError | None = None
        for attempt in range(1, self.api.max_attempts + 1):
            if reason is not None:
                landed = landed_create(
                    product, self.get_product(product_id), what=what, path=self._path
                )
                if landed is not None:
                    return landed
                delay = self.retrier.backoff(attempt - 1)
                self.retrier.pause(
                    what=what, reason=reason, attempt=attempt - 1, delay=delay
                )
            try:
                response = send_raw(
                    self.http, "POST", self._path, json=product, headers=headers
                )
            except httpx.HTTPError as exc:
                error = transport_error(exc, what=what)
                if isinstance(exc, NEVER_SENT):
                    raise error from exc
                reason, last = type(exc).__name__, error
                continue
            status = response.status_code
            if status in _SUCCESS:
                return response_data(response) or dict(product)
            if status == 409 and reason is not None:
                reason = "409 after an interrupted attempt"
                continue
            if status == 409:
                return already_live(
                    product, self.get_product(product_id), response, matches_sent
                )
            if status in IDEMPOTENT_RETRY_STATUSES:
                reason, last = f"HTTP {status}", self._error(response)
                continue
            raise self._error(response)
        landed = landed_create(
            product, self.get_product(product_id), what=what, path=self._path
        )
        if landed is not None:
            return landed
        assert last is not None
        raise last

    def update_product(
        self,
        product_id: str,
        product: JSONObject,
        *,
        if_match: str | None = None,
        previous: JSONObject | None = None,
    ) -> JSONObject:
        """PUT (full replace) or PATCH, as `api.update_method` says; `if_match` sends
        If-Match so the server refuses (412) if the product changed since it was read.
        With PATCH and `previous` (the product as read), fields `product` lacks are
        sent as null, so the merge patch removes them as a full replace would."""
        headers = {"If-Match": if_match} if if_match else {}
        path = product_path(self._path, product_id)
        body = product
        if self.api.update_method == "PATCH" and previous is not None:
            body = merge_patch(previous, product)
        response = send(
            self.http, self.api.update_method, path, json=body, headers=headers
        )
        if response.status_code in (409, 412):
            # Our own earlier attempt (a retry carries the If-Match of the version it
            # replaced) or a concurrent apply may have made live what we sent.
            return already_live(
                product, self.get_product(product_id), response, same_product
            )
        if response.status_code not in _SUCCESS:
            raise self._error(response)
        return response_data(response) or dict(product)

    def delete_product(self, product_id: str, *, if_match: str | None = None) -> None:
        """DELETE; 404 means it is already gone, which counts as deleted."""
        headers = {"If-Match": if_match} if if_match else {}
        path = product_path(self._path, product_id)
        response = send(self.http, "DELETE", path, headers=headers)
        if response.status_code == 404 or response.status_code in _SUCCESS:
            return
        # If-Match on a product that is gone is false (RFC 9110): a retry whose first
        # attempt landed may get 412. Gone is what we wanted.
        if (
            response.status_code == 412
            and if_match
            and self.get_product(product_id) is None
        ):
            return
        raise self._error(response)

    def _error(self, response: httpx.Response) -> ApiError:
        return error_for_response(response)

    # -- lifecycle -----------------------------------------------------------------

    def rate_limit_waits(self) -> RateLimitWaits:
        """The 429s so far and how long requests waited on the limit (nothing known
        without the client's FlowControl)."""
        return self._flow.waits() if self._flow is not None else RateLimitWaits()

    def interrupt(self) -> None:
        """Ctrl-C: requests waiting to retry give up at once (see Retrier.interrupt)."""
        self.retrier.interrupt()

    def close(self) -> None:
        self.http.close()
        for close in self._on_close:
            close()

    def __enter__(self) -> ProductsClient:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"ProductsClient(base_url={str(self.http.base_url)!r}, auth={self.auth!r})"
        )
