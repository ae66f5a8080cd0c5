"""A progress line saying "skipped … after X failed" never comes before X's own FAILED
line (issue 15, item 13)."""

from __future__ import annotations

import threading
from pathlib import Path

from catalog_sync.apply.executor import execute_operations
from catalog_sync.apply.journal import Journal
from catalog_sync.apply.operations import Operation
from catalog_sync.apply.operations import order_operations
from catalog_sync.apply.outcomes import ApplyEvent
from catalog_sync.apply.outcomes import Outcome
from catalog_sync.apply.report_order import take_reportable
from catalog_sync.apply.throttle import AdaptiveLimit
from catalog_sync.emulator.store import Store
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.render.progress import describe_event
from catalog_sync.types import JSONObject
from tests.apply.harness import PRODUCTS_PATH
from tests.apply.harness import emulator_api
from tests.apply.harness import product
from tests.apply.test_executor import _WithoutInterrupt

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


class _StallingJournal(Journal):
    """Holds the stopper's worker inside `failed` (after the stop is set) until the
    operation queued behind it has been turned away as not attempted."""

    def __init__(
        self, path: Path, stopped: threading.Event, turned_away: threading.Event
    ):
        super().__init__(path)
        self._stopped = stopped
        self._turned_away = turned_away

    def failed(self, product_id: str, action: str, error: str) -> None:
        super().failed(product_id, action, error)
        if product_id == "a":
            self._stopped.set()
            assert self._turned_away.wait(HANG_GUARD)


class _CountingLimit(AdaptiveLimit):
    """Sets `turned_away` once the third operation's worker has let go of its slot."""

    def __init__(self, turned_away: threading.Event) -> None:
        super().__init__(2)
        self._releases = 0
        self._turned_away = turned_away

    def release(self) -> None:
        super().release()
        self._releases += 1
        if self._releases == 1:  # b's write (refused: the client knows the scope is
            # missing now); c is turned away next
            return
        self._turned_away.set()


class _WaitsForTheStop(_WithoutInterrupt):
    def __init__(self, api: ProductsClient, stopped: threading.Event) -> None:
        super().__init__(api)
        self._stopped = stopped

    def update_product(
        self,
        product_id: str,
        product: JSONObject,
        *,
        if_match: str | None = None,
        previous: JSONObject | None = None,
    ) -> JSONObject:
        if product_id == "b":
            assert self._stopped.wait(HANG_GUARD)
        return super().update_product(
            product_id, product, if_match=if_match, previous=previous
        )


def test_the_skipped_line_follows_the_failed_line_it_names(tmp_path):
    store = Store()
    store.seed([product(pid) for pid in "abc"])
    store.faults.fail_next(
        "PUT",
        f"{PRODUCTS_PATH}/a",
        status=403,
        body={
            "error": "insufficient_scope",
            "error_description": "The access token does not have the required scope",
            "scope": "api:provider.products.write",
        },
    )
    stopped, turned_away = threading.Event(), threading.Event()
    rows = [(pid, "update", None, product(pid, name="New")) for pid in "abc"]
    events: list[ApplyEvent] = []
    with emulator_api(store) as api:
        result = execute_operations(
            order_operations(rows),
            _WaitsForTheStop(api, stopped),
            parallelism=2,
            on_event=events.append,
            journal=_StallingJournal(tmp_path / "j.jsonl", stopped, turned_away),
            limit=_CountingLimit(turned_away),
        )
    store.close()
    assert [o.status for o in result.outcomes] == ["failed", "failed", "not-attempted"]
    lines = [line for e in events if (line := describe_event(e)) is not None]
    failed = next(i for i, line in enumerate(lines) if "FAILED update a" in line)
    skipped = next(i for i, line in enumerate(lines) if "skipped update c" in line)
    assert "the run stopped after update a failed" in lines[skipped]
    assert failed < skipped, lines
