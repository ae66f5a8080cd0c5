"""The store on its own: persistence, tokens, versions, seeding, merge patch, reset."""

from __future__ import annotations

import json

import pytest

from catalog_sync.emulator.records import ProductExistsError
from catalog_sync.emulator.records import merge_patch
from catalog_sync.emulator.seed import SeedError
from catalog_sync.emulator.seed import load_seed_dir
from catalog_sync.emulator.store import READ_SCOPE
from catalog_sync.emulator.store import Store
from tests.emulator.test_app import product


def test_file_database_survives_a_restart(tmp_path):
    db = tmp_path / "emulator.db"
    store = Store(db)
    store.create_product(product())
    token = store.issue_token("local", "local-secret")
    store.close()
    reopened = Store(db)
    try:
        assert list(reopened.products()) == ["p-1"]
        assert token is not None
        assert reopened.check_token(token.token) is not None
        assert reopened.get_product("p-1").version == 1  # type: ignore[union-attr]
    finally:
        reopened.close()
    assert b"local-secret" not in db.read_bytes()
    assert token.token.encode() not in db.read_bytes()


def test_issued_token_repr_hides_the_token(emulator_store):
    issued = emulator_store.issue_token("local", "local-secret")
    assert issued.token not in repr(issued)


def test_tokens_carry_the_client_scopes(emulator_store):
    emulator_store.add_client("ci", "s", [READ_SCOPE, READ_SCOPE])
    issued = emulator_store.issue_token("ci", "s")
    grant = emulator_store.check_token(issued.token)
    assert grant.client_id == "ci"
    assert grant.scopes == frozenset({READ_SCOPE})
    assert emulator_store.issue_token("ci", "wrong") is None


def test_revoke_tokens_of_one_client(emulator_store):
    emulator_store.add_client("ci", "s", [READ_SCOPE])
    mine = emulator_store.issue_token("ci", "s").token
    theirs = emulator_store.issue_token("local", "local-secret").token
    assert emulator_store.revoke_tokens("ci") == 1
    assert emulator_store.check_token(mine) is None
    assert emulator_store.check_token(theirs) is not None


def test_store_without_local_client():
    store = Store(local_client=False)
    assert store.issue_token("local", "local-secret") is None
    store.close()


def test_failed_check_rolls_back_the_write(emulator_store):
    def refuse(body):
        raise ProductExistsError("refused")

    with pytest.raises(ProductExistsError):
        emulator_store.create_product(product(), check=refuse)
    assert emulator_store.products() == {}
    emulator_store.create_product(product())
    assert emulator_store.get_product("p-1").version == 1


def test_seed_keeps_given_last_updated_and_replaces(emulator_store):
    emulator_store.seed([product(lastUpdated="2020-01-01T00:00:00Z"), product("p-2")])
    emulator_store.seed([product(name="again")])
    stored = emulator_store.products()
    assert stored["p-1"]["name"] == "again"
    assert stored["p-1"]["lastUpdated"] == "2027-01-15T08:00:00Z"
    assert stored["p-2"]["lastUpdated"] == "2027-01-15T08:00:00Z"
    emulator_store.seed([product("p-3", lastUpdated="2020-01-01T00:00:00Z")])
    assert emulator_store.products()["p-3"]["lastUpdated"] == "2020-01-01T00:00:00Z"


def test_reset_keeps_clients(emulator_store):
    emulator_store.seed([product()])
    emulator_store.faults.fail_next(status=500)
    emulator_store.reset()
    assert emulator_store.products() == {}
    assert emulator_store.faults.take_failure("GET", "/") is None
    assert emulator_store.issue_token("local", "local-secret") is not None


@pytest.mark.parametrize(
    ("target", "patch", "expected"),
    [
        ({"a": 1, "b": {"c": 2, "d": 3}}, {"b": {"c": None, "e": 4}},
         {"a": 1, "b": {"d": 3, "e": 4}}),
        ({"a": [1, 2]}, {"a": [3]}, {"a": [3]}),
        ({"a": 1}, {"a": {"b": 1}}, {"a": {"b": 1}}),
        ({"a": 1}, [1], [1]),
    ],
)  # fmt: skip
def test_merge_patch(target, patch, expected):
    assert merge_patch(target, patch) == expected


def test_seed_dir_reads_yaml_and_json(tmp_path):
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "a.yaml").write_text(
        'productId: "a"\nname: "A"\nlastUpdated: "2020-01-01T00:00:00Z"\n'
    )
    (tmp_path / "b.json").write_text(json.dumps(product("b")))
    products = load_seed_dir(tmp_path)
    assert [p["productId"] for p in products] == ["a", "b"]
    assert products[0]["lastUpdated"] == "2020-01-01T00:00:00Z"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("x.yaml", "- just\n- a list\n"),
        ("x.yaml", "productId: a\nproductId: b\n"),
        ("x.json", "{broken"),
        ("x.json", "[]"),
    ],
)
def test_seed_dir_refuses_non_products(tmp_path, name, content):
    (tmp_path / name).write_text(content)
    with pytest.raises(SeedError):
        load_seed_dir(tmp_path)


def test_seed_dir_must_exist(tmp_path):
    with pytest.raises(SeedError, match="not a folder"):
        load_seed_dir(tmp_path / "missing")


def test_seed_the_example_catalog(emulator_store):
    from pathlib import Path

    products_dir = Path(__file__).resolve().parents[2] / "products"
    if not products_dir.is_dir():
        pytest.skip("no example catalog")
    count = emulator_store.seed(load_seed_dir(products_dir))
    assert count == len(list(products_dir.rglob("*.yaml")))


def test_ledger_keeps_only_the_newest_entries():
    from catalog_sync.emulator.ledger import Ledger

    ledger = Ledger(max_entries=2)
    for n in range(3):
        arrival, in_flight = ledger.begin()
        assert (arrival, in_flight) == (n + 1, 1)
        ledger.finish(
            arrival=arrival, method="GET", path=f"/{n}", raw_path=f"/{n}", query="", status=200,
            headers={}, body=None, at=0.0, elapsed=0.0, in_flight=in_flight,
        )  # fmt: skip
    assert [entry.path for entry in ledger.entries()] == ["/1", "/2"]
    assert [entry["seq"] for entry in ledger.to_json()] == [2, 3]


def test_issuing_a_token_forgets_expired_ones(emulator_store, fake_clock):
    emulator_store.issue_token("local", "local-secret")
    fake_clock.advance(901)
    emulator_store.issue_token("local", "local-secret")
    assert emulator_store.revoke_tokens() == 1
