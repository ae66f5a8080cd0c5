"""The compiled fast check must agree with jsonschema on every input, valid or not."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from catalog_sync.catalog.fastcheck import UnsupportedSchemaError
from catalog_sync.catalog.fastcheck import compile_check
from catalog_sync.catalog.schema import load_schema
from tests.catalog.test_validate import VALID
from tests.catalog.test_validate import deposit_rate
from tests.catalog.test_validate import discount
from tests.catalog.test_validate import fee
from tests.catalog.test_validate import lending_rate

PRODUCTS = Path(__file__).resolve().parents[2].parent / "shared" / "cdr" / "products"
VARIANTS = [(name, server) for name in ("cds-v7", "cds-v6") for server in (False, True)]

RICH = copy.deepcopy(VALID) | {
    "fees": [fee(discounts=[discount()]), fee(feeType="OTHER", additionalInfo="x")],
    "lendingRates": [
        lending_rate(
            tiers=[{"name": "t", "unitOfMeasure": "PERCENT", "minimumValue": "0.8"}]
        )
    ],
    "constraints": [{"constraintType": "MAX_LVR", "additionalValue": "0.8"}],
    "eligibility": [{"eligibilityType": "MIN_AGE", "additionalValue": "18"}],
    "bundles": [{"name": "b", "description": "d", "productIds": ["x"]}],
    "cardArt": [
        {
            "cardScheme": "VISA",
            "cardType": "DEBIT",
            "imageUri": "https://x.example/a.png",
        }
    ],
    "instalments": {"minimumSplit": 4, "maximumSplit": 4},
}
RICH["depositRates"].append(
    deposit_rate(
        depositRateType="BONUS",
        applicationType="MATURITY",
        additionalValue="Deposit $200 a month",
    )
)


def _pair(name: str, server: bool) -> tuple[Any, Any]:
    schema = load_schema(name, server=server)
    return compile_check(schema), Draft202012Validator(schema)


PAIRS = {variant: _pair(*variant) for variant in VARIANTS}

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False, width=16),
    st.sampled_from(
        [
            "",
            "x",
            "OTHER",
            "P1M",
            "0.05",
            "1.00",
            "AUD",
            "https://x.example",
            "fixedAmount",
            "rateBased",
            "PERIODIC",
            "ELIGIBILITY_ONLY",
            "DOLLAR",
            "-1",
        ]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=2)
        | st.dictionaries(
            st.sampled_from(["amount", "rate", "name", "rateType", "x"]),
            inner,
            max_size=2,
        )
    ),
    max_leaves=4,
)


def _containers(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, value in items:
        if isinstance(value, (dict, list)):
            found += _containers(value, (*path, key))
    return found


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


@st.composite
def mutated_products(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(RICH)
    for _ in range(draw(st.integers(1, 3))):
        container = _at(data, draw(st.sampled_from(_containers(data))))
        keys = (
            list(container)
            if isinstance(container, dict)
            else list(range(len(container)))
        )
        if not keys:
            continue
        key = draw(st.sampled_from(keys))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            container[key] = draw(VALUES)
        elif action == "delete":
            del container[key]
        elif isinstance(container, dict):
            container[
                draw(
                    st.sampled_from(
                        [
                            "extra",
                            "lastUpdated",
                            "fixedAmount",
                            "rateBased",
                            "additionalInfo",
                            "applicationFrequency",
                        ]
                    )
                )
            ] = draw(VALUES)
    return data


@pytest.mark.parametrize("variant", VARIANTS)
def test_fast_check_accepts_the_rich_product(variant: tuple[str, bool]) -> None:
    check, validator = PAIRS[variant]
    v7_only = variant[0] == "cds-v6"  # instalments exist from V7
    assert validator.is_valid(RICH) is not v7_only
    assert check(RICH) is not v7_only


@settings(max_examples=200, deadline=None)
@given(mutated_products())
def test_fast_check_agrees_with_jsonschema_on_mutations(data: dict[str, Any]) -> None:
    for check, validator in PAIRS.values():
        assert check(data) == validator.is_valid(data)


@pytest.mark.skipif(not PRODUCTS.is_dir(), reason="../shared/cdr/products is absent")
def test_fast_check_agrees_with_jsonschema_on_real_data() -> None:
    for path in sorted(PRODUCTS.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for check, validator in PAIRS.values():
            assert check(data) == validator.is_valid(data), path


def test_unknown_keywords_are_refused() -> None:
    with pytest.raises(UnsupportedSchemaError, match="patternProperties"):
        compile_check({"patternProperties": {"^x": {}}})
    with pytest.raises(UnsupportedSchemaError, match="ref"):
        compile_check({"$ref": "https://elsewhere.example/schema.json"})


def test_integer_semantics_match_jsonschema() -> None:
    schema = {"type": "integer", "minimum": 1}
    check = compile_check(schema)
    validator = Draft202012Validator(schema)
    for value in (1, 2.0, 0, True, 1.5, "1", None):
        assert check(value) == validator.is_valid(value), value


def test_a_false_subschema_rejects_any_value_as_jsonschema_does() -> None:
    schema = {"type": "object", "properties": {"gone": False}}
    check = compile_check(schema)
    validator = Draft202012Validator(schema)
    for value in ({}, {"gone": None}, {"gone": 1}, {"other": 1}):
        assert check(value) == validator.is_valid(value), value


@pytest.mark.parametrize(
    ("schema", "refused"),
    [
        ({"enum": ["A", 1]}, "enum with non-string values"),
        ({"additionalProperties": {"type": "string"}}, "additionalProperties"),
    ],
)
def test_keywords_used_beyond_what_the_compiler_implements_are_refused(
    schema: dict[str, Any], refused: str
) -> None:
    with pytest.raises(UnsupportedSchemaError, match=refused):
        compile_check(schema)
