"""Likely productId renames: a product created and another retired or deleted in the
same plan, with the same name and brand. productIds are immutable at Fiskil, so the
plan stays a create plus a removal; reviewers are told that it is probably one product
under a new id (and that customers of the old id see it end)."""

from __future__ import annotations

from dataclasses import dataclass

from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Plan


@dataclass(frozen=True, slots=True)
class LikelyRename:
    """`old_id` (retired or deleted) and `new_id` (created) share name and brand."""

    old_id: str
    new_id: str
    name: str


def likely_renames(plan: Plan) -> tuple[LikelyRename, ...]:
    """Each removal paired with the one create of the same name and brand, if exactly
    one; ambiguous matches (two creates with that name) are not guessed."""
    created: dict[tuple[str, str | None], list[str]] = {}
    for change in plan.changes:
        if change.action is Action.CREATE and change.name:
            created.setdefault((change.name, change.brand), []).append(
                change.product_id
            )
    found = []
    for change in plan.changes:
        if change.action not in (Action.RETIRE, Action.DELETE) or not change.name:
            continue
        matches = created.get((change.name, change.brand), [])
        if len(matches) == 1:
            found.append(LikelyRename(change.product_id, matches[0], change.name))
    return tuple(found)
