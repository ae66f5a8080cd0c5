"""The public check when the endpoint refuses or serves no known version."""

from __future__ import annotations

from pathlib import Path

import httpx

from catalog_sync.config.model import Config
from catalog_sync.config.model import Environment
from catalog_sync.doctor.model import Status
from catalog_sync.doctor.public import _some_product_id
from catalog_sync.doctor.public import check_public
from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.server import serve_in_thread
from tests.conftest import FakeClock


def _check(store, tmp_path: Path):
    with serve_in_thread(make_app(store)) as base_url:
        env = Environment(
            "staging", "http", base_url=base_url, public_base_url=base_url
        )
        config = Config(
            root=tmp_path, products_dir=tmp_path, environments={"staging": env}
        )
        return check_public(config, env, clock=FakeClock(), wrap=None)


def test_public_that_needs_credentials_fails(store, tmp_path):
    store.faults.fail_next("GET", "/cds-au/v1/banking/products", status=401)
    found = _check(store, tmp_path)
    assert found.status is Status.FAIL
    assert found.observed.endswith("401 authentication failed without credentials")


def test_public_serving_no_known_version_fails(store, tmp_path):
    store.faults.fail_next(
        "GET", "/cds-au/v1/banking/products/*", status=406, times=None
    )
    found = _check(store, tmp_path)
    assert found.status is Status.FAIL
    assert found.observed.endswith("answers none of x-v 7, 6")


def test_some_product_id_of_an_empty_list_cannot_exist():
    empty = httpx.Response(200, json={"data": {"products": []}})
    assert _some_product_id(empty) == "catalog-sync-doctor-absent-public"
