"""The machine rendering of a plan: exactly the plan file (docs/plan-format.md)."""

from __future__ import annotations

from catalog_sync.plan.plan import Plan
from catalog_sync.plan.planfile import plan_to_json


def render_json(plan: Plan, *, color: bool = False) -> str:
    """The versioned plan JSON document, byte-identical to a saved plan file."""
    return plan_to_json(plan)
