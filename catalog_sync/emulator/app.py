"""The emulator as a stdlib WSGI app: routes each request to the token endpoint, the
management product routes (`management.py`) or the public PRD endpoints (`public.py`), and
applies faults, rate limiting and the request ledger to every call.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from email.utils import formatdate
from typing import Any

from catalog_sync.emulator import public
from catalog_sync.emulator.auth import issue_token
from catalog_sync.emulator.control import handle_control
from catalog_sync.emulator.ledger import redact_body
from catalog_sync.emulator.ledger import redact_headers
from catalog_sync.emulator.management import PRODUCTS_PATH
from catalog_sync.emulator.management import handle_product
from catalog_sync.emulator.management import handle_products
from catalog_sync.emulator.messages import BadRequestBody
from catalog_sync.emulator.messages import Request
from catalog_sync.emulator.messages import Response
from catalog_sync.emulator.messages import StartResponse
from catalog_sync.emulator.messages import cds_error
from catalog_sync.emulator.messages import not_allowed
from catalog_sync.emulator.records import Check
from catalog_sync.emulator.store import Store
from catalog_sync.emulator.validation import make_check

TOKEN_PATH = "/v1/token"
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
    extension_prefixes: Sequence[str] = (),
) -> WSGIApp:
    """The WSGI callable serving `store`. `validate` checks write bodies against the
    project's JSON Schema `schema`, where `<HID>-` fields of `extension_prefixes` are
    allowed anywhere; `control` enables the `/_emulator/` endpoints."""
    check = make_check(schema, extension_prefixes) if validate else None
    return _EmulatorApp(store, check=check, control=control)


class _EmulatorApp:
    def __init__(self, store: Store, *, check: Check | None, control: bool) -> None:
        self.store = store
        self.check = check
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
            response = self._in_world(self._handle(request, in_flight))
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
        # Like many APIs, the emulator names each request (the audit record keeps it).
        response.headers.setdefault("x-request-id", f"emu-{arrival}")
        if dropped:
            raise ConnectionDroppedError(f"{request.method} {request.path}")
        if truncate is not None:
            raise ResponseTruncatedError(response, truncate)
        return response.send(start_response)

    def _in_world(self, response: Response) -> Response:
        """The `Date` header from the store's clock (skewed if the world says so), and
        no `ETag` in a world without them."""
        world = self.store.world
        if not world.etag:
            response.headers.pop("ETag", None)
        when = self.store.now() + world.date_skew
        response.headers.setdefault("Date", formatdate(when, usegmt=True))
        return response

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
                else not_allowed("POST")
            )
        if path == PRODUCTS_PATH:
            return handle_products(self.store, request, self.check)
        product_id = request.segment_after(PRODUCTS_PATH)
        if product_id is not None:
            return handle_product(self.store, request, product_id, self.check)
        if path == public.PUBLIC_PATH or request.segment_after(public.PUBLIC_PATH):
            if method != "GET":
                return not_allowed("GET")
            return public.handle(self.store, request)
        return cds_error(
            404, "Resource/NotFound", "Resource Not Found", f"no route {path}"
        )


def _parsed_body(request: Request) -> Any:
    try:
        return redact_body(request.json())
    except BadRequestBody:
        return None
