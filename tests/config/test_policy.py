"""`timezone:` and `policy:` in catalog-sync.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog_sync.config.load import load_config
from catalog_sync.config.model import Config
from catalog_sync.config.model import Policy
from catalog_sync.errors import ConfigError


def _load(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "catalog-sync.yaml"
    path.write_text(text)
    return load_config(path)


def test_defaults_are_sydney_and_warn(tmp_path):
    config = _load(tmp_path, "schema: cds-v7\n")
    assert config.timezone == "Australia/Sydney"
    assert config.policy == Policy("warn", None, "policy-override")


def test_policy_and_timezone_are_read(tmp_path):
    config = _load(
        tmp_path,
        "timezone: Australia/Perth\npolicy:\n  adverse_changes: block\n"
        "  max_rate_change_bp: 100\n  override_label: compliance-ok\n",
    )
    assert config.timezone == "Australia/Perth"
    assert config.policy == Policy("block", 100, "compliance-ok")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "timezone: Mars/Olympus\n",
            "timezone 'Mars/Olympus' is not a known time zone",
        ),
        ("timezone: 5\n", "timezone must be an IANA zone"),
        ("policy: block\n", "policy must be a mapping"),
        ("policy:\n  adverse: block\n", "unknown key 'adverse' in policy"),
        (
            "policy:\n  adverse_changes: maybe\n",
            "adverse_changes must be allow, warn or block",
        ),
        (
            "policy:\n  max_rate_change_bp: '100'\n",
            "max_rate_change_bp must be a whole number",
        ),
        (
            "policy:\n  max_rate_change_bp: -1\n",
            "max_rate_change_bp must be a whole number",
        ),
        (
            "policy:\n  max_rate_change_bp: true\n",
            "max_rate_change_bp must be a whole number",
        ),
        ("policy:\n  override_label: 'a,b'\n", "override_label must be a GitHub label"),
    ],
)
def test_bad_settings_name_the_file_and_key(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message) as info:
        _load(tmp_path, text)
    assert "catalog-sync.yaml" in str(info.value)
