"""The token check's scope reading and the clock check's edge cases."""

from __future__ import annotations

from catalog_sync.doctor.model import Status
from catalog_sync.doctor.observe import Seen
from catalog_sync.doctor.token import check_clock
from catalog_sync.doctor.token import check_token
from tests.doctor.conftest import connect


def test_token_lists_the_scopes_the_token_response_states(store):
    body = {
        "token": "opaque-token",
        "expires_in": 600,
        "scope": "api:provider.products.read",
    }
    store.faults.fail_next("POST", "/v1/token", status=200, body=body)
    with connect(store) as api:
        found = check_token(api)
    assert found.status is Status.OK
    assert found.observed == (
        "obtained, valid for 600 s; carries api:provider.products.read (no write: "
        "plan only), per the token response's scope field"
    )


def test_clock_without_date_cannot_tell():
    found = check_clock([Seen("GET", "/", 200, {}, 0.0)])
    assert found.status is Status.UNKNOWN


def test_clock_with_a_date_that_is_not_an_http_date_cannot_tell():
    found = check_clock([Seen("GET", "/", 200, {"date": "yesterday"}, 0.0)])
    assert found.status is Status.UNKNOWN
    assert found.observed == "the server's Date header 'yesterday' is not an HTTP date"


def test_clock_ahead_fails():
    seen = Seen("GET", "/", 200, {"date": "Thu, 01 Jan 1970 01:00:00 GMT"}, 0.0)
    found = check_clock([seen])
    assert found.status is Status.FAIL
    assert found.observed == "the server's Date is 3600 s ahead of this machine's clock"
