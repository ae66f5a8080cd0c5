"""A progress line saying "skipped … after X failed" never comes before X's own FAILED
line (issue 15, item 13)."""

from __future__ import annotations

from catalog_sync.apply.operations import Operation
from catalog_sync.apply.outcomes import Outcome
from catalog_sync.apply.report_order import take_reportable

HANG_GUARD = 30.0  # seconds; never reached unless the executor deadlocks


def _finished(pid: str, status: str) -> tuple[Operation, Outcome]:
    return Operation(pid, "update", None), Outcome(pid, "update", status)  # type: ignore[arg-type]


def test_not_attempted_outcomes_wait_for_the_stopper():
    held = [_finished("a", "not-attempted"), _finished("b", "done")]
    now = take_reportable(held, stopper="z", reported={"b0"})
    assert [op.product_id for op, _ in now] == ["b"]
    assert [op.product_id for op, _ in held] == ["a"]

    held.append(_finished("z", "failed"))
    now = take_reportable(held, stopper="z", reported={"b"})
    assert [(op.product_id, o.status) for op, o in now] == [
        ("z", "failed"),
        ("a", "not-attempted"),
    ]
    assert held == []


def test_without_a_stopper_or_once_it_is_reported_everything_goes():
    held = [_finished("b", "not-attempted"), _finished("a", "done")]
    assert len(take_reportable(list(held), stopper=None, reported=())) == 2
    now = take_reportable(held, stopper="z", reported={"z"})
    assert [op.product_id for op, _ in now] == ["a", "b"]
