"""The reviewed-plan check behind `apply PLANFILE --reviewed REVIEWED_PLAN`: a plan may be
applied only when every change in it appears, identically, in one of the plans that
reviewers saw. Pure: it compares plan values and says what was not reviewed and why.

Identity is `catalog_sync.plan.digest.change_units`: an update counts field change by
field change (product, path, before and after), so two reviewed pull requests that each
changed other fields of one product together cover main's update of both; a create counts
with its whole content; a retirement and a deletion by product and action.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from typing import Literal

from catalog_sync.errors import PlanError
from catalog_sync.plan.digest import change_set_digest
from catalog_sync.plan.digest import change_units
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from catalog_sync.plan.plan import Plan

Cause = Literal["live-changed", "not-reviewed"]

CAUSES: dict[Cause, str] = {
    "live-changed": "live changed since the review (an edit outside git, for example "
    "in the Fiskil console): applying would overwrite it",
    "not-reviewed": "no reviewed plan shows it: another merge, a push without a pull "
    "request, or a commit after the pull request's last plan",
}


@dataclass(frozen=True, slots=True)
class ReviewedPlan:
    """A plan a reviewer saw; `label` says where it came from (a file, `PR #12`)."""

    label: str
    plan: Plan


@dataclass(frozen=True, slots=True)
class Unreviewed:
    """A change of the plan, reduced to its unreviewed part (for an update: only the
    field changes no reviewed plan showed), and the likely cause."""

    change: Change
    cause: Cause


@dataclass(frozen=True, slots=True)
class NoLongerNeeded:
    """A reviewed change of which the plan no longer makes any part: already live."""

    label: str
    change: Change


@dataclass(frozen=True, slots=True)
class ReviewCheck:
    """The result: the plan's change-set digest, what was not reviewed, and which
    reviewed changes are no longer needed."""

    digest: str
    unreviewed: tuple[Unreviewed, ...]
    no_longer_needed: tuple[NoLongerNeeded, ...]

    @property
    def ok(self) -> bool:
        return not self.unreviewed


def check_reviewed(plan: Plan, reviewed: Sequence[ReviewedPlan]) -> ReviewCheck:
    """Compare `plan` with the reviewed plans. PlanError if one was made for another
    environment or base URL; otherwise the check, which the caller must refuse to
    apply unless it is `ok`. Without reviewed plans only a plan without changes is."""
    for item in reviewed:
        _check_same_target(plan, item)
    seen = {
        unit for item in reviewed for c in item.plan.changes for unit in change_units(c)
    }
    unreviewed = []
    for change in plan.changes:
        missing = _unreviewed_part(change, seen)
        if missing is not None:
            unreviewed.append(Unreviewed(missing, _cause(plan, change, reviewed)))
    planned = {unit for change in plan.changes for unit in change_units(change)}
    gone = [
        NoLongerNeeded(item.label, change)
        for item in reviewed
        for change in item.plan.changes
        if planned.isdisjoint(change_units(change))
    ]
    return ReviewCheck(change_set_digest(plan), tuple(unreviewed), tuple(gone))


def _check_same_target(plan: Plan, item: ReviewedPlan) -> None:
    if item.plan.environment != plan.environment:
        raise PlanError(
            f"{item.label}: the reviewed plan was made for environment "
            f"{item.plan.environment!r}, not {plan.environment!r}; nothing was written",
            hint="pass the reviewed plan of the same environment",
        )
    if item.plan.base_url != plan.base_url:
        raise PlanError(
            f"{item.label}: the reviewed plan was made against {item.plan.base_url}, "
            f"not {plan.base_url}; nothing was written",
            hint="a preview from the public endpoint (a fork's pull request) cannot "
            "serve as a reviewed plan: re-plan with the environment's credentials",
        )


def _unreviewed_part(change: Change, seen: set[str]) -> Change | None:
    units = change_units(change)
    if all(unit in seen for unit in units):
        return None
    if change.action is Action.UPDATE and change.field_changes:
        fields = tuple(
            item
            for item, unit in zip(change.field_changes, units, strict=True)
            if unit not in seen
        )
        return replace(change, field_changes=fields)
    return change


def _cause(plan: Plan, change: Change, reviewed: Sequence[ReviewedPlan]) -> Cause:
    """`live-changed` when no reviewed plan read the product's live state as it is now
    (its live fingerprint, or its absence); else the files changed since the review."""
    now = plan.live_fingerprints.get(change.product_id)
    if not reviewed or any(
        item.plan.live_fingerprints.get(change.product_id) == now for item in reviewed
    ):
        return "not-reviewed"
    return "live-changed"
