"""Reading list pages: where the products are in a page body, whether another page follows
(`links.next`, else `meta.totalPages`, else a full page), where `links.next` points when
the server pages by cursor (`api.paging: next-link`), and a guard against a server that
repeats pages or lists a productId twice."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from catalog_sync.errors import ApiError
from catalog_sync.types import JSONObject


def page_body(response: httpx.Response, *, what: str) -> Any:
    """The page's JSON, parsed once: a 500-product page is about 5 MB, and parsing it
    again to find the next link cost as much as the first parse."""
    try:
        return response.json()
    except ValueError as exc:
        raise ApiError(f"{what}: the response is not JSON") from exc


def products_of(body: Any, *, what: str) -> list[JSONObject]:
    """`data.products` (CDS envelope), or `data` when it is a list."""
    data = body.get("data") if isinstance(body, dict) else None
    items = data.get("products") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ApiError(
            f"{what}: no product list in the response (expected data.products)",
            hint="the list response shape differs from the assumed contract",
        )
    return items


def next_page_exists(body: Any, page: int, count: int, page_size: int) -> bool:
    if count == 0:
        return False
    links = body.get("links") if isinstance(body, dict) else None
    if isinstance(links, dict) and ("next" in links or "self" in links):
        return bool(links.get("next"))
    meta = body.get("meta") if isinstance(body, dict) else None
    total_pages = meta.get("totalPages") if isinstance(meta, dict) else None
    if isinstance(total_pages, int) and not isinstance(total_pages, bool):
        return page < total_pages
    return count >= page_size


def next_link(body: Any) -> str | None:
    """`links.next` when it is a non-empty string."""
    links = body.get("links") if isinstance(body, dict) else None
    following = links.get("next") if isinstance(links, dict) else None
    return following if isinstance(following, str) and following else None


def same_origin_url(base: httpx.URL, link: str, *, what: str) -> httpx.URL:
    """`link` (absolute or relative) resolved against `base`; ApiError when it points to
    another scheme, host or port, so the bearer token never leaves the API's origin."""
    try:
        url = base.join(link)
    except httpx.InvalidURL as exc:
        raise ApiError(f"{what}: links.next {link!r} is not a valid URL") from exc
    if (url.scheme, url.host, url.port) != (base.scheme, base.host, base.port):
        raise ApiError(
            f"{what}: links.next points to {url.scheme}://{url.host}, not the API's "
            "own host; refusing to send the token there",
            hint="report this to the API's operator; api.paging: page pages by number",
        )
    return url


class PageGuard:
    """Raises ApiError when a page repeats an earlier one or a productId comes twice."""

    def __init__(self, *, what: str, page_param: str) -> None:
        self.what = what
        self._page_param = page_param
        self._pages: dict[tuple[str, ...], int] = {}
        self._seen: dict[str, int] = {}

    def check(self, page: int, products: Sequence[JSONObject]) -> None:
        ids = tuple(str(p.get("productId")) for p in products)
        if ids and ids in self._pages:
            raise ApiError(
                f"{self.what}: page {page} repeats page {self._pages[ids]}",
                hint=f"the server seems to ignore the {self._page_param!r} parameter; "
                "check api.page_param",
            )
        self._pages[ids] = page
        for product_id in ids:
            if product_id in self._seen:
                raise ApiError(
                    f"{self.what}: productId {product_id!r} listed on page "
                    f"{self._seen[product_id]} and again on page {page}",
                    hint="the catalog changed while it was being read; run again",
                )
            self._seen[product_id] = page
