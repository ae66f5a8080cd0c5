"""Explanations for dates, currencies and durations: which day a month lacks, which ISO
4217 code was meant, which duration a word stands for."""

from __future__ import annotations

import pytest

from catalog_sync.catalog.format_hints import currency_fix
from catalog_sync.catalog.format_hints import duration_fix
from catalog_sync.catalog.format_hints import is_unknown_currency
from catalog_sync.catalog.format_hints import not_a_date
from catalog_sync.catalog.format_hints import problem_code
from catalog_sync.catalog.schema import load_schema

DURATION = load_schema("cds-v7")["$defs"]["BankingProductFeeV2"]["properties"][
    "feeCapPeriod"
]["pattern"]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2026-02-30T00:00:00+10:00", "February 2026 has 28 days"),
        ("2027-02-29", "February 2027 has 28 days"),
        ("1900-02-29T00:00:00Z", "February 1900 has 28 days"),
        ("2026-04-31T00:00:00Z", "April 2026 has 30 days"),
        ("2026-01-32T00:00:00Z", "January 2026 has 31 days"),
        ("2028-02-29T00:00:00Z", None),
        ("2000-02-29T00:00:00Z", None),
        ("0000-02-29T00:00:00Z", None),  # year 0 is a leap year (proleptic Gregorian)
        ("2026-01-00T00:00:00Z", None),  # no day 0: the shape is wrong, not the month
        ("2026-13-01T00:00:00Z", None),
        ("soon", None),
    ],
)
def test_not_a_date_names_the_days_the_month_has(text: str, why: str | None) -> None:
    assert not_a_date(text) == why


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("aud", 'write "AUD"'),
        ("Usd", 'write "USD"'),
        ("AUS", 'did you mean "AUD"?'),
        ("CHX", "codes starting with CH: CHE, CHF, CHW"),
        ("ABC", None),
        ("XYZ", None),
        ("au", None),
        ("AUDD", None),
    ],
)
def test_currency_fix_suggests_a_code_of_the_same_country(
    text: str, fix: str | None
) -> None:
    assert currency_fix(text) == fix


def test_unknown_currency_is_three_capitals_not_in_iso_4217() -> None:
    assert [is_unknown_currency(c) for c in ("ABC", "AUD", "aud", "AU")] == [
        True,
        False,
        False,
        False,
    ]


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("month", 'write "P1M"'),
        (" Monthly ", 'write "P1M"'),
        ("fortnightly", 'write "P2W"'),
        ("annually", 'write "P1Y"'),
        ("p1m", 'write "P1M"'),
        ("1M", 'write "P1M"'),
        ("1Y6M", 'write "P1Y6M"'),
        ("every month", None),
        ("P1.5Y2M", None),
    ],
)
def test_duration_fix_turns_words_and_slips_into_durations(
    text: str, fix: str | None
) -> None:
    assert duration_fix(text, DURATION) == fix


def test_problem_codes_per_format() -> None:
    assert [
        problem_code(t)
        for t in ("DateTimeString", "CurrencyString", "ExternalRef", "AmountString")
    ] == ["schema.datetime", "schema.currency", "schema.duration", "schema.format"]
