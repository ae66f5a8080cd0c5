"""import_from_public against the emulator's public PRD endpoints (in-process transport):
every listed product written as served, 429 honoured on a fake clock, unreadable details
reported, and a re-run resumes without fetching what is already on disk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest

from catalog_sync.config.model import default_config
from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.store import Store
from catalog_sync.emulator.transport import EmulatorTransport
from catalog_sync.fiskil.public import PublicReader
from catalog_sync.onboarding.public import import_from_public
from catalog_sync.onboarding.public import open_public_source
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.loader import load_yaml_bytes
from tests.conftest import FakeClock

BASE = "http://127.0.0.1:8787"
DETAIL = "/cds-au/v1/banking/products/*"


def _product(pid: str, brand: str = "ACME") -> dict[str, object]:
    return {
        "productId": pid,
        "lastUpdated": "2024-05-01T00:00:00Z",
        "productCategory": "TERM_DEPOSITS",
        "name": f"Deposit {pid}",
        "description": "A term deposit.",
        "brand": brand,
        "brandName": brand,
        "isTailored": False,
        "depositRates": [
            {
                "depositRateType": "FIXED",
                "rate": "0.041",
                "tiers": [{"name": "6m", "unitOfMeasure": "MONTH", "minimumValue": 6}],
            }
        ],
    }


@pytest.fixture
def store() -> Iterator[Store]:
    with_store = Store(":memory:")
    with_store.seed(
        [_product("td-1"), _product("td-2"), _product("other", brand="Koala")]
    )
    yield with_store
    with_store.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def reader(tmp_path: Path, store: Store, clock: FakeClock) -> Iterator[PublicReader]:
    config = default_config(tmp_path)
    transport = EmulatorTransport(make_app(store, validate=False))
    with open_public_source(config, BASE, transport=transport, clock=clock) as opened:
        yield opened


def test_import_from_public_writes_every_product_as_served(tmp_path, reader):
    result = import_from_public(reader, tmp_path / "products")
    assert [i.product_id for i in result.imported] == ["other", "td-1", "td-2"]
    assert result.skipped == ()
    path = tmp_path / "products" / "acme" / "td-1.yaml"
    text = path.read_text()
    assert text.startswith(
        f"# Imported from {BASE}/cds-au/v1/banking/products/td-1 (x-v 7)"
    )
    doc = load_yaml_bytes(text.encode(), "x")
    assert isinstance(doc, Document)
    assert doc.data == _product("td-1")


def test_import_from_public_filters_by_brand(tmp_path, reader):
    result = import_from_public(reader, tmp_path / "products", brand="Koala")
    assert [i.product_id for i in result.imported] == ["other"]


def test_import_from_public_honours_429_and_reports_unreadable_details(
    tmp_path, store, clock, reader
):
    store.faults.fail_next(
        "GET", "/cds-au/v1/banking/products", status=429, retry_after=7
    )
    store.faults.fail_next(
        "GET", "/cds-au/v1/banking/products/td-2", status=500, times=None
    )
    result = import_from_public(reader, tmp_path / "products", concurrency=2)
    assert clock.sleeps[0] >= 7.0  # Retry-After, plus jitter
    assert [i.product_id for i in result.imported] == ["other", "td-1"]
    [skipped] = result.skipped
    assert skipped.product_id == "td-2"
    assert not skipped.chosen
    assert "could not read" in skipped.reason


def test_import_from_public_resumes_without_refetching(tmp_path, store, reader):
    out = tmp_path / "products"
    store.faults.fail_next(
        "GET", "/cds-au/v1/banking/products/td-2", status=500, times=None
    )
    first = import_from_public(reader, out)
    assert [s.product_id for s in first.skipped] == ["td-2"]
    store.faults.clear()
    # Any detail read of an already imported product would now fail the test.
    store.faults.fail_next(
        "GET", "/cds-au/v1/banking/products/td-1", status=500, times=None
    )
    store.faults.fail_next(
        "GET", "/cds-au/v1/banking/products/other", status=500, times=None
    )
    second = import_from_public(reader, out)
    assert second.skipped == ()
    assert {(i.product_id, i.written) for i in second.imported} == {
        ("other", False),
        ("td-1", False),
        ("td-2", True),
    }


def test_open_public_source_refuses_plain_http_to_remote_hosts(tmp_path):
    from catalog_sync.errors import ConfigError

    with pytest.raises(ConfigError, match="https"):
        open_public_source(default_config(tmp_path), "http://bank.example.com")


def test_import_command_from_public_over_loopback_http(tmp_path, store, monkeypatch):
    from click.testing import CliRunner

    from catalog_sync.cli import cli
    from catalog_sync.emulator.server import serve_in_thread

    monkeypatch.chdir(tmp_path)
    (tmp_path / "catalog-sync.yaml").write_text("products_dir: products\n")
    with serve_in_thread(make_app(store, validate=False)) as base_url:
        result = CliRunner().invoke(
            cli, ["import", "--from-public", base_url, "--brand", "ACME"]
        )
        assert result.exit_code == 0, result.output
        assert "Imported 2 product(s)" in result.output
        again = CliRunner().invoke(cli, ["import", "--from-public", base_url])
    assert again.exit_code == 0, again.output
    assert "Imported 1 product(s)" in again.output
    assert "kept 2 existing file(s)" in again.output
    migrated = CliRunner().invoke(cli, ["migrate"])
    assert "3 files (V4 3)" in migrated.output


def test_import_from_public_reads_a_holder_that_only_serves_v4(tmp_path):
    import httpx

    legacy = {**_product("old"), "lastUpdated": "2023-01-01T00:00:00Z"}
    seen: list[tuple[str, str]] = []

    def holder(request: httpx.Request) -> httpx.Response:
        version = request.headers.get("x-v", "")
        seen.append((request.url.path, version))
        if request.url.path.endswith("/products"):
            body = {
                "data": {"products": [legacy]},
                "links": {},
                "meta": {"totalRecords": 1, "totalPages": 1},
            }
            return httpx.Response(200, json=body, headers={"x-v": "3"})
        if version != "4":
            return httpx.Response(
                406,
                json={
                    "errors": [
                        {"code": "urn:au-cds:error:cds-all:Header/UnsupportedVersion"}
                    ]
                },
            )
        return httpx.Response(
            200, json={"data": legacy, "links": {}, "meta": {}}, headers={"x-v": "4"}
        )

    config = default_config(tmp_path)
    with open_public_source(
        config, BASE, transport=httpx.MockTransport(holder), clock=FakeClock()
    ) as reader:
        result = import_from_public(reader, tmp_path / "products")
    [item] = result.imported
    assert item.source.endswith("/old (x-v 4)")
    assert [v for path, v in seen if path.endswith("/old")] == ["7", "6", "5", "4"]


def test_import_from_public_reports_unsafe_ids_and_listed_but_missing_details(
    tmp_path,
):
    import httpx

    listed = [_product("caf\u00e9"), _product("a/b c"), _product("gone")]
    details: list[str] = []

    def holder(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/products"):
            body = {
                "data": {"products": listed},
                "links": {},
                "meta": {"totalRecords": 3, "totalPages": 1},
            }
            return httpx.Response(200, json=body, headers={"x-v": "3"})
        segment = request.url.raw_path.decode().rsplit("/", 1)[-1]
        details.append(segment)
        pid = unquote(segment)
        if pid == "gone":
            return httpx.Response(404, json={"errors": [{"code": "NotFound"}]})
        body = {"data": _product(pid), "links": {}, "meta": {}}
        return httpx.Response(200, json=body, headers={"x-v": "7"})

    config = default_config(tmp_path)
    with open_public_source(
        config, BASE, transport=httpx.MockTransport(holder), clock=FakeClock()
    ) as reader:
        result = import_from_public(reader, tmp_path / "products")
    [imported] = result.imported
    assert imported.product_id == "a/b c"
    assert imported.path.name == "a%2Fb c.yaml"
    assert imported.source.endswith("/products/a%2Fb%20c (x-v 7)")
    # One path segment each, percent-encoded; the unsafe id is never fetched.
    assert sorted(details) == ["a%2Fb%20c", "gone"]
    reasons = {s.product_id: (s.reason, s.chosen) for s in result.skipped}
    assert reasons == {
        "caf\u00e9": (
            "productId cannot contain the non-ASCII character '\u00e9' (U+00E9): "
            "it cannot be a file name",
            False,
        ),
        "gone": ("listed, but its detail answers 404", False),
    }
