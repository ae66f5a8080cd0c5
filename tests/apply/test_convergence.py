"""Checklist 39-41: apply then plan is empty; a second apply writes nothing; any schedule
of transient faults, dropped connections and crashes converges with no duplicate."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from catalog_sync.apply.executor import apply_plan
from catalog_sync.apply.live import read_live
from catalog_sync.apply.outcomes import ApplyEvent
from catalog_sync.emulator.store import Store
from catalog_sync.plan.build import build_plan
from catalog_sync.plan.plan import Plan
from tests.apply.harness import PRODUCTS_PATH
from tests.apply.harness import emulator_api
from tests.apply.harness import product
from tests.apply.harness import writes

NOW = "2026-12-01T00:00:00Z"
IDS = [f"p{i}" for i in range(8)]

_products = st.builds(
    lambda pid, name, fee: product(
        pid,
        name=name,
        **(
            {
                "fees": [
                    {
                        "name": "Monthly fee",
                        "feeType": "PERIODIC",
                        "feeMethodUType": "fixedAmount",
                        "fixedAmount": {"amount": fee},
                        "additionalValue": "P1M",
                    }
                ]
            }
            if fee
            else {}
        ),
    ),
    st.just(""),
    st.sampled_from(["Everyday", "Saver", "Bonus Saver"]),
    st.sampled_from([None, "5.00", "6.00", "5.000"]),
)
catalogs = st.dictionaries(st.sampled_from(IDS), _products, max_size=6).map(
    lambda d: {pid: {**body, "productId": pid} for pid, body in d.items()}
)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


class Crash(BaseException):
    pass


def _plan(api: Any, desired: dict[str, Any]) -> Plan:
    return build_plan(
        desired,
        read_live(api),
        removal="delete",
        environment="local",
        base_url="http://embedded.localhost",
        schema="cds-v7",
        now=NOW,
    )


def _apply(api: Any, plan: Plan, on_event: Any = None) -> Any:
    return apply_plan(plan, api, parallelism=3, on_event=on_event)


@SETTINGS
@given(desired=catalogs, live=catalogs)
def test_apply_then_plan_is_empty_and_a_second_apply_writes_nothing(desired, live):
    store = Store()
    try:
        store.seed(live.values())
        with emulator_api(store) as api:
            result = _apply(api, _plan(api, desired))
            assert result.is_success, result
            assert not _plan(api, desired).has_changes  # 39
            store.ledger.clear()
            second = _plan(api, desired)
            _apply(api, second)
            assert writes(store) == []  # 40
    finally:
        store.close()


faults = st.lists(
    st.one_of(
        st.tuples(
            st.just("fail"),
            st.sampled_from(["POST", "PUT", "DELETE"]),
            st.sampled_from([429, 500, 502, 503]),
            st.integers(1, 2),
        ),
        st.tuples(
            st.just("drop"),
            st.sampled_from(["POST", "PUT", "DELETE"]),
            st.just(0),
            st.just(1),
        ),
        st.tuples(st.just("crash"), st.just(""), st.just(0), st.integers(0, 4)),
    ),
    max_size=4,
)


@SETTINGS
@given(desired=catalogs, live=catalogs, schedule=faults)
def test_any_fault_schedule_converges_without_duplicates(desired, live, schedule):
    store = Store()
    try:
        store.seed(live.values())
        extra_attempts = 0
        with emulator_api(store) as api:
            planned = len(_plan(api, desired).changes)
            for kind, method, status, times in schedule:
                if kind == "fail":
                    store.faults.fail_next(
                        method,
                        f"{PRODUCTS_PATH}*",
                        status=status,
                        times=times,
                        retry_after=0,
                    )
                    extra_attempts += times
                elif kind == "drop":
                    store.faults.drop_after_commit(method, f"{PRODUCTS_PATH}*")
                    extra_attempts += 1
            crash_at = [times for kind, _, _, times in schedule if kind == "crash"]
            store.ledger.clear()
            for _round in range(6):
                plan = _plan(api, desired)
                if not plan.has_changes:
                    break
                hook = _crash_after(crash_at.pop(0)) if crash_at else None
                try:
                    _apply(api, plan, on_event=hook)
                except Crash:
                    continue
            assert not _plan(api, desired).has_changes, "no convergence in 6 rounds"
        ids = [p.product_id for p in store.list_products()[0]]
        assert len(ids) == len(set(ids)) == len(desired)
        sent = writes(store)
        assert len(sent) <= planned + extra_attempts
    finally:
        store.close()


def _crash_after(k: int):
    def hook(event: ApplyEvent) -> None:
        if event.kind == "succeeded" and event.finished >= k:
            raise Crash

    return hook
