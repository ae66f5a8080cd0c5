from __future__ import annotations

import io
import json
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from catalog_sync.apply.outcomes import ApplyEvent
from catalog_sync.config.model import ApiContract
from catalog_sync.config.model import Config
from catalog_sync.config.model import Environment
from catalog_sync.config.model import default_config
from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.store import Store
from catalog_sync.emulator.transport import EmulatorTransport
from catalog_sync.errors import PlanError
from catalog_sync.errors import PlanFormatError
from catalog_sync.errors import StalePlanError
from catalog_sync.errors import UnsafePlanError
from catalog_sync.fiskil.connect import ClientOptions
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.fiskil.scopes import Need
from catalog_sync.render.drift import drift_counts
from catalog_sync.targets import open_products_api
from catalog_sync.workflow import ApplySettings
from catalog_sync.workflow import interrupted_apply
from catalog_sync.workflow import load_plan
from catalog_sync.workflow import make_plan
from catalog_sync.workflow import run_apply
from catalog_sync.workflow import save_plan
from catalog_sync.workflow import select_environment
from tests.apply.harness import PRODUCTS_PATH
from tests.apply.harness import product
from tests.apply.harness import writes
from tests.conftest import FakeClock

NOW = "2026-12-01T00:00:00Z"


class Crash(BaseException):
    """Stands in for the process dying: nothing in the engine catches it."""


@pytest.fixture
def store():
    store = Store()
    yield store
    store.close()


def _config(tmp_path: Path, removal: str = "delete") -> Config:
    return replace(default_config(tmp_path), removal=removal)  # type: ignore[arg-type]


def _refusing_creates_of(product_id: str, app: Any) -> Any:
    """The emulator, except that it answers 422 to a create of `product_id`: a server
    that refuses a body catalog-sync accepts (checklist 30's permanent failure)."""

    def refusing(environ: dict[str, Any], start_response: Any) -> Any:
        size = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(size)
        environ["wsgi.input"] = io.BytesIO(raw)
        creates = environ["REQUEST_METHOD"] == "POST" and (
            environ["PATH_INFO"] == PRODUCTS_PATH
        )
        if creates and json.loads(raw).get("productId") == product_id:
            start_response(
                "422 Unprocessable Entity", [("Content-Type", "application/json")]
            )
            return [b'{"errors": [{"code": "x", "title": "Refused", "detail": "no"}]}']
        return app(environ, start_response)

    return refusing


def _connector(store: Store, api: ApiContract | None = None, refuse: str | None = None):
    def connect(
        env: Environment, need: Need, max_in_flight: int | None
    ) -> ProductsClient:
        app = make_app(store)
        return open_products_api(
            replace(_config(Path("/unused")), api=api or ApiContract()),
            env,
            need=need,
            options=ClientOptions(
                clock=FakeClock(),
                transport=EmulatorTransport(
                    app if refuse is None else _refusing_creates_of(refuse, app)
                ),
                max_in_flight=max_in_flight,
            ),
        )

    return connect


def _desired(n: int, **fields: Any) -> dict[str, dict[str, Any]]:
    return {f"p{i:02}": product(f"p{i:02}", **fields) for i in range(1, n + 1)}


def _plan(config: Config, store: Store, desired: dict[str, Any]):
    return make_plan(config, desired=desired, connect=_connector(store), now=NOW)


def _apply(config, store, plan, refuse: str | None = None, **settings: Any):
    return run_apply(
        config,
        plan,
        settings=ApplySettings(**settings),
        connect=_connector(store, refuse=refuse),
        on_event=settings.pop("on_event", None) if "on_event" in settings else None,
    )


def test_partial_failure_then_second_apply_sends_only_the_outstanding_writes(
    tmp_path, store
):
    """Checklist 30."""
    config = _config(tmp_path)
    desired = _desired(10)
    desired["p07"] = product(
        "p07",
        bundles=[{"name": "Pack", "description": "Pack.", "productIds": ["p04"]}],
    )
    first = _apply(config, store, _plan(config, store, desired), refuse="p04")

    statuses = {o.product_id: o.status for o in first.outcomes}
    assert statuses.pop("p04") == "failed"
    assert statuses.pop("p07") == "skipped-dependency"
    assert set(statuses.values()) == {"done"}
    assert interrupted_apply(config, None) is None  # a finished run clears its journal

    # The fault is removed.
    store.ledger.clear()
    second_plan = _plan(config, store, desired)
    assert [(c.action, c.product_id) for c in second_plan.changes] == [
        ("create", "p04"),
        ("create", "p07"),
    ]
    assert _apply(config, store, second_plan).is_success
    assert [(m, s) for m, _, s in writes(store)] == [("POST", 201), ("POST", 201)]
    assert not _plan(config, store, desired).has_changes


@pytest.mark.parametrize("k", [0, 3, 9])
def test_crash_after_k_writes_leaves_exactly_the_remainder(tmp_path, store, k):
    """Checklist 31: the journal reports what was done; the next plan is n-k."""
    config = _config(tmp_path)
    desired = _desired(10)

    def crash_after_k(event: ApplyEvent) -> None:
        if event.kind == "succeeded" and event.finished == k:
            raise Crash
        if event.kind == "started" and k == 0:
            raise Crash

    plan = _plan(config, store, desired)
    with pytest.raises(Crash):
        run_apply(
            config,
            plan,
            settings=ApplySettings(parallelism=1),
            on_event=crash_after_k,
            connect=_connector(store),
        )

    # A write already in flight when the process dies may still land: at most one
    # more than k with one worker. The journal and the next plan agree with the store.
    landed = len(store.products())
    assert k <= landed <= k + 1
    leftover = interrupted_apply(config, None)
    assert leftover is not None
    assert len(leftover.completed) == landed
    assert leftover.describe().startswith(
        f"the previous apply was interrupted: {landed} of 10 operations completed"
    )
    remainder = _plan(config, store, desired)
    assert len(remainder.changes) == 10 - landed
    assert _apply(config, store, remainder).is_success
    assert interrupted_apply(config, None) is None
    assert sorted(store.products()) == sorted(desired)
    assert len([w for w in writes(store) if w[2] == 201]) == 10  # no duplicate create


def test_saved_plan_round_trip_and_stale_refusal(tmp_path, store):
    """Checklist 32 through the workflow: save, edit out of band, refuse, no write."""
    config = _config(tmp_path)
    store.seed([product("p01"), product("p02")])
    desired = {"p01": product("p01", name="New name"), "p02": product("p02")}
    path = tmp_path / "plan.json"
    save_plan(_plan(config, store, desired), path)
    store.seed([product("p01", name="Console edit")])
    store.ledger.clear()

    plan = load_plan(path)
    select_environment(plan, "local")
    with pytest.raises(StalePlanError, match="p01: changed since the plan"):
        _apply(config, store, plan)
    assert writes(store) == []
    with pytest.raises(PlanError, match="made for environment 'local', not 'staging'"):
        select_environment(plan, "staging")


def test_if_match_race_is_reported_and_the_next_plan_shows_the_real_diff(
    tmp_path, store
):
    """Checklist 33: the out-of-band write lands between the re-read and the PUT."""
    config = _config(tmp_path)
    store.seed([product("p01")])
    desired = {"p01": product("p01", name="Ours")}
    plan = _plan(config, store, desired)

    def race(event: ApplyEvent) -> None:
        if event.kind == "started":
            store.seed([product("p01", description="Theirs.")])

    result = run_apply(
        config, plan, settings=ApplySettings(), on_event=race, connect=_connector(store)
    )
    assert result.outcomes[0].status == "failed"
    assert "changed underneath us" in (result.outcomes[0].error or "")
    assert [(m, s) for m, _, s in writes(store)] == [("PUT", 412)]
    again = _plan(config, store, desired)
    labels = [c.label for c in again.changes[0].field_changes]
    assert labels == ["description", "name"]


def test_two_concurrent_applies_never_duplicate_or_lose_an_update(tmp_path, store):
    """Checklist 34. The guarantee rests on If-Match, so the re-read is per product
    (`auto` would list for this 13-change plan and write unconditionally)."""
    config = replace(_config(tmp_path), api=ApiContract(stale_check="get"))
    store.seed([product(f"u{i}") for i in range(5)])
    desired = {
        **_desired(8),
        **{f"u{i}": product(f"u{i}", name="v2") for i in range(5)},
    }
    plans = [_plan(config, store, desired) for _ in range(2)]
    results: list[Any] = [None, None]
    barrier = threading.Barrier(2)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = run_apply(
            config,
            plans[index],
            settings=ApplySettings(parallelism=4),
            connect=_connector(store),
        )

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not _plan(config, store, desired).has_changes
    created = [w for w in writes(store) if w[0] == "POST" and w[2] == 201]
    assert len(created) == 8
    updated = [w for w in writes(store) if w[0] == "PUT" and w[2] == 200]
    assert len(updated) <= 5  # each product written at most once per ETag version
    for result in results:
        for outcome in result.outcomes:
            if outcome.status == "failed":
                assert "re-plan" in (outcome.error or "") or "409" in (
                    outcome.error or ""
                )


def test_empty_desired_against_fifty_live_is_refused_without_flags(tmp_path, store):
    """Checklist 35."""
    config = _config(tmp_path)
    store.seed([product(f"p{i:02}") for i in range(50)])
    plan = _plan(config, store, {})
    assert plan.summary.delete == 50
    store.ledger.clear()
    with pytest.raises(UnsafePlanError, match="--allow-delete"):
        _apply(config, store, plan)
    with pytest.raises(UnsafePlanError, match="removes 50 products of 50 live"):
        _apply(config, store, plan, allow_delete=True)
    assert writes(store) == []
    assert store.ledger.count("DELETE") == 0
    assert len(store.products()) == 50


def test_retire_removal_sets_effective_to_and_is_guarded(tmp_path, store):
    config = _config(tmp_path, removal="retire")
    store.seed([product(f"p{i:02}") for i in range(10)])
    desired = {f"p{i:02}": product(f"p{i:02}") for i in range(7)}
    plan = _plan(config, store, desired)
    assert plan.summary.retire == 3
    assert _apply(config, store, plan).is_success  # 30 % is not above the guard
    assert store.products()["p08"]["effectiveTo"] == NOW
    assert not _plan(config, store, desired).has_changes
    drift = make_plan(config, desired=desired, connect=_connector(store), now=NOW)
    assert not drift.has_changes


def test_drift_of_a_plan_reports_each_kind(tmp_path, store):
    config = _config(tmp_path)
    store.seed([product("live-only"), product("both"), product("changed")])
    desired = {
        "both": product("both"),
        "changed": product("changed", name="Git name"),
        "git-only": product("git-only"),
    }
    report = make_plan(config, desired=desired, connect=_connector(store), now=NOW)
    assert drift_counts(report) == {"only-in-git": 1, "only-live": 1, "changed": 1}
    assert writes(store) == []


def test_rate_limited_create_stops_scheduling(tmp_path, store):
    config = _config(tmp_path)
    store.faults.fail_next(
        "POST", PRODUCTS_PATH, status=429, retry_after=3600, times=None
    )
    result = _apply(config, store, _plan(config, store, _desired(5)), parallelism=1)
    assert result.counts()["failed"] == 1
    assert result.counts()["not-attempted"] == 4
    assert "retry after" in (result.stopped_by or "")


def test_sustained_429_reduces_concurrency_and_apply_completes(tmp_path, store):
    """Checklist 12 through apply: the server throttles above 2 requests in flight."""
    config = _config(tmp_path)
    store.concurrency_limit = 2
    store.faults.add_latency(0.01, "POST", PRODUCTS_PATH)
    plan = _plan(config, store, _desired(40))
    store.ledger.clear()
    result = _apply(config, store, plan, parallelism=8)
    assert result.is_success
    throttled = [e for e in store.ledger.entries() if e.status == 429]
    assert store.ledger.max_in_flight <= 8
    assert sorted(store.products()) == sorted(_desired(40))
    assert 0 < len(throttled) < 80  # throttling happened, bounded below 2x the items


def test_spent_retry_budget_stops_scheduling_with_a_bounded_request_count(
    tmp_path, store
):
    """Checklist 13: persistent 5xx empties the run-wide budget; the rest is not attempted."""
    config = _config(tmp_path)
    plan = _plan(config, store, _desired(8))
    store.faults.fail_next("POST", PRODUCTS_PATH, status=502, times=None)
    store.ledger.clear()
    budget = replace(ApiContract(), retry_budget=6, max_attempts=3)
    result = run_apply(
        config,
        plan,
        settings=ApplySettings(parallelism=1),
        connect=_connector(store, budget),
    )
    counts = result.counts()
    assert counts["done"] == 0
    assert counts["not-attempted"] >= 4
    assert "retry budget" in (result.stopped_by or "")
    posts = store.ledger.count("POST", PRODUCTS_PATH)
    assert posts <= 8 + 6  # at most one first attempt per product plus the budget


def test_saved_plan_for_another_base_url_is_refused_before_connecting(tmp_path, store):
    """The environment's base_url changed in catalog-sync.yaml after the plan was
    saved: the plan's live fingerprints describe another server."""
    config = _config(tmp_path)
    plan = _plan(config, store, _desired(2))
    moved = replace(
        config,
        environments={
            "local": Environment(
                name="local", target="http", base_url="https://api.other.test"
            )
        },
    )
    connected: list[Need] = []

    def connect(env: Environment, need: Need, max_in_flight: int | None):
        connected.append(need)
        return _connector(store)(env, need, max_in_flight)

    with pytest.raises(PlanError) as info:
        run_apply(moved, plan, settings=ApplySettings(), connect=connect)
    assert info.value.message == (
        f"the plan was made against {plan.base_url}, but environment 'local' is "
        "https://api.other.test; nothing was written"
    )
    assert info.value.hint == (
        "make a new plan for it: `catalog-sync plan --env local --out FILE`"
    )
    assert connected == []
    assert writes(store) == []


@pytest.mark.parametrize("kind", ["directory", "not utf-8"])
def test_load_plan_names_a_plan_file_it_cannot_read(tmp_path, kind):
    path = tmp_path / "plan.json"
    if kind == "directory":
        path.mkdir()
    else:
        path.write_bytes(b'{"format_version": 1, "name": "\xff"}')
    with pytest.raises(PlanFormatError) as info:
        load_plan(path)
    assert info.value.message.startswith(f"{path}: cannot read the plan file: ")


def test_plan_records_a_products_folder_outside_the_repository_as_given(
    tmp_path, store
):
    outside = tmp_path / "elsewhere" / "products"
    config = replace(_config(tmp_path / "repo"), products_dir=outside)
    plan = _plan(config, store, _desired(1))
    assert plan.products_dir == outside.as_posix()
    inside = _plan(_config(tmp_path / "repo"), store, _desired(1))
    assert inside.products_dir == "products"


@pytest.mark.parametrize(
    ("live", "desired", "method"),
    [
        (None, product("p01", name="Ours"), "POST"),
        (product("p01"), product("p01", name="Ours"), "PUT"),
    ],
    ids=["create", "update"],
)
def test_a_write_refused_because_live_already_equals_the_target_is_done(
    tmp_path, store, live, desired, method
):
    """Issue 15 item 7: a concurrent apply made live what this one was about to send
    (between the re-read and the write): the 409/412 is success, creates and updates
    alike; a different live product is still the conflict."""
    config = _config(tmp_path)
    if live is not None:
        store.seed([live])
    plan = _plan(config, store, {"p01": desired})

    def race(event: ApplyEvent) -> None:
        if event.kind == "started":
            store.seed([desired])

    result = run_apply(
        config, plan, settings=ApplySettings(), on_event=race, connect=_connector(store)
    )
    assert [(o.status, o.error) for o in result.outcomes] == [("done", None)]
    assert [(m, s) for m, _, s in writes(store)] == [
        (method, 409 if method == "POST" else 412)
    ]


def test_a_create_refused_because_live_differs_is_still_a_conflict(tmp_path, store):
    config = _config(tmp_path)
    plan = _plan(config, store, {"p01": product("p01", name="Ours")})

    def race(event: ApplyEvent) -> None:
        if event.kind == "started":
            store.seed([product("p01", name="Theirs")])

    result = run_apply(
        config, plan, settings=ApplySettings(), on_event=race, connect=_connector(store)
    )
    assert result.outcomes[0].status == "failed"
    assert "409 changed underneath us, re-plan" in (result.outcomes[0].error or "")
