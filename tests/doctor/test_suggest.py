"""YAML scalars in the suggested block read back as the values they stand for."""

from __future__ import annotations

import pytest
import yaml

from catalog_sync.doctor.suggest import yaml_scalar


@pytest.mark.parametrize(
    "value", [True, False, 100, 2.5, "pageSize", "page[size]", "no", "next-link", "1x"]
)
def test_yaml_scalar_round_trips(value):
    assert yaml.safe_load(f"key: {yaml_scalar(value)}") == {"key": value}
