"""Reading management list pages for the checks: one GET with chosen parameters (or a
`links.next` URL), kept as status, parsed body and products, plus what a page says about
the pages after it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

import httpx

from catalog_sync.errors import ApiError
from catalog_sync.fiskil.paging import next_link
from catalog_sync.fiskil.paging import products_of
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.fiskil.responses import error_for_response
from catalog_sync.fiskil.wire import send
from catalog_sync.types import JSONObject

SMALL = 3  # the page size asked for when comparing pages


@dataclass(frozen=True, slots=True)
class Page:
    """One list response. `products` is None when the body has no product list;
    `error` is set for a status other than 200."""

    params: Mapping[str, str]
    status: int
    body: Any = None
    products: list[JSONObject] | None = None
    error: ApiError | None = None
    shape_error: ApiError | None = field(default=None, repr=False)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(str(p.get("productId")) for p in self.products or ())

    @property
    def next_link(self) -> str | None:
        return next_link(self.body)

    def expects_more(self) -> bool:
        """True when the page is full or says another page follows."""
        return len(self.ids) >= SMALL or self.next_link is not None or _pages(self) > 1

    def tells_next(self) -> bool:
        """True when the client's paging can tell whether a page follows other than by
        the page being full: links (next or self) or meta.totalPages."""
        links = self.body.get("links") if isinstance(self.body, dict) else None
        has_links = isinstance(links, dict) and ("next" in links or "self" in links)
        return has_links or _pages(self) > 0


def _pages(page: Page) -> int:
    meta = page.body.get("meta") if isinstance(page.body, dict) else None
    pages = meta.get("totalPages") if isinstance(meta, dict) else None
    return pages if isinstance(pages, int) and not isinstance(pages, bool) else 0


def fetch(
    api: ProductsClient,
    params: Mapping[str, object] | None = None,
    *,
    url: httpx.URL | None = None,
) -> Page:
    """GET the list with `params` (or `url` as given); transport errors propagate."""
    sent = {key: str(value) for key, value in (params or {}).items()}
    target = str(url) if url is not None else api.api.products_path
    response = send(api.http, "GET", target, params=sent or None)
    if response.status_code != 200:
        return Page(sent, response.status_code, error=error_for_response(response))
    what = f"GET {api.api.products_path}"
    try:
        body = response.json()
    except ValueError:
        problem = ApiError(f"{what}: the response is not JSON")
        return Page(sent, 200, shape_error=problem)
    try:
        products = products_of(body, what=what)
    except ApiError as exc:
        return Page(sent, 200, body=body, shape_error=exc)
    return Page(sent, 200, body=body, products=products)


def first_page_params(
    api: ProductsClient, size: int, size_param: str
) -> dict[str, object]:
    """Page 1's parameters as the client sends them: the size, and the page number
    unless the client follows links.next."""
    params: dict[str, object] = {size_param: size}
    if api.api.paging == "page":
        params[api.api.page_param] = 1
    return params
