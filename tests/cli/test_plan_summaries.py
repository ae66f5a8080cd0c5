"""Issue 15 item 11: with `api.list_returns_details: true` (the default) against a server
whose list returns summaries, plan stops with an error naming the key instead of
planning every product's details away; a real loss of details is still an update."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.server import serve_in_thread
from catalog_sync.emulator.store import LOCAL_CLIENT_ID
from catalog_sync.emulator.store import LOCAL_CLIENT_SECRET
from catalog_sync.emulator.store import Store
from tests.apply.harness import product
from tests.cli.catalogs import run
from tests.cli.catalogs import write_catalog

FEATURES = [{"featureType": "CARD_ACCESS", "additionalValue": "Visa debit"}]
DETAILED = {pid: product(pid, features=FEATURES) for pid in ("b1", "b2", "b3", "b4")}


def _serve(store: Store, tmp_path: Path, api: str = "") -> Iterator[Path]:
    with serve_in_thread(make_app(store)) as base_url:
        yield write_catalog(
            tmp_path,
            DETAILED,
            f"removal: keep\n{api}environments:\n  staging:\n"
            f"    base_url: {base_url}\n"
            "    client_id_env: CS_ID\n    client_secret_env: CS_SECRET\n",
        )
    store.close()


@pytest.fixture(autouse=True)
def _credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CS_ID", LOCAL_CLIENT_ID)
    monkeypatch.setenv("CS_SECRET", LOCAL_CLIENT_SECRET)


def _seeded(*, summaries: bool) -> Store:
    store = Store(summaries=summaries)
    store.seed([product("a0"), *DETAILED.values()])  # a0: live only, no details
    return store


def test_a_list_of_summaries_stops_plan_naming_the_key(tmp_path, capsys):
    store = _seeded(summaries=True)
    for config in _serve(store, tmp_path):
        code, out, err = run(capsys, config, "plan", "--env", "staging")
        drift_code = run(capsys, config, "drift", "--env", "staging")[0]
    assert (code, out, drift_code) == (1, "", 1)
    assert "the API's product list returns summaries" in err
    assert "b1: features come only with its own GET" in err
    assert "set api.list_returns_details: false in catalog-sync.yaml" in err
    assert store.ledger.count("GET", "/v1/data-provider/cdr/products/*") == 2


def test_with_the_key_set_the_same_server_plans_no_changes(tmp_path, capsys):
    api = "api:\n  list_returns_details: false\n"
    for config in _serve(_seeded(summaries=True), tmp_path, api):
        code, out, _ = run(capsys, config, "plan", "--env", "staging")
    assert code == 0
    assert out.startswith("No changes.")


def test_a_list_of_details_is_trusted_without_extra_reads(tmp_path, capsys):
    store = _seeded(summaries=False)
    for config in _serve(store, tmp_path):
        code, out, _ = run(capsys, config, "plan", "--env", "staging")
    assert code == 0
    assert out.startswith("No changes.")
    assert store.ledger.count("GET", "/v1/data-provider/cdr/products/*") == 0


def test_products_that_really_lost_their_details_are_updates(tmp_path, capsys):
    """Their GETs agree with the list: a real difference, planned as updates."""
    store = Store()
    store.seed([product(pid) for pid in DETAILED])
    for config in _serve(store, tmp_path):
        code, out, _ = run(capsys, config, "plan", "--env", "staging")
    assert code == 0
    assert "Plan: 0 to create, 4 to update" in out
    assert store.ledger.count("GET", "/v1/data-provider/cdr/products/*") == 3
