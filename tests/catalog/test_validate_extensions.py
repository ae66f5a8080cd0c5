"""Holder extension fields (`extension_prefixes: [WBC]`): `WBC-...` fields are allowed
anywhere in a product, by the fast check and by jsonschema alike; every other unknown
field is still an error, with a hint about `extension_prefixes` when it looks like one."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from catalog_sync.catalog.fastcheck import compile_check
from catalog_sync.catalog.schema import load_schema
from catalog_sync.catalog.validate import validate_data
from catalog_sync.catalog.validate import validate_document
from tests.catalog.test_validate import VALID
from tests.catalog.test_validate import document

# Where an extension field goes: a path to an object in VALID.
PLACES: list[tuple[Any, ...]] = [
    (),
    ("additionalInformation",),
    ("features", 0),
    ("fees", 0),
    ("fees", 0, "fixedAmount"),
    ("depositRates", 0),
    ("depositRates", 0, "tiers", 0),
]
EXTENSION = {"WBC-meta": {"rate": "not a CDS rate", "owner": ["any", "shape"]}}


def with_field(place: tuple[Any, ...], fields: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    target: Any = data
    for step in place:
        target = target[step]
    target.update(fields)
    return data


@pytest.mark.parametrize("schema", ["cds-v7", "cds-v6"])
@pytest.mark.parametrize("place", PLACES)
def test_listed_extension_fields_are_valid_anywhere(place, schema):
    data = with_field(place, {**EXTENSION, "WBC-code": 7})
    assert validate_document(document(data), schema, extension_prefixes=["WBC"]) == []
    assert validate_data(data, schema, extension_prefixes=["WBC"]) == []
    # The fast path alone would refuse them: validate set them aside for both checks.
    assert not compile_check(load_schema(schema))(data)


@pytest.mark.parametrize("place", PLACES)
def test_unlisted_extension_fields_are_unknown_with_a_hint(place):
    data = with_field(place, {"WATTLE-code": "x", **EXTENSION})
    found = validate_document(document(data), "cds-v7", extension_prefixes=["WBC"])
    [problem] = found
    assert problem.code == "schema.unknown-field"
    assert problem.message == "unknown field `WATTLE-code`"
    assert problem.hint == (
        "it looks like a holder extension field: if WATTLE is your holder identifier, "
        "add `extension_prefixes: [WATTLE]` to catalog-sync.yaml; otherwise remove it"
    )


def test_without_prefixes_an_extension_field_is_unknown():
    data = with_field(("features", 0), EXTENSION)
    [problem] = validate_document(document(data), "cds-v7")
    assert (problem.path, problem.code) == (
        "features[0].WBC-meta",
        "schema.unknown-field",
    )
    assert "`extension_prefixes: [WBC]`" in (problem.hint or "")


def test_extension_fields_do_not_hide_problems_of_the_standard_ones():
    data = with_field(("fees", 0), {"WBC-code": 1, "feeType": "SOMETIMES"})
    found = validate_data(data, "cds-v7", extension_prefixes=["WBC"])
    assert [(p.path, p.code) for p in found] == [("fees[0].feeType", "schema.enum")]
