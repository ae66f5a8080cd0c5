"""What a doctor run found, as plain values: one `Finding` per check, with its status,
what was observed, what fixes it and the configuration values that match what was seen;
the `Report` of a run and the exit code it means."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """`ok` ✓; `fail` ✗ (plan or apply would go wrong); `unknown` ? (could not tell);
    `differs` ! (works, but the configuration does not match what was observed);
    `skipped` - (not applicable, e.g. no public_base_url)."""

    OK = "ok"
    FAIL = "fail"
    UNKNOWN = "unknown"
    DIFFERS = "differs"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class Finding:
    """One check's result. `observed` says what was seen; `fix` the config key or the
    action that fixes a ✗, ? or !; `suggest` the configuration values (`schema` or
    `api.<key>`) that match what was observed, with the reason shown beside each."""

    check: str
    status: Status
    observed: str
    fix: str | None = None
    suggest: Mapping[str, Any] = field(default_factory=dict)
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """A doctor run against one environment: its findings, in the order checked."""

    environment: str
    where: str
    findings: tuple[Finding, ...]

    def exit_code(self, *, strict: bool = False) -> int:
        """1 if a check failed (or, with `strict`, could not tell); 2 if everything
        works but a suggestion would change the configuration; else 0."""
        statuses = {finding.status for finding in self.findings}
        if Status.FAIL in statuses or (strict and Status.UNKNOWN in statuses):
            return 1
        return 2 if Status.DIFFERS in statuses else 0

    @property
    def suggestions(self) -> dict[str, tuple[Any, str]]:
        """Every suggested key with its value and the reason, first finding first."""
        found: dict[str, tuple[Any, str]] = {}
        for finding in self.findings:
            for key, value in finding.suggest.items():
                found.setdefault(key, (value, finding.reason or finding.observed))
        return found
