"""Strings from a fork's artifact made harmless for a GitHub comment, whatever Markdown or
HTML context the plan renderer puts them in (text, code span, code block, `<summary>`).

`neutralise` breaks every token GitHub or the Actions runner would act on: mentions
(`@someone`, `@org/team`), issue references (`#1`, `owner/repo#1`), HTML (`<img …>`) and
character references that could decode to any of these, Markdown links and images
(`![x](…)`, `[x](…)`), workflow commands (`::add-mask::`), and line breaks, bidi and
other control characters that could start a new Markdown block or hide text. Tokens are
broken with an invisible WORD JOINER, or replaced by a look-alike character where the
original would still be markup, so the text reads the same to a reviewer.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from zoneinfo import available_timezones

from catalog_sync.config.model import DEFAULT_TIMEZONE
from catalog_sync.errors import GitHubError
from catalog_sync.plan.diff import FieldChange
from catalog_sync.plan.plan import Change
from catalog_sync.plan.plan import Plan

JOINER = (
    "\u2060"  # WORD JOINER: invisible, and not part of any GitHub or Markdown token
)
MAX_DEPTH = 64  # a CDS product nests about 6 deep; deeper is not a product
_LOOK_ALIKES = str.maketrans(
    {"<": "\uff1c", ">": "\uff1e", "`": "\u02cb"}  # FULLWIDTH < and >, MODIFIER GRAVE
)
# Characters that end a line, or reorder or hide text: shown as escapes (`\n`, `\u202e`).
_HIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)
_BREAK_AFTER = re.compile(
    r"@"  # a mention: @someone, @org/team
    r"|#(?=\d)"  # an issue reference: #1, owner/repo#1
    r"|(?i:gh)-(?=\d)"  # GH-1, also an issue reference on GitHub
    r"|&(?=[#A-Za-z])"  # a character reference, which could decode to any of these
    r"|:(?=:)"  # a workflow command: ::add-mask::, ::set-output
    r"|!(?=\[)"  # a Markdown image: ![x](…)
    r"|\](?=[(\[:])"  # a Markdown link or reference: [x](…), [x][r], [r]: …
)


def neutralise(text: str) -> str:
    """`text` with no mention, reference, HTML, link, image, workflow command or line
    break left in it; letters, digits and ordinary punctuation are unchanged."""
    shown = _HIDDEN.sub(lambda m: repr(m.group())[1:-1], text)
    return _BREAK_AFTER.sub(lambda m: m.group() + JOINER, shown.translate(_LOOK_ALIKES))


def neutralise_plan(plan: Plan) -> Plan:
    """`plan` with `neutralise` applied to every string in it (keys included), except
    the values the plan-file reader already checked against a fixed set (actions, kinds,
    units, removal). GitHubError if it nests deeper than any product does."""
    return replace(
        plan,
        environment=neutralise(plan.environment),
        base_url=neutralise(plan.base_url),
        schema=neutralise(plan.schema),
        desired_digest=neutralise(plan.desired_digest),
        live_fingerprints={
            neutralise(key): neutralise(value)
            for key, value in plan.live_fingerprints.items()
        },
        changes=tuple(_change(change) for change in plan.changes),
        tool_version=neutralise(plan.tool_version),
        products_dir=neutralise(plan.products_dir),
        retired_live=tuple(neutralise(pid) for pid in plan.retired_live),
        targets=tuple(neutralise(pid) for pid in plan.targets),
        policy=replace(
            plan.policy, override_label=neutralise(plan.policy.override_label)
        ),
        # The renderer looks the zone up: an unknown one would stop the comment.
        timezone=plan.timezone
        if plan.timezone in available_timezones()
        else DEFAULT_TIMEZONE,
    )


def _change(change: Change) -> Change:
    return replace(
        change,
        product_id=neutralise(change.product_id),
        brand=_optional(change.brand),
        category=_optional(change.category),
        name=_optional(change.name),
        file=_optional(change.file),
        before=_json(change.before, 0),
        after=_json(change.after, 0),
        field_changes=tuple(_field(item) for item in change.field_changes),
        live_fingerprint=_optional(change.live_fingerprint),
    )


def _field(item: FieldChange) -> FieldChange:
    return replace(
        item,
        path=neutralise(item.path),
        label=neutralise(item.label),
        subject=neutralise(item.subject),
        field=neutralise(item.field),
        before=_json(item.before, 0),
        after=_json(item.after, 0),
    )


def _optional(text: str | None) -> str | None:
    return None if text is None else neutralise(text)


def _json(value: Any, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise GitHubError(
            f"the preview plan nests deeper than {MAX_DEPTH} levels; no product does, "
            "so it was not rendered and nothing was posted"
        )
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, dict):
        return {neutralise(k): _json(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(item, depth + 1) for item in value]
    return value  # numbers, booleans and null say nothing to GitHub
