"""The /_emulator/ control endpoints exist only with control=True."""

from __future__ import annotations

import httpx
import pytest

from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.transport import EmulatorTransport
from tests.conftest import issue_token
from tests.emulator.test_app import PRODUCTS
from tests.emulator.test_app import product


@pytest.fixture
def control(emulator_store):
    app = make_app(emulator_store, control=True)
    with httpx.Client(transport=EmulatorTransport(app), base_url="http://e") as client:
        yield client


def test_control_is_off_by_default(emulator_http):
    assert emulator_http().post("/_emulator/reset").status_code == 404


def test_control_faults_ledger_seed_revoke_reset(emulator_store, control):
    specs = {
        "fail": ["GET /v1/* 503 retry-after=1"],
        "latency": ["0"],
        "drop": [],
        "truncate": ["GET /cds-au/* keep=1"],
    }
    assert control.post("/_emulator/faults", json=specs).status_code == 204
    assert control.get(PRODUCTS).status_code == 503
    seeded = control.post("/_emulator/seed", json=[product()])
    assert seeded.json() == {"seeded": 1}
    issue_token(emulator_store)
    assert control.post("/_emulator/revoke-tokens").json() == {"revoked": 1}
    ledger = control.get("/_emulator/ledger").json()
    assert [e["status"] for e in ledger["entries"]] == [503]
    assert ledger["maxInFlight"] == 1
    control.post("/_emulator/faults", json={"fail": ["* * 500 always"]})
    assert control.delete("/_emulator/faults").status_code == 204
    assert control.post("/_emulator/reset").status_code == 204
    assert emulator_store.products() == {}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/_emulator/faults", {"explode": []}),
        ("/_emulator/faults", {"fail": ["GET /x 200"]}),
        ("/_emulator/faults", [1]),
        ("/_emulator/seed", {"productId": "a"}),
        ("/_emulator/seed", [{"name": "no id"}]),
    ],
)
def test_control_rejects_bad_bodies(control, path, body):
    assert control.post(path, json=body).status_code == 400


def test_control_unknown_route_and_bad_json(control):
    assert control.get("/_emulator/nothing").status_code == 404
    response = control.post("/_emulator/seed", content=b"{oops")
    assert response.status_code == 400
