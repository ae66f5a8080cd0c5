"""The generated schemas: byte-identical regeneration, packaging lookup, server variant."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog_sync.catalog import schema as schema_module
from catalog_sync.errors import ConfigError
from scripts.generate_schemas import generate

REPO = Path(__file__).resolve().parents[2]
SPEC_DIR = REPO.parent / "shared" / "cdr" / "spec"


@pytest.mark.skipif(not SPEC_DIR.is_dir(), reason="../shared/cdr/spec is absent")
def test_generate_schemas_is_byte_identical_to_committed(tmp_path: Path) -> None:
    written = generate(SPEC_DIR, tmp_path)
    assert {p.name for p in written} == {"cds-v7.json", "cds-v6.json", "VERSIONS.json"}
    for path in written:
        committed = REPO / "schemas" / path.name
        assert path.read_bytes() == committed.read_bytes(), f"regenerate {committed}"


def test_versions_record_inputs() -> None:
    versions = json.loads((REPO / "schemas" / "VERSIONS.json").read_text())
    v7 = versions["schemas"]["cds-v7"]
    assert v7["file"] == "cds_banking.json"
    assert v7["cdsVersion"] == "1.36.0"
    assert v7["component"] == "BankingProductDetailV7"
    assert len(v7["sha256"]) == 64
    assert versions["schemas"]["cds-v6"]["component"] == "BankingProductDetailV6"


def test_load_schema_is_draft_2020_12_with_defs() -> None:
    loaded = schema_module.load_schema("cds-v7")
    assert loaded["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert loaded["additionalProperties"] is False
    assert "lastUpdated" not in loaded["required"]
    assert "not" in loaded["properties"]["lastUpdated"]


def test_load_schema_server_variant_accepts_last_updated() -> None:
    loaded = schema_module.load_schema("cds-v7", server=True)
    assert loaded["properties"]["lastUpdated"]["x-cds-type"] == "DateTimeString"
    # A fresh copy each time: callers may not corrupt the cache.
    assert "not" in schema_module.load_schema("cds-v7")["properties"]["lastUpdated"]


def test_schema_fingerprint_is_sha256_of_the_file() -> None:
    import hashlib

    path = schema_module.schema_path("cds-v6")
    assert (
        schema_module.schema_fingerprint("cds-v6")
        == hashlib.sha256(path.read_bytes()).hexdigest()
    )
    assert schema_module.schema_fingerprint(
        "cds-v6"
    ) != schema_module.schema_fingerprint("cds-v7")


def test_unknown_schema_name_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown schema 'cds-v9'") as info:
        schema_module.schema_path("cds-v9")
    assert info.value.hint == "choose one of cds-v7, cds-v6"


def test_schema_dir_falls_back_to_the_checkout() -> None:
    assert schema_module.schema_dir() in (
        REPO / "schemas",
        REPO / "catalog_sync" / "schemas",
    )


def test_an_installed_wheel_reads_the_schemas_inside_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = tmp_path / "site-packages" / "schemas"
    bundled.mkdir(parents=True)
    (bundled / "cds-v7.json").write_text("{}")
    (bundled / "cds-v6.json").write_text("{}")
    monkeypatch.setattr(schema_module, "_PACKAGE", tmp_path / "site-packages")
    assert schema_module.schema_path("cds-v6") == bundled / "cds-v6.json"


def test_a_missing_schema_file_is_a_config_error_that_says_how_to_fix_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema_module, "_PACKAGE", tmp_path / "broken" / "pkg")
    with pytest.raises(
        ConfigError, match=r"schema file .*cds-v7\.json is missing"
    ) as info:
        schema_module.schema_path("cds-v7")
    assert info.value.hint == (
        "reinstall catalog-sync, or run `python -m scripts.generate_schemas`"
    )
