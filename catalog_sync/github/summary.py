"""Append Markdown to the job summary (`$GITHUB_STEP_SUMMARY`) within GitHub's 1 MiB
per-step limit, cutting on a line boundary and saying what was left out."""

from __future__ import annotations

from pathlib import Path

SUMMARY_LIMIT_BYTES = 1024 * 1024
TRUNCATION_NOTE = (
    "\n\n> **Truncated:** this output was cut to fit GitHub's {limit} limit; "
    "the full plan is in the workflow's artifacts.\n"
)


def fit_bytes(body: str, limit: int, *, unit: str = "1 MiB") -> str:
    """`body` unchanged if its UTF-8 size is within `limit`, else cut with a note."""
    encoded = body.encode("utf-8")
    if len(encoded) <= limit:
        return body
    note = TRUNCATION_NOTE.format(limit=unit)
    room = max(0, limit - len(note.encode("utf-8")))
    # errors="ignore" drops a multi-byte character split by the cut.
    kept = encoded[:room].decode("utf-8", errors="ignore")
    return _cut_at_line(kept) + note


def fit_chars(body: str, limit: int, *, unit: str) -> str:
    """`body` unchanged if it has at most `limit` characters, else cut with a note."""
    if len(body) <= limit:
        return body
    note = TRUNCATION_NOTE.format(limit=unit)
    return _cut_at_line(body[: max(0, limit - len(note))]) + note


def _cut_at_line(text: str) -> str:
    newline = text.rfind("\n")
    return text[:newline] if newline > 0 else text


def append_summary(path: Path, body: str, *, limit: int = SUMMARY_LIMIT_BYTES) -> int:
    """Append `body` to the step summary file; returns the bytes written.

    The limit counts what the step already wrote, so two appends together stay under it.
    """
    used = path.stat().st_size if path.exists() else 0
    text = body if body.endswith("\n") else body + "\n"
    fitted = fit_bytes(text, max(0, limit - used))
    data = fitted.encode("utf-8")
    with path.open("ab") as handle:
        handle.write(data)
    return len(data)
