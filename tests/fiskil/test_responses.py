"""What the client reads out of an error response: only a well-formed OAuth error code
is trusted, to decide (say) that a credential is final."""

from __future__ import annotations

import httpx
import pytest

from catalog_sync.fiskil.responses import oauth_error_code


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
