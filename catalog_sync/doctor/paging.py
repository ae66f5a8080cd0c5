"""The `paging` check: page 2 differs from page 1 under the configured page parameter
(or, with `api.paging: next-link`, `links.next` leads to a different page). When page 2
repeats page 1, `links.next` tells the server's page parameter, or shows a cursor."""

from __future__ import annotations

import httpx

from catalog_sync.doctor.model import Finding
from catalog_sync.doctor.model import Status
from catalog_sync.doctor.pages import SMALL
from catalog_sync.doctor.pages import Page
from catalog_sync.doctor.pages import fetch
from catalog_sync.fiskil.paging import same_origin_url
from catalog_sync.fiskil.products import ProductsClient

# Page-number parameter names in common use, tried when links.next does not tell.
PAGE_NAMES = ("page", "pageNumber", "page[number]", "page_number", "pageNo")


def check_paging(api: ProductsClient, size_param: str) -> Finding:
    if api.api.paging == "next-link":
        return _check_next_links(api, size_param)
    page_param = api.api.page_param
    first = fetch(api, {size_param: SMALL, page_param: 1})
    if not first.expects_more():
        return _one_page(first)
    second = fetch(api, {size_param: SMALL, page_param: 2})
    if second.error is not None:
        return Finding(
            "paging", Status.FAIL, second.error.message,
            fix=second.error.hint or f"check api.page_param (now {page_param})",
        )  # fmt: skip
    if second.ids and not set(second.ids) & set(first.ids):
        observed = f"{page_param}=2 lists other products than {page_param}=1"
        return Finding("paging", Status.OK, observed)
    observed = f"{page_param}=2 lists the same products as {page_param}=1"
    return _repeated(api, first, size_param, observed)


def _repeated(
    api: ProductsClient, first: Page, size_param: str, observed: str
) -> Finding:
    page_param = api.api.page_param
    changed = _changed_in_next(first)
    numbered = [name for name, value in changed.items() if value == "2"]
    if changed and not numbered:
        names = ", ".join(sorted(changed))
        return Finding(
            "paging", Status.FAIL,
            f"{observed}; links.next carries a cursor ({names}), not a page number",
            fix="api.paging: next-link (follow links.next)",
            suggest={"api.paging": "next-link"},
            reason="the server pages by a cursor in links.next",
        )  # fmt: skip
    found = numbered[0] if numbered else _find_page_param(api, first, size_param)
    if found is None:
        tried = ", ".join(name for name in PAGE_NAMES if name != page_param)
        fix = f"set api.page_param to the server's name ({tried} did not page either)"
        return Finding("paging", Status.FAIL, observed, fix=fix)
    return Finding(
        "paging", Status.FAIL, f"{observed}: the server ignores {page_param}",
        fix=f"api.page_param: {found}", suggest={"api.page_param": found},
        reason=f"the server takes the page number as {found}",
    )  # fmt: skip


def _changed_in_next(first: Page) -> dict[str, str]:
    """The query parameters links.next sets differently from the request it answers."""
    link = first.next_link
    if link is None:
        return {}
    try:
        query = httpx.URL(link).params
    except httpx.InvalidURL:
        return {}
    return {k: v for k, v in query.items() if first.params.get(k) != v}


def _find_page_param(api: ProductsClient, first: Page, size_param: str) -> str | None:
    for name in PAGE_NAMES:
        if name == api.api.page_param:
            continue
        second = fetch(api, {size_param: SMALL, name: 2})
        if second.ids and not set(second.ids) & set(first.ids):
            return name
    return None


def _check_next_links(api: ProductsClient, size_param: str) -> Finding:
    first = fetch(api, {size_param: SMALL})
    link = first.next_link
    if link is None:
        return _one_page(first)
    url = same_origin_url(api.http.base_url, link, what=f"GET {api.api.products_path}")
    second = fetch(api, url=url)
    if second.error is not None:
        return Finding(
            "paging", Status.FAIL, second.error.message,
            fix="api.paging: page (page by number)",
        )  # fmt: skip
    if second.ids and not set(second.ids) & set(first.ids):
        return Finding("paging", Status.OK, "links.next leads to other products")
    return Finding(
        "paging", Status.FAIL, "links.next leads to the same products again",
        fix="api.paging: page (page by number)", suggest={"api.paging": "page"},
        reason="following links.next does not page",
    )  # fmt: skip


def _one_page(first: Page) -> Finding:
    observed = f"the catalog fits on one page of {SMALL} ({len(first.ids)} products)"
    fix = f"run doctor again once the environment holds more than {SMALL} products"
    return Finding("paging", Status.UNKNOWN, observed, fix=fix)
