"""Rates, amounts and durations in a reviewer's words."""

from __future__ import annotations

import pytest

from catalog_sync.render.units import format_bp_change
from catalog_sync.render.units import format_change
from catalog_sync.render.units import format_date
from catalog_sync.render.units import format_dollars
from catalog_sync.render.units import format_duration
from catalog_sync.render.units import format_percent
from catalog_sync.render.units import format_transition
from catalog_sync.render.units import format_value


@pytest.mark.parametrize(
    ("rate", "text"),
    [
        ("0.0524", "5.24 %"),
        ("0.05", "5.00 %"),
        ("0.05125", "5.125 %"),
        ("1", "100.00 %"),
        ("0", "0.00 %"),
    ],
)
def test_format_percent(rate, text):
    assert format_percent(rate) == text


@pytest.mark.parametrize(
    ("before", "after", "text"),
    [
        ("0.0524", "0.0549", "+25 bp"),
        ("0.0549", "0.0524", "-25 bp"),
        ("0.05", "0.05025", "+2.5 bp"),
        ("0.05", "0.0500", "±0 bp"),
        ("0.05", "n/a", None),
    ],
)
def test_format_bp_change(before, after, text):
    assert format_bp_change(before, after) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("5.00", "$5.00"),
        ("5", "$5.00"),
        ("1234567.5", "$1,234,567.50"),
        ("-5.00", "-$5.00"),
        ("0.125", "$0.125"),
        ("abc", "abc"),
    ],
)
def test_format_dollars(amount, text):
    assert format_dollars(amount) == text


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        ("P1M", "1 month"),
        ("P12M", "12 months"),
        ("P1Y6M", "1 year 6 months"),
        ("P1D", "1 day"),
        ("P2W", "2 weeks"),
        ("PT12H", "12 hours"),
        ("P1DT1H", "1 day 1 hour"),
        ("month", "month"),
        ("P", "P"),
    ],
)
def test_format_duration(duration, text):
    assert format_duration(duration) == text


def test_format_transition_rate_shows_basis_points():
    assert format_transition("0.0524", "0.0549", "rate") == "5.24 % → 5.49 % (+25 bp)"
    assert format_transition("5.00", "6.00", "amount") == "$5.00 → $6.00 (+$1.00)"
    assert format_transition("P1M", "P12M", "duration") == "1 month → 12 months"


@pytest.mark.parametrize("value", ["n/a", True, {"amount": "5"}, "Infinity"])
def test_format_percent_leaves_what_is_not_a_number_as_written(value):
    assert format_percent(value) == str(value)


def test_format_transition_rate_without_numbers_has_no_basis_points():
    assert format_transition("0.05", "n/a", "rate") == "5.00 % → n/a"


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (None, "amount", "(none)"),
        (True, None, "yes"),
        (False, None, "no"),
        (3, None, "3"),
        ("P3M", "duration", "3 months"),
    ],
)
def test_format_value(value, unit, text):
    assert format_value(value, unit) == text


@pytest.mark.parametrize(
    ("value", "zone", "text"),
    [
        ("2026-12-05T10:08:30Z", "Australia/Sydney", "5 December 2026"),
        ("2026-12-05T15:00:00Z", "Australia/Sydney", "6 December 2026"),
        ("2026-12-05T15:00:00Z", "Australia/Perth", "5 December 2026"),
        ("2026-07-01T00:00:00+10:00", "Australia/Sydney", "1 July 2026"),
        ("not a date", "Australia/Sydney", "not a date"),
    ],
)
def test_format_date_is_the_calendar_date_in_the_banks_time_zone(value, zone, text):
    assert format_date(value, zone) == text


def test_format_value_words_for_dates_booleans_and_enums():
    assert format_value("2026-12-05T10:08:30Z", "date") == "5 December 2026"
    assert format_value(True, None) == "yes"
    assert format_value("RESIDENTIAL_MORTGAGES", None) == "Residential mortgages"
    assert format_value("Plain words", None) == "Plain words"
    assert format_value(3, None) == "3"


def test_format_change_sizes_rates_and_amounts_only():
    assert format_change("0.05", "0.0375", "rate") == "-125 bp"
    assert format_change("6.00", "5.00", "amount") == "-$1.00"
    assert format_change("5.00", "5.00", "amount") == ""
    assert format_change("5.00", "n/a", "amount") == ""
    assert format_change("P1M", "P2M", "duration") == ""


@pytest.mark.parametrize("value", ["1e999999999", "-1E-999999999", "1e31"])
def test_a_value_with_a_huge_exponent_is_shown_as_written(value):
    assert format_dollars(value) == value
    assert format_percent(value) == value
