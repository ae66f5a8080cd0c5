from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from catalog_sync.config.load import load_config
from catalog_sync.config.model import ApiContract
from catalog_sync.config.ranges import API_RANGES
from catalog_sync.config.ranges import Range
from catalog_sync.errors import ConfigError


def _load(tmp_path: Path, text: str):
    path = tmp_path / "catalog-sync.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path), path


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as excinfo:
        _load(tmp_path, text)
    message = str(excinfo.value)
    assert str(tmp_path / "catalog-sync.yaml") in message
    return message


def test_every_numeric_api_setting_has_a_range():
    numeric = {
        f.name
        for f in fields(ApiContract)
        if type(getattr(ApiContract(), f.name)) in (int, float)
    }
    assert numeric == set(API_RANGES)


def test_the_defaults_are_inside_their_own_ranges():
    for key, allowed in API_RANGES.items():
        assert allowed.holds(getattr(ApiContract(), key)), key


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("max_attempts: 0", "api.max_attempts must be 1 or more, not 0"),
        ("timeout_seconds: -1", "api.timeout_seconds must be greater than 0, not -1.0"),
        ("timeout_seconds: 0", "api.timeout_seconds must be greater than 0, not 0.0"),
        ("retry_budget: -5", "api.retry_budget must be 0 or more, not -5"),
        ("detail_concurrency: 0", "api.detail_concurrency must be 1 or more, not 0"),
        ("page_size: 0", "api.page_size must be 1 or more"),
        ("backoff_cap_seconds: -0.5", "api.backoff_cap_seconds must be 0 or more"),
        (
            "default_token_lifetime_seconds: 0",
            "api.default_token_lifetime_seconds must be greater than 0",
        ),
    ],
)
def test_out_of_range_numbers_name_the_key_and_the_range(tmp_path, setting, message):
    assert message in _error(tmp_path, f"api:\n  {setting}\n")


def test_numbers_at_the_edge_of_their_range_are_accepted(tmp_path):
    config, _ = _load(
        tmp_path,
        "api:\n  max_attempts: 1\n  retry_budget: 0\n  detail_concurrency: 1\n"
        "  timeout_seconds: 0.001\n  backoff_base_seconds: 0\n",
    )
    assert config.api.max_attempts == 1
    assert config.api.retry_budget == 0
    assert config.api.timeout_seconds == 0.001


def test_a_range_holds_only_finite_numbers():
    # The YAML loader keeps `.inf` and `.nan` as strings, so only code reaches these.
    assert not Range(1).holds(float("nan"))
    assert not Range(0).holds(float("inf"))


def test_top_level_caps_name_the_range(tmp_path):
    assert "max_file_bytes must be a positive whole number (1 or more), not -1" in (
        _error(tmp_path, "max_file_bytes: -1\n")
    )


@pytest.mark.parametrize(
    "name",
    [
        "../../../outside/x",
        "Production",
        "prod.eu",
        "1prod",
        "-prod",
        "a" * 33,
        "prod env",
        "7",
    ],
)
def test_environment_names_outside_the_pattern_are_refused(tmp_path, name):
    quoted = f"'{name}'" if name != "7" else "7"
    text = (
        f"environments:\n  {quoted}:\n    base_url: https://api.example\n"
        "    client_id_env: A\n    client_secret_env: B\n"
    )
    message = _error(tmp_path, text)
    assert "environment name" in message
    assert "^[a-z]" not in message  # said in words, not as a regex
    assert "lower-case letter" in message
    assert not (tmp_path.parent / "outside").exists()


def test_environment_names_inside_the_pattern_are_accepted(tmp_path):
    name = "p" + "rod_eu-2" * 3 + "x" * 7
    assert len(name) == 32
    config, _ = _load(
        tmp_path,
        f"environments:\n  {name}:\n    target: embedded\n",
    )
    assert config.environment(name).db_path == tmp_path / ".catalog-sync" / f"{name}.db"


def test_an_environment_without_base_url_is_an_error_naming_the_key(tmp_path):
    message = _error(
        tmp_path,
        "environments:\n  production:\n    client_id_env: PROD_ID\n"
        "    client_secret_env: PROD_SECRET\n",
    )
    assert "environments.production.base_url is required" in message
    assert "target: embedded" in message


def test_an_empty_environment_is_an_error_too(tmp_path):
    assert "environments.staging.base_url is required" in _error(
        tmp_path, "environments:\n  staging:\n"
    )


def test_only_an_explicit_embedded_target_or_the_bare_local_name_is_local(tmp_path):
    config, _ = _load(
        tmp_path,
        "environments:\n  local:\n  sandbox:\n    target: embedded\n    db: s.db\n",
    )
    assert config.environment("local").target == "embedded"
    assert config.environment("sandbox").db_path == tmp_path / "s.db"


@pytest.mark.parametrize(
    ("settings", "key"),
    [
        ("    target: embedded\n    base_url: https://api.example\n", "base_url"),
        ("    target: embedded\n    client_secret_env: S\n", "client_secret_env"),
        (
            "    base_url: https://api.example\n    client_id_env: A\n"
            "    client_secret_env: B\n    db: x.db\n",
            "db",
        ),
    ],
)
def test_keys_of_the_other_kind_of_environment_are_refused(tmp_path, settings, key):
    message = _error(tmp_path, f"environments:\n  prod:\n{settings}")
    assert f"environments.prod.{key} has no effect" in message
