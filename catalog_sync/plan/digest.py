"""The change-set digest: one SHA-256 that names what a plan would change, and the
canonical pieces ("units") it is made of. The reviewed-plan check, the PR comment and
the escape hatch (`apply --plan-digest`) all use these definitions; docs/plan-format.md
states them.

Only what a reviewer approves counts: the product, the action, and for an update every
field change's path, kind, before and after; for a create the product's normalised
content. A retirement counts by product and action only, since its `effectiveTo` is the
moment of planning; a deletion too. Display-only fields (names, labels, files, units) and
the live fingerprints do not count, so two plans of the same changes made at different
times have the same digest. Pure.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import assert_never

from catalog_sync.cds.identity import canonical_json
from catalog_sync.cds.normalize import normalize
from catalog_sync.plan.diff import FieldChange
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from catalog_sync.plan.plan import Plan
from catalog_sync.types import JSONObject

DIGEST_PREFIX = "sha256:"


def change_set_digest(plan: Plan | Iterable[Change]) -> str:
    """`sha256:` + the hex SHA-256 of the canonical JSON list of the plan's changes
    (each `canonical_change`), ordered by productId, then action."""
    changes = plan.changes if isinstance(plan, Plan) else tuple(plan)
    entries = sorted(
        (canonical_change(change) for change in changes),
        key=lambda entry: (entry["product_id"], entry["action"]),
    )
    text = canonical_json(entries)
    return DIGEST_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_change(change: Change) -> JSONObject:
    """What of one change a reviewer approves, as a JSON object:
    `{"action", "product_id"}`, plus `"after"` (normalised) for a create and
    `"field_changes"` (`[{"path", "kind", "before", "after"}]`, by path) for an update."""
    entry: JSONObject = {"action": change.action.value, "product_id": change.product_id}
    match change.action:
        case Action.CREATE:
            entry["after"] = normalize(change.after or {})
        case Action.UPDATE:
            entry["field_changes"] = [
                canonical_field(item)
                for item in sorted(change.field_changes, key=lambda f: f.path)
            ]
        case Action.RETIRE | Action.DELETE:
            pass
        case _:
            assert_never(change.action)
    return entry


def canonical_field(item: FieldChange) -> JSONObject:
    """A field change without its display-only parts."""
    return {
        "path": item.path,
        "kind": item.kind,
        "before": item.before,
        "after": item.after,
    }


def change_units(change: Change) -> tuple[str, ...]:
    """The smallest pieces of a change that must each have been reviewed, as canonical
    JSON texts: one per field change of an update (so two reviewed plans that each change
    other fields of one product together cover the update main makes of both), one for
    any other change. An update without field changes (only a hand-made plan has one)
    is one unit, so it is never covered by nothing."""
    if change.action is Action.UPDATE and change.field_changes:
        return tuple(
            canonical_json(
                {
                    "action": "update",
                    "product_id": change.product_id,
                    "field": canonical_field(item),
                }
            )
            for item in change.field_changes
        )
    return (canonical_json(canonical_change(change)),)
