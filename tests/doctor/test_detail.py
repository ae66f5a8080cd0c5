"""The list-details, detail and etag checks on hand-made reads and the emulator."""

from __future__ import annotations

from catalog_sync.doctor.detail import Read
from catalog_sync.doctor.detail import check_detail
from catalog_sync.doctor.detail import check_etag
from catalog_sync.doctor.detail import check_list_details
from catalog_sync.doctor.detail import read_details
from catalog_sync.doctor.model import Status
from catalog_sync.emulator.public import summary
from tests.doctor.conftest import EXAMPLES
from tests.doctor.conftest import PRODUCTS
from tests.doctor.conftest import connect

FULL = next(p for p in EXAMPLES if "fees" in p)
PLAIN = {
    k: v
    for k, v in FULL.items()
    if k
    not in (
        "fees",
        "depositRates",
        "lendingRates",
        "features",
        "eligibility",
        "constraints",
        "bundles",
        "instalments",
    )
}


def test_list_details_unknown_without_a_readable_product(store):
    with connect(store) as api:
        found = check_list_details(api, [Read(FULL, None, None)])
    assert found.status is Status.UNKNOWN


def test_list_details_summaries_are_fine_when_configured(store):
    with connect(store, list_returns_details=False) as api:
        found = check_list_details(api, [Read(summary(FULL), FULL, '"1"')])
    assert found.status is Status.OK
    assert found.observed.startswith("the list returns summaries: ")


def test_list_details_differing_values_count_as_summaries(store):
    with connect(store) as api:
        found = check_list_details(api, [Read({**FULL, "name": "Other"}, FULL, None)])
    assert found.status is Status.FAIL
    assert "listed products differ from their GETs" in found.observed


def test_list_details_without_detail_fields_cannot_tell(store):
    with connect(store) as api:
        found = check_list_details(api, [Read(PLAIN, PLAIN, None)])
    assert found.status is Status.UNKNOWN
    assert "look alike" in found.observed


def test_list_details_full_details_with_summaries_configured_differs(store):
    with connect(store, list_returns_details=False) as api:
        found = check_list_details(api, [Read(FULL, FULL, None)])
    assert found.status is Status.DIFFERS
    assert dict(found.suggest) == {"api.list_returns_details": True}


def test_detail_listed_product_answering_404_fails(store):
    with connect(store) as api:
        found = check_detail(api, [Read(FULL, None, None)])
    assert found.status is Status.FAIL
    assert f"answered 404 for listed {FULL['productId']}" in found.observed


def test_detail_with_another_product_id_fails(store):
    with connect(store) as api:
        found = check_detail(api, [Read(FULL, {**FULL, "productId": "x"}, None)])
    assert found.status is Status.FAIL
    assert "has another productId" in found.observed


def test_detail_unknown_product_answered_200_fails(store):
    store.faults.fail_next(
        "GET",
        f"{PRODUCTS}/catalog-sync-doctor-absent-*",
        status=200,
        body={"data": FULL},
    )
    with connect(store) as api:
        found = check_detail(api, [])
    assert found.status is Status.FAIL
    assert "answered a product instead of 404" in found.observed


def test_read_details_reads_at_most_three(store):
    with connect(store) as api:
        reads = read_details(api, EXAMPLES)
    assert len(reads) == 3
    assert all(r.etag for r in reads)


def test_etag_unknown_without_a_product(store):
    with connect(store) as api:
        assert check_etag(api, []).status is Status.UNKNOWN


def test_etag_with_stale_check_list_says_if_match_needs_get(store):
    with connect(store, stale_check="list") as api:
        found = check_etag(api, [Read(FULL, FULL, '"3"')])
    assert found.status is Status.OK
    assert found.observed.endswith("only with stale_check get or auto (now list)")


def test_etag_missing_is_fine_with_stale_check_auto(store):
    with connect(store, stale_check="auto") as api:
        found = check_etag(api, [Read(FULL, FULL, None)])
    assert found.status is Status.OK
    assert found.observed.endswith("stale_check: auto suits that")
