"""targets: the embedded environment runs the real clients against the emulator
in-process; http environments read credentials from the variables they name."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog_sync.config.model import Environment
from catalog_sync.config.model import default_config
from catalog_sync.emulator.store import Store
from catalog_sync.errors import ConfigError
from catalog_sync.targets import open_products_api
from catalog_sync.targets import open_public_reader
from catalog_sync.targets import read_credentials

PRODUCT = {
    "productId": "connect-test",
    "productCategory": "TRANS_AND_SAVINGS_ACCOUNTS",
    "name": "Everyday",
    "description": "An everyday account",
    "brand": "Wattle",
    "isTailored": False,
}


def test_embedded_environment_round_trip(tmp_path: Path) -> None:
    config = default_config(tmp_path)
    env = config.environment(None)
    with open_products_api(config, env, need="write", environ={}) as api:
        created = api.create_product(PRODUCT)
        assert created["productId"] == "connect-test"
        assert [p["productId"] for p in api.iter_products()] == ["connect-test"]
        found = api.get_product_with_version("connect-test")
        assert found is not None
        assert found[1]
        api.delete_product("connect-test")
        assert api.get_product("connect-test") is None
    assert (tmp_path / ".catalog-sync" / "local.db").exists()


def test_missing_variable_is_named_never_valued() -> None:
    env = Environment(
        name="staging",
        target="http",
        base_url="https://api.fiskil.com",
        client_id_env="FISKIL_STAGING_CLIENT_ID",
        client_secret_env="FISKIL_STAGING_CLIENT_SECRET",
    )
    with pytest.raises(ConfigError, match="FISKIL_STAGING_CLIENT_SECRET") as info:
        read_credentials(env, {"FISKIL_STAGING_CLIENT_ID": "client-123"})
    assert "client-123" not in str(info.value)
    credentials = read_credentials(
        env,
        {"FISKIL_STAGING_CLIENT_ID": "id", "FISKIL_STAGING_CLIENT_SECRET": "s3cr3t"},
    )
    assert credentials.client_id == "id"
    assert "s3cr3t" not in repr(credentials)
    assert credentials.client_secret.reveal() == "s3cr3t"
    assert credentials.hint == (
        "FISKIL_STAGING_CLIENT_ID / FISKIL_STAGING_CLIENT_SECRET"
    )


def test_http_environment_needs_a_public_base_url(tmp_path: Path):
    env = Environment(
        name="staging",
        target="http",
        base_url="https://api.fiskil.com",
        client_id_env="ID",
        client_secret_env="SECRET",
    )
    with pytest.raises(ConfigError, match="public_base_url"):
        open_public_reader(default_config(tmp_path), env)


def test_local_reads_the_embedded_emulator_database(tmp_path: Path):
    config = default_config(tmp_path)
    env = config.environment(None)
    assert env.db_path is not None
    env.db_path.parent.mkdir(parents=True)
    seeded = Store(env.db_path)
    seeded.seed([{**PRODUCT, "productId": "p1"}, {**PRODUCT, "productId": "p2"}])
    seeded.close()
    with open_public_reader(config, env) as reader:
        assert repr(reader) == "PublicReader(base_url='http://embedded.localhost')"
        assert sorted(p["productId"] for p in reader.iter_products()) == ["p1", "p2"]
