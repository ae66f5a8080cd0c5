from __future__ import annotations

import pytest

from catalog_sync.config.file import load_config_mapping
from catalog_sync.errors import ConfigError


def test_load_config_mapping_reads_a_mapping_with_core_schema_scalars(tmp_path):
    path = tmp_path / "catalog-sync.yaml"
    path.write_text("schema: cds-v7\nmax_files: 10\nflag: on\n")
    assert load_config_mapping(path) == {
        "schema": "cds-v7",
        "max_files": 10,
        "flag": "on",
    }


@pytest.mark.parametrize("text", ["", "# nothing yet\n"])
def test_load_config_mapping_treats_an_empty_file_as_no_settings(tmp_path, text):
    path = tmp_path / "catalog-sync.yaml"
    path.write_text(text)
    assert load_config_mapping(path) == {}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("schema: a\nschema: b\n", "duplicate key 'schema'"),
        ("a: &x 1\nb: *x\n", "anchors and aliases are not allowed"),
        ("- a\n", "top level must be a mapping"),
    ],
)
def test_load_config_mapping_refuses_hostile_or_malformed_yaml(
    tmp_path, text, fragment
):
    path = tmp_path / "catalog-sync.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=fragment) as caught:
        load_config_mapping(path)
    assert str(path) in str(caught.value)


def test_load_config_mapping_reports_an_unreadable_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_config_mapping(tmp_path / "missing.yaml")


def test_load_config_mapping_refuses_an_oversized_file_without_reading_it(tmp_path):
    path = tmp_path / "catalog-sync.yaml"
    with path.open("wb") as handle:  # sparse: 8 GiB that would take long to read
        handle.truncate(8 * 1024**3)
    with pytest.raises(ConfigError) as caught:
        load_config_mapping(path)
    assert str(caught.value) == (
        f"{path}: 8589934592 bytes is too large for a configuration file"
    )
