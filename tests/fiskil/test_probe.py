"""`probe_capabilities` (behind `auth check`): write access from the token's scope claim
when it has one, without a probing DELETE; a read refused for scope is reported, not
raised."""

from __future__ import annotations

import base64
import json
import random

import httpx

from catalog_sync.config.model import ApiContract
from catalog_sync.emulator.store import WRITE_SCOPE
from catalog_sync.fiskil.clock import FakeClock
from catalog_sync.fiskil.connect import ClientOptions
from catalog_sync.fiskil.connect import Credentials
from catalog_sync.fiskil.connect import connect_products
from catalog_sync.fiskil.probe import PROBE_PREFIX
from catalog_sync.fiskil.probe import probe_capabilities
from catalog_sync.fiskil.redact import Secret
from tests.fiskil.conftest import PRODUCTS
from tests.fiskil.conftest import TOKEN
from tests.fiskil.conftest import Harness


def _jwt(claims: dict[str, object]) -> str:
    def part(value: object) -> str:
        return (
            base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()
        )

    return f"{part({'alg': 'none'})}.{part(claims)}.c2ln"


def test_a_scope_claim_decides_write_without_a_probe(clock: FakeClock):
    sent: list[str] = []
    token = _jwt({"scope": "api:provider.products.read"})

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(f"{request.method} {request.url.path}")
        if request.url.path == TOKEN:
            return httpx.Response(200, json={"token": token, "expires_in": 900})
        return httpx.Response(200, json={"data": {"products": []}})

    api = connect_products(
        "https://api.example.test",
        Credentials("cid", Secret("mock-secret")),
        api=ApiContract(),
        options=ClientOptions(
            clock=clock, rng=random.Random(1), transport=httpx.MockTransport(handler)
        ),
    )
    with api:
        found = probe_capabilities(api)
    assert (found.read, found.write, found.read_problem) == (True, False, None)
    assert found.write_basis == "the scopes the token declares"
    assert found.token_seconds_left == 900
    assert sent == [f"POST {TOKEN}", f"GET {PRODUCTS}"]  # no DELETE


def test_write_only_credentials_cannot_read(harness: Harness):
    harness.store.add_client("writer", "writer-secret-7e2a", [WRITE_SCOPE])
    api = harness.client(client_id="writer", secret="writer-secret-7e2a")
    found = probe_capabilities(api)
    assert found.read is False
    assert found.read_problem is not None
    assert "lack api:provider.products.read" in found.read_problem
    assert found.write is True
    assert found.write_basis == "DELETE of a productId that cannot exist answered 404"
    deletes = harness.store.ledger.entries("DELETE")
    assert [e.path.startswith(f"{PRODUCTS}/{PROBE_PREFIX}") for e in deletes] == [True]
