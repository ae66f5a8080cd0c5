"""Turn a plan's changes into write operations with their ordering constraints.

CDS bundles name other products by productId, so a product whose bundle references a
product being created waits for that create (and is skipped if it fails); removals run
after every create and update, referencing products before the products they reference.
`Readiness` tells the executor which operations may start; `send_write` performs one.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import assert_never

from catalog_sync.apply.api import ProductsApi
from catalog_sync.plan.plan import Action
from catalog_sync.types import JSONObject

REMOVAL_ACTIONS = frozenset({Action.RETIRE, Action.DELETE})

Write = tuple[str, Action, JSONObject | None, JSONObject | None]
"""(productId, action, before, after): one change of a plan."""


@dataclass(frozen=True, slots=True)
class Operation:
    """One write. `requires` must have succeeded first (else this is skipped);
    `after` must merely have finished (ordering without a hard dependency).
    `before` is the live product the plan saw (a PATCH update nulls what it lacks)."""

    product_id: str
    action: Action
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
    writes: Iterable[Write],
    *,
    etags: Mapping[str, str] | None = None,
) -> tuple[Operation, ...]:
    """Build operations from `(product_id, action, before, after)` tuples.

    Cycles among bundle references (A bundles B, B bundles A) cannot be ordered; their
    edges are dropped so that the run cannot deadlock.
    """
    rows = sorted(writes, key=lambda row: row[0])
    created = {pid for pid, action, _, _ in rows if action is Action.CREATE}
    removed = {pid for pid, action, _, _ in rows if action in REMOVAL_ACTIONS}
    # One set shared by every removal (Readiness counts a shared set once).
    upserts = frozenset(
        pid for pid, action, _, _ in rows if action not in REMOVAL_ACTIONS
    )
    # A deleted product that (still) references another is deleted first.
    referencers: dict[str, set[str]] = {}
    for pid, action, before, _after in rows:
        if action is Action.DELETE:
            for target in bundle_references(before) - {pid}:
                referencers.setdefault(target, set()).add(pid)
    requires: dict[str, set[str]] = {}
    for pid, action, _before, after in rows:
        if action in REMOVAL_ACTIONS:
            requires[pid] = (
                set(referencers.get(pid, ())) if action is Action.DELETE else set()
            )
        else:
            requires[pid] = set(bundle_references(after) & created) - {pid}
    _break_cycles(requires)
    operations = []
    for pid, action, before, after in rows:
        waits = upserts if pid in removed else frozenset()
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


class Readiness:
    """Which operations may start: those whose `requires` and `after` have all finished
    (any status). It keeps counts rather than rescanning, because every removal waits
    for every upsert: a finished write costs only the operations it unblocks. A shared
    `after` set is counted once, for all of its operations. A predecessor outside
    `operations` never finishes here."""

    def __init__(self, operations: Mapping[str, Operation]) -> None:
        self._pending: dict[str, int] = {}
        self._unblocks: dict[str, list[str]] = {}
        self._groups: dict[frozenset[str], _AfterGroup] = {}
        self._in_groups: dict[str, list[_AfterGroup]] = {}
        for pid, op in operations.items():
            required = op.requires - {pid}
            after = op.after - {pid} if pid in op.after else op.after
            self._pending[pid] = len(required) + (1 if after else 0)
            for dep in required:
                self._unblocks.setdefault(dep, []).append(pid)
            if after:
                self._group(after).members.append(pid)

    def ready(self) -> list[str]:
        """The operations with nothing to wait for at the start, in productId order."""
        return sorted(pid for pid, count in self._pending.items() if count == 0)

    def finished(self, product_id: str) -> list[str]:
        """Record that `product_id` has its final status; the operations that may
        start because of it, in productId order."""
        freed = [
            pid for pid in self._unblocks.pop(product_id, ()) if self._release(pid)
        ]
        for group in self._in_groups.pop(product_id, ()):
            group.remaining -= 1
            if group.remaining == 0:
                freed.extend(pid for pid in group.members if self._release(pid))
        return sorted(freed)

    def _release(self, pid: str) -> bool:
        self._pending[pid] -= 1
        return self._pending[pid] == 0

    def _group(self, after: frozenset[str]) -> _AfterGroup:
        group = self._groups.get(after)
        if group is None:
            group = self._groups[after] = _AfterGroup(remaining=len(after))
            for dep in after:
                self._in_groups.setdefault(dep, []).append(group)
        return group


@dataclass(slots=True)
class _AfterGroup:
    """Operations sharing one `after` set, and how many of its members are unfinished."""

    remaining: int
    members: list[str] = field(default_factory=list)


def send_write(api: ProductsApi, op: Operation) -> None:
    """The one API call that performs `op`: its after-body exactly as planned."""
    match op.action:
        case Action.CREATE:
            assert op.body is not None
            api.create_product(op.body)
        case Action.UPDATE | Action.RETIRE:
            # If-Match: the server refuses (412) if the product moved since we read it.
            assert op.body is not None
            api.update_product(
                op.product_id, op.body, if_match=op.if_match, previous=op.before
            )
        case Action.DELETE:
            api.delete_product(op.product_id, if_match=op.if_match)
        case _:
            assert_never(op.action)
