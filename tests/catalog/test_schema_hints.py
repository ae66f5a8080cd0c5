"""Hints for schema problems where the shipped schemas do not (yet) exercise them."""

from __future__ import annotations

from catalog_sync.catalog.schema_hints import enum_problem
from catalog_sync.catalog.schema_hints import expected_value


def test_enum_problem_under_a_prose_rule_names_the_rule_and_the_closest_value() -> None:
    message, hint, code = enum_problem(
        "per month", ["DAILY", "PER_MONTH"], "only monthly fees have a frequency"
    )
    assert message == (
        '"per month" is not an allowed value (only monthly fees have a frequency)'
    )
    assert hint == "did you mean `PER_MONTH`? one of DAILY, PER_MONTH"
    assert code == "schema.enum"


def test_expected_value_of_a_property_without_a_type_adds_nothing() -> None:
    assert expected_value({}) == ""
    assert expected_value({"type": ["boolean", "null"]}) == ": true or false"
