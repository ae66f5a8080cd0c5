"""The `list-details` check (the list returns full details or summaries, compared with
each product's detail GET), the `detail` check (shape, 404 for an unknown productId) and
the `etag` check (whether an ETag comes with a product, and what stale_check that allows)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from catalog_sync.doctor.model import Finding
from catalog_sync.doctor.model import Status
from catalog_sync.fiskil.compare import same_product
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.types import JSONObject

COMPARED = 3  # products read one by one to compare with the list
# What a BankingProductDetail adds to a list item (BankingProductV4..V6).
DETAIL_FIELDS = frozenset(
    {"bundles", "features", "constraints", "eligibility", "fees", "depositRates",
     "lendingRates", "instalments"}
)  # fmt: skip
ABSENT_PREFIX = "catalog-sync-doctor-absent-"


@dataclass(frozen=True, slots=True)
class Read:
    """A listed product and its detail GET (None: 404) with the ETag it came with."""

    listed: JSONObject
    detail: JSONObject | None
    etag: str | None


def read_details(api: ProductsClient, listed: Sequence[JSONObject]) -> list[Read]:
    reads = []
    for item in listed[:COMPARED]:
        found = api.get_product_with_version(str(item.get("productId")))
        detail, etag = found if found is not None else (None, None)
        reads.append(Read(item, detail, etag))
    return reads


def check_list_details(api: ProductsClient, reads: Sequence[Read]) -> Finding:
    configured = api.api.list_returns_details
    pairs = [(r.listed, r.detail) for r in reads if r.detail is not None]
    if not pairs:
        return Finding(
            "list-details", Status.UNKNOWN, "no listed product could be read to compare",
            fix="run doctor again once the environment holds a product",
        )  # fmt: skip
    missing = sorted(
        {k for item, d in pairs for k in d if k not in item} - {"lastUpdated"}
    )
    if missing or not all(same_product(item, d) for item, d in pairs):
        observed = "the list returns summaries: " + (
            f"{', '.join(missing)} come only with a product's GET"
            if missing
            else "listed products differ from their GETs"
        )
        if not configured:
            return Finding("list-details", Status.OK, observed)
        return Finding(
            "list-details", Status.FAIL,
            f"{observed}; plan would see every product as changed",
            fix="api.list_returns_details: false",
            suggest={"api.list_returns_details": False},
            reason="the list returns summaries; details are fetched one by one",
        )  # fmt: skip
    if not any(DETAIL_FIELDS & set(d) for _, d in pairs):
        return Finding(
            "list-details", Status.UNKNOWN,
            f"the {len(pairs)} products compared have no fees, rates or other detail "
            "fields, so details and summaries look alike",
            fix="run doctor again once a product with fees or rates is live",
        )  # fmt: skip
    observed = f"the list returns full details (equal to {len(pairs)} product GETs)"
    if configured:
        return Finding("list-details", Status.OK, observed)
    return Finding(
        "list-details", Status.DIFFERS, f"{observed}; each product is fetched again",
        fix="api.list_returns_details: true", suggest={"api.list_returns_details": True},
        reason="the list already returns full details",
    )  # fmt: skip


def check_detail(api: ProductsClient, reads: Sequence[Read]) -> Finding:
    path = api.api.products_path
    absent = ABSENT_PREFIX + uuid.uuid4().hex
    lost = [str(r.listed.get("productId")) for r in reads if r.detail is None]
    if lost:
        observed = f"GET {path}/{{productId}} answered 404 for listed {', '.join(lost)}"
        fix = f"check api.products_path: a product is read at {path}/{{productId}}"
        return Finding("detail", Status.FAIL, observed, fix=fix)
    wrong = [
        str(r.listed.get("productId"))
        for r in reads
        if r.detail is not None
        and r.detail.get("productId") != r.listed.get("productId")
    ]
    if wrong:
        observed = (
            f"GET {path}/{{productId}} of {', '.join(wrong)} has another productId"
        )
        return Finding(
            "detail", Status.FAIL, observed, fix="report it; no api: key covers this"
        )
    if api.get_product(absent) is not None:
        observed = f"GET {path}/{absent} answered a product instead of 404"
        return Finding(
            "detail", Status.FAIL, observed, fix="report it; no api: key covers this"
        )
    shown = f"{len(reads)} products read as data objects; " if reads else ""
    return Finding("detail", Status.OK, f"{shown}an unknown productId answers 404")


def check_etag(api: ProductsClient, reads: Sequence[Read]) -> Finding:
    stale_check = api.api.stale_check
    read = [r for r in reads if r.detail is not None]
    if not read:
        return Finding(
            "etag", Status.UNKNOWN, "no product could be read",
            fix="run doctor again once the environment holds a product",
        )  # fmt: skip
    if all(r.etag for r in read):
        observed = "products come with an ETag: writes carry If-Match"
        if stale_check == "list":
            observed += " only with stale_check get or auto (now list)"
        return Finding("etag", Status.OK, observed)
    observed = "products come without an ETag: writes cannot carry If-Match"
    if stale_check != "get":
        return Finding(
            "etag", Status.OK, f"{observed}; stale_check: {stale_check} suits that"
        )
    return Finding(
        "etag", Status.DIFFERS,
        f"{observed}, so stale_check: get re-reads every product for no gain",
        fix="api.stale_check: auto", suggest={"api.stale_check": "auto"},
        reason="no ETag: auto re-reads through the list when that takes fewer requests",
    )  # fmt: skip
