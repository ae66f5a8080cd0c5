"""The stale-plan check for a saved plan: re-read every product the plan touches and refuse,
before any write, if one changed since the plan was made (Terraform's "saved plan is
stale"), naming each product and what changed. The ETags read here become If-Match."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from catalog_sync.apply.api import ProductsApi
from catalog_sync.apply.stale_check import ReadMode
from catalog_sync.apply.stale_check import read_by_list
from catalog_sync.cds.fingerprint import fingerprint
from catalog_sync.cds.identity import canonical_json
from catalog_sync.cds.normalize import normalize
from catalog_sync.english import plural
from catalog_sync.errors import StalePlanError
from catalog_sync.plan.diff import diff_products
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from catalog_sync.plan.plan import Plan
from catalog_sync.types import JSONObject

_SHOWN_FIELDS = 5


@dataclass(frozen=True, slots=True)
class Freshness:
    """`etags`: the version of each product read now (sent as If-Match);
    `already_applied`: changes whose result is already live (a crashed run did them)."""

    etags: Mapping[str, str]
    already_applied: frozenset[str]


def check_freshness(
    plan: Plan,
    api: ProductsApi,
    *,
    parallelism: int = 4,
    mode: ReadMode = "get",
) -> Freshness:
    """Raise StalePlanError listing every product that moved; else the ETags to use.
    `get` reads each product, `parallelism` at a time; `list` reads the list pages.
    Results are handled in plan order."""
    etags: dict[str, str] = {}
    applied: set[str] = set()
    stale: list[str] = []
    if mode == "list":
        reads = read_by_list(plan, api)
    else:
        reads = _read_each(plan, api, parallelism)
    for change, found in zip(plan.changes, reads, strict=True):
        current, etag = found if found is not None else (None, None)
        if is_as_planned(change, current):
            problem = None
        elif is_applied(change, current):
            applied.add(change.product_id)
            continue
        else:
            problem = staleness(change, current)
        if problem is not None:
            stale.append(problem)
        elif etag:
            etags[change.product_id] = etag
    if stale:
        count = len(stale)
        raise StalePlanError(
            f"the saved plan is stale: {count} {plural(count, 'product')} "
            "changed since it was made; nothing was written:\n  " + "\n  ".join(stale),
            hint=f"run `catalog-sync plan --env {plan.environment} --out FILE` again, "
            "review it, and apply that",
        )
    return Freshness(etags=etags, already_applied=frozenset(applied))


def _read_each(
    plan: Plan, api: ProductsApi, parallelism: int
) -> list[tuple[JSONObject, str | None] | None]:
    workers = max(1, min(parallelism, len(plan.changes)))
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        return list(
            pool.map(lambda c: api.get_product_with_version(c.product_id), plan.changes)
        )
    except KeyboardInterrupt:
        api.interrupt()  # reads waiting to retry give up now
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def is_as_planned(change: Change, current: Mapping[str, Any] | None) -> bool:
    """True when the live product is exactly the one the plan saw (same fingerprint):
    still to do and not stale. The plan holds a change only where that product differs
    from the result, so it cannot already be applied, and the check costs a hash
    instead of a normalisation."""
    if current is None or change.live_fingerprint is None:
        return False
    return fingerprint(current) == change.live_fingerprint


def is_applied(change: Change, current: Mapping[str, Any] | None) -> bool:
    """True when live already is what the change would make it."""
    if change.action is Action.DELETE:
        return current is None
    if current is None or change.after is None:
        return False
    return canonical_json(normalize(current)) == canonical_json(normalize(change.after))


def staleness(change: Change, current: Mapping[str, Any] | None) -> str | None:
    """Why `change` no longer fits the live product, or None if it still does."""
    pid = change.product_id
    if change.live_fingerprint is None:
        if current is None:
            return None
        return f"{pid}: created out of band since the plan (it did not exist then)"
    if current is None:
        return f"{pid}: deleted since the plan"
    if fingerprint(current) == change.live_fingerprint:
        return None
    return f"{pid}: changed since the plan: {_what_changed(change.before, current)}"


def _what_changed(before: JSONObject | None, current: Mapping[str, Any]) -> str:
    changes = diff_products(before or {}, normalize(current))
    if not changes:
        return "its content differs"
    shown = [
        f"{c.label} {_short(c.before)} -> {_short(c.after)}"
        for c in changes[:_SHOWN_FIELDS]
    ]
    more = len(changes) - _SHOWN_FIELDS
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def _short(value: Any) -> str:
    if value is None:
        return "(absent)"
    text = value if isinstance(value, str) else canonical_json(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")
