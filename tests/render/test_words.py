"""Field changes as Markdown sentences, from plans built by the real build_plan."""

from __future__ import annotations

import copy
from typing import Any

from catalog_sync.render.markdown import render_markdown
from tests.render.plans import make_plan
from tests.render.plans import product


def _sentences(edit: dict[str, Any], live: dict[str, Any] | None = None) -> list[str]:
    """The field-change lines of the plan that turns `live` (product `a`) into `edit`."""
    text = render_markdown(make_plan({"a": edit}, {"a": live or product("a")}))
    return [line for line in text.splitlines() if line.startswith("- ")]


def test_change_sentence_names_an_added_or_removed_element_without_a_field():
    late = {
        "name": "Late fee",
        "feeType": "OTHER_EVENT",
        "feeMethodUType": "fixedAmount",
        "fixedAmount": {"amount": "20.00"},
    }
    exit_fee = {**late, "name": "Exit fee", "feeType": "EXIT"}
    live = copy.deepcopy(product("a"))
    live["fees"].append(exit_fee)
    edit = copy.deepcopy(product("a"))
    edit["fees"].append(late)
    assert _sentences(edit, live) == [
        '- fee "Exit fee": removed',
        '- fee "Late fee": added',
    ]


def test_change_sentence_added_and_removed_values_in_their_units():
    edit = copy.deepcopy(product("a"))
    del edit["fees"][0]["additionalValue"]
    edit["lendingRates"][0]["comparisonRate"] = "0.06"
    assert _sentences(edit) == [
        '- fee "Monthly account fee": additional value removed (was 1 month)',
        '- lending rate "VARIABLE · PRINCIPAL_AND_INTEREST · OWNER_OCCUPIED": '
        "comparison rate set to 6.00 %",
    ]


def test_change_sentence_booleans_in_words():
    assert _sentences(product("a", isTailored=True)) == ["- is tailored: no → yes"]


def test_change_sentence_objects_and_arrays_by_size():
    edit = product(
        "a",
        additionalInformation={"overviewUri": "https://example.test/o"},
        features=[{"featureType": "OFFSET"}, {"featureType": "REDRAW"}],
    )
    assert _sentences(edit) == [
        "- additional information: set to (1 field)",
        "- features: set to (2 items)",
    ]


def test_change_sentence_cuts_long_text_to_80_characters():
    (sentence,) = _sentences(product("a", description="x" * 100))
    assert sentence == f'- description: `"A home loan"` → `"{"x" * 79}…"`'
