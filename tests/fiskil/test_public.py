"""PublicReader against the emulator's public PRD endpoints: no credentials, effective=ALL,
paging, and x-v / x-min-v negotiation for product detail."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from catalog_sync.config.model import ApiContract
from catalog_sync.config.model import default_config
from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.transport import EmulatorTransport
from catalog_sync.errors import ApiError
from catalog_sync.errors import AuthError
from catalog_sync.errors import StatusError
from catalog_sync.fiskil.connect import ClientOptions
from catalog_sync.fiskil.public import PublicReader
from catalog_sync.targets import open_public_reader
from tests.fiskil.conftest import Harness
from tests.fiskil.conftest import product

PUBLIC = "/cds-au/v1/banking/products"


def _reader(harness: Harness, tmp_path: Path, **api: Any) -> PublicReader:
    config = replace(default_config(tmp_path), api=replace(ApiContract(), **api))
    transport = EmulatorTransport(make_app(harness.store))
    return open_public_reader(
        config,
        config.environment(None),
        options=ClientOptions(clock=harness.clock, transport=transport),
    )


def test_lists_every_product_including_future_ones(harness: Harness, tmp_path):
    harness.store.seed(
        [product(f"p{n}") for n in range(5)]
        + [product("later", effectiveFrom="2099-01-01T00:00:00Z")]
    )
    with _reader(harness, tmp_path, page_size=2) as reader:
        ids = sorted(p["productId"] for p in reader.iter_products())
        current = [p["productId"] for p in reader.iter_products(effective="CURRENT")]
    assert ids == ["later", "p0", "p1", "p2", "p3", "p4"]
    assert "later" not in current
    entries = harness.store.ledger.entries("GET", PUBLIC)
    assert all("authorization" not in e.headers for e in entries)
    assert all(e.headers["x-v"] == "5" and e.headers["x-min-v"] == "4" for e in entries)
    assert "effective=ALL" in entries[0].query
    assert "page-size=2" in entries[0].query


def test_detail_negotiates_the_newest_supported_version(harness: Harness, tmp_path):
    harness.store.seed([product("p1")])
    with _reader(harness, tmp_path, public_version=9, public_min_version=6) as reader:
        found = reader.get_product_versioned("p1")
        assert reader.get_product("absent") is None
    assert found is not None
    assert found[0]["productId"] == "p1"
    assert found[1] == 7


def test_detail_with_no_common_version_is_an_error(harness: Harness, tmp_path):
    harness.store.seed([product("p1")])
    with (
        _reader(harness, tmp_path, public_version=9, public_min_version=8) as reader,
        pytest.raises(StatusError) as info,
    ):
        reader.get_product("p1")
    assert info.value.status == 406
    versions = [e.headers["x-v"] for e in harness.store.ledger.entries("GET")]
    assert versions == ["9", "8"]


@pytest.mark.parametrize(
    ("content", "x_v"),
    [(b"<html>maintenance</html>", "7"), (b'{"data": {"productId": "p"}}', "\u00b2")],
)
def test_odd_detail_responses_are_api_errors_not_crashes(tmp_path, content, x_v):
    """A 200 that is not JSON, or an `x-v` answer that is a non-ASCII digit (latin-1
    0xB2), comes from the server: a located ApiError or a fallback, never exit 3."""
    import httpx

    from catalog_sync.errors import ApiError
    from catalog_sync.fiskil.retry import Retrier
    from catalog_sync.fiskil.session import build_http_client
    from tests.conftest import FakeClock

    def handler(request: httpx.Request) -> httpx.Response:
        headers = [
            (b"content-type", b"application/json"),
            (b"x-v", x_v.encode("latin-1")),
        ]
        return httpx.Response(200, headers=headers, content=content)

    api = ApiContract()
    retrier = Retrier.from_contract(api, clock=FakeClock())
    http = build_http_client(
        "https://x.test",
        api=api,
        retrier=retrier,
        transport=httpx.MockTransport(handler),
    )
    with PublicReader(http, api=api) as reader:
        if content.startswith(b"<"):
            with pytest.raises(ApiError, match="not JSON"):
                reader.get_product_versioned("p")
        else:
            found = reader.get_product_versioned("p")
            assert found == ({"productId": "p"}, api.public_version)


def test_a_public_list_refused_with_401_is_an_auth_error(harness: Harness, tmp_path):
    harness.store.faults.fail_next("GET", PUBLIC, status=401)
    with _reader(harness, tmp_path) as reader, pytest.raises(AuthError) as info:
        list(reader.iter_products())
    assert info.value.status == 401
    assert str(info.value).startswith(f"GET {PUBLIC}?effective=ALL&page=1")
    assert "401 authentication failed" in str(info.value)


def test_a_public_list_longer_than_max_pages_stops(harness: Harness, tmp_path):
    harness.store.seed([product(f"p{n}") for n in range(3)])
    with (
        _reader(harness, tmp_path, page_size=1, max_pages=2) as reader,
        pytest.raises(ApiError, match=f"GET {PUBLIC}: still more pages after 2"),
    ):
        list(reader.iter_products())
    assert len(harness.store.ledger.entries("GET", PUBLIC)) == 2


def test_a_detail_without_a_data_object_is_an_api_error(harness: Harness, tmp_path):
    harness.store.faults.fail_next("GET", f"{PUBLIC}/p1", status=200, body={"meta": {}})
    with (
        _reader(harness, tmp_path) as reader,
        pytest.raises(ApiError, match=f"GET {PUBLIC}/p1: .*no product object"),
    ):
        reader.get_product("p1")
