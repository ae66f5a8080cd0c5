from __future__ import annotations

from pathlib import Path

import pytest

from catalog_sync.config.load import load_config
from catalog_sync.config.model import ApiContract
from catalog_sync.errors import ConfigError


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalog-sync.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_config_missing_file_gives_local_defaults(tmp_path):
    config = load_config(tmp_path / "catalog-sync.yaml")
    assert config.products_dir == tmp_path / "products"
    assert config.schema == "cds-v7"
    assert config.removal == "retire"
    local = config.environment(None)
    assert local.target == "embedded"
    assert local.db_path == tmp_path / ".catalog-sync" / "local.db"


def test_load_config_reads_http_environment_and_api_overrides(tmp_path):
    path = _write(
        tmp_path,
        """
products_dir: catalog
schema: cds-v6
removal: delete
environments:
  production:
    base_url: https://api.fiskil.com/
    client_id_env: PROD_ID
    client_secret_env: PROD_SECRET
api:
  update_method: PATCH
  page_size: 500
  timeout_seconds: 10
""",
    )
    config = load_config(path)
    prod = config.environment("production")
    assert prod.base_url == "https://api.fiskil.com"
    assert prod.client_secret_env == "PROD_SECRET"
    assert config.api.update_method == "PATCH"
    assert config.api.page_size == 500
    assert config.api.timeout_seconds == 10.0
    assert config.api.token_path == ApiContract().token_path
    assert config.products_dir == tmp_path / "catalog"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("schema: cds-v9\n", "schema must be one of"),
        ("removal: destroy\n", "removal must be one of"),
        ("unknown_key: 1\n", "unknown key 'unknown_key'"),
        ("api:\n  page_size: lots\n", "api.page_size must be a whole number"),
        ("api:\n  update_method: POST\n", "update_method must be PUT or PATCH"),
        ("api:\n  stale_check: head\n", "stale_check must be auto or get or list"),
        ("api:\n  stale_check: 2\n", "api.stale_check must be a string"),
        (
            "api:\n  list_returns_details: 1\n",
            "list_returns_details must be true or false",
        ),
        (
            "environments:\n  prod:\n    base_url: https://x\n",
            "client_id_env is required",
        ),
        ("environments:\n  prod:\n    target: cloud\n", "target must be"),
        ("max_files: 0\n", "max_files must be a positive"),
        ("- a list\n", "top level must be a mapping"),
        ("environments: [local]\n", "environments must be a mapping of name to"),
        ("environments:\n  prod: https://x\n", "environments.prod must be a mapping"),
        ("api: PUT\n", "api must be a mapping"),
        ('products_dir: ""\n', "products_dir must be a non-empty string"),
        ("products_dir: 7\n", "products_dir must be a non-empty string"),
        ("require_filename_match: 0\n", "require_filename_match must be true or"),
        ("extension_prefixes: WBC\n", "extension_prefixes must be a list of holder"),
        ("extension_prefixes: [1]\n", "extension_prefixes must be a list of holder"),
        ("extension_prefixes: [WBC-]\n", "write 'WBC' without its hyphen"),
        ("extension_prefixes: [W B]\n", "'W B' is not a holder identifier"),
        ("extension_prefixes: ['']\n", "'' is not a holder identifier"),
    ],
)
def test_load_config_rejects_bad_values_with_the_file_named(tmp_path, text, fragment):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as excinfo:
        load_config(path)
    assert fragment in str(excinfo.value)
    assert str(path) in str(excinfo.value)


@pytest.mark.parametrize("mode", ["auto", "get", "list"])
def test_load_config_reads_stale_check(tmp_path, mode):
    assert ApiContract().stale_check == "get"
    config = load_config(_write(tmp_path, f"api:\n  stale_check: {mode}\n"))
    assert config.api.stale_check == mode


def test_environment_unknown_name_lists_the_known_ones(tmp_path):
    config = load_config(tmp_path / "catalog-sync.yaml")
    with pytest.raises(ConfigError, match="configured environments: local"):
        config.environment("staging")


def test_load_config_merges_an_environments_api_over_the_global_one(tmp_path):
    path = _write(
        tmp_path,
        """
api:
  page_size: 500
  retry_budget: 20
environments:
  staging:
    base_url: https://api.fiskil.com
    client_id_env: S_ID
    client_secret_env: S_SECRET
    api:
      page_size: 50
      paging: next-link
  production:
    base_url: https://api.fiskil.com
    client_id_env: P_ID
    client_secret_env: P_SECRET
  sandbox:
    target: embedded
    api:
      list_returns_details: false
""",
    )
    config = load_config(path)
    staging = config.api_for(config.environment("staging"))
    assert (staging.page_size, staging.paging, staging.retry_budget) == (
        50,
        "next-link",
        20,
    )
    assert config.api_for(config.environment("production")) == config.api
    assert config.api.paging == "page"
    assert not config.api_for(config.environment("sandbox")).list_returns_details


@pytest.mark.parametrize(
    ("api", "message"),
    [
        ("api: [1]", "environments.staging.api must be a mapping"),
        (
            "api:\n      page_size: lots",
            "environments.staging.api.page_size must be a whole",
        ),
        (
            "api:\n      paging: cursor",
            "environments.staging.api.paging must be page or next-link",
        ),
        ("api:\n      nope: 1", "unknown key 'nope' in environments.staging.api"),
    ],
)
def test_load_config_names_the_environments_api_key(tmp_path, api, message):
    path = _write(
        tmp_path,
        "environments:\n  staging:\n    base_url: https://api.fiskil.com\n"
        f"    client_id_env: S_ID\n    client_secret_env: S_SECRET\n    {api}\n",
    )
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        load_config(path)


def test_allow_unreviewed_is_false_by_default_and_read_per_environment(tmp_path):
    path = _write(
        tmp_path,
        "environments:\n"
        "  staging:\n    base_url: https://api.example.test\n"
        "    client_id_env: A\n    client_secret_env: B\n    allow_unreviewed: true\n"
        "  production:\n    base_url: https://api.example.test\n"
        "    client_id_env: A\n    client_secret_env: B\n"
        "  sandbox:\n    target: embedded\n    allow_unreviewed: true\n",
    )
    config = load_config(path)
    assert config.environment("staging").allow_unreviewed is True
    assert config.environment("production").allow_unreviewed is False
    assert config.environment("sandbox").allow_unreviewed is True
    assert config.environment(None).allow_unreviewed is False


def test_allow_unreviewed_must_be_a_boolean(tmp_path):
    path = _write(
        tmp_path,
        "environments:\n  sandbox:\n    target: embedded\n    allow_unreviewed: yes please\n",
    )
    with pytest.raises(
        ConfigError,
        match=r"environments.sandbox.allow_unreviewed must be true or false, not 'yes please'",
    ):
        load_config(path)


def test_extension_prefixes_are_read_sorted_and_once(tmp_path):
    assert load_config(_write(tmp_path, "")).extension_prefixes == ()
    config = load_config(_write(tmp_path, "extension_prefixes: [WBC, ANZ, WBC]\n"))
    assert config.extension_prefixes == ("ANZ", "WBC")
