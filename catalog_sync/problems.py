"""A located problem in a product file: the unit that validate reports and renders."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One problem: where (file, line, column, field path), what, and how to fix it.

    `file` is the path as the user should see it (relative to the catalog root where
    possible). `line` and `col` are 1-based; 0 means "the file as a whole". `path` is a
    JSON-path-like field path such as `fees[2].fixedAmount.amount` ("" for the document).
    `code` is a stable machine identifier (`schema.required`, `yaml.duplicate-key`, ...).
    """

    file: str
    line: int
    col: int
    path: str
    message: str
    hint: str | None = None
    code: str = "error"

    def format_text(self) -> str:
        """`file:line:col: error: path: message (hint)`; `file: error: ...` for a
        problem about the whole file (line 0)."""
        where = f"{self.path}: " if self.path else ""
        hint = f" ({self.hint})" if self.hint else ""
        at = f"{self.file}:{self.line}:{self.col}" if self.line > 0 else self.file
        return f"{at}: error: {where}{self.message}{hint}"
