"""Real CDR product captures (../shared/cdr/products): no crash, specific located messages,
nulls treated as absent, and exactly the real defects of the two V6/V7-shaped captures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from catalog_sync.catalog.validate import validate_data
from catalog_sync.catalog.validate import validate_document
from catalog_sync.problems import Problem
from catalog_sync.yaml.document import Document
from scripts.real_data_report import render_report

REPO = Path(__file__).resolve().parents[2]
PRODUCTS = REPO.parent / "shared" / "cdr" / "products"
pytestmark = pytest.mark.skipif(
    not PRODUCTS.is_dir(), reason="../shared/cdr/products is absent"
)

CBA_2026 = "commbank/f889dd909d1d44858a2f2ad839dcda89.json"
WESTPAC_2026 = "westpac/hlvariableoffsetowneroccupied--2026-03-09.json"
NAB_NO_PRICING = "nab/9684c63c-223f-4166-ae1f-6d0f0018cbae.json"
VALID_FILES = {WESTPAC_2026, NAB_NO_PRICING}


def _files() -> list[str]:
    return (
        sorted(p.relative_to(PRODUCTS).as_posix() for p in PRODUCTS.glob("*/*.json"))
        if PRODUCTS.is_dir()
        else []
    )


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PRODUCTS / name).read_text(encoding="utf-8"))
    if set(data) <= {"data", "links", "meta"}:  # a whole response envelope
        data = data["data"]
    return data


def _found(name: str, schema: str = "cds-v7") -> list[tuple[str, str]]:
    return [(p.path, p.code) for p in validate_data(_load(name), schema, source=name)]


def _value_at(data: Any, path: str) -> tuple[bool, Any]:
    """(exists, value) for a field path like `fees[2].amount`."""
    node = data
    for part in path.replace("[", ".").replace("]", "").split("."):
        key: Any = int(part) if part.isdigit() else part
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return False, None
    return True, node


def _parent_exists(data: Any, problem: Problem) -> bool:
    parent = problem.path.rsplit(".", 1)[0] if "." in problem.path else ""
    parent = (
        parent if not problem.path.endswith("]") else problem.path.rsplit("[", 1)[0]
    )
    return not parent or _value_at(data, parent)[0]


@pytest.mark.parametrize("name", _files())
def test_every_capture_gets_located_problems_never_a_crash(name: str) -> None:
    data = _load(name)
    for schema in ("cds-v7", "cds-v6"):
        found = validate_data(data, schema, source=name)
        assert bool(found) == (name not in VALID_FILES)
        for problem in found:
            assert problem.file == name
            assert problem.path
            assert problem.code.startswith("schema.")
            assert problem.message
            assert _parent_exists(data, problem), problem


@pytest.mark.parametrize(
    "name", [n for n in _files() if n not in VALID_FILES | {CBA_2026}]
)
def test_pre_v6_captures_name_each_fee_without_fee_method(name: str) -> None:
    data = _load(name)
    found = {(p.path, p.code): p for p in validate_data(data, "cds-v7", source=name)}
    assert found
    for index, fee in enumerate(data.get("fees") or []):
        problem = found[(f"fees[{index}].feeMethodUType", "schema.required")]
        assert (
            problem.hint
            == "add `feeMethodUType`: one of fixedAmount, rateBased, variable"
        )
        assert "feeMethodUType" not in fee


def test_nab_explicit_nulls_are_treated_as_absent() -> None:
    # A null is never a problem for a field the CDS knows; fields it does not know (the
    # pre-V6 fee fields) stay unknown even when null.
    nab = [n for n in _files() if n.startswith("nab/")]
    with_nulls = [
        n for n in nab if "null" in (PRODUCTS / n).read_text(encoding="utf-8")
    ]
    assert len(with_nulls) >= 6
    for name in with_nulls:
        data = _load(name)
        for problem in validate_data(data, "cds-v7", source=name):
            exists, value = _value_at(data, problem.path)
            if problem.code != "schema.unknown-field":
                assert not (exists and value is None), problem
            assert problem.code != "schema.null"


def test_v6_v7_shaped_captures_get_exactly_their_real_defects() -> None:
    for schema in ("cds-v7", "cds-v6"):
        # The CBA fixture was trimmed by its author and lost the mandatory isTailored.
        assert _found(CBA_2026, schema) == [("isTailored", "schema.required")]
        assert _found(WESTPAC_2026, schema) == []


def test_captures_as_product_files_must_drop_last_updated() -> None:
    for name, expected in (
        (CBA_2026, ["isTailored", "lastUpdated"]),
        (WESTPAC_2026, ["lastUpdated"]),
    ):
        doc = Document(
            path=Path(name), display_path=name, data=_load(name), positions={(): (1, 1)}
        )
        found = validate_document(doc, "cds-v7")
        assert [p.path for p in found] == expected
        assert found[-1].code == "schema.server-set"
        assert (found[-1].line, found[-1].col) == (1, 1)


def test_real_defects_beyond_the_v6_reshape() -> None:
    anz_card = _found("anz/d8101ca7-369f-f465-27f6-50f388c81b3a.json")
    assert (
        "fees[6].discounts[0].eligibility",
        "schema.rule",
    ) in anz_card  # ELIGIBILITY_ONLY, no eligibility
    assert (
        "features[20].additionalValue",
        "schema.format",
    ) in anz_card  # CASHBACK_OFFER "100"
    assert ("eligibility[2].additionalInfo", "schema.required") in _found(
        "up/up-home.json"
    )  # OTHER
    sccu = _found("southern-cross-credit-union/credit_union_guarantee.json")
    assert ("applicationUri", "schema.format") in sccu  # ""
    bendigo = _found("bendigo-bank/f2476015-6ff3-4165-8d89-c8ca7fe76735.json")
    assert (
        "eligibility[0].additionalValue",
        "schema.format",
    ) in bendigo  # MIN_AGE "18 years old"


def test_removed_fee_type_variable_gets_a_migration_hint() -> None:
    name = "westpac/westpacnovatedlease.json"
    hints = {
        p.hint or ""
        for p in validate_data(_load(name), "cds-v7")
        if p.code == "schema.enum"
    }
    assert len(hints) == 1
    assert hints.pop().startswith("CDS V6 removed feeType VARIABLE")


def test_docs_real_data_is_up_to_date() -> None:
    committed = (REPO / "docs" / "real-data.md").read_text(encoding="utf-8")
    assert committed == render_report(PRODUCTS), (
        "run: python -m scripts.real_data_report ../shared/cdr/products docs/real-data.md"
    )
