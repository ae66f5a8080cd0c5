"""JSON Schema `pattern`s with ECMA-262 semantics on Python's `re`.

The two differ where it matters for amounts and rates: Python's `$` also matches before a
final newline, so `^[0-9]+\\.[0-9]{2}$` accepted "5.00\\n", which ECMA-262 (and so any
other validator, the API's included) refuses. Every unescaped `$` outside a character
class becomes `\\Z`, the end of the string and nothing else."""

from __future__ import annotations

import functools
import re


@functools.cache
def ecma_pattern(pattern: str) -> re.Pattern[str]:
    """`pattern` compiled so that `$` means the end of the string, as in ECMA-262."""
    return re.compile(_translate(pattern))


def _translate(pattern: str) -> str:
    out: list[str] = []
    in_class = escaped = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            out.append(r"\Z")
            continue
        out.append(char)
    return "".join(out)
