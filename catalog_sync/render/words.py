"""Text from product data made safe to show: on one line, escaped for Markdown or HTML,
or as a code span; shared by every renderer."""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|~$_])")
_BACKTICKS = re.compile(r"`+")


def printable(text: str) -> str:
    """`text` on one line with control characters (newlines, terminal escapes) shown
    as escapes: names and ids come from product data, which we do not control."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def escape_md(text: str) -> str:
    """Text that Markdown shows literally (no links, emphasis, HTML or GitHub math:
    `$5.00 to $6.00` would otherwise typeset as a formula)."""
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
