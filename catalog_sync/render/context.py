"""What a rendering may say beyond the plan: the commit it was planned from and when.
The CLI passes it (`--commit`, the clock); it is never stored in the plan file, which
stays a pure function of its inputs."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from catalog_sync.plan.retirement import time_or_none


@dataclass(frozen=True, slots=True)
class RenderContext:
    """`commit`: the commit SHA the product files come from; `planned_at`: RFC 3339."""

    commit: str | None = None
    planned_at: str | None = None

    def when(self, timezone: str) -> str | None:
        """`5 December 2026, 21:08 AEDT` in the bank's time zone."""
        moment = time_or_none(self.planned_at)
        if moment is None:
            return None
        local = moment.astimezone(ZoneInfo(timezone))
        return f"{local.day} {local:%B %Y, %H:%M %Z}"

    def short_commit(self) -> str | None:
        return self.commit[:12] if self.commit else None
