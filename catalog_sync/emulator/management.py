"""The emulator's management product routes under `/v1/data-provider/cdr/products`: list and
create, then read, replace, patch and delete one product, each behind its scope, with ETags,
If-Match, Idempotency-Key, and the store's refusals mapped to CDS error bodies.
"""

from __future__ import annotations

from typing import Any

from catalog_sync.cds.product_id import path_segment
from catalog_sync.cds.product_id import product_id_problem
from catalog_sync.emulator import public
from catalog_sync.emulator.auth import authorize
from catalog_sync.emulator.messages import Request
from catalog_sync.emulator.messages import Response
from catalog_sync.emulator.messages import cds_error
from catalog_sync.emulator.messages import not_allowed
from catalog_sync.emulator.records import Check
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

PRODUCTS_PATH = "/v1/data-provider/cdr/products"


def handle_products(store: Store, request: Request, check: Check | None) -> Response:
    """GET (list) or POST (create) on the products collection."""
    if request.method == "GET":
        return authorize(store, request, READ_SCOPE) or _list(store, request)
    if request.method == "POST":
        return authorize(store, request, WRITE_SCOPE) or _create(store, request, check)
    return not_allowed("GET, POST")


def handle_product(
    store: Store, request: Request, product_id: str, check: Check | None
) -> Response:
    """GET, PUT, PATCH or DELETE on one product."""
    problem = product_id_problem(product_id)
    if problem:
        return cds_error(400, "Field/Invalid", "Invalid Field", problem)
    scope = READ_SCOPE if request.method == "GET" else WRITE_SCOPE
    if request.method not in {"GET", "PUT", "PATCH", "DELETE"}:
        return not_allowed("GET, PUT, PATCH, DELETE")
    denied = authorize(store, request, scope)
    if denied is not None:
        return denied
    if request.method == "GET":
        product = store.get_product(product_id)
        if product is None:
            return _not_found(product_id)
        return _product_response(200, product)
    return _write(store, request, product_id, check)


def _list(store: Store, request: Request) -> Response:
    """A page by number (under the world's parameter names), or by cursor."""
    world = store.world
    paging = public.parse_paging(request, (world.page_param, world.page_size_param))
    if isinstance(paging, Response):
        return paging
    page, size = paging
    offset = (page - 1) * size
    cursor = request.query.get("cursor") if world.cursor else None
    if world.cursor:
        found = 0 if cursor is None else public.decode_cursor(cursor)
        if found is None:
            detail = "cursor is not one this server issued"
            return cds_error(400, "Field/Invalid", "Invalid Field", detail)
        offset = found
    products, total = store.list_products(offset=offset, limit=size)
    bodies = [public.summary(p.body) if store.summaries else p.body for p in products]
    if world.cursor:
        envelope = public.cursor_envelope(request, bodies, total, offset, size)
    else:
        envelope = public.page_envelope(
            request, bodies, total, page, size, page_param=world.page_param
        )
    return Response(200, envelope)


def _create(store: Store, request: Request, check: Check | None) -> Response:
    body = _json_object(request)
    if isinstance(body, Response):
        return body
    problem = product_id_problem(body.get("productId"))
    if problem:
        return _invalid(problem, "productId")
    key = request.headers.get("idempotency-key")
    try:
        product, replayed = store.create_product(body, idempotency_key=key, check=check)
    except StoreError as exc:
        return _store_error(exc)
    response = _product_response(201, product)
    response.headers["Location"] = (
        f"{request.base_url}{PRODUCTS_PATH}/{path_segment(product.product_id)}"
    )
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def _write(
    store: Store, request: Request, product_id: str, check: Check | None
) -> Response:
    if_match = request.headers.get("if-match")
    try:
        if request.method == "DELETE":
            store.delete_product(product_id, if_match=if_match)
            return Response(204)
        body = _json_object(request)
        if isinstance(body, Response):
            return body
        sent_id = body.get(
            "productId", product_id if request.method == "PATCH" else None
        )
        if sent_id != product_id:
            return _invalid("productId in the body must match the path", "productId")
        write = (
            store.replace_product if request.method == "PUT" else store.patch_product
        )
        product = write(product_id, body, if_match=if_match, check=check)
    except StoreError as exc:
        return _store_error(exc)
    return _product_response(200, product)


def _json_object(request: Request) -> dict[str, Any] | Response:
    body = request.json()
    if not isinstance(body, dict):
        return cds_error(
            400, "Field/Invalid", "Invalid Field", "the body must be a JSON object"
        )
    return body


def _product_response(status: int, product: StoredProduct) -> Response:
    return Response(status, {"data": product.body}, {"ETag": product.etag})


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
