from __future__ import annotations

import pytest

from catalog_sync.config.discover import find_config
from catalog_sync.config.discover import locate_config
from catalog_sync.errors import ConfigError


def test_locate_config_finds_the_nearest_file_at_or_above_the_folder(tmp_path):
    (tmp_path / "catalog-sync.yaml").write_text("schema: cds-v7\n")
    deep = tmp_path / "products" / "wattle-bank"
    deep.mkdir(parents=True)
    assert locate_config(None, deep) == tmp_path.resolve() / "catalog-sync.yaml"
    assert locate_config(None, tmp_path) == tmp_path.resolve() / "catalog-sync.yaml"


def test_locate_config_prefers_the_nearest_of_two(tmp_path):
    (tmp_path / "catalog-sync.yaml").write_text("")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "catalog-sync.yaml").write_text("")
    assert find_config(inner) == inner.resolve() / "catalog-sync.yaml"


def test_locate_config_an_explicit_file_must_exist(tmp_path):
    with pytest.raises(
        ConfigError, match=r"the configuration file nope\.yaml does not"
    ):
        locate_config("nope.yaml", tmp_path)
    (tmp_path / "other.yaml").write_text("")
    assert locate_config("other.yaml", tmp_path) == tmp_path / "other.yaml"


def test_locate_config_an_explicit_folder_is_not_a_file(tmp_path):
    (tmp_path / "dir.yaml").mkdir()
    with pytest.raises(ConfigError, match="does not exist"):
        locate_config("dir.yaml", tmp_path)


def test_locate_config_without_any_suggests_init(tmp_path):
    with pytest.raises(ConfigError) as info:
        locate_config(None, tmp_path)
    assert info.value.message.startswith("no catalog-sync.yaml in ")
    assert "catalog-sync init" in str(info.value.hint)
    assert find_config(tmp_path) is None
