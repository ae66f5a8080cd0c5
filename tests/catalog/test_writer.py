"""dump_product_yaml: CDS key order, safe quoting, comments above their fields, and text
that the catalog loader reads back to exactly the same data."""

from __future__ import annotations

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from catalog_sync.catalog.writer import dump_product_yaml
from catalog_sync.catalog.writer import ordered
from catalog_sync.onboarding.notes import Note
from catalog_sync.onboarding.notes import NoteKind
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.loader import load_yaml_bytes

TRAPS = [
    "NO",
    "yes",
    "on",
    "0123",
    "1.10",
    "1e5",
    "-.5",
    "~",
    "null",
    "",
    "2024-01-01",
    "12:30",
    "true",
    "0x1F",
    "+1",
    "P1M",
    "0.0525",
]


def _load(text: str) -> Document:
    doc = load_yaml_bytes(text.encode("utf-8"), "t.yaml")
    assert isinstance(doc, Document), doc
    return doc


def test_dump_product_yaml_keeps_yaml_traps_as_strings():
    product = {
        "productId": "p",
        "features": [{"featureType": "OTHER", "additionalInfo": t} for t in TRAPS],
    }
    assert _load(dump_product_yaml(product)).data == product


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.text(max_size=30), max_size=5),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(),
)
def test_dump_product_yaml_round_trips_any_text_and_numbers(texts, number, integer):
    product = {
        "productId": "p",
        "description": "\n".join(texts),
        "eligibility": [
            {"eligibilityType": "OTHER", "additionalInfo": t} for t in texts
        ],
        "depositRates": [
            {"tiers": [{"minimumValue": number, "maximumValue": integer}]}
        ],
    }
    assert _load(dump_product_yaml(product)).data == product


def test_dump_product_yaml_orders_keys_as_the_cds_does():
    product = {
        "fees": [
            {
                "fixedAmount": {"amount": "1.00"},
                "feeMethodUType": "fixedAmount",
                "feeType": "EVENT",
                "name": "f",
                "zExtra": 1,
            }
        ],
        "name": "n",
        "productId": "p",
    }
    result = ordered(product)
    assert list(result) == ["productId", "name", "fees"]
    assert list(result["fees"][0]) == [
        "name",
        "feeType",
        "feeMethodUType",
        "fixedAmount",
        "zExtra",
    ]


def test_dump_product_yaml_writes_comments_above_their_fields():
    product = {
        "productId": "p",
        "lendingRates": [
            {"lendingRateType": "FIXED", "rate": "0.05", "loanPurpose": "TODO(migrate)"}
        ],
    }
    notes = [
        Note(
            NoteKind.NEEDS_HUMAN, ("lendingRates", 0, "loanPurpose"), "say the purpose"
        ),
        Note(NoteKind.CONVERTED, (), "lastUpdated removed"),
    ]
    text = dump_product_yaml(product, header=["Imported from x.json"], notes=notes)
    lines = text.splitlines()
    assert lines[0] == "# Imported from x.json"
    assert lines[1] == "# migrate (converted): lastUpdated removed"
    at = lines.index("    loanPurpose: TODO(migrate)")
    assert lines[at - 1] == "    # migrate (needs-human): say the purpose"
    assert _load(text).data == product


def test_dump_product_yaml_wraps_long_comments_with_indented_continuations():
    note = Note(NoteKind.DERIVED, ("name",), "word " * 40, "evidence")
    text = dump_product_yaml({"productId": "p", "name": "n"}, notes=[note])
    comment = [line for line in text.splitlines() if line.startswith("#")]
    assert len(comment) > 1
    assert all(line.startswith("#   ") for line in comment[1:])


@given(st.text(max_size=40))
@settings(max_examples=200, deadline=None)
def test_comments_quoting_source_data_never_inject_yaml(text):
    # Evidence and file names are source data: any character may be in them.
    text += "\ufffe\uffff"  # not printable in YAML, even in a comment
    product = {"productId": "p", "name": "n", "isTailored": False}
    note = Note(NoteKind.DERIVED, ("name",), f"named {text}\u2028isTailored: true", "e")
    header = [f"Imported from {text}\x85brand: injected"]
    written = dump_product_yaml(product, header=header, notes=[note])
    assert _load(written).data == product
    assert all(
        line.startswith(("#", " ", "productId", "name", "isTailored"))
        for line in written.splitlines()
    )
