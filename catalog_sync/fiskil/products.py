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
from urllib.parse import quote

import httpx

from catalog_sync.config.model import ApiContract
from catalog_sync.errors import ApiError
from catalog_sync.errors import ConflictError
from catalog_sync.fiskil.auth import TokenAuth
from catalog_sync.fiskil.compare import matches_sent
from catalog_sync.fiskil.compare import same_product
from catalog_sync.fiskil.flow import FlowControl
from catalog_sync.fiskil.paging import PageGuard
from catalog_sync.fiskil.paging import next_page_exists
from catalog_sync.fiskil.paging import page_body
from catalog_sync.fiskil.paging import products_of
from catalog_sync.fiskil.responses import error_for_response
from catalog_sync.fiskil.retry import Retrier
from catalog_sync.fiskil.transport import IDEMPOTENT_RETRY_STATUSES
from catalog_sync.fiskil.transport import describe_request
from catalog_sync.fiskil.waits import RateLimitWaits
from catalog_sync.fiskil.wire import NEVER_SENT
from catalog_sync.fiskil.wire import send
from catalog_sync.fiskil.wire import send_raw
from catalog_sync.fiskil.wire import transport_error
from catalog_sync.types import JSONObject

logger = logging.getLogger("catalog_sync.fiskil.products")

_SUCCESS = frozenset({200, 201, 202, 204})


def product_path(base: str, product_id: str) -> str:
    """`base/{productId}` with the id percent-encoded as exactly one path segment."""
    segment = quote(product_id, safe="")
    if segment in (".", ".."):
        segment = segment.replace(".", "%2E")
    return f"{base.rstrip('/')}/{segment}"


def merge_patch(previous: JSONObject, desired: JSONObject) -> JSONObject:
    """The JSON merge patch (RFC 7386) turning `previous` into `desired`: desired's
    fields, objects merged recursively, and null for every field desired lacks."""
    patch: JSONObject = {key: None for key in previous if key not in desired}
    for key, value in desired.items():
        old = previous.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            patch[key] = merge_patch(old, value)
        else:
            patch[key] = value
    return patch


def _data(response: httpx.Response) -> JSONObject | None:
    if not response.content:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, dict):
        data = body.get("data", body)
        return data if isinstance(data, dict) else None
    return None


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
        data = _data(response)
        if data is None:
            raise ApiError(
                f"GET {response.request.url.path}: the response has no product object"
            )
        return data, response.headers.get("etag")

    def _pages(self) -> Iterator[list[JSONObject]]:
        guard = PageGuard(what=f"GET {self._path}", page_param=self.api.page_param)
        for page in range(1, self.api.max_pages + 1):
            body = page_body(self._get_page(page), what=guard.what)
            products = products_of(body, what=guard.what)
            guard.check(page, products)
            if products:
                yield products
            if not next_page_exists(body, page, len(products), self.api.page_size):
                return
        raise ApiError(
            f"GET {self._path}: still more pages after {self.api.max_pages}; stopping",
            hint="the server may ignore the page parameter; check api.page_param "
            "or raise api.max_pages",
        )

    def _get_page(self, page: int) -> httpx.Response:
        params = {
            self.api.page_param: page,
            self.api.page_size_param: self.api.page_size,
        }
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
                landed = self._reconcile(product, product_id, what)
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
                return _data(response) or dict(product)
            if status == 409 and reason is not None:
                reason = "409 after an interrupted attempt"
                continue
            if status == 409:
                return self._already_live(product, product_id, response, matches_sent)
            if status in IDEMPOTENT_RETRY_STATUSES:
                reason, last = f"HTTP {status}", self._error(response)
                continue
            raise self._error(response)
        landed = self._reconcile(product, product_id, what)
        if landed is not None:
            return landed
        assert last is not None
        raise last

    def _reconcile(
        self, product: JSONObject, product_id: str, what: str
    ) -> JSONObject | None:
        found = self.get_product(product_id)
        if found is None:
            return None
        if matches_sent(product, found):
            logger.info("%s: an earlier attempt landed; counted as created", what)
            return found
        raise ConflictError(
            f"{what}: productId {product_id!r} exists with different content after an "
            "interrupted create; changed underneath us, re-plan",
            status=409,
            method="POST",
            url=self._path,
            hint="run plan again to see the current difference",
        )

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
            return self._already_live(product, product_id, response, same_product)
        if response.status_code not in _SUCCESS:
            raise self._error(response)
        return _data(response) or dict(product)

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

    def _already_live(
        self,
        product: JSONObject,
        product_id: str,
        response: httpx.Response,
        equal: Callable[[JSONObject, JSONObject], bool],
    ) -> JSONObject:
        """A write refused with 409/412 is done when live already equals what was sent
        (someone made it so); otherwise it is the conflict the server said."""
        found = self.get_product(product_id)
        if found is not None and equal(product, found):
            logger.info(
                "%s: %d, but live already equals what was sent; counted as done",
                describe_request(response.request),
                response.status_code,
            )
            return found
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
