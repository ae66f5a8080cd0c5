"""The compliance holes of issue 12, each as a user meets it in a product file: a missing
additionalValue is refused at its line, impossible dates, unknown currencies and malformed
durations each get their own code, and the hints that used to mislead say what to do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from catalog_sync.catalog.validate import validate_document
from catalog_sync.problems import Problem
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.loader import load_yaml_bytes
from tests.catalog.test_validate import deposit_rate
from tests.catalog.test_validate import document
from tests.catalog.test_validate import fee
from tests.catalog.test_validate import product

REPO = Path(__file__).resolve().parents[2]
TERM_DEPOSIT = REPO / "products" / "wattle-bank" / "wattle-term-deposit.yaml"


def _validate_yaml(text: str, name: str = "products/x.yaml") -> list[Problem]:
    doc = load_yaml_bytes(text.encode(), name)
    assert isinstance(doc, Document)
    return validate_document(doc, "cds-v7")


def _one(data: dict[str, Any]) -> Problem:
    [problem] = validate_document(document(data), "cds-v7")
    return problem


def test_the_issues_term_deposit_without_its_additional_values_is_refused_at_each_line() -> (
    None
):
    lines = TERM_DEPOSIT.read_text(encoding="utf-8").splitlines(keepends=True)
    max_balance = lines.index("  - constraintType: MAX_BALANCE\n")
    fixed = lines.index("  - depositRateType: FIXED\n")
    balance_value = lines.index('    additionalValue: "2000000.00"\n', max_balance)
    term_value = lines.index('    additionalValue: "P3M"\n', fixed)
    assert balance_value < fixed < term_value
    del lines[term_value], lines[balance_value]
    found = _validate_yaml("".join(lines), "products/wattle-bank/term.yaml")
    assert [p.format_text() for p in found] == [
        f"products/wattle-bank/term.yaml:{max_balance + 1}:5: error: "
        "constraints[1].additionalValue: constraintType MAX_BALANCE needs "
        "additionalValue: the maximum balance (add `additionalValue`: AmountString: "
        "a decimal with at least 2 fraction digits like 395.00 (quote it; no $ sign "
        "or commas))",
        f"products/wattle-bank/term.yaml:{fixed}:5: error: "
        "depositRates[0].additionalValue: depositRateType FIXED needs "
        "additionalValue: the period of time fixed (add `additionalValue`: an ISO "
        "8601 duration like P1M (monthly), P1Y, P12M, P1DT12H or P0.5M (only the "
        "last part may have a fraction))",
    ]


FORMATS_FILE = """\
productId: x
productCategory: TRANS_AND_SAVINGS_ACCOUNTS
name: X
description: An account.
brand: X
isTailored: false
effectiveFrom: "2026-02-30T00:00:00+10:00"
effectiveTo: "2027-02-29T00:00:00+10:00"
fees:
  - name: Overseas fee
    feeType: TRANSACTION
    feeMethodUType: fixedAmount
    fixedAmount:
      amount: "5.00"
    currency: AUS
    feeCap: "50.00"
    feeCapPeriod: P1.5MT1H
  - name: Half-month fee
    feeType: PERIODIC
    feeMethodUType: fixedAmount
    fixedAmount:
      amount: "1.00"
    additionalValue: P0.5M
"""


def test_dates_currencies_and_durations_have_their_own_codes_and_located_messages() -> (
    None
):
    found = _validate_yaml(FORMATS_FILE)
    assert [(p.line, p.col, p.path, p.code, p.message) for p in found] == [
        (
            7,
            16,
            "effectiveFrom",
            "schema.datetime",
            '"2026-02-30T00:00:00+10:00" is not a real date: February 2026 has 28 days',
        ),
        (
            8,
            14,
            "effectiveTo",
            "schema.datetime",
            '"2027-02-29T00:00:00+10:00" is not a real date: February 2027 has 28 days',
        ),
        (
            15,
            15,
            "fees[0].currency",
            "schema.currency",
            '"AUS" is not an ISO 4217 currency code',
        ),
        (
            17,
            19,
            "fees[0].feeCapPeriod",
            "schema.duration",
            '"P1.5MT1H" is not a valid ISO 8601 duration',
        ),
    ]
    hints = [p.hint or "" for p in found]
    assert hints[2].startswith('did you mean "AUD"?')
    assert "only the last part may have a fraction" in hints[3]


@pytest.mark.parametrize(
    ("feature", "value", "code"),
    [
        ("ADDITIONAL_CARDS", None, None),  # optional: no maximum
        ("ADDITIONAL_CARDS", "4", None),
        ("ADDITIONAL_CARDS", "four", "schema.format"),
        ("BONUS_REWARDS", "20000", None),
        ("BONUS_REWARDS", "20,000 points", "schema.format"),
        ("BONUS_REWARDS", None, "schema.required"),
    ],
)
def test_feature_counts_are_whole_numbers(
    feature: str, value: str | None, code: str | None
) -> None:
    item = {"featureType": feature}
    if value is not None:
        item["additionalValue"] = value
    found = validate_document(document(product(features=[item])), "cds-v7")
    assert [p.code for p in found] == ([code] if code else [])


def test_an_explicit_null_additional_cards_is_no_maximum() -> None:
    item = {"featureType": "ADDITIONAL_CARDS", "additionalValue": None}
    assert validate_document(document(product(features=[item])), "cds-v7") == []


def test_a_late_payment_fee_states_its_number_of_days() -> None:
    assert (
        validate_document(
            document(product(fees=[fee(feeType="LATE_PAYMENT", additionalValue="14")])),
            "cds-v7",
        )
        == []
    )
    problem = _one(product(fees=[fee(feeType="LATE_PAYMENT", additionalValue="P14D")]))
    assert (problem.code, problem.message) == (
        "schema.format",
        '"P14D" is not a valid whole number (as a string) (feeType LATE_PAYMENT needs '
        "additionalValue: number of days late, after which the associated fee will be "
        "applied)",
    )


def test_a_required_additional_value_written_as_null_asks_for_a_value() -> None:
    data = product(depositRates=[deposit_rate(depositRateType="FIXED")])
    data["depositRates"][0]["additionalValue"] = None
    problem = _one(data)
    assert (problem.path, problem.code) == (
        "depositRates[0].additionalValue",
        "schema.rule",
    )
    assert problem.message == (
        "depositRateType FIXED needs additionalValue: the period of time fixed"
    )
    assert problem.hint is not None
    assert problem.hint.startswith("an ISO 8601 duration like P1M")


# The hints issue 12 found misleading, each pinned to what it says now.


def test_a_sentence_in_an_amount_is_a_format_problem_not_too_long() -> None:
    sentence = "Five hundred dollars, or less for students and pensioners"
    problem = _one(product(fees=[fee(fixedAmount={"amount": sentence})]))
    assert (problem.path, problem.code) == (
        "fees[0].fixedAmount.amount",
        "schema.format",
    )
    assert problem.message == (
        '"Five hundred dollars, or less for s..." is not a valid AmountString'
    )
    assert problem.hint == (
        "AmountString: a decimal with at least 2 fraction digits like 395.00 "
        "(quote it; no $ sign or commas)"
    )


def test_last_updated_by_is_not_told_to_become_the_forbidden_last_updated() -> None:
    problem = _one(product(lastUpdatedBy="jsmith"))
    assert problem.code == "schema.unknown-field"
    assert (problem.hint or "").startswith(
        "remove it: the CDS has no `lastUpdatedBy` here;"
    )
    assert "lastUpdated`" not in (problem.hint or "")


def test_a_fixed_amount_fee_with_accrual_frequency_is_not_sent_to_rate_based() -> None:
    problem = _one(product(fees=[fee(accrualFrequency="P1D")]))
    assert (problem.path, problem.hint) == (
        "fees[0].accrualFrequency",
        "only a rateBased fee has an accrualFrequency, and this fee is not one: "
        "remove it, or say how often the fee is charged in additionalInfo",
    )
    periodic = fee(feeType="PERIODIC", additionalValue="P1M", accrualFrequency="P1M")
    problem = _one(product(fees=[periodic]))
    assert problem.hint == (
        "only a rateBased fee has an accrualFrequency: the period of a PERIODIC fee "
        "goes in `additionalValue` (an ISO 8601 duration like P1M); remove it"
    )


@pytest.mark.parametrize(
    ("field", "item"),
    [
        ("features", {"featureType": "OTHER"}),
        ("constraints", {"constraintType": "OTHER"}),
        ("eligibility", {"eligibilityType": "OTHER"}),
        ("fees", fee(feeType="OTHER")),
    ],
)
def test_other_with_its_text_in_additional_value_is_told_where_it_belongs(
    field: str, item: dict[str, Any]
) -> None:
    problem = _one(product(**{field: [item | {"additionalValue": "Courier fee"}]}))
    assert (problem.path, problem.code) == (
        f"{field}[0].additionalInfo",
        "schema.required",
    )
    assert problem.hint == (
        "move the text from `additionalValue` to `additionalInfo`: for this type the "
        "description belongs in additionalInfo, and additionalValue is not used"
    )


def test_a_value_failing_its_format_and_a_rules_format_is_one_problem() -> None:
    # A bonus rate's `rate` is a RateString (the field) that is zero or more (a rule).
    bonus = deposit_rate(depositRateType="BONUS", additionalValue="Deposit $200")
    problem = _one(product(depositRates=[{**bonus, "rate": "5%"}]))
    assert (problem.path, problem.code) == ("depositRates[0].rate", "schema.format")
    assert problem.hint is not None
    assert problem.hint.startswith('write "0.05"')
