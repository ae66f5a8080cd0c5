"""ISO-8601 durations in words and in days."""

from __future__ import annotations

import pytest

from catalog_sync.cds.durations import duration_days
from catalog_sync.cds.durations import duration_words
from catalog_sync.cds.durations import frequency_words


@pytest.mark.parametrize(
    ("value", "words", "days", "frequency"),
    [
        ("P1M", "1 month", 30.0, "every month"),
        ("P1Y6M", "1 year 6 months", 545.0, "every 1 year 6 months"),
        ("P3M", "3 months", 90.0, "every 3 months"),
        ("PT12H", "12 hours", 0.5, "every 12 hours"),
        ("P", "P", None, "P"),
        ("P1DT", "P1DT", None, "P1DT"),
        ("month", "month", None, "month"),
        (7, "7", None, "7"),
    ],
)
def test_durations(value, words, days, frequency):
    assert duration_words(value) == words
    assert duration_days(value) == days
    assert frequency_words(value) == frequency
