"""The machine rendering of a plan: exactly the plan file (docs/plan-format.md)."""

from __future__ import annotations

from catalog_sync.plan.plan import Plan
from catalog_sync.plan.planfile import plan_to_json
from catalog_sync.render.context import RenderContext


def render_json(
    plan: Plan, *, color: bool = False, context: RenderContext | None = None
) -> str:
    """The versioned plan JSON document, byte-identical to a saved plan file (the
    context is not part of it: a plan file is a pure function of its inputs)."""
    return plan_to_json(plan)
