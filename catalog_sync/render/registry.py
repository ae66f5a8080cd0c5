"""The one renderer registry: `(what, format)` -> a function from the value to text, so
every command picks its renderer the same way (check-jsonschema's REPORTER_BY_NAME).

`what` says which value is rendered: a plan, the drift of a plan, an apply result, a
validation report, or a migration report. `RenderOptions` carries what some renderers
show beyond the value: colour (the text plan), the commit and time of planning (the plan),
and a policy override's reason (the apply report).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from typing import Literal
from typing import overload

from catalog_sync.apply.outcomes import ApplyResult
from catalog_sync.errors import ConfigError
from catalog_sync.plan.plan import Plan
from catalog_sync.render import drift
from catalog_sync.render import problems
from catalog_sync.render import report
from catalog_sync.render.context import RenderContext
from catalog_sync.render.json import render_json
from catalog_sync.render.markdown import render_markdown
from catalog_sync.render.text import render_text
from catalog_sync.types import JSONObject

What = Literal["plan", "drift", "apply", "problems", "migration"]


@dataclass(frozen=True, slots=True)
class RenderOptions:
    color: bool = False
    context: RenderContext | None = None
    policy_override: str | None = None


_Renderer = Callable[[Any, RenderOptions], str]
"""(value, options) -> text."""


def _json_text(value: JSONObject, options: RenderOptions) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


# The migration report's renderers live with the migration (onboarding), whose imports
# (jsonschema, the YAML writer: about 0.3 s) no other command should pay for.
def _migration_text(value: JSONObject, options: RenderOptions) -> str:
    from catalog_sync.onboarding.report import render_text as migration_text

    return migration_text(value)


def _migration_markdown(value: JSONObject, options: RenderOptions) -> str:
    from catalog_sync.onboarding.report import render_markdown as migration_markdown

    return migration_markdown(value)


RENDERERS: Mapping[tuple[What, str], _Renderer] = {
    ("plan", "text"): lambda plan, o: render_text(
        plan, color=o.color, context=o.context
    ),
    ("plan", "markdown"): lambda plan, o: render_markdown(plan, context=o.context),
    ("plan", "json"): lambda plan, o: render_json(plan),
    ("drift", "text"): lambda plan, o: drift.render_drift_text(plan),
    ("drift", "markdown"): lambda plan, o: drift.render_drift_markdown(plan),
    ("drift", "json"): lambda plan, o: drift.render_drift_json(plan),
    ("apply", "text"): lambda result, o: report.render_report_text(
        result, policy_override=o.policy_override
    ),
    ("apply", "markdown"): lambda result, o: report.render_report_markdown(
        result, policy_override=o.policy_override
    ),
    ("apply", "json"): lambda result, o: report.render_report_json(
        result, policy_override=o.policy_override
    ),
    ("problems", "text"): lambda found, o: problems.render_text(found),
    ("problems", "json"): lambda found, o: problems.render_json(found),
    ("problems", "github"): lambda found, o: problems.render_github(found),
    ("migration", "text"): _migration_text,
    ("migration", "markdown"): _migration_markdown,
    ("migration", "json"): _json_text,
}


def formats(what: What) -> tuple[str, ...]:
    """The formats `what` can be rendered in, in registry order."""
    return tuple(fmt for kind, fmt in RENDERERS if kind == what)


@overload
def render(
    what: Literal["plan"],
    output_format: str,
    value: Plan,
    *,
    color: bool = False,
    context: RenderContext | None = None,
) -> str: ...
@overload
def render(what: Literal["drift"], output_format: str, value: Plan) -> str: ...
@overload
def render(
    what: Literal["apply"],
    output_format: str,
    value: ApplyResult,
    *,
    policy_override: str | None = None,
) -> str: ...
@overload
def render(
    what: Literal["problems"], output_format: str, value: problems.ProblemReport
) -> str: ...
@overload
def render(
    what: Literal["migration"], output_format: str, value: JSONObject
) -> str: ...
def render(
    what: What,
    output_format: str,
    value: Any,
    *,
    color: bool = False,
    context: RenderContext | None = None,
    policy_override: str | None = None,
) -> str:
    """`value` (a `what`) as text in `output_format`; ConfigError for a format that
    `what` has no renderer for."""
    renderer = RENDERERS.get((what, output_format))
    if renderer is None:
        raise ConfigError(
            f"unknown {what} format {output_format!r}",
            hint=f"use {', '.join(formats(what))}",
        )
    return renderer(value, RenderOptions(color, context, policy_override))
