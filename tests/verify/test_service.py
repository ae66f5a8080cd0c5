"""verify against the emulator's public endpoints (in-process, fake clock shared with the
store): matching, missing, changed and stale public data, an older detail version, 429s,
unreadable details, and the products an apply changed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from catalog_sync.config.model import Config
from catalog_sync.config.model import default_config
from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.store import Store
from catalog_sync.emulator.transport import EmulatorTransport
from catalog_sync.plan.build import build_plan
from catalog_sync.verify.service import verify_applied
from catalog_sync.verify.service import verify_environment
from catalog_sync.verify.waiting import FIRST_DELAY
from catalog_sync.verify.waiting import Verification
from tests.apply.harness import product
from tests.conftest import FakeClock

PUBLIC = "/cds-au/v1/banking/products"
NOW = "2027-01-15T00:00:00Z"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(clock: FakeClock):
    store = Store(now=clock.now)
    yield store
    store.close()


def _config(tmp_path: Path, removal: str = "retire") -> Config:
    return replace(default_config(tmp_path), removal=removal)  # type: ignore[arg-type]


def _verify(
    config: Config,
    store: Store,
    clock: FakeClock,
    desired: dict[str, Any],
    *,
    wait: float = 0.0,
    transport: httpx.BaseTransport | None = None,
) -> Verification:
    return verify_environment(
        config,
        None,
        desired=desired,
        wait=wait,
        clock=clock,
        transport=transport or EmulatorTransport(make_app(store)),
    )


def _statuses(result: Verification) -> dict[str, str]:
    return {check.product_id: check.status for check in result.checks}


def test_matching_public_data_matches_without_waiting(tmp_path, store, clock):
    desired = {pid: product(pid) for pid in ("a", "b")}
    store.seed(desired.values())
    result = _verify(_config(tmp_path), store, clock, desired, wait=60)
    assert result.all_match
    assert not result.has_errors
    assert _statuses(result) == {"a": "matches", "b": "matches"}
    assert [c.appeared_after for c in result.checks] == [0.0, 0.0]
    assert (result.readings, clock.sleeps) == (1, [])
    requests = store.ledger.entries()
    assert all("authorization" not in e.headers for e in requests)
    assert {e.path for e in requests} == {PUBLIC, f"{PUBLIC}/a", f"{PUBLIC}/b"}
    list_query = next(e.query for e in requests if e.path == PUBLIC)
    assert "effective=ALL" in list_query
    details = [e for e in requests if e.path != PUBLIC]
    assert {(e.headers["x-v"], e.headers["x-min-v"]) for e in details} == {("7", "6")}


def test_missing_changed_and_only_public_products_differ(tmp_path, store, clock):
    desired = {
        "same": product("same"),
        "new": product("new"),
        "renamed": product("renamed", name="Git name"),
    }
    store.seed(
        [product("same"), product("renamed", name="Public name"), product("stray")]
    )
    result = _verify(_config(tmp_path), store, clock, desired)
    assert _statuses(result) == {
        "new": "missing",
        "renamed": "changed",
        "same": "matches",
        "stray": "only-public",
    }
    changed = next(c for c in result.checks if c.product_id == "renamed")
    assert [(f.label, f.before, f.after) for f in changed.field_changes] == [
        ("name", "Public name", "Git name")
    ]
    stray = next(c for c in result.checks if c.product_id == "stray")
    assert stray.expected_absent
    assert stray.name == "Product stray"
    assert [c.action for c in result.differences.changes] == [
        "create",
        "update",
        "retire",
    ]
    assert result.counts() == {
        "matches": 1,
        "missing": 1,
        "changed": 1,
        "only-public": 1,
        "unreadable": 0,
    }


def test_a_retired_public_product_without_a_file_is_not_a_difference(
    tmp_path, store, clock
):
    store.seed([product("old", effectiveTo="2020-01-01T00:00:00Z")])
    result = _verify(_config(tmp_path), store, clock, {})
    assert result.all_match
    assert result.checks == ()


def test_wait_rereads_stale_public_data_with_backoff_until_it_appears(
    tmp_path, store, clock
):
    """The stale-public fault holds each write back for 20 s: the first reading sees
    the old data, later ones (2 s, 4 s, 8 s, 15 s apart) the new."""
    store.seed([product("a", name="Old"), product("b")])
    store.public_lag.set(20)
    store.replace_product("a", product("a", name="New"))
    store.create_product(product("c"))
    clock.advance(3)  # the write was 3 s before verify starts
    desired = {"a": product("a", name="New"), "b": product("b"), "c": product("c")}
    result = _verify(_config(tmp_path), store, clock, desired, wait=120)
    assert result.all_match
    appeared = {c.product_id: c.appeared_after for c in result.checks}
    # Visible from 17 s after the start; readings at 0, 2, 6, 14, 29 s.
    assert appeared == {"a": 29.0, "b": 0.0, "c": 29.0}
    assert clock.sleeps == [FIRST_DELAY, 4.0, 8.0, 15.0]
    assert (result.readings, result.elapsed) == (5, 29.0)
    later = [e.path for e in store.ledger.entries()][4:]
    assert set(later) == {f"{PUBLIC}/a", f"{PUBLIC}/c"}  # only what did not match


def test_wait_gives_up_at_the_limit_and_reports_what_is_still_stale(
    tmp_path, store, clock
):
    store.seed([product("a", name="Old")])
    store.public_lag.set(600)
    store.replace_product("a", product("a", name="New"))
    result = _verify(
        _config(tmp_path), store, clock, {"a": product("a", name="New")}, wait=10
    )
    assert not result.all_match
    assert result.checks[0].status == "changed"
    assert result.checks[0].appeared_after is None
    assert clock.sleeps == [2.0, 4.0, 4.0]  # the last one cut to the time left
    assert result.elapsed == 10.0


def test_an_older_served_version_compares_the_shared_fields(tmp_path, store, clock):
    """A server that answers only x-v 6: brandGroup (V7 only) cannot differ."""
    store.seed([product("a"), product("b", name="Public")])

    def only_v6(inner: httpx.BaseTransport) -> httpx.BaseTransport:
        class OnlyV6(httpx.BaseTransport):
            def handle_request(self, request: httpx.Request) -> httpx.Response:
                if request.url.path.startswith(PUBLIC + "/"):
                    request.headers["x-v"] = "6"
                    request.headers["x-min-v"] = "6"
                return inner.handle_request(request)

        return OnlyV6()

    desired = {
        "a": product("a", brandGroup="Wattle Group"),
        "b": product("b", name="Git", brandGroup="Wattle Group"),
    }
    transport = only_v6(EmulatorTransport(make_app(store)))
    result = _verify(_config(tmp_path), store, clock, desired, transport=transport)
    assert _statuses(result) == {"a": "matches", "b": "changed"}
    assert {c.served_version for c in result.checks} == {6}
    assert {c.not_compared for c in result.checks} == {("brandGroup", "instalments")}
    changed = result.checks[1]
    assert [f.label for f in changed.field_changes] == ["name"]


def test_429_is_honoured_and_an_unreadable_detail_is_an_error(tmp_path, store, clock):
    store.seed([product("a"), product("b")])
    store.faults.fail_next("GET", f"{PUBLIC}/a", status=429, retry_after=3)
    store.faults.fail_next("GET", f"{PUBLIC}/b", status=500, times=None)
    desired = {"a": product("a"), "b": product("b")}
    result = _verify(_config(tmp_path), store, clock, desired)
    assert _statuses(result) == {"a": "matches", "b": "unreadable"}
    assert result.has_errors
    assert not result.all_match
    assert any(2.9 <= s <= 3.3 for s in clock.sleeps)  # Retry-After: 3
    assert "could not be read" in (result.checks[1].error or "")


def test_verify_applied_checks_only_the_changed_products_against_the_sent_bodies(
    tmp_path, store, clock
):
    """A created, an updated, a retired and a deleted product; an untouched one that
    differs is not this apply's business."""
    live = {
        "upd": product("upd", name="Before"),
        "ret": product("ret"),
        "gone": product("gone"),
        "other": product("other", name="Drifted"),
    }
    desired = {"new": product("new"), "upd": product("upd", name="After")}
    desired["other"] = product("other")
    plan = build_plan(
        desired,
        live,
        removal="retire",
        environment="local",
        base_url="http://embedded.localhost",
        schema="cds-v7",
        now=NOW,
    )
    plan = replace(
        plan, changes=tuple(c for c in plan.changes if c.product_id != "other")
    )
    store.seed(
        [
            product("new"),
            product("upd", name="After"),
            {**product("ret"), "effectiveTo": NOW},
            product("gone"),
            product("other", name="Drifted"),
        ]
    )
    config = _config(tmp_path)
    result = verify_applied(
        config,
        plan,
        wait=0,
        clock=clock,
        transport=EmulatorTransport(make_app(store)),
    )
    # "gone" was retired by the plan too, but is still served without effectiveTo.
    assert _statuses(result) == {
        "gone": "changed",
        "new": "matches",
        "ret": "matches",
        "upd": "matches",
    }
    gone = result.checks[0]
    assert [(f.path, f.before, f.after) for f in gone.field_changes] == [
        ("effectiveTo", None, NOW)
    ]
    assert gone.expected_absent is False


def test_verify_applied_expects_a_deleted_product_to_be_gone(tmp_path, store, clock):
    plan = build_plan(
        {},
        {"a": product("a"), "b": product("b")},
        removal="delete",
        environment="local",
        base_url="http://embedded.localhost",
        schema="cds-v7",
        now=NOW,
    )
    store.seed([product("b")])
    result = verify_applied(
        _config(tmp_path),
        plan,
        wait=0,
        clock=clock,
        transport=EmulatorTransport(make_app(store)),
    )
    assert _statuses(result) == {"a": "matches", "b": "only-public"}
    assert all(c.expected_absent for c in result.checks)


def test_nothing_in_git_and_nothing_served_matches(tmp_path, store, clock):
    result = _verify(_config(tmp_path), store, clock, {})
    assert (result.all_match, result.checks, result.readings) == (True, (), 1)
