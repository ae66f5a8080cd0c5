"""Styled lines to text through rich: ANSI colour when asked, plain text otherwise.
rich writes into an in-memory buffer here, never to a stream, so renderers that use
it stay pure; the CLI decides whether colour is wanted (a terminal, no NO_COLOR, no
`--no-color`)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

Segment = tuple[str, str | None]
"""A piece of a line and its rich style (`"bold green"`), or None for plain."""


def paint(lines: Sequence[Sequence[Segment]], *, color: bool) -> str:
    """The lines joined with newlines (one at the end), styled only when `color`."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        width=100_000,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=True,
    )
    for line in lines:
        text = Text()
        for piece, style in line:
            text.append(piece, style=style)
        console.print(text)
    return buffer.getvalue()
