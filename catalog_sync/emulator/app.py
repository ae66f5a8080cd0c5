"""The emulator as a stdlib WSGI app: the assumed Fiskil management contract (token, products
CRUD with scopes, ETags, idempotency keys and CDS error bodies) plus the public PRD endpoints,
with faults, rate limiting and the request ledger applied to every call.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from collections.abc import Iterable
from typing import Any

from catalog_sync.emulator import public
from catalog_sync.emulator.auth import authorize
from catalog_sync.emulator.auth import issue_token
from catalog_sync.emulator.control import handle_control
from catalog_sync.emulator.ledger import redact_body
from catalog_sync.emulator.ledger import redact_headers
from catalog_sync.emulator.messages import BadRequestBody
from catalog_sync.emulator.messages import Request
from catalog_sync.emulator.messages import Response
from catalog_sync.emulator.messages import StartResponse
from catalog_sync.emulator.messages import cds_error
from catalog_sync.emulator.records import IdempotencyKeyReusedError
from catalog_sync.emulator.records import PreconditionFailedError
from catalog_sync.emulator.records import ProductExistsError
from catalog_sync.emulator.records import ProductNotFoundError
from catalog_sync.emulator.records import StoredProduct
from catalog_sync.emulator.records import StoreError
from catalog_sync.emulator.store import READ_SCOPE
from catalog_sync.emulator.store import WRITE_SCOPE
from catalog_sync.emulator.store import Store
from catalog_sync.emulator.validation import InvalidProductError
from catalog_sync.emulator.validation import make_check
from catalog_sync.emulator.validation import product_id_problem

TOKEN_PATH = "/v1/token"
PRODUCTS_PATH = "/v1/data-provider/cdr/products"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class ConnectionDroppedError(Exception):
    """Raised out of the app after a committed write when a drop fault fires: the socket
    server closes the connection; `EmulatorTransport` turns it into an httpx error."""


class ResponseTruncatedError(ConnectionDroppedError):
    """A truncate fault: send `response`'s headers and only `keep` body bytes, then close."""

    def __init__(self, response: Response, keep: int) -> None:
        super().__init__(f"response truncated to {keep} bytes")
        self.response = response
        self.keep = keep


def make_app(
    store: Store,
    *,
    validate: bool = True,
    schema: str = "cds-v7",
    control: bool = False,
) -> WSGIApp:
    """The WSGI callable serving `store`. `validate` checks write bodies against the
    project's JSON Schema `schema`; `control` enables the `/_emulator/` endpoints."""
    return _EmulatorApp(store, validate=validate, schema=schema, control=control)


class _EmulatorApp:
    def __init__(
        self, store: Store, *, validate: bool, schema: str, control: bool
    ) -> None:
        self.store = store
        self.check = make_check(schema) if validate else None
        self.control = control

    def __call__(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> list[bytes]:
        request = Request.from_environ(environ)
        if self.control and request.path.startswith("/_emulator/"):
            return handle_control(self.store, request).send(start_response)
        ledger = self.store.ledger
        arrival, in_flight = ledger.begin()
        at, started = self.store.now(), time.perf_counter()
        response: Response | None = None
        dropped = False
        truncate: int | None = None
        try:
            response = self._handle(request, in_flight)
            faults = self.store.faults
            dropped = (
                request.method in WRITE_METHODS
                and response.status < 300
                and faults.take_drop(request.method, request.path)
            )
            if not dropped:
                truncate = faults.take_truncation(request.method, request.path)
        finally:
            ledger.finish(
                arrival=arrival,
                method=request.method,
                path=request.path,
                raw_path=request.raw_path,
                query=request.query_string,
                status=response.status if response else 500,
                headers=redact_headers(request.headers),
                body=_parsed_body(request),
                at=at,
                elapsed=time.perf_counter() - started,
                in_flight=in_flight,
                dropped=dropped or truncate is not None,
            )
        if dropped:
            raise ConnectionDroppedError(f"{request.method} {request.path}")
        if truncate is not None:
            raise ResponseTruncatedError(response, truncate)
        return response.send(start_response)

    def _handle(self, request: Request, in_flight: int) -> Response:
        faults = self.store.faults
        delay = faults.latency_for(request.method, request.path)
        if delay > 0:
            time.sleep(delay)
        failure = faults.take_failure(request.method, request.path)
        if failure is not None:
            headers = (
                {"Retry-After": failure.retry_after} if failure.retry_after else {}
            )
            headers.update(failure.headers)
            if failure.body is not None:
                return Response(failure.status, failure.body, headers)
            return cds_error(
                failure.status, "GeneralError/Unexpected", "Injected fault",
                "the emulator was told to fail this request", headers=headers,
            )  # fmt: skip
        limited = self._rate_limited(in_flight)
        if limited is not None:
            return limited
        try:
            return self._route(request)
        except BadRequestBody as exc:
            return cds_error(400, "Field/Invalid", "Invalid Field", str(exc))

    def _rate_limited(self, in_flight: int) -> Response | None:
        wait = None
        limiter = self.store.rate_limiter
        limit = self.store.concurrency_limit
        if limit is not None and in_flight > limit:
            wait = 1
        elif limiter is not None:
            wait = limiter.acquire()
        if wait is None:
            return None
        body = {"error": "rate_limited", "error_description": "Rate limit exceeded"}
        return Response(429, body, {"Retry-After": str(wait)})

    def _route(self, request: Request) -> Response:
        method, path = request.method, request.path
        if path == TOKEN_PATH:
            return (
                issue_token(self.store, request)
                if method == "POST"
                else _not_allowed("POST")
            )
        if path == PRODUCTS_PATH:
            if method == "GET":
                return authorize(self.store, request, READ_SCOPE) or self._list(request)
            if method == "POST":
                return authorize(self.store, request, WRITE_SCOPE) or self._create(
                    request
                )
            return _not_allowed("GET, POST")
        if path.startswith(PRODUCTS_PATH + "/"):
            return self._one(request, path[len(PRODUCTS_PATH) + 1 :])
        if path == public.PUBLIC_PATH or path.startswith(public.PUBLIC_PATH + "/"):
            if method != "GET":
                return _not_allowed("GET")
            return public.handle(self.store, request)
        return cds_error(
            404, "Resource/NotFound", "Resource Not Found", f"no route {path}"
        )

    def _one(self, request: Request, product_id: str) -> Response:
        problem = product_id_problem(product_id)
        if problem:
            return cds_error(400, "Field/Invalid", "Invalid Field", problem)
        scope = READ_SCOPE if request.method == "GET" else WRITE_SCOPE
        if request.method not in {"GET", "PUT", "PATCH", "DELETE"}:
            return _not_allowed("GET, PUT, PATCH, DELETE")
        denied = authorize(self.store, request, scope)
        if denied is not None:
            return denied
        if request.method == "GET":
            product = self.store.get_product(product_id)
            if product is None:
                return _not_found(product_id)
            return _product_response(200, product)
        return self._write(request, product_id)

    def _list(self, request: Request) -> Response:
        paging = public.parse_paging(request)
        if isinstance(paging, Response):
            return paging
        page, size = paging
        products, total = self.store.list_products(offset=(page - 1) * size, limit=size)
        bodies = [
            public.summary(p.body) if self.store.summaries else p.body for p in products
        ]
        return Response(200, public.page_envelope(request, bodies, total, page, size))

    def _create(self, request: Request) -> Response:
        body = _json_object(request)
        if isinstance(body, Response):
            return body
        problem = product_id_problem(body.get("productId"))
        if problem:
            return _invalid(problem, "productId")
        key = request.headers.get("idempotency-key")
        try:
            product, replayed = self.store.create_product(
                body, idempotency_key=key, check=self.check
            )
        except StoreError as exc:
            return _store_error(exc)
        response = _product_response(201, product)
        response.headers["Location"] = (
            f"{request.base_url}{PRODUCTS_PATH}/{product.product_id}"
        )
        if replayed:
            response.headers["Idempotent-Replayed"] = "true"
        return response

    def _write(self, request: Request, product_id: str) -> Response:
        if_match = request.headers.get("if-match")
        try:
            if request.method == "DELETE":
                self.store.delete_product(product_id, if_match=if_match)
                return Response(204)
            body = _json_object(request)
            if isinstance(body, Response):
                return body
            sent_id = body.get(
                "productId", product_id if request.method == "PATCH" else None
            )
            if sent_id != product_id:
                return _invalid(
                    "productId in the body must match the path", "productId"
                )
            write = (
                self.store.replace_product
                if request.method == "PUT"
                else self.store.patch_product
            )
            product = write(product_id, body, if_match=if_match, check=self.check)
        except StoreError as exc:
            return _store_error(exc)
        return _product_response(200, product)


def _parsed_body(request: Request) -> Any:
    try:
        return redact_body(request.json())
    except BadRequestBody:
        return None


def _json_object(request: Request) -> dict[str, Any] | Response:
    body = request.json()
    if not isinstance(body, dict):
        return cds_error(
            400, "Field/Invalid", "Invalid Field", "the body must be a JSON object"
        )
    return body


def _product_response(status: int, product: StoredProduct) -> Response:
    return Response(status, {"data": product.body}, {"ETag": product.etag})


def _not_allowed(allowed: str) -> Response:
    response = cds_error(
        405, "GeneralError/Unexpected", "Method Not Allowed", f"use {allowed}"
    )
    response.headers["Allow"] = allowed
    return response


def _not_found(product_id: str) -> Response:
    return cds_error(
        404, "Resource/NotFound", "Resource Not Found", f"no product {product_id!r}"
    )


def _invalid(detail: str, path: str) -> Response:
    return cds_error(422, "Field/Invalid", "Invalid Field", detail, meta={"path": path})


def _store_error(exc: StoreError) -> Response:
    match exc:
        case InvalidProductError():
            return Response(422, {"errors": exc.errors})
        case ProductNotFoundError():
            return _not_found(str(exc))
        case ProductExistsError():
            return cds_error(
                409, "urn:fiskil-emulator:Resource/Conflict", "Conflict",
                f"a product with productId {exc!s} already exists",
            )  # fmt: skip
        case PreconditionFailedError():
            return cds_error(
                412, "urn:fiskil-emulator:Resource/PreconditionFailed",
                "Precondition Failed", f"product {exc!s} changed; If-Match does not match",
            )  # fmt: skip
        case IdempotencyKeyReusedError():
            return _invalid("this Idempotency-Key was used with a different body", "")
    raise exc  # pragma: no cover - every StoreError subclass is mapped above
