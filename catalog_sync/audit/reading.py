"""Read an audit record back: a finished one is one JSON document; one whose apply was
killed lacks its last line (and maybe part of the line being written), so it is read line
by line, as written (`catalog_sync.audit.record`), keeping every whole event."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog_sync.audit.record import AUDIT_FORMAT
from catalog_sync.audit.record import AUDIT_FORMAT_VERSION
from catalog_sync.errors import ConfigError

_OPENING_END = '"events": ['


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """A record as read. `end` is None when the apply never finished writing it;
    `torn` is True when its last line was cut mid-write."""

    path: Path
    format_version: int
    header: dict[str, Any]
    events: tuple[dict[str, Any], ...]
    end: dict[str, Any] | None
    torn: bool = False

    @property
    def is_complete(self) -> bool:
        return self.end is not None

    def to_json(self) -> dict[str, Any]:
        """The document, completed (`"end": null`) when the apply did not finish."""
        return {
            "format": AUDIT_FORMAT,
            "format_version": self.format_version,
            "header": self.header,
            "events": list(self.events),
            "end": self.end,
        }


def read_record(path: Path) -> AuditRecord:
    """The record in `path`; ConfigError naming the file when it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the audit record: {exc}") from exc
    try:
        document = json.loads(text)
    except ValueError:
        return _read_lines(path, text)
    return _record(path, document, torn=False)


def _read_lines(path: Path, text: str) -> AuditRecord:
    lines = text.split("\n")
    opening = lines[0].rstrip()
    if not opening.endswith(_OPENING_END):
        raise _not_a_record(path, "its first line is not an audit record's opening")
    try:
        document = json.loads(opening + "]}")
    except ValueError:
        raise _not_a_record(path, "its first line is not JSON") from None
    body = [line for line in lines[1:] if line]
    end = None
    torn = False
    if body and body[-1].startswith("]"):
        try:
            end = json.loads("{" + body.pop()[1:].lstrip(" ,"))["end"]
        except (ValueError, KeyError, TypeError):
            torn = True  # the end line was being written when the process died
    events: list[Any] = []
    for line in body:
        try:
            events.append(json.loads(line.removeprefix(",")))
        except ValueError:
            torn = True  # the line being written when the process died (or damage)
            break
    document["events"] = events
    document["end"] = end
    return _record(path, document, torn=torn)


def _record(path: Path, document: Any, *, torn: bool) -> AuditRecord:
    if not isinstance(document, dict) or document.get("format") != AUDIT_FORMAT:
        raise _not_a_record(path, f'it has no "format": "{AUDIT_FORMAT}"')
    version = document.get("format_version")
    if not isinstance(version, int) or version > AUDIT_FORMAT_VERSION:
        raise ConfigError(
            f"{path}: audit record format_version {version!r} is not one this "
            f"catalog-sync reads (up to {AUDIT_FORMAT_VERSION})",
            hint="read it with the catalog-sync version that wrote it, or a newer one",
        )
    header = document.get("header")
    events = document.get("events")
    end = document.get("end")
    if not isinstance(header, dict) or not isinstance(events, list):
        raise _not_a_record(path, "it has no header or no events")
    return AuditRecord(
        path=path,
        format_version=version,
        header=header,
        events=tuple(e for e in events if isinstance(e, dict)),
        end=end if isinstance(end, dict) else None,
        torn=torn,
    )


def _not_a_record(path: Path, why: str) -> ConfigError:
    return ConfigError(
        f"{path}: not a catalog-sync audit record ({why})",
        hint="audit records are the .json files in .catalog-sync/audit/",
    )
