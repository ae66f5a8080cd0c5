"""Field changes as sentences for people (`fee "Monthly fee": amount $5.00 → $6.00`),
with Markdown-safe escaping; shared by the plan and drift Markdown renderers."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from catalog_sync.cds.units import Unit
from catalog_sync.english import plural
from catalog_sync.plan.diff import FieldChange
from catalog_sync.render.units import format_transition
from catalog_sync.render.units import format_value

_MAX_TEXT = 80
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|~])")
_BACKTICKS = re.compile(r"`+")


def printable(text: str) -> str:
    """`text` on one line with control characters (newlines, terminal escapes) shown
    as escapes: names and ids come from product data, which we do not control."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def escape_md(text: str) -> str:
    """Text that Markdown shows literally (no links, emphasis or HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", printable(text))


def escape_html(text: str) -> str:
    """Text for inside an HTML element such as `<summary>`."""
    return html.escape(printable(text), quote=False)


def code(text: str) -> str:
    """An inline code span that survives backticks in `text`: its delimiter is one
    backtick longer than the longest run inside (CommonMark), else `` would end it."""
    text = printable(text)
    if "`" not in text:
        return f"`{text}`"
    fence = "`" * (max(len(run) for run in _BACKTICKS.findall(text)) + 1)
    return f"{fence} {text} {fence}"


def field_words(field: str) -> str:
    """`fixedAmount.amount` -> `amount`; `comparisonRate` -> `comparison rate`."""
    last = field.rsplit(".", 1)[-1]
    return _CAMEL.sub(" ", last).lower()


def md_value(value: Any, unit: Unit | None) -> str:
    """A value for a Markdown line: units in words, other values as short code spans."""
    if unit is not None and value is not None:
        return escape_md(format_value(value, unit))
    if value is None or isinstance(value, bool):
        return format_value(value, None)
    if isinstance(value, dict | list):
        size = len(value)
        noun = "field" if isinstance(value, dict) else "item"
        return f"({size} {plural(size, noun)})"
    text = value if isinstance(value, str) else json.dumps(value)
    if len(text) > _MAX_TEXT:
        text = text[: _MAX_TEXT - 1] + "…"
    return code(
        json.dumps(text, ensure_ascii=False) if isinstance(value, str) else text
    )


def change_sentence(item: FieldChange) -> str:
    """One field change as a Markdown sentence."""
    subject = "" if item.subject == "product" else escape_md(item.subject)
    words = field_words(item.field) if item.field else ""
    if not words:
        return f"{subject}: {item.kind}"
    prefix = f"{subject}: {words}" if subject else f"{words}:"
    if item.kind == "added":
        return f"{prefix} set to {md_value(item.after, item.unit)}"
    if item.kind == "removed":
        return f"{prefix} removed (was {md_value(item.before, item.unit)})"
    if item.unit is not None and item.before is not None and item.after is not None:
        return f"{prefix} {escape_md(format_transition(item.before, item.after, item.unit))}"
    return f"{prefix} {md_value(item.before, item.unit)} → {md_value(item.after, item.unit)}"
