"""What the client reads out of an error response: only a well-formed OAuth error code
is trusted, to decide (say) that a credential is final; server messages come from the
error objects only; the token endpoint's failures never quote its body."""

from __future__ import annotations

import httpx
import pytest

from catalog_sync.errors import RateLimitedError
from catalog_sync.errors import ServerValidationError
from catalog_sync.errors import StatusError
from catalog_sync.fiskil.responses import error_for_response
from catalog_sync.fiskil.responses import oauth_error_code
from tests.fiskil.conftest import PRODUCTS
from tests.fiskil.conftest import TOKEN
from tests.fiskil.conftest import Harness
from tests.fiskil.conftest import product


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"error": "invalid_client"}, "invalid_client"),
        ({"error": "invalid_client\n"}, None),  # not the code, whatever follows it
        ({"error": "x" * 65}, None),
        ({"error": "<script>"}, None),
        ({"error": 401}, None),
        ([], None),
    ],
)
def test_only_a_well_formed_code_is_read(body, code):
    assert oauth_error_code(httpx.Response(401, json=body)) == code


def test_a_body_that_is_not_json_has_no_code():
    assert oauth_error_code(httpx.Response(401, text="Unauthorized")) is None


def test_validation_messages_skip_error_entries_that_are_not_objects(harness: Harness):
    body = {
        "errors": [
            "not an object",
            {"title": "Invalid Field", "detail": "name is required"},
            {"code": "urn:au-cds:error:cds-all:Field/Missing"},
        ]
    }
    harness.store.faults.fail_next("POST", PRODUCTS, status=422, body=body)
    api = harness.client(need="write")
    with pytest.raises(ServerValidationError) as info:
        api.create_product(product("p1"))
    assert info.value.messages == (
        "Invalid Field: name is required",
        "urn:au-cds:error:cds-all:Field/Missing",
    )


def test_a_token_endpoint_that_keeps_failing_is_a_status_error(harness: Harness):
    harness.store.faults.fail_next("POST", TOKEN, status=500, times=None)
    api = harness.client(max_attempts=2)
    with pytest.raises(StatusError) as info:
        api.get_product("p1")
    assert str(info.value) == f"POST {TOKEN}: token request failed with HTTP 500"
    assert "Injected fault" not in str(info.value)  # the body is never quoted
    assert harness.count("POST", TOKEN) == 2


def test_a_token_endpoint_that_stays_rate_limited_says_when_to_retry(
    harness: Harness,
):
    harness.store.faults.fail_next("POST", TOKEN, status=429, times=None, retry_after=1)
    api = harness.client(max_attempts=2)
    with pytest.raises(RateLimitedError) as info:
        api.get_product("p1")
    assert info.value.retry_at
    assert f"POST {TOKEN}: rate limited; retry after {info.value.retry_at}" in str(
        info.value
    )


def test_a_401_names_credentials_only_when_some_were_sent():
    url = "https://holder.example/cds-au/v1/banking/products"
    with_token = httpx.Request("GET", url, headers={"Authorization": "Bearer t"})
    anonymous = httpx.Request("GET", url)
    sent = error_for_response(httpx.Response(401, request=with_token))
    public = error_for_response(httpx.Response(401, request=anonymous))
    assert sent.hint == "check the client id and secret"
    assert public.hint is not None
    assert "no credentials were sent" in public.hint
    assert "Bearer" not in str(public)
