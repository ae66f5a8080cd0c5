"""A field change as one row a reviewer reads: what changed (a short label), before,
after and the size of the change, all in units (%, bp, $, durations in words, dates in
the bank's time zone). Plain text: each renderer escapes it for its format. The text
plan, the pull-request comment and the drift report all use these rows."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from catalog_sync.cds.identity import IDENTITIES
from catalog_sync.cds.impact import Impact
from catalog_sync.config.model import DEFAULT_TIMEZONE
from catalog_sync.plan.diff import FieldChange
from catalog_sync.render.items import describe_item
from catalog_sync.render.items import labelled_item
from catalog_sync.render.units import format_change
from catalog_sync.render.units import format_value

NONE = "—"
_MAX_VALUE = 80
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_FIELD_WORDS = {
    "effectiveTo": "available until",
    "effectiveFrom": "available from",
    "additionalValue": "value",
    "isTailored": "tailored",
    "applicationUri": "application link",
    "additionalInfoUri": "more-information link",
    "additionalInfo": "more information",
}
_RATE_SUBJECT = re.compile(r"(rate|discount|Bundle discount \([a-z]+\))(,|$| )")


@dataclass(frozen=True, slots=True)
class Row:
    """One change in words; `change` is its size (`+25 bp`) or what happened."""

    what: str
    before: str
    after: str
    change: str
    impact: Impact


def field_words(field: str) -> str:
    """`fixedAmount.amount` -> `amount`; `comparisonRate` -> `comparison rate`."""
    last = field.rsplit(".", 1)[-1]
    return _FIELD_WORDS.get(last) or _CAMEL.sub(" ", last).lower()


def field_row(item: FieldChange, timezone: str = DEFAULT_TIMEZONE) -> Row:
    """The row of one field change."""
    return Row(
        what=_what(item),
        before=_value(item.before, item, timezone),
        after=_value(item.after, item, timezone),
        change=_change(item),
        impact=item.impact,
    )


def sentence(row: Row) -> str:
    """`Bonus rate, balances up to $250,000: 3.50 % → 3.75 % (+25 bp)`."""
    size = f" ({row.change})" if row.change and row.change not in _KINDS else ""
    if row.before == NONE:
        return f"{row.what}: added, {row.after}{size}"
    if row.after == NONE:
        return f"{row.what}: removed (was {row.before})"
    return f"{row.what}: {row.before} → {row.after}{size}"


_KINDS = ("added", "removed", "changed")


def _what(item: FieldChange) -> str:
    if item.subject == "product":
        words = field_words(item.field) if item.field else "product"
        if item.field.rsplit(".", 1)[-1] in IDENTITIES:
            words = f"{words} (all)"
        return words[:1].upper() + words[1:]
    if not item.field:
        return item.subject
    last = item.field.rsplit(".", 1)[-1]
    innermost = item.subject.rsplit(" > ", 1)[-1]
    if last == "rate" and _RATE_SUBJECT.search(innermost) and "." not in item.field:
        return item.subject  # "Bonus rate, …: 3.50 % → 3.75 %" says it already
    words = field_words(item.field)
    if last == "additionalValue" and item.unit == "duration":
        words = "term" if _RATE_SUBJECT.search(innermost) else "period"
    return f"{item.subject} · {words}"


def _value(value: Any, item: FieldChange, timezone: str) -> str:
    if value is None:
        return NONE
    if isinstance(value, Mapping):
        text = describe_item(value)
    elif isinstance(value, list):
        text = "; ".join(labelled_item(v) for v in value) or NONE
    else:
        text = format_value(value, item.unit, timezone)
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= _MAX_VALUE else one_line[: _MAX_VALUE - 1] + "…"


def _change(item: FieldChange) -> str:
    if item.kind != "changed":
        return item.kind
    return format_change(item.before, item.after, item.unit) or "changed"
