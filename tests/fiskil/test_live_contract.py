"""The assumed API contract checked against the real Fiskil service (opt-in: `pytest -m
live`, with FISKIL_LIVE_BASE_URL, FISKIL_LIVE_CLIENT_ID and FISKIL_LIVE_CLIENT_SECRET).

Reads only, unless FISKIL_LIVE_WRITE=1 is also set: then one throw-away product
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
from catalog_sync.fiskil.connect import Credentials
from catalog_sync.fiskil.connect import connect_products
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.fiskil.public import PublicReader
from catalog_sync.fiskil.redact import Secret
from catalog_sync.fiskil.retry import Retrier
from catalog_sync.fiskil.session import build_http_client

pytestmark = pytest.mark.live

BASE = os.environ.get("FISKIL_LIVE_BASE_URL", "")
CLIENT_ID = os.environ.get("FISKIL_LIVE_CLIENT_ID", "")
SECRET = os.environ.get("FISKIL_LIVE_CLIENT_SECRET", "")
PUBLIC_BASE = os.environ.get("FISKIL_LIVE_PUBLIC_BASE_URL", "")
WRITE = os.environ.get("FISKIL_LIVE_WRITE") == "1"

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


@needs_credentials
def test_token_endpoint_issues_a_token(live: ProductsClient):
    """Contract: POST /v1/token {client_id, client_secret} -> {token, expires_in}."""
    assert live.auth is not None
    live.auth.ensure_token(live.http)
    assert live.auth.tokens_issued == 1
    assert 0 < live.auth.seconds_left() <= 86_400


@needs_credentials
def test_list_returns_cds_envelope(live: ProductsClient):
    """Contract: GET products?page=1&page-size=N -> data.products[] with productId."""
    page = live.list_page(1)
    assert isinstance(page, list)
    assert all("productId" in item for item in page)


@needs_credentials
def test_listing_terminates_without_repeats(live: ProductsClient):
    """Contract: paging with page/page-size ends (links.next absent or a short page)."""
    ids = [p["productId"] for p in live.iter_listing()]
    assert len(ids) == len(set(ids))


@needs_credentials
def test_get_one_and_404_for_unknown(live: ProductsClient):
    """Contract: GET products/{productId} -> data; unknown -> 404."""
    page = live.list_page(1)
    if page:
        product_id = page[0]["productId"]
        found = live.get_product(product_id)
        assert found is not None
        assert found["productId"] == product_id
    assert live.get_product(f"catalog-sync-absent-{uuid.uuid4().hex}") is None


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


@pytest.mark.skipif(not PUBLIC_BASE, reason="set FISKIL_LIVE_PUBLIC_BASE_URL")
def test_public_products_list_and_detail():
    """Contract: GET /cds-au/v1/banking/products (x-v, effective=ALL) and detail."""
    api = ApiContract()
    retrier = Retrier.from_contract(api)
    with PublicReader(
        build_http_client(PUBLIC_BASE, api=api, retrier=retrier), api=api
    ) as reader:
        products = list(reader.iter_products())
        if products:
            found = reader.get_product_versioned(products[0]["productId"])
            assert found is not None
            assert found[1] in (api.public_version, api.public_min_version)
