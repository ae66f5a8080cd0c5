"""Field changes as rows and sentences in reviewer units, from real build_plan diffs."""

from __future__ import annotations

import copy
from typing import Any

from catalog_sync.plan.diff import FieldChange
from catalog_sync.render.rows import Row
from catalog_sync.render.rows import field_row
from catalog_sync.render.rows import sentence
from tests.render.plans import bonus_saver
from tests.render.plans import make_plan
from tests.render.plans import product


def _rows(edit: dict[str, Any], live: dict[str, Any] | None = None) -> list[Row]:
    live = live or product("a")
    plan = make_plan({"a": edit}, {"a": live})
    return [field_row(item) for item in plan.changes[0].field_changes]


def test_rows_of_an_added_and_a_removed_fee_show_their_values():
    late = {
        "name": "Late fee",
        "feeType": "LATE_PAYMENT",
        "feeMethodUType": "fixedAmount",
        "fixedAmount": {"amount": "20.00"},
    }
    exit_fee = {
        "name": "Exit fee",
        "feeType": "EXIT",
        "feeMethodUType": "rateBased",
        "rateBased": {"rateType": "BALANCE", "rate": "0.01"},
    }
    live = copy.deepcopy(product("a"))
    live["fees"].append(exit_fee)
    edit = copy.deepcopy(product("a"))
    edit["fees"].append(late)
    assert [sentence(r) for r in _rows(edit, live)] == [
        "Exit fee: removed (was 1.00 % of balance)",
        "Late fee: added, $20.00",
    ]


def test_rows_name_the_field_below_the_element_in_words():
    edit = copy.deepcopy(product("a"))
    del edit["fees"][0]["additionalValue"]
    edit["lendingRates"][0]["comparisonRate"] = "0.06"
    assert [sentence(r) for r in _rows(edit)] == [
        "Monthly account fee · period: removed (was 1 month)",
        "Variable rate, P&I, owner occupied · comparison rate: added, 6.00 %",
    ]


def test_rows_booleans_and_product_fields_in_words():
    (row,) = _rows(product("a", isTailored=True))
    assert (row.what, row.before, row.after, row.change, row.impact) == (
        "Tailored",
        "no",
        "yes",
        "changed",
        "review",
    )


def test_rows_whole_arrays_list_their_items():
    edit = product(
        "a",
        additionalInformation={"overviewUri": "https://example.test/o"},
        features=[
            {"featureType": "OFFSET"},
            {"featureType": "FREE_TXNS", "additionalValue": "10"},
        ],
    )
    rows = _rows(edit)
    assert [(r.what, r.after, r.impact) for r in rows] == [
        ("Additional information", "(1 field)", "neutral"),
        ("Features (all)", "Free transactions: 10; Offset: yes", "favourable"),
    ]


def test_rows_cut_long_text_to_80_characters():
    (row,) = _rows(product("a", description="word " * 40))
    assert len(row.after) == 80
    assert row.after.endswith("…")


def test_rows_bonus_rate_edit_reads_as_the_issue_asks():
    live = bonus_saver()
    edited = copy.deepcopy(live)
    edited["depositRates"][1]["rate"] = "0.0375"
    (row,) = _rows(edited, live)
    assert sentence(row) == (
        "Bonus rate, balances up to $250,000: 3.50 % → 3.75 % (+25 bp)"
    )
    assert row.impact == "favourable"


def test_sentence_of_a_change_without_a_size():
    row = field_row(
        FieldChange(
            path="name", label="name", subject="product", field="name",
            kind="changed", before="A", after="B", impact="neutral",
        )
    )  # fmt: skip
    assert sentence(row) == "Name: A → B"
