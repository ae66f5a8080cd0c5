"""Renderers: each reads a plan (or a result) value and returns text; none does I/O.

`RENDERERS` maps a `--format` name to a plan renderer `(plan, *, color=False) -> str`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from catalog_sync.plan.plan import Plan
from catalog_sync.render.json import render_json
from catalog_sync.render.markdown import render_markdown
from catalog_sync.render.text import render_text


class PlanRenderer(Protocol):
    """Turns a plan into text; `color` asks for ANSI colour where the format has it."""

    def __call__(self, plan: Plan, *, color: bool = False) -> str: ...


RENDERERS: Mapping[str, PlanRenderer] = {
    "text": render_text,
    "markdown": render_markdown,
    "json": render_json,
}
