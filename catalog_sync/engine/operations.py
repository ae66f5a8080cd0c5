"""Turn a plan's changes into write operations with their ordering constraints.

CDS bundles name other products by productId, so a product whose bundle references a
product being created waits for that create (and is skipped if it fails); removals run
after every create and update, referencing products before the products they reference.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from catalog_sync.types import JSONObject

WRITE_ACTIONS = ("create", "update", "retire", "delete")
REMOVAL_ACTIONS = ("retire", "delete")


@dataclass(frozen=True, slots=True)
class Operation:
    """One write. `requires` must have succeeded first (else this is skipped);
    `after` must merely have finished (ordering without a hard dependency).
    `before` is the live product the plan saw (a PATCH update nulls what it lacks)."""

    product_id: str
    action: str
    body: JSONObject | None
    requires: frozenset[str] = frozenset()
    after: frozenset[str] = frozenset()
    if_match: str | None = None
    before: JSONObject | None = None


def bundle_references(product: Mapping[str, Any] | None) -> frozenset[str]:
    """The productIds a product's bundles name."""
    if not product:
        return frozenset()
    found: set[str] = set()
    for bundle in product.get("bundles") or ():
        if isinstance(bundle, Mapping):
            found.update(
                str(pid) for pid in bundle.get("productIds") or () if pid is not None
            )
    return frozenset(found)


def order_operations(
    writes: Iterable[tuple[str, str, JSONObject | None, JSONObject | None]],
    *,
    etags: Mapping[str, str] | None = None,
) -> tuple[Operation, ...]:
    """Build operations from `(product_id, action, before, after)` tuples.

    Cycles among bundle references (A bundles B, B bundles A) cannot be ordered; their
    edges are dropped so that the run cannot deadlock.
    """
    rows = sorted(writes, key=lambda row: row[0])
    created = {pid for pid, action, _, _ in rows if action == "create"}
    removed = {pid for pid, action, _, _ in rows if action in REMOVAL_ACTIONS}
    upserts = {pid for pid, action, _, _ in rows if action not in REMOVAL_ACTIONS}
    requires: dict[str, set[str]] = {}
    for pid, action, _before, after in rows:
        if action in REMOVAL_ACTIONS:
            # a product that (still) references this one goes first
            referencers = {
                other
                for other, other_action, other_before, _ in rows
                if other != pid
                and other_action == "delete"
                and pid in bundle_references(other_before)
            }
            requires[pid] = referencers if action == "delete" else set()
        else:
            requires[pid] = set(bundle_references(after) & created) - {pid}
    _break_cycles(requires)
    operations = []
    for pid, action, before, after in rows:
        waits = frozenset(upserts) if pid in removed else frozenset()
        operations.append(
            Operation(
                product_id=pid,
                action=action,
                body=after,
                requires=frozenset(requires[pid]),
                after=waits,
                if_match=(etags or {}).get(pid),
                before=before,
            )
        )
    return tuple(operations)


def _break_cycles(requires: dict[str, set[str]]) -> None:
    """Kahn's algorithm; when it stalls on a cycle, the first stuck product (by
    productId) loses its edges to the stuck rest, and ordering resumes."""
    remaining = {pid: set(deps) for pid, deps in requires.items()}
    while remaining:
        free = [
            pid for pid in sorted(remaining) if not remaining[pid] & remaining.keys()
        ]
        if not free:
            stuck = min(remaining)
            requires[stuck] -= remaining.keys()
            remaining[stuck] = set()
            continue
        for pid in free:
            del remaining[pid]
