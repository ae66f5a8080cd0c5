"""What apply reports: an event per operation as it progresses, and the final outcome of
every operation. Pure data, read by the progress and report renderers."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Literal

from catalog_sync.fiskil.waits import RateLimitWaits
from catalog_sync.plan.plan import Action

Status = Literal["done", "failed", "not-attempted", "skipped-dependency"]
EventKind = Literal["started", "succeeded", "failed", "skipped"]


@dataclass(frozen=True, slots=True)
class ApplyEvent:
    """Progress of one operation; `finished` counts operations with a final status."""

    kind: EventKind
    product_id: str
    action: Action
    finished: int
    total: int
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    product_id: str
    action: Action
    status: Status
    error: str | None = None
    already_applied: bool = False
    """Done without a write: live already was the change's result (the stale-plan
    check found it so, e.g. a saved plan applied again)."""


@dataclass(frozen=True, slots=True)
class ApplyResult:
    """Every operation's final status, in plan order, plus why the run stopped early."""

    outcomes: tuple[Outcome, ...]
    stopped_by: str | None = None
    peak_in_flight: int = 0
    rate_limit: RateLimitWaits = field(default_factory=RateLimitWaits)
    """The server's 429s during the run and how long requests waited on them."""

    @property
    def is_success(self) -> bool:
        return all(o.status == "done" for o in self.outcomes)

    @property
    def already_applied(self) -> int:
        """How many of the done operations needed no write."""
        return sum(1 for o in self.outcomes if o.already_applied)

    def with_status(self, status: Status) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status == status)

    def counts(self) -> dict[Status, int]:
        statuses: tuple[Status, ...] = (
            "done",
            "failed",
            "skipped-dependency",
            "not-attempted",
        )
        return {s: len(self.with_status(s)) for s in statuses}
