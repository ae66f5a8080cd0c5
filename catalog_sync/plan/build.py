"""`build_plan`: compare the live products one by one with the desired ones and make
each product's change, giving the `Plan` (catalog_sync.plan.plan). Pure, like the plan."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from catalog_sync.cds.desired import DesiredProduct
from catalog_sync.cds.fingerprint import catalog_digest
from catalog_sync.cds.fingerprint import fingerprint
from catalog_sync.cds.fingerprint import sendable
from catalog_sync.cds.fingerprint import text_hash
from catalog_sync.cds.fingerprint import written_text
from catalog_sync.cds.identity import canonical_json
from catalog_sync.cds.normalize import normalize
from catalog_sync.config.model import DEFAULT_TIMEZONE
from catalog_sync.config.model import Policy
from catalog_sync.config.model import Removal
from catalog_sync.errors import PlanError
from catalog_sync.plan.diff import FieldChange
from catalog_sync.plan.diff import diff_products
from catalog_sync.plan.plan import ACTION_ORDER
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from catalog_sync.plan.plan import LiveProducts
from catalog_sync.plan.plan import Plan
from catalog_sync.plan.retirement import is_retired
from catalog_sync.plan.retirement import parse_time
from catalog_sync.plan.retirement import retirement_fields
from catalog_sync.types import JSONObject


def build_plan(
    desired: Mapping[str, DesiredProduct | JSONObject],
    live: LiveProducts,
    *,
    removal: Removal,
    environment: str,
    base_url: str,
    schema: str,
    now: str,
    products_dir: str = "products",
    timezone: str = DEFAULT_TIMEZONE,
    policy: Policy | None = None,
    targets: Iterable[str] = (),
) -> Plan:
    """The changes that make `live` match `desired` (both keyed by productId).

    Desired-only products are created, differing ones updated; the body sent is the
    product as written (its array order and spelling are what the bank publishes), and
    two products differ when their normalised forms do. Live-only products are handled
    by `removal`: `delete` deletes, `retire` sets `effectiveTo` to `now` (RFC 3339)
    unless already retired by then, `keep` leaves them. `products_dir` is only shown to
    people ("The live catalog matches products/"). Output does not depend on mapping
    order or hash seed.

    A live product whose canonical JSON is the written product's is unchanged without
    being normalised (after an apply, live holds what was written); only the others
    are normalised and diffed. Live products are consumed one at a time and only the
    fingerprint of an unchanged one is kept.

    With `targets` (productIds, like Terraform's `-target`), only those products are
    planned: the others on either side are left out, as if they did not exist. A
    target that is neither a product file nor a live product is a PlanError.
    """
    if removal == "retire":
        parse_time(now)  # fail before any work if `now` is not RFC 3339
    chosen = frozenset(targets)
    wanted = {
        pid: desired_item(item)
        for pid, item in desired.items()
        if not chosen or pid in chosen
    }
    pairs = live.items() if isinstance(live, Mapping) else live
    if chosen:
        pairs = ((pid, body) for pid, body in pairs if pid in chosen)
    seen = compare_live(wanted, pairs)
    check_targets(chosen, wanted, seen.prints)
    changes = seen.updates
    for pid in sorted(set(wanted) - set(seen.prints)):
        data, file = wanted[pid]
        seen.desired_prints[pid] = fingerprint(data)
        changes.append(make_change(Action.CREATE, pid, None, sendable(data), file=file))
    retired: list[str] = []
    for pid in sorted(seen.live_only):
        change = removal_change(
            pid, seen.live_only[pid], seen.prints[pid], removal, now
        )
        if change is not None:
            changes.append(change)
        elif removal == "retire":
            retired.append(pid)
    changes.sort(key=lambda change: (ACTION_ORDER[change.action], change.product_id))
    return Plan(
        environment=environment,
        base_url=base_url,
        schema=schema,
        removal=removal,
        desired_digest=catalog_digest(seen.desired_prints),
        live_fingerprints=dict(sorted(seen.prints.items())),
        changes=tuple(changes),
        products_dir=products_dir,
        retired_live=tuple(retired),
        timezone=timezone,
        policy=policy or Policy(),
        targets=tuple(sorted(chosen)),
    )


def check_targets(
    chosen: frozenset[str], wanted: Mapping[str, object], live: Mapping[str, str]
) -> None:
    unknown = sorted(chosen - set(wanted) - set(live))
    if unknown:
        raise PlanError(
            f"--product {', '.join(unknown)}: no product file and no live product "
            "has this productId",
            hint="check the productId (it is the file's productId, not its file name)",
        )


@dataclass(slots=True)
class LiveComparison:
    """What comparing the live products one by one leaves: every live fingerprint, the
    hash of each desired product met, the updates, and the live-only products."""

    prints: dict[str, str] = field(default_factory=dict)
    desired_prints: dict[str, str] = field(default_factory=dict)
    updates: list[Change] = field(default_factory=list)
    live_only: dict[str, JSONObject] = field(default_factory=dict)


def compare_live(
    wanted: Mapping[str, tuple[JSONObject, str | None]],
    live: Iterable[tuple[str, JSONObject]],
) -> LiveComparison:
    seen = LiveComparison()
    for pid, body in live:
        text = written_text(body)
        seen.prints[pid] = text_hash(text)
        if pid not in wanted:
            seen.live_only[pid] = normalize(body)
            continue
        data, file = wanted[pid]
        written = written_text(data)
        seen.desired_prints[pid] = text_hash(written)
        if written != text:  # else: live holds exactly what the file says
            change = _update(pid, data, file, normalize(body), seen.prints[pid])
            if change is not None:
                seen.updates.append(change)
    return seen


def desired_item(item: DesiredProduct | JSONObject) -> tuple[JSONObject, str | None]:
    if isinstance(item, DesiredProduct):
        return item.data, item.file
    return item, None


def _update(
    pid: str, data: JSONObject, file: str | None, live: JSONObject, print_: str
) -> Change | None:
    """The update from normalised `live` to the written `data`, or None when they
    differ only in spelling (array order, decimal form, an explicit default)."""
    wanted = normalize(data)
    if canonical_json(wanted) == canonical_json(live):
        return None
    field_changes = diff_products(live, wanted)
    if not field_changes:
        # The texts differ but the values are equal (-0.0 and 0.0: JSON and YAML keep
        # the sign, the diff compares values). A write nobody could review is worse
        # than leaving live as it is.
        return None
    return make_change(
        Action.UPDATE, pid, live, sendable(data), file, field_changes, print_
    )


def removal_change(
    pid: str, live: JSONObject, print_: str, removal: Removal, now: str
) -> Change | None:
    if removal == "keep":
        return None
    if removal == "delete":
        return make_change(Action.DELETE, pid, live, None, live_fingerprint=print_)
    if is_retired(live, now):
        return None
    retired = normalize({**live, **retirement_fields(live, now)})
    return make_change(
        Action.RETIRE, pid, live, retired, None, diff_products(live, retired), print_
    )


def make_change(
    action: Action,
    pid: str,
    before: JSONObject | None,
    after: JSONObject | None,
    file: str | None = None,
    field_changes: tuple[FieldChange, ...] = (),
    live_fingerprint: str | None = None,
) -> Change:
    shown = after if after is not None else before or {}
    return Change(
        action=action,
        product_id=pid,
        brand=_text(shown.get("brand")),
        category=_text(shown.get("productCategory")),
        name=_text(shown.get("name")),
        file=file,
        before=before,
        after=after,
        field_changes=field_changes,
        live_fingerprint=live_fingerprint,
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
