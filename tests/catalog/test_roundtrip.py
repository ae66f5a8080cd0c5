"""The canonical rewrite: comments stay with their fields, values never change, quoting
and indentation become canonical, a second pass changes nothing."""

from __future__ import annotations

import pytest

from catalog_sync.catalog.roundtrip import rewrite_product
from catalog_sync.catalog.roundtrip import schema_modeline
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.loader import load_yaml_bytes

MODELINE = schema_modeline("../../schemas/cds-v7.json")


def _data(text: str):
    loaded = load_yaml_bytes(text.encode(), "x.yaml")
    assert isinstance(loaded, Document), loaded
    return loaded.data


def _fmt(text: str) -> str:
    out = rewrite_product(text, _data(text), modeline=MODELINE)
    assert rewrite_product(out, _data(text), modeline=MODELINE) == out
    return out


SOURCE = """\
# yaml-language-server: $schema=old.json
# Everyday account, owned by the deposits team.
name: Everyday   # the name customers see
# the id never changes
productId: a
fees:
    # the monthly fee
    -   name: Monthly
        amount: '5.00'   # waived over $2,000
        # was ANNUAL until 2025


        feeType: PERIODIC
    # the other fee
    -   feeType: OTHER
        name: 'Other'
        code: 0123
        flag: yes
# the brand
brand: W
description: |
  line one
  line two
# end of file
"""


def test_rewrite_orders_keys_and_keeps_every_comment_with_its_field():
    assert _fmt(SOURCE) == (
        f"{MODELINE}\n"
        "# Everyday account, owned by the deposits team.\n"
        "# the id never changes\n"
        "productId: a\n"
        "name: Everyday   # the name customers see\n"
        "description: |\n"
        "  line one\n"
        "  line two\n"
        "# the brand\n"
        "brand: W\n"
        "fees:\n"
        "  # the monthly fee\n"
        "  - name: Monthly\n"
        "    # was ANNUAL until 2025\n"
        "\n"
        "    feeType: PERIODIC\n"
        '    amount: "5.00"       # waived over $2,000\n'
        "  # the other fee\n"
        '  - name: "Other"\n'
        "    feeType: OTHER\n"
        '    code: "0123"\n'
        '    flag: "yes"\n'
        "# end of file\n"
    )


def test_rewrite_changes_only_the_values_that_differ():
    want = {**_data(SOURCE), "name": "Everyday Plus", "brand": "W"}
    want["fees"] = [
        {**want["fees"][0], "amount": "6.00"},
        want["fees"][1],
        {"name": "New", "feeType": "WITHDRAWAL", "amount": "yes"},
    ]
    del want["description"]
    out = rewrite_product(SOURCE, want, modeline=MODELINE)
    assert _data(out) == want
    assert "name: Everyday Plus # the name customers see\n" in out
    assert 'amount: "6.00"       # waived over $2,000\n' in out
    assert '  - name: New\n    feeType: WITHDRAWAL\n    amount: "yes"\n' in out
    assert "description" not in out
    assert "# the id never changes\nproductId: a\n" in out


def test_rewrite_replaces_a_structure_of_another_shape():
    text = "productId: a\nfees: none   # to do\nbundles:\n  - x\n  - y\n"
    want = {"productId": "a", "fees": [{"name": "F"}], "bundles": ["x"]}
    out = rewrite_product(text, want, modeline=MODELINE)
    assert _data(out) == want
    assert "bundles:\n  - x\n" in out


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("true", '"true"'),
        ("on", '"on"'),
        ("2024-01-01", '"2024-01-01"'),
        ("1e3", '"1e3"'),
        ("a: b", '"a: b"'),
        ("*star", '"*star"'),
        ("plain words", "plain words"),
        ("tab\there", '"tab\\there"'),
        ("line\u2028sep", '"line\\Lsep"'),
    ],
)
def test_rewrite_quotes_a_string_wherever_a_reader_could_misread_it(value, written):
    out = rewrite_product(
        "productId: a\n", {"productId": "a", "name": value}, modeline=MODELINE
    )
    assert out.endswith(f"name: {written}\n")
    assert _data(out)["name"] == value


def test_rewrite_keeps_comments_after_a_literal_block_with_their_fields():
    text = (
        "productId: a\ndescription: |\n  one\n  two\n# about name\nname: N\n"
        "# about brand\nbrand: X\n"
    )
    want = {**_data(text), "description": "three\nfour\n", "name": "M"}
    assert rewrite_product(text, want, modeline=MODELINE) == (
        f"{MODELINE}\nproductId: a\n# about name\nname: M\n"
        "description: |\n  three\n  four\n# about brand\nbrand: X\n"
    )
    # A new last field after a literal block gets its comment-free line.
    added = rewrite_product(text, {**want, "isTailored": False}, modeline=MODELINE)
    assert added.endswith("brand: X\nisTailored: false\n")


def test_rewrite_keeps_the_files_spelling_of_unchanged_numbers():
    text = "productId: a\nisTailored: false\nrate: 0.050\ncount: 3\n"
    assert _fmt(text).endswith("isTailored: false\nrate: 0.050\ncount: 3\n")
    changed = rewrite_product(
        text,
        {"productId": "a", "isTailored": True, "rate": 0.05, "count": True},
        modeline=MODELINE,
    )
    assert changed.endswith("isTailored: true\nrate: 0.050\ncount: true\n")


def test_rewrite_moves_a_comment_above_a_key_that_becomes_first():
    out = _fmt("name: N\n# the id\nproductId: a\n")
    assert out == f"{MODELINE}\n# the id\nproductId: a\nname: N\n"


def test_rewrite_of_an_empty_mapping_and_list():
    text = "productId: a\nfeatures: []\nadditionalInformation: {}\n"
    assert _data(_fmt(text)) == _data(text)
