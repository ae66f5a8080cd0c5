"""The assumed API contract checked against the real Fiskil service (opt-in: `pytest -m
live`, with FISKIL_LIVE_BASE_URL, FISKIL_LIVE_CLIENT_ID and FISKIL_LIVE_CLIENT_SECRET).

The read-only contract lines are `catalog-sync doctor`'s checks, run here once per
session and asserted one by one (none may be ✗). Reads only, unless FISKIL_LIVE_WRITE=1
is also set: then one throw-away product
(`catalog-sync-contract-<random>`) is created, read, updated and deleted. Public PRD
checks run when FISKIL_LIVE_PUBLIC_BASE_URL is set. Each test names the contract line of
docs/api-contract.md it confirms.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from catalog_sync.config.model import ApiContract
from catalog_sync.config.model import Config
from catalog_sync.config.model import Environment
from catalog_sync.doctor.model import Report
from catalog_sync.doctor.model import Status
from catalog_sync.doctor.run import run_doctor
from catalog_sync.fiskil.connect import Credentials
from catalog_sync.fiskil.connect import connect_products
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.fiskil.redact import Secret

pytestmark = pytest.mark.live

BASE = os.environ.get("FISKIL_LIVE_BASE_URL", "")
CLIENT_ID = os.environ.get("FISKIL_LIVE_CLIENT_ID", "")
SECRET = os.environ.get("FISKIL_LIVE_CLIENT_SECRET", "")
PUBLIC_BASE = os.environ.get("FISKIL_LIVE_PUBLIC_BASE_URL", "")
WRITE = os.environ.get("FISKIL_LIVE_WRITE") == "1"

DOCTOR_CHECKS = (
    "configuration", "token", "clock", "list", "page-size", "paging", "list-details",
    "detail", "etag", "public", "rate-limits",
)  # fmt: skip

needs_credentials = pytest.mark.skipif(
    not (BASE and CLIENT_ID and SECRET),
    reason="set FISKIL_LIVE_BASE_URL, FISKIL_LIVE_CLIENT_ID, FISKIL_LIVE_CLIENT_SECRET",
)


@pytest.fixture
def live() -> Iterator[ProductsClient]:
    client = connect_products(
        BASE,
        Credentials(CLIENT_ID, Secret(SECRET)),
        api=ApiContract(),
        need="write" if WRITE else "read",
    )
    with client:
        yield client


@pytest.fixture(scope="module")
def doctor_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """`catalog-sync doctor`'s checks, read-only, against the live environment."""
    root = tmp_path_factory.mktemp("live")
    env = Environment(
        "live",
        "http",
        base_url=BASE,
        client_id_env="FISKIL_LIVE_CLIENT_ID",
        client_secret_env="FISKIL_LIVE_CLIENT_SECRET",
        public_base_url=PUBLIC_BASE or None,
    )
    config = Config(root=root, products_dir=root, environments={"live": env})
    return run_doctor(config, "live")


@needs_credentials
@pytest.mark.parametrize("check", DOCTOR_CHECKS)
def test_doctor_check_holds(doctor_report: Report, check: str):
    """Contract: each line doctor checks (token, paging, list shape, details, detail and
    404, ETag, public versions); a failure names the api: key to change."""
    found = [f for f in doctor_report.findings if f.check == check]
    assert found, f"{check} was not reached: {doctor_report.findings[-1]}"
    assert found[0].status is not Status.FAIL, f"{found[0].observed} → {found[0].fix}"


@needs_credentials
def test_listing_terminates_without_repeats(live: ProductsClient):
    """Contract: paging with page/page-size ends (links.next absent or a short page)."""
    ids = [p["productId"] for p in live.iter_listing()]
    assert len(ids) == len(set(ids))


@needs_credentials
@pytest.mark.skipif(not WRITE, reason="set FISKIL_LIVE_WRITE=1 to test writes")
def test_create_update_delete_round_trip(live: ProductsClient):
    """Contract: POST (201) / PUT (200) / DELETE (204) by productId; 409 on duplicate."""
    product_id = f"catalog-sync-contract-{uuid.uuid4().hex[:12]}"
    body = {
        "productId": product_id,
        "productCategory": "TRANS_AND_SAVINGS_ACCOUNTS",
        "name": "catalog-sync contract test",
        "description": "Temporary product created by the catalog-sync live contract test",
        "brand": "catalog-sync",
        "isTailored": False,
    }
    try:
        live.create_product(body)
        assert live.get_product(product_id) is not None
        updated = live.update_product(product_id, {**body, "name": "renamed"})
        assert updated["name"] == "renamed"
    finally:
        live.delete_product(product_id)
    assert live.get_product(product_id) is None
