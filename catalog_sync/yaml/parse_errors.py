"""Turn what goes wrong while parsing a product file into located `Problem`s.

libyaml reports marks (0-based line and column) for syntax errors and a byte offset for
unreadable characters; bad UTF-8 is found before parsing. All become 1-based positions.
"""

from __future__ import annotations

import re

import yaml

from catalog_sync.problems import Problem

MAX_DEPTH = 64
"""Deepest nesting a product file may have; real CDS products stay under 10."""
_WRITE_A_MAPPING = "write one product as a mapping of fields"
# (message, hint, code) of each refusal; messages that name a value are built in place.
EMPTY = ("the file is empty", _WRITE_A_MAPPING, "yaml.empty")
NO_CONTENT = ("the file has no content", _WRITE_A_MAPPING, "yaml.empty")
NOT_MAPPING = ("start the file with 'productId: ...'", "yaml.not-mapping")
MULTIPLE_DOCUMENTS = (
    "more than one document in the file",
    "one product per file: remove the '---' separator and what follows",
    "yaml.multiple-documents",
)
TOO_DEEP = (
    f"nesting is deeper than {MAX_DEPTH} levels",
    "product files are never this deep: check for unbalanced brackets",
    "yaml.too-deep",
)
COMPLEX_KEY = (
    "a mapping key must be a plain name, not a list or mapping",
    "write a field name such as `name:`; `?` starts a complex key, so quote a key that "
    "begins with it",
    "yaml.complex-key",
)
DUPLICATE = (
    "remove one of them: YAML would silently keep only the last",
    "yaml.duplicate-key",
)
ANCHOR = (
    "anchors and aliases are not allowed",
    "write each value out in full",
    "yaml.anchor",
)
TAG = ("remove the tag; quote the value if it must stay text", "yaml.tag")
# A non-breaking space (pasted from a web page) as indentation, after a list's `-`, or
# after a key's `:`: YAML needs a plain space there.
_STRUCTURAL_NBSP = re.compile(
    r"^[ ]*(?:\u00a0|-\u00a0|(?:-[ ]+)?[^\s:#'\"]+:\u00a0)", re.MULTILINE
)
# `key: "text` or `- 'text`: a value that opens a quote, and the text after the quote.
_QUOTED_VALUE = re.compile(r"^\s*(?:-\s+)?(?:[^\s#\"'][^#]*?:\s+)?([\"'])(.*)$")


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    offset = max(0, min(offset, len(data)))
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def encoding_problem(data: bytes, exc: UnicodeDecodeError, file: str) -> Problem:
    line, col = _line_col(data, exc.start)
    byte = data[exc.start]
    return Problem(
        file,
        line,
        col,
        "",
        f"the file is not valid UTF-8: byte 0x{byte:02x} at offset {exc.start} (line {line})",
        "save the file with UTF-8 encoding",
        "yaml.encoding",
    )


def syntax_problem(exc: yaml.MarkedYAMLError, data: bytes, file: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if "maximum nesting depth" in str(exc.problem):
        return Problem(file, line, col, "", *TOO_DEEP)
    message = f"YAML syntax error: {exc.problem or exc.context}"
    if exc.context and exc.problem and exc.context_mark is not None:
        message += f" ({exc.context} at line {exc.context_mark.line + 1})"
    lines = data.splitlines()
    near = lines[line - 1] if 0 < line <= len(lines) else b""
    start = exc.context_mark.line if exc.context_mark is not None else line - 1
    unclosed = _unclosed_quote(lines, start, line - 1)
    if b"\t" in near:
        hint = "indent with spaces, not tabs"
    elif unclosed is not None:
        hint = f"line {unclosed} opens a quote that it never closes: close it there"
    else:
        hint = "check the indentation, quotes and brackets here"
    return Problem(file, line, col, "", message, hint, "yaml.syntax")


def _unclosed_quote(lines: list[bytes], first: int, last: int) -> int | None:
    """The 1-based number of the last line in [first, last) whose value opens a quote
    that does not close on it: the usual cause of an error a few lines further down."""
    for index in range(min(last, len(lines)) - 1, max(first, 0) - 1, -1):
        text = lines[index].decode("utf-8", "replace")
        found = _QUOTED_VALUE.match(text)
        if found is None:
            if '"' in text or "'" in text:
                return None  # maybe the end of a multi-line quoted value: no guess
            continue
        quote, rest = found.groups()
        closed = (
            re.search(r'(?<!\\)"', rest)
            if quote == '"'
            else "'" in rest.replace("''", "")
        )
        return None if closed else index + 1
    return None


def reader_problem(exc: yaml.YAMLError, data: bytes, file: str) -> Problem:
    offset = getattr(exc, "position", 0)
    line, col = _line_col(data, offset if isinstance(offset, int) else 0)
    reason = getattr(exc, "reason", None) or "unreadable character"
    character = getattr(exc, "character", None)
    shown = f" #x{character:04x}" if isinstance(character, int) else ""
    return Problem(
        file,
        line,
        col,
        "",
        f"unacceptable character{shown}: {reason}",
        "remove control characters from the file",
        "yaml.syntax",
    )


def nbsp_problem(data: bytes, file: str) -> Problem | None:
    """A non-breaking space where YAML's structure needs a plain one, or None."""
    if b"\xc2\xa0" not in data:
        return None
    text = data.decode("utf-8", "replace")
    found = _STRUCTURAL_NBSP.search(text)
    if found is None:
        return None
    offset = text.index("\u00a0", found.start())
    line_start = text.rfind("\n", 0, offset) + 1
    return Problem(
        file,
        text.count("\n", 0, offset) + 1,
        offset - line_start + 1,
        "",
        "a non-breaking space (U+00A0) where YAML needs a plain space",
        "replace it with a normal space (it often comes with text copied from a web page)",
        "yaml.syntax",
    )
