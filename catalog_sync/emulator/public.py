"""The public, unauthenticated CDS Product Reference Data endpoints (`/cds-au/v1/banking/
products` and a product's detail) with x-v negotiation, `effective` filtering and paging,
plus the paging helpers the management list shares.
"""

from __future__ import annotations

import base64
import binascii
import math
from datetime import datetime
from typing import Any

from catalog_sync.cds.product_id import product_id_problem
from catalog_sync.emulator.messages import Request
from catalog_sync.emulator.messages import Response
from catalog_sync.emulator.messages import cds_error
from catalog_sync.emulator.store import Store
from catalog_sync.types import JSONObject

PUBLIC_PATH = "/cds-au/v1/banking/products"
LIST_VERSIONS = frozenset({3, 4, 5})  # Get Products (CDS 1.32 .. 1.36+)
DETAIL_VERSIONS = frozenset({6, 7})  # Get Product Detail (CDS 1.34 .. 1.36+)
DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 1000
_MAX_PAGE = 1_000_000_000
# The arrays that make a BankingProductDetail; a list item (BankingProductV6) has none.
DETAIL_FIELDS = frozenset(
    {"bundles", "features", "constraints", "eligibility", "fees", "depositRates",
     "lendingRates", "instalments"}
)  # fmt: skip
EFFECTIVE = frozenset({"CURRENT", "FUTURE", "ALL"})


def summary(body: JSONObject) -> JSONObject:
    """The list-item (summary) view of a stored product."""
    return {key: value for key, value in body.items() if key not in DETAIL_FIELDS}


def parse_paging(
    request: Request, names: tuple[str, str] = ("page", "page-size")
) -> tuple[int, int] | Response:
    """(page, page-size) from the query parameters `names`, or the CDS 400/422 for bad
    values."""
    values = []
    for name, default in zip(names, (1, DEFAULT_PAGE_SIZE), strict=True):
        raw = request.query.get(name, str(default))
        # small enough for SQLite
        # Length first: int() of thousands of digits raises (or takes long).
        if not _digits(raw) or len(raw) > 10 or not 1 <= int(raw) <= _MAX_PAGE:
            detail = f"{name} must be a positive integer, got {raw!r}"
            return cds_error(400, "Field/Invalid", "Invalid Field", detail)
        values.append(int(raw))
    if values[1] > MAX_PAGE_SIZE:
        detail = f"{names[1]} must be at most {MAX_PAGE_SIZE}"
        return cds_error(422, "Field/InvalidPageSize", "Invalid Page Size", detail)
    return values[0], values[1]


def _digits(text: str) -> bool:
    """ASCII digits only: "²".isdigit() is True, and int("²") raises."""
    return text.isascii() and text.isdigit()


def page_envelope(
    request: Request,
    items: list[JSONObject],
    total: int,
    page: int,
    size: int,
    *,
    page_param: str = "page",
) -> JSONObject:
    """The CDS list envelope: data.products, links (self/first/last, prev/next) and meta."""
    pages = math.ceil(total / size)

    def url(number: int) -> str:
        return request.url({page_param: number})

    links = {"self": request.url(), "first": url(1)}
    if page > 1:
        links["prev"] = url(min(page - 1, max(pages, 1)))
    if page < pages:
        links["next"] = url(page + 1)
    links["last"] = url(max(pages, 1))
    return {
        "data": {"products": items},
        "links": links,
        "meta": {"totalRecords": total, "totalPages": pages},
    }


def cursor_envelope(
    request: Request, items: list[JSONObject], total: int, offset: int, size: int
) -> JSONObject:
    """A cursor-paged list (`--cursor-paging`): `links.next` carries an opaque cursor,
    `meta` has no page count."""
    links = {"self": request.url()}
    if offset + size < total:
        links["next"] = request.url({"cursor": encode_cursor(offset + size)})
    return {
        "data": {"products": items},
        "links": links,
        "meta": {"totalRecords": total},
    }


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode("ascii")


def decode_cursor(cursor: str) -> int | None:
    """The offset an `encode_cursor` cursor stands for; None for any other text."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
    except (ValueError, binascii.Error, UnicodeError):
        return None
    number = text.removeprefix("offset:")
    return int(number) if text != number and _digits(number) else None


def handle(store: Store, request: Request) -> Response:
    """Serve GET on the public list or a product's detail, in the versions the world
    serves (list versions follow the detail ones: 3, and detail - 2)."""
    product_id = request.segment_after(PUBLIC_PATH)
    details = store.world.public_versions
    lists = frozenset({3} | {version - 2 for version in details})
    version = _negotiate(request, lists if product_id is None else details)
    if isinstance(version, Response):
        return version
    response = (
        _list(store, request)
        if product_id is None
        else _detail(store, request, product_id)
    )
    response.headers["x-v"] = str(version)
    return response


def _negotiate(request: Request, supported: frozenset[int]) -> int | Response:
    """The highest supported version in [x-min-v, x-v] (CDS header rules)."""
    raw_max = request.headers.get("x-v")
    if raw_max is None:
        return cds_error(
            400, "Header/Missing", "Missing Required Header", "x-v is required"
        )
    raw_min = request.headers.get("x-min-v", raw_max)
    if not _digits(raw_max) or not _digits(raw_min) or int(raw_max) < 1:
        detail = "x-v and x-min-v must be positive integers"
        return cds_error(400, "Header/InvalidVersion", "Invalid Version", detail)
    highest, lowest = int(raw_max), int(raw_min)
    lowest = highest if lowest >= highest else lowest
    # Pick from what we support: a client may send any range (x-v: 10**14).
    acceptable = [version for version in supported if lowest <= version <= highest]
    if acceptable:
        return max(acceptable)
    detail = f"supported versions: {', '.join(map(str, sorted(supported)))}"
    return cds_error(406, "Header/UnsupportedVersion", "Unsupported Version", detail)


def _detail(store: Store, request: Request, product_id: str) -> Response:
    problem = product_id_problem(product_id)
    if problem:
        return cds_error(400, "Field/Invalid", "Invalid Field", problem)
    product = store.public_product(product_id)
    if product is None:
        detail = f"no product {product_id!r}"
        return cds_error(404, "Resource/NotFound", "Resource Not Found", detail)
    return Response(
        200, {"data": product, "links": {"self": request.url()}, "meta": {}}
    )


def _list(store: Store, request: Request) -> Response:
    effective = request.query.get("effective", "CURRENT").upper()
    if effective not in EFFECTIVE:
        detail = "effective must be CURRENT, FUTURE or ALL"
        return cds_error(400, "Field/Invalid", "Invalid Field", detail)
    since = _instant(request.query.get("updated-since"))
    if "updated-since" in request.query and since is None:
        detail = "updated-since must be an RFC 3339 date-time"
        return cds_error(400, "Field/Invalid", "Invalid Field", detail)
    paging = parse_paging(request)
    if isinstance(paging, Response):
        return paging
    page, size = paging
    now = store.now()
    brand = request.query.get("brand", "").casefold()
    category = request.query.get("product-category", "")
    matching = [
        summary(body)
        for body in store.public_products().values()
        if _is_effective(body, effective, now)
        and (not brand or str(body.get("brand", "")).casefold() == brand)
        and (not category or body.get("productCategory") == category)
        and (since is None or (_instant(body.get("lastUpdated")) or 0.0) >= since)
    ]
    pages = math.ceil(len(matching) / size)
    if page > max(pages, 1):
        detail = f"page {page} is beyond the last page ({pages})"
        return cds_error(422, "Field/InvalidPage", "Invalid Page", detail)
    items = matching[(page - 1) * size : page * size]
    return Response(200, page_envelope(request, items, len(matching), page, size))


def _is_effective(body: JSONObject, effective: str, now: float) -> bool:
    start = _instant(body.get("effectiveFrom"))
    end = _instant(body.get("effectiveTo"))
    if effective == "ALL":
        return True
    if effective == "FUTURE":
        return start is not None and start > now
    return (start is None or start <= now) and (end is None or now < end)


def _instant(value: Any) -> float | None:
    """A POSIX timestamp for an RFC 3339 date-time; None if absent or unparseable."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.timestamp() if parsed.tzinfo is not None else None
