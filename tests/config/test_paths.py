"""Issue 15, item 5 (checklist 58): every configured API path is a path, so that joining
it to base_url can never change the host the client secret is posted to."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog_sync.config.load import load_config
from catalog_sync.config.paths import path_problem
from catalog_sync.errors import ConfigError


@pytest.mark.parametrize(
    "value",
    [
        "@evil.example:80/v1/token",
        "v1/token",
        "//evil.example/v1/token",
        "/x/https://evil.example/v1/token",
        "/v1@evil.example/token",
        "/v1/../admin",
        "/v1/./token",
        "/v1/%2E%2E/admin",
        "/v1/token?x=1",
        "/v1/token#x",
        "/v1\\token",
        "/v1/to ken",
        "/v1/token\n",
    ],
)
def test_a_configured_path_that_is_not_a_plain_path_is_refused(tmp_path, value):
    config = tmp_path / "catalog-sync.yaml"
    config.write_text("api:\n  token_path: " + _quoted(value) + "\n")
    with pytest.raises(ConfigError) as info:
        load_config(config)
    assert f"{config}: api.token_path" in str(info.value)
    assert "is a path on base_url, e.g. /v1/token" in str(info.value)


@pytest.mark.parametrize("key", ["products_path", "public_products_path"])
def test_every_path_key_is_checked(tmp_path, key):
    config = tmp_path / "catalog-sync.yaml"
    config.write_text(f"api:\n  {key}: '@evil.example/x'\n")
    with pytest.raises(ConfigError, match=f"api.{key}"):
        load_config(config)


@pytest.mark.parametrize(
    "value", ["/v1/token", "/v1/data-provider/cdr/products", "/a/b.c/d-e_f~g/%20"]
)
def test_plain_paths_are_accepted(value):
    assert path_problem(value) is None


def test_a_plain_path_loads(tmp_path: Path):
    config = tmp_path / "catalog-sync.yaml"
    config.write_text("api:\n  token_path: /oauth/token\n")
    assert load_config(config).api.token_path == "/oauth/token"


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON is valid YAML)."""
    return json.dumps(value)
