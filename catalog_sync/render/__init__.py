"""Renderers: each reads a plan (or a result) value and returns text; none does I/O.

`RENDERERS` maps a `--format` name to a plan renderer
`(plan, *, color=False, context=None) -> str`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from catalog_sync.plan.plan import Plan
from catalog_sync.render.context import RenderContext
from catalog_sync.render.json import render_json
from catalog_sync.render.markdown import render_markdown
from catalog_sync.render.text import render_text


class PlanRenderer(Protocol):
    """Turns a plan into text; `color` asks for ANSI colour where the format has it;
    `context` names the commit and time of planning where the format shows them."""

    def __call__(
        self, plan: Plan, *, color: bool = False, context: RenderContext | None = None
    ) -> str: ...


RENDERERS: Mapping[str, PlanRenderer] = {
    "text": render_text,
    "markdown": render_markdown,
    "json": render_json,
}
