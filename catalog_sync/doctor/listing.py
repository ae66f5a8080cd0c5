"""The `list` check (the list answers with the assumed envelope) and the `page-size`
check (the requested page size is honoured, under the configured parameter name or
another common one, and whether the server caps it)."""

from __future__ import annotations

from catalog_sync.doctor.model import Finding
from catalog_sync.doctor.model import Status
from catalog_sync.doctor.pages import SMALL
from catalog_sync.doctor.pages import Page
from catalog_sync.doctor.pages import fetch
from catalog_sync.doctor.pages import first_page_params
from catalog_sync.fiskil.products import ProductsClient

# Page-size parameter names in common use (CDS, JSON:API, Rails, Django, ...).
PAGE_SIZE_NAMES = ("page-size", "pageSize", "page_size", "page[size]", "size", "limit")


def check_list(api: ProductsClient) -> tuple[Finding, Page | None]:
    """Page 1 as the client asks for it; the page when its products could be read."""
    contract = api.api
    page = fetch(
        api, first_page_params(api, contract.page_size, contract.page_size_param)
    )
    if page.error is not None:
        fix = page.error.hint or "check api.products_path and the credentials"
        if page.status == 404:
            fix = f"check api.products_path (now {contract.products_path})"
        return Finding("list", Status.FAIL, page.error.message, fix=fix), None
    if page.shape_error is not None or page.products is None:
        keys = sorted(page.body) if isinstance(page.body, dict) else []
        observed = str(page.shape_error) + (
            f" (top-level keys: {', '.join(keys)})" if keys else ""
        )
        fix = "the list shape is not data.products; no api: key covers this: report it"
        return Finding("list", Status.FAIL, observed, fix=fix), None
    data = page.body.get("data") if isinstance(page.body, dict) else None
    shape = "data.products" if isinstance(data, dict) else "data as a bare list"
    extras = [
        name for name in ("links", "meta") if isinstance(page.body.get(name), dict)
    ]
    observed = (
        f"GET {contract.products_path} answered {len(page.ids)} products in {shape}"
        f"{' with ' + ' and '.join(extras) if extras else ', without links or meta'}"
    )
    return Finding("list", Status.OK, observed), page


def check_page_size(api: ProductsClient, first: Page) -> tuple[Finding, str]:
    """The finding, and the size parameter name that works (for the paging check)."""
    configured = api.api.page_size_param
    small = fetch(api, first_page_params(api, SMALL, configured))
    count = len(small.ids)
    if count <= SMALL:
        return _honoured(api, first, small, count), configured
    found = _find_size_param(api, configured)
    observed = (
        f"asked for {SMALL} products per page with {configured}={SMALL} and got "
        f"{count}: the server ignores {configured}"
    )
    # The client still pages right when links or totalPages tell it a page follows;
    # otherwise it stops at the first page shorter than api.page_size and loses the rest.
    status = Status.DIFFERS if first.tells_next() else Status.FAIL
    if found is None:
        tried = ", ".join(name for name in PAGE_SIZE_NAMES if name != configured)
        fix = f"set api.page_size_param to the server's name ({tried} were ignored too)"
        return Finding("page-size", status, observed, fix=fix), configured
    reason = f"the server takes the page size as {found}"
    return (
        Finding(
            "page-size", status, observed, fix=f"api.page_size_param: {found}",
            suggest={"api.page_size_param": found}, reason=reason,
        ),
        found,
    )  # fmt: skip


def _honoured(api: ProductsClient, first: Page, small: Page, count: int) -> Finding:
    configured, size = api.api.page_size_param, api.api.page_size
    if count < SMALL and not small.expects_more():
        observed = f"only {count} products, so page sizes could not be compared"
        fix = f"run doctor again once the environment holds more than {SMALL} products"
        return Finding("page-size", Status.UNKNOWN, observed, fix=fix)
    served = len(first.ids)
    if served < size and first.next_link is not None:
        observed = (
            f"{configured}={SMALL} is honoured; {configured}={size} gave {served} "
            "and a next page: the server caps the page size"
        )
        reason = f"the server returns at most {served} products per page"
        return Finding(
            "page-size", Status.DIFFERS, observed, fix=f"api.page_size: {served}",
            suggest={"api.page_size": served}, reason=reason,
        )  # fmt: skip
    observed = (
        f"{configured}={SMALL} gave {count} products; {configured}={size} is honoured"
    )
    return Finding("page-size", Status.OK, observed)


def _find_size_param(api: ProductsClient, configured: str) -> str | None:
    for name in PAGE_SIZE_NAMES:
        if name == configured:
            continue
        found = fetch(api, {name: SMALL})
        if found.products and len(found.products) <= SMALL:
            return name
    return None
