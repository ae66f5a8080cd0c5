"""The order in which finished operations are reported: an operation that was not
attempted because operation X stopped the run ("skipped … after X failed") is reported
only after X's own FAILED line. Without this, a worker that saw the stop could hand back
its outcome before X's worker did, and the log would name X's failure before showing it."""

from __future__ import annotations

from collections.abc import Container

from catalog_sync.apply.operations import Operation
from catalog_sync.apply.outcomes import Outcome

Finished = tuple[Operation, Outcome]


def take_reportable(
    held: list[Finished], *, stopper: str | None, reported: Container[str]
) -> list[Finished]:
    """Removes from `held` and returns what may be reported now, in report order
    (attempted operations first, then by productId). `stopper` is the productId whose
    failure stopped the run, if any; `reported` holds the productIds reported so far."""
    waiting = (
        stopper is not None
        and stopper not in reported
        and all(op.product_id != stopper for op, _ in held)
    )
    now: list[Finished] = []
    later: list[Finished] = []
    for item in held:
        (later if waiting and item[1].status == "not-attempted" else now).append(item)
    held[:] = later
    return sorted(
        now, key=lambda item: (item[1].status == "not-attempted", item[0].product_id)
    )
