"""Compare one reading of the public endpoint with what customers should see, product by
product: a plan from the expected products to the served ones (`build_plan`, so the same
normalisation and field labels as `plan`), read as verify statuses. Pure: the reading and
the time are passed in.
"""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import replace
from typing import Literal
from typing import assert_never

from catalog_sync.cds.desired import DesiredProduct
from catalog_sync.config.model import Removal
from catalog_sync.plan.build import build_plan
from catalog_sync.plan.diff import FieldChange
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from catalog_sync.plan.plan import Plan
from catalog_sync.types import JSONObject
from catalog_sync.verify.versions import fields_not_served
from catalog_sync.verify.versions import without

Status = Literal["matches", "missing", "changed", "only-public", "unreadable"]
STATUSES: tuple[Status, ...] = (
    "matches",
    "missing",
    "changed",
    "only-public",
    "unreadable",
)


@dataclass(frozen=True, slots=True)
class Served:
    """A product detail as the public endpoint served it, and the `x-v` it answered."""

    product: JSONObject
    version: int


Reading = Mapping[str, Served | str | None]
"""One product per key: what was served, None when it is not served (404 or not
listed), or why it could not be read."""


@dataclass(frozen=True, slots=True)
class ProductCheck:
    """One product's verdict. `field_changes` go from served (before) to expected
    (after), as in a plan; `not_compared` names the fields left out because the served
    version lacks them; `appeared_after` is the seconds from the start of verify until
    it matched (0.0 when it matched at the first reading, None while it does not)."""

    product_id: str
    status: Status
    name: str | None = None
    file: str | None = None
    expected_absent: bool = False
    field_changes: tuple[FieldChange, ...] = ()
    served_version: int | None = None
    not_compared: tuple[str, ...] = ()
    error: str | None = None
    appeared_after: float | None = None


@dataclass(frozen=True, slots=True)
class Comparison:
    """The checks (by productId) and the plan of differences they were read from."""

    checks: tuple[ProductCheck, ...]
    differences: Plan


@dataclass(frozen=True, slots=True)
class Expectation:
    """What customers should be served: `products` by productId (a product in scope
    but not here should not be served), the removal policy for served products with no
    expected product, the detail version `schema:` names, and the scope (when None:
    every expected product and every served one that differs)."""

    products: Mapping[str, DesiredProduct | JSONObject]
    removal: Removal
    wanted_version: int
    scope: Collection[str] | None = None


def compare(
    expected: Expectation,
    reading: Reading,
    *,
    now: str,
    environment: str,
    base_url: str,
    schema: str,
) -> Comparison:
    """Every product in scope with its status, ordered by productId."""
    wanted, served, skipped = _aligned(expected, reading)
    plan = build_plan(
        wanted,
        served,
        removal=expected.removal,
        environment=environment,
        base_url=base_url,
        schema=schema,
        now=now,
    )
    by_id = {change.product_id: change for change in plan.changes}
    scope = (
        set(expected.scope)
        if expected.scope is not None
        else set(expected.products) | set(by_id) | set(_errors(reading))
    )
    checks = tuple(
        _check(pid, expected, reading.get(pid), by_id.get(pid), skipped.get(pid, ()))
        for pid in sorted(scope)
    )
    return Comparison(checks, plan)


def _aligned(
    expected: Expectation, reading: Reading
) -> tuple[
    dict[str, DesiredProduct | JSONObject],
    dict[str, JSONObject],
    dict[str, tuple[str, ...]],
]:
    """Both sides without the fields an older served version lacks (per product), and
    the unreadable products left out of both sides."""
    wanted: dict[str, DesiredProduct | JSONObject] = {}
    served: dict[str, JSONObject] = {}
    skipped: dict[str, tuple[str, ...]] = {}
    for pid, item in expected.products.items():
        seen = reading.get(pid)
        if isinstance(seen, str):
            continue
        fields = (
            fields_not_served(seen.version, expected.wanted_version)
            if isinstance(seen, Served)
            else ()
        )
        skipped[pid] = fields
        if isinstance(item, DesiredProduct):
            wanted[pid] = DesiredProduct(without(item.data, fields), item.file)
        else:
            wanted[pid] = without(item, fields)
    for pid, seen in reading.items():
        if isinstance(seen, Served):
            served[pid] = without(seen.product, skipped.get(pid, ()))
    return wanted, served, skipped


def _errors(reading: Reading) -> list[str]:
    return [pid for pid, seen in reading.items() if isinstance(seen, str)]


def _check(
    pid: str,
    expected: Expectation,
    seen: Served | str | None,
    change: Change | None,
    not_compared: tuple[str, ...],
) -> ProductCheck:
    item = expected.products.get(pid)
    data = item.data if isinstance(item, DesiredProduct) else item
    name = data.get("name") if data is not None else None
    if name is None and isinstance(seen, Served):
        name = seen.product.get("name")
    base = ProductCheck(
        pid,
        "matches",
        name=name if isinstance(name, str) else None,
        file=item.file if isinstance(item, DesiredProduct) else None,
        expected_absent=item is None,
        served_version=seen.version if isinstance(seen, Served) else None,
    )
    if isinstance(seen, str):
        return replace(base, status="unreadable", error=seen)
    if change is None:
        return replace(base, not_compared=not_compared)
    return replace(
        base,
        status=_status(change.action),
        field_changes=change.field_changes if change.action is Action.UPDATE else (),
        not_compared=not_compared,
    )


def _status(action: Action) -> Status:
    match action:
        case Action.CREATE:
            return "missing"
        case Action.UPDATE:
            return "changed"
        case Action.RETIRE | Action.DELETE:
            return "only-public"
        case _:
            assert_never(action)
