"""How the stale-plan check re-reads live: one GET per affected product (ETags, so every
write carries If-Match) or the whole catalog through the list pages (no ETags), whichever
`api.stale_check` asks for; `auto` picks by request count."""

from __future__ import annotations

import math
from typing import Literal

from catalog_sync.apply.api import ProductsApi
from catalog_sync.apply.live import read_live
from catalog_sync.config.model import ApiContract
from catalog_sync.plan.plan import Plan
from catalog_sync.types import JSONObject

ReadMode = Literal["get", "list"]


def choose_stale_check(plan: Plan, contract: ApiContract) -> ReadMode:
    """`get` or `list` for this plan. `auto` lists when the plan touches more products
    than twice the list pages the live catalog needs (a bulk apply then costs about one
    request per write), and keeps per-product GETs (If-Match on every write) otherwise.
    A list of summaries fetches every detail anyway, so `auto` never lists then."""
    if contract.stale_check != "auto":
        return contract.stale_check
    if not contract.list_returns_details:
        return "get"
    pages = max(1, math.ceil(len(plan.live_fingerprints) / contract.page_size))
    return "list" if len(plan.changes) > 2 * pages else "get"


def read_by_list(
    plan: Plan, api: ProductsApi
) -> list[tuple[JSONObject, str | None] | None]:
    """Each change's live product as the list shows it (None when absent), in plan order,
    shaped like per-product reads without an ETag."""
    live = read_live(api)
    reads: list[tuple[JSONObject, str | None] | None] = []
    for change in plan.changes:
        current = live.get(change.product_id)
        reads.append(None if current is None else (current, None))
    return reads
