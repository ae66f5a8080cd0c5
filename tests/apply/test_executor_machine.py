"""Checklist 43: a stateful machine over desired edits, out-of-band server changes,
faults, plan and apply. Invariants: never a duplicate productId on the server; after a
successful apply live equals desired; no plan deletes a product that is desired; no
request is ever refused for an expired token."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine
from hypothesis.stateful import invariant
from hypothesis.stateful import rule

from catalog_sync.apply.executor import apply_plan
from catalog_sync.apply.live import read_live
from catalog_sync.cds.identity import canonical_json
from catalog_sync.cds.normalize import normalize
from catalog_sync.emulator.store import Store
from catalog_sync.plan.build import build_plan
from catalog_sync.plan.plan import Action
from tests.apply.harness import PRODUCTS_PATH
from tests.apply.harness import emulator_api
from tests.apply.harness import product

IDS = st.sampled_from([f"m{i}" for i in range(6)])
NAMES = st.sampled_from(["Everyday", "Saver", "Offset"])


class ApplyMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.store = Store()
        self.api_context = emulator_api(self.store, max_in_flight=3)
        self.api = self.api_context.__enter__()
        self.desired: dict[str, dict[str, Any]] = {}

    def teardown(self) -> None:
        self.api_context.__exit__(None, None, None)
        self.store.close()

    def _plan(self) -> Any:
        return build_plan(
            self.desired,
            read_live(self.api),
            removal="delete",
            environment="local",
            base_url="http://embedded.localhost",
            schema="cds-v7",
            now="2026-12-01T00:00:00Z",
        )

    @rule(pid=IDS, name=NAMES)
    def edit_desired(self, pid: str, name: str) -> None:
        self.desired[pid] = product(pid, name=name)

    @rule(pid=IDS)
    def remove_desired(self, pid: str) -> None:
        self.desired.pop(pid, None)

    @rule(pid=IDS, name=NAMES)
    def out_of_band_write(self, pid: str, name: str) -> None:
        self.store.seed([product(pid, name=f"{name} (console)")])

    @rule(pid=IDS)
    def out_of_band_delete(self, pid: str) -> None:
        if self.store.get_product(pid) is not None:
            self.store.delete_product(pid)

    @rule(
        method=st.sampled_from(["POST", "PUT", "DELETE"]),
        status=st.sampled_from([429, 503, 500]),
    )
    def inject_fault(self, method: str, status: int) -> None:
        self.store.faults.fail_next(
            method, f"{PRODUCTS_PATH}*", status=status, retry_after=0
        )

    @rule(method=st.sampled_from(["POST", "PUT"]))
    def inject_drop(self, method: str) -> None:
        self.store.faults.drop_after_commit(method, f"{PRODUCTS_PATH}*")

    @rule()
    def plan(self) -> None:
        plan = self._plan()
        deleted = {c.product_id for c in plan.changes if c.action is Action.DELETE}
        assert not deleted & set(self.desired)

    @rule()
    def apply(self) -> None:
        result = apply_plan(self._plan(), self.api)
        if result.is_success:
            live = {
                pid: canonical_json(normalize(p))
                for pid, p in read_live(self.api).items()
            }
            wanted = {
                pid: canonical_json(normalize(p)) for pid, p in self.desired.items()
            }
            assert live == wanted

    @invariant()
    def no_duplicates_and_no_expired_token(self) -> None:
        ids = [p.product_id for p in self.store.list_products()[0]]
        assert len(ids) == len(set(ids))
        assert all(e.status != 401 for e in self.store.ledger.entries())


ApplyMachine.TestCase.settings = settings(
    max_examples=15,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestApplyMachine = ApplyMachine.TestCase
