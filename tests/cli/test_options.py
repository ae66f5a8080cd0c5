"""Shared option types."""

from __future__ import annotations

import click
import pytest

from catalog_sync.cli.options import DURATION


@pytest.mark.parametrize(
    ("given", "seconds"),
    [("90", 90.0), ("90s", 90.0), ("2m", 120.0), ("1m30s", 90.0), ("1h", 3600.0),
     (45, 45.0), (1.5, 1.5)],
)  # fmt: skip
def test_duration_reads_seconds_minutes_and_hours(given, seconds):
    assert DURATION.convert(given, None, None) == seconds


@pytest.mark.parametrize("given", ["", "soon", "2 min", "-5", "1.5m"])
def test_duration_refuses_anything_else(given):
    with pytest.raises(click.BadParameter, match="is not a duration"):
        DURATION.convert(given, None, None)
