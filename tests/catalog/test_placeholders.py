"""validate reports every TODO(migrate) placeholder, located, once, even in free text."""

from __future__ import annotations

from catalog_sync.catalog.placeholders import find_placeholders
from catalog_sync.catalog.validate import validate_document
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.loader import load_yaml_bytes

FILE = b"""\
productId: saver
productCategory: TRANS_AND_SAVINGS_ACCOUNTS
name: Saver
description: TODO(migrate)
brand: ACME
isTailored: false
cardArt:
  - cardScheme: TODO(migrate)
    cardType: DEBIT
    imageUri: https://acme.example/card.png
"""


def _doc(text: bytes) -> Document:
    doc = load_yaml_bytes(text, "products/saver.yaml")
    assert isinstance(doc, Document)
    return doc


def test_a_placeholder_in_free_text_is_a_located_problem() -> None:
    problems = validate_document(_doc(FILE), "cds-v7")
    description = [p for p in problems if p.path == "description"]
    assert [(p.line, p.col, p.code) for p in description] == [
        (4, 14, "schema.placeholder")
    ]
    assert "TODO(migrate)" in description[0].message
    assert description[0].hint is not None
    assert "needs-human" in description[0].hint


def test_a_placeholder_in_an_enum_is_one_problem_keeping_the_choices() -> None:
    problems = validate_document(_doc(FILE), "cds-v7")
    scheme = [p for p in problems if p.path == "cardArt[0].cardScheme"]
    assert [(p.line, p.col, p.code) for p in scheme] == [(8, 17, "schema.placeholder")]
    assert scheme[0].hint is not None
    assert scheme[0].hint.startswith("one of AMEX, EFTPOS, MASTERCARD, VISA, OTHER")
    assert len(problems) == 2


def test_filled_in_file_has_no_placeholder_problem() -> None:
    text = FILE.replace(b"description: TODO(migrate)", b"description: A saver.")
    text = text.replace(b"cardScheme: TODO(migrate)", b"cardScheme: VISA")
    assert validate_document(_doc(text), "cds-v7") == []


def test_find_placeholders_walks_lists_and_mappings() -> None:
    data = {"a": [{"b": "TODO(migrate)"}, "x"], "c": "TODO(migrate)"}
    assert sorted(map(str, find_placeholders(data))) == [
        "('a', 0, 'b')",
        "('c',)",
    ]


def test_a_placeholder_product_id_is_one_problem_in_the_catalog(tmp_path) -> None:
    from catalog_sync.catalog.pipeline import validate_catalog
    from catalog_sync.config.model import Config

    folder = tmp_path / "products"
    folder.mkdir()
    text = FILE.replace(b"productId: saver", b"productId: TODO(migrate)")
    text = text.replace(b"description: TODO(migrate)", b"description: A saver.")
    text = text.replace(b"cardScheme: TODO(migrate)", b"cardScheme: VISA")
    (folder / "saver.yaml").write_bytes(text)
    (folder / "loan.yaml").write_bytes(text)
    config = Config(root=tmp_path, products_dir=folder)
    result = validate_catalog(config, use_cache=False)
    assert sorted((p.file, p.path, p.code) for p in result.problems) == [
        ("products/loan.yaml", "productId", "schema.placeholder"),
        ("products/saver.yaml", "productId", "schema.placeholder"),
    ]


def test_a_placeholder_where_the_schema_gives_no_hint_asks_for_the_real_value() -> None:
    text = FILE + b"additionalInformation: TODO(migrate)\neffectiveFrom: soon\n"
    problems = validate_document(_doc(text), "cds-v7")
    (info,) = [p for p in problems if p.path == "additionalInformation"]
    assert ("effectiveFrom", "schema.datetime") in [(p.path, p.code) for p in problems]
    assert (info.line, info.code) == (11, "schema.placeholder")
    assert info.hint == (
        "write the real value; see the `# migrate (needs-human)` comment above it"
    )
