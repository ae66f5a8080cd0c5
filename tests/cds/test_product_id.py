from __future__ import annotations

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog_sync.cds.product_id import path_segment
from catalog_sync.cds.product_id import product_id_problem

PRINTABLE_ASCII = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    min_size=1,
    max_size=100,
)


@pytest.mark.parametrize(
    ("pid", "why"),
    [
        ("", "productId is empty"),
        ("a\x00b", "productId cannot contain the control character U+0000"),
        ("tab\there", "productId cannot contain the control character U+0009"),
        ("del\x7f", "productId cannot contain the control character U+007F"),
        ("caf\u00e9", "productId cannot contain the non-ASCII character 'é' (U+00E9)"),
        ("x" * 101, "productId is 101 characters long, at most 100"),
        (12, "productId must be a string"),
    ],
)
def test_product_id_problem_refuses_what_is_no_ascii_string_of_1_to_100(pid, why):
    assert product_id_problem(pid) == why


@pytest.mark.parametrize(
    "pid",
    ["HOME EQUITY P", "../admin", "a/b", "%2e%2e", "trailing ", " ", ".", "x" * 100],
)
def test_product_id_problem_accepts_every_printable_ascii_id(pid):
    assert product_id_problem(pid) is None


@pytest.mark.parametrize(
    ("pid", "segment"),
    [
        ("HOME EQUITY P", "HOME%20EQUITY%20P"),
        ("a/b", "a%2Fb"),
        ("..", "%2E%2E"),
        (".", "%2E"),
        ("a..b", "a..b"),
        ("50%?#", "50%25%3F%23"),
    ],
)
def test_path_segment_percent_encodes_the_id_as_one_segment(pid, segment):
    assert path_segment(pid) == segment


@given(PRINTABLE_ASCII)
def test_path_segment_survives_httpx_as_exactly_one_segment(pid):
    url = httpx.URL(f"http://bank.test/products/{path_segment(pid)}")
    raw = url.raw_path.decode("ascii")
    assert raw.startswith("/products/")
    [segment] = raw.removeprefix("/products/").split("/")
    assert httpx.URL(f"http://x/{segment}").path == f"/{pid}"
