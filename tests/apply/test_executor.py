from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from catalog_sync.apply.executor import execute_operations
from catalog_sync.apply.journal import Journal
from catalog_sync.apply.journal import read_interrupted
from catalog_sync.apply.operations import Write
from catalog_sync.apply.operations import order_operations
from catalog_sync.apply.outcomes import ApplyEvent
from catalog_sync.config.model import ApiContract
from catalog_sync.emulator.store import Store
from catalog_sync.fiskil.connect import ClientOptions
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.plan.plan import Action
from catalog_sync.types import JSONObject
from tests.apply.harness import PRODUCTS_PATH
from tests.apply.harness import emulator_api
from tests.apply.harness import product
from tests.apply.harness import writes


@pytest.fixture
def store():
    store = Store()
    yield store
    store.close()


def _creates(n: int, **refs: list[str]) -> list[Write]:
    rows: list[Write] = []
    for i in range(1, n + 1):
        pid = f"p{i:02}"
        extra: dict[str, Any] = {}
        if pid in refs:
            extra["bundles"] = [
                {"name": "Bundle", "description": "Bundle.", "productIds": refs[pid]}
            ]
        rows.append((pid, Action.CREATE, None, product(pid, **extra)))
    return rows


def test_execute_operations_creates_everything_and_reports_events(store):
    events: list[ApplyEvent] = []
    ops = order_operations(_creates(6))
    with emulator_api(store) as api:
        result = execute_operations(ops, api, parallelism=3, on_event=events.append)
    assert result.is_success
    assert sorted(store.products()) == [f"p{i:02}" for i in range(1, 7)]
    assert [e.kind for e in events].count("started") == 6
    assert [e.kind for e in events].count("succeeded") == 6
    assert events[-1].finished == 6
    assert events[-1].total == 6
    assert 1 <= result.peak_in_flight <= 3


def test_execute_operations_partial_failure_skips_dependents_and_continues(
    store, tmp_path
):
    # p04's body is invalid, so the server rejects it (422, never retried);
    # p07's bundle names p04.
    ops = order_operations(_creates(10, p07=["p04", "p07"]))
    bad = next(op for op in ops if op.product_id == "p04")
    broken = {k: v for k, v in (bad.body or {}).items() if k != "name"}
    ops = tuple(
        op if op.product_id != "p04" else replace(op, body=broken) for op in ops
    )
    journal = Journal(tmp_path / "journal-local.jsonl")
    journal.begin(total=len(ops), plan_digest=None)
    with emulator_api(store) as api:
        result = execute_operations(ops, api, parallelism=4, journal=journal)

    assert not result.is_success
    statuses = {o.product_id: o.status for o in result.outcomes}
    assert statuses["p04"] == "failed"
    assert statuses["p07"] == "skipped-dependency"
    assert [p for p, s in statuses.items() if s == "done"] == [
        "p01",
        "p02",
        "p03",
        "p05",
        "p06",
        "p08",
        "p09",
        "p10",
    ]
    assert "p04" in (result.with_status("skipped-dependency")[0].error or "")
    # exactly one POST for the failing product: a 422 is not retried
    posts = [w for w in writes(store) if w[0] == "POST"]
    assert len(posts) == 9
    leftover = read_interrupted(journal.path)
    assert leftover is not None
    assert len(leftover.completed) == 8
    assert [e.product_id for e in leftover.failed] == ["p04"]


def test_execute_operations_stops_scheduling_on_a_scope_error(store):
    store.add_client("local", "local-secret", ["api:provider.products.read"])
    ops = order_operations(_creates(5))
    with emulator_api(store, max_in_flight=1) as api:
        result = execute_operations(ops, api, parallelism=1)
    counts = result.counts()
    assert counts["done"] == 0
    assert counts["failed"] >= 1
    assert counts["failed"] + counts["not-attempted"] == 5
    assert result.stopped_by is not None
    assert "api:provider.products.write" in result.stopped_by
    assert len(writes(store)) <= 1
    # the cause is stated once (stopped_by); each operation that never ran says briefly why
    for outcome in result.with_status("not-attempted"):
        assert outcome.error == "the run stopped after create p01 failed"


def test_execute_operations_412_is_reported_not_retried(store):
    store.seed([product("p01")])
    current = store.get_product("p01")
    assert current is not None
    stale_etag = current.etag
    store.seed([product("p01", name="Changed out of band")])
    ops = order_operations(
        [("p01", Action.UPDATE, product("p01"), product("p01", name="Ours"))],
        etags={"p01": stale_etag},
    )
    with emulator_api(store) as api:
        result = execute_operations(ops, api)
    outcome = result.outcomes[0]
    assert outcome.status == "failed"
    assert "re-plan" in (outcome.error or "")
    assert writes(store) == [("PUT", f"{PRODUCTS_PATH}/p01", 412)]
    assert store.products()["p01"]["name"] == "Changed out of band"


def test_patch_updates_remove_the_fields_the_plan_removes(store):
    """With `api.update_method: PATCH` (JSON merge patch), sending the desired body
    alone would keep every field the plan removes: apply reported "updated" and the
    next plan showed the same change forever. Removed fields are sent as null."""
    from pathlib import Path

    from catalog_sync.apply.executor import apply_plan
    from catalog_sync.config.model import default_config
    from catalog_sync.emulator.app import make_app
    from catalog_sync.emulator.transport import EmulatorTransport
    from catalog_sync.plan.build import build_plan
    from catalog_sync.targets import open_products_api
    from tests.conftest import FakeClock

    extra = {"applicationUri": "https://example.com/apply"}
    info = {"overviewUri": "https://example.com/o"}
    store.seed([product("p1", **extra, additionalInformation=info)])
    kept = {"bundleUri": "https://example.com/b"}
    desired = {"p1": product("p1", additionalInformation=kept)}
    base = default_config(Path("/nonexistent-catalog-root"))
    config = replace(base, api=replace(base.api, update_method="PATCH"))

    def plan_now() -> Any:
        live = {p["productId"]: p for p in api.iter_products()}
        return build_plan(
            desired,
            live,
            removal="keep",
            environment="local",
            base_url="embedded",
            schema="cds-v7",
            now="2026-07-01T00:00:00Z",
        )

    with open_products_api(
        config,
        config.environment(None),
        need="write",
        options=ClientOptions(
            clock=FakeClock(), transport=EmulatorTransport(make_app(store))
        ),
    ) as api:
        assert plan_now().has_changes
        assert apply_plan(plan_now(), api).is_success
        assert not plan_now().has_changes
    assert [m for m, _, _ in writes(store)] == ["PATCH"]


def test_journal_counts_only_the_writes_this_run_makes(store, tmp_path):
    """Re-applying a saved plan after a crash skips what is already live. If this run
    dies too, its note must say "k of <this run's writes>", not count the skipped
    changes as outstanding."""
    from catalog_sync.apply.executor import apply_plan
    from catalog_sync.plan.build import build_plan

    desired = {f"p{i}": product(f"p{i}") for i in range(1, 6)}
    plan = build_plan(
        desired,
        {},
        removal="keep",
        environment="local",
        base_url="embedded",
        schema="cds-v7",
        now="2026-07-01T00:00:00Z",
    )
    journal = Journal(tmp_path / "journal.jsonl")
    totals: list[int] = []

    def on_event(event: ApplyEvent) -> None:
        interrupted = read_interrupted(journal.path)
        if interrupted is not None:
            totals.append(interrupted.total)

    with emulator_api(store) as api:
        result = apply_plan(
            plan, api, journal=journal, on_event=on_event, already_applied={"p1", "p2"}
        )
    assert result.is_success
    assert totals
    assert set(totals) == {3}


@pytest.mark.timeout(20)
def test_ctrl_c_does_not_wait_out_a_retry_after(store):
    """Ctrl-C lets in-flight writes finish, but a write waiting 30 s to retry after a
    429 gives up at once instead of holding the exit (a second Ctrl-C did not help)."""
    import time
    from pathlib import Path

    from catalog_sync.config.model import default_config
    from catalog_sync.emulator.app import make_app
    from catalog_sync.emulator.transport import EmulatorTransport
    from catalog_sync.targets import open_products_api

    store.seed([product("slow"), product("bad")])
    store.faults.fail_next(
        "PUT", f"{PRODUCTS_PATH}/slow", status=429, times=None, retry_after=30
    )
    rows = [
        ("slow", Action.UPDATE, None, product("slow", name="New")),
        ("bad", Action.UPDATE, None, {"productId": "bad"}),  # 422 at once
    ]

    def interrupt_on_failure(event: ApplyEvent) -> None:
        if event.kind == "failed":
            raise KeyboardInterrupt  # as if Ctrl-C arrived in the main thread

    config = default_config(Path("/nonexistent-catalog-root"))
    with open_products_api(
        config,
        config.environment(None),
        need="write",
        options=ClientOptions(transport=EmulatorTransport(make_app(store))),
    ) as api:
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            execute_operations(
                order_operations(rows), api, on_event=interrupt_on_failure
            )
        # a hang guard: without the interrupt the real-clock waits last minutes
        assert time.monotonic() - started < 60


def test_execute_operations_skips_a_whole_chain_behind_a_failed_create(store):
    # c bundles b, b bundles a; a is rejected (422). Both dependents are skipped
    # with the reason, even though nothing else is in flight when a fails.
    rows = [
        (
            "a",
            Action.CREATE,
            None,
            {k: v for k, v in product("a").items() if k != "name"},
        ),
        ("b", Action.CREATE, None, product("b", bundles=[_bundle("a")])),
        ("c", Action.CREATE, None, product("c", bundles=[_bundle("b")])),
    ]
    with emulator_api(store) as api:
        result = execute_operations(order_operations(rows), api, parallelism=2)

    statuses = {o.product_id: o.status for o in result.outcomes}
    assert statuses == {
        "a": "failed",
        "b": "skipped-dependency",
        "c": "skipped-dependency",
    }
    errors = {o.product_id: o.error for o in result.outcomes}
    assert errors["c"] == "depends on b, which did not complete"
    assert [w[0] for w in writes(store)] == ["POST"]


def test_execute_operations_removes_only_after_every_upsert(store):
    store.seed([product(f"old{i}") for i in range(6)])
    rows: list[Any] = [
        (f"new{i}", Action.CREATE, None, product(f"new{i}")) for i in range(6)
    ]
    rows += [(f"old{i}", Action.DELETE, product(f"old{i}"), None) for i in range(6)]
    with emulator_api(store) as api:
        result = execute_operations(order_operations(rows), api, parallelism=4)

    assert result.is_success
    methods = [w[0] for w in writes(store)]
    assert methods == ["POST"] * 6 + ["DELETE"] * 6


def _bundle(*product_ids: str) -> dict[str, Any]:
    return {"name": "Bundle", "description": "Bundle.", "productIds": list(product_ids)}


def test_a_server_refusing_without_retry_times_stops_the_run_saying_when_once(store):
    """The server gave no Retry-After and never lets the request through: it is sent
    again after backoffs until the patience runs out (429s are not failures), then
    the failure says when to retry, once (it used to say "retry after" twice), and
    the run stops there (a server accepting nothing is systemic)."""
    store.seed([product("a"), product("b")])
    store.faults.fail_next("PUT", f"{PRODUCTS_PATH}/a", status=429, times=None)
    rows = [
        ("a", Action.UPDATE, None, product("a", name="New")),
        ("b", Action.UPDATE, None, product("b", name="New")),
    ]
    with emulator_api(store) as api:
        result = execute_operations(order_operations(rows), api, parallelism=1)
    failed = result.outcomes[0]
    assert (failed.product_id, failed.status) == ("a", "failed")
    assert failed.error is not None
    assert failed.error.startswith(
        f"PUT {PRODUCTS_PATH}/a: rate limited; retry after 20"
    )
    assert failed.error.count("retry after") == 1
    assert "None" not in failed.error
    assert store.ledger.count("PUT", f"{PRODUCTS_PATH}/a") > ApiContract().max_attempts
    assert result.stopped_by == f"stopped after update a: {failed.error}"
    assert (result.outcomes[1].status, result.outcomes[1].error) == (
        "not-attempted",
        "the run stopped after update a failed",
    )


class _WithoutInterrupt:
    """A products API whose `interrupt` cannot cut its retry waits short (unlike
    ProductsClient's): the executor must stop scheduling on Ctrl-C all the same."""

    def __init__(self, api: ProductsClient) -> None:
        self._api = api

    def iter_products(self) -> Iterator[JSONObject]:
        return self._api.iter_products()

    def get_product(self, product_id: str) -> JSONObject | None:
        return self._api.get_product(product_id)

    def create_product(self, product: JSONObject) -> JSONObject:
        return self._api.create_product(product)

    def update_product(
        self,
        product_id: str,
        product: JSONObject,
        *,
        if_match: str | None = None,
        previous: JSONObject | None = None,
    ) -> JSONObject:
        return self._api.update_product(
            product_id, product, if_match=if_match, previous=previous
        )

    def delete_product(self, product_id: str, *, if_match: str | None = None) -> None:
        self._api.delete_product(product_id, if_match=if_match)

    def get_product_with_version(
        self, product_id: str
    ) -> tuple[JSONObject, str | None] | None:
        return self._api.get_product_with_version(product_id)

    def interrupt(self) -> None:
        pass  # nothing to cut short

    def close(self) -> None:
        self._api.close()


def test_ctrl_c_with_an_api_that_cannot_interrupt_still_stops(store):
    def interrupt_after_first(event: ApplyEvent) -> None:
        if event.kind == "succeeded":
            raise KeyboardInterrupt

    with emulator_api(store) as api, pytest.raises(KeyboardInterrupt):
        execute_operations(
            order_operations(_creates(4)),
            _WithoutInterrupt(api),
            parallelism=1,
            on_event=interrupt_after_first,
        )
    assert len(writes(store)) <= 2  # at most the one in flight after the first


def test_an_operation_whose_predecessor_is_not_in_the_run_is_not_started(store):
    """b bundles a, which is created in the same plan; run b's operation alone and it
    never starts (its bundle would dangle), with no write and no failure blamed."""
    rows = [
        ("a", Action.CREATE, None, product("a")),
        ("b", Action.CREATE, None, product("b", bundles=[_bundle("a")])),
    ]
    only_b = [op for op in order_operations(rows) if op.product_id == "b"]
    with emulator_api(store) as api:
        result = execute_operations(only_b, api)
    [outcome] = result.outcomes
    assert (outcome.product_id, outcome.status, outcome.error) == (
        "b",
        "not-attempted",
        "not started",
    )
    assert result.stopped_by is None
    assert writes(store) == []
