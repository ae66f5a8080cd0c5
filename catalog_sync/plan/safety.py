"""Safety rails checked before any write: deletes need `--allow-delete`, and removing
(deleting or retiring) more than 30 % of at least 10 live products needs `--force`
(the octoDNS thresholds). A mis-globbed products folder must never empty the catalog."""

from __future__ import annotations

from collections.abc import Sequence

from catalog_sync.english import plural
from catalog_sync.errors import UnsafePlanError
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Plan

MASS_REMOVAL_FRACTION = 0.30
MASS_REMOVAL_MIN_LIVE = 10
_SHOWN = 10


def check_removals(
    removals: Sequence[tuple[str, str]],
    *,
    live_count: int,
    allow_delete: bool,
    force: bool,
) -> None:
    """Raise UnsafePlanError unless the `(product_id, action)` removals are allowed.

    `action` is `delete` or `retire`; `live_count` is how many live products the plan
    read (the denominator of the mass-removal threshold).
    """
    deletes = sorted(pid for pid, action in removals if action == "delete")
    if deletes and not allow_delete:
        raise UnsafePlanError(
            f"the plan deletes {_products(len(deletes))}: {_names(deletes)}; "
            "nothing was written",
            hint="re-run with --allow-delete if that is intended, or set "
            "`removal: retire` in catalog-sync.yaml to retire instead",
        )
    if is_mass_removal(len(removals), live_count) and not force:
        share = 100 * len(removals) / live_count
        raise UnsafePlanError(
            f"the plan removes {_products(len(removals))} of {live_count} live "
            f"({share:.0f} %, above the {MASS_REMOVAL_FRACTION:.0%} guard): "
            f"{_names(sorted(pid for pid, _ in removals))}; nothing was written",
            hint="check that products_dir points at the whole catalog; re-run with "
            "--force if the removal is intended",
        )


def is_mass_removal(removed: int, live_count: int) -> bool:
    """More than 30 % of at least 10 live products."""
    return (
        live_count >= MASS_REMOVAL_MIN_LIVE
        and removed > MASS_REMOVAL_FRACTION * live_count
    )


def _products(n: int) -> str:
    return f"{n} {plural(n, 'product')}"


def _names(product_ids: Sequence[str]) -> str:
    shown = ", ".join(product_ids[:_SHOWN])
    more = len(product_ids) - _SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


def check_plan_safety(plan: Plan, *, allow_delete: bool, force: bool) -> None:
    """`check_removals` over a plan's retirements and deletions, out of the live
    products still offered (already retired ones would dilute the share)."""
    removals = [
        (change.product_id, str(change.action))
        for change in plan.changes
        if change.action in (Action.RETIRE, Action.DELETE)
    ]
    check_removals(
        removals,
        live_count=len(plan.live_fingerprints) - len(plan.retired_live),
        allow_delete=allow_delete,
        force=force,
    )
