"""`catalog-sync import` and `catalog-sync migrate` through the real CLI group: files
written, report formats, exit codes, and the fill-in-then-validate loop."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalog_sync.cli import cli

CAPTURE = {
    "productId": "saver",
    "lastUpdated": "2024-07-24T14:07:45+10:00",
    "productCategory": "TRANS_AND_SAVINGS_ACCOUNTS",
    "name": "Saver",
    "description": "A savings account.",
    "brand": "ACME",
    "isTailored": False,
    "fees": [
        {
            "name": "Monthly fee",
            "feeType": "PERIODIC",
            "amount": "0.00",
            "additionalValue": "P1M",
        }
    ],
    "depositRates": [
        {"depositRateType": "VARIABLE", "rate": "0.045", "calculationFrequency": "P1D"}
    ],
}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "catalog-sync.yaml").write_text("products_dir: products\n")
    saved = tmp_path / "captures"
    saved.mkdir()
    (saved / "saver.json").write_text(
        json.dumps({"data": CAPTURE, "links": {}, "meta": {}})
    )
    return tmp_path


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_import_then_migrate_then_fill_in_then_validate(repo):
    imported = _run("import", "--from-dir", "captures")
    assert imported.exit_code == 0, imported.output
    assert "Imported 1 product(s)" in imported.output
    path = repo / "products" / "acme" / "saver.yaml"
    assert path.read_text().startswith(
        "# yaml-language-server: $schema=../../schemas/cds-v7.json\n"
        "# Imported from captures/saver.json by catalog-sync import, as served.\n"
    )

    migrated = _run("migrate")
    assert migrated.exit_code == 1
    assert "products/acme/saver.yaml:" in migrated.output
    assert "depositRates[0].applicationType" in migrated.output
    assert "1 need a human" in migrated.output

    path.write_text(
        path.read_text().replace(
            "applicationType: TODO(migrate)",
            "applicationType: PERIODIC\n    applicationFrequency: P1M",
        )
    )
    again = _run("migrate")
    assert again.exit_code == 0, again.output
    assert "0 changed, 1 valid" in again.output
    assert _run("validate").exit_code == 0
    assert path.read_text().startswith("# yaml-language-server: $schema=")


def test_migrate_json_report_is_versioned_and_written_to_a_file(repo):
    _run("import", "--from-dir", "captures")
    result = _run("migrate", "--format", "json", "--report", "report.json", "--dry-run")
    assert result.exit_code == 1
    report = json.loads((repo / "report.json").read_text())
    assert report["format_version"] == 1
    assert report["totals"]["files"] == 1
    [entry] = report["files"]
    assert entry["source_version"] == "v4"
    assert entry["written"] is False
    assert [o["path"] for o in entry["open"]] == ["depositRates[0].applicationType"]
    assert "lastUpdated" in (repo / "products" / "acme" / "saver.yaml").read_text()


def test_migrate_markdown_report_lists_needs_derived_and_converted(repo):
    _run("import", "--from-dir", "captures")
    result = _run("migrate", "--format", "markdown")
    assert result.output.startswith("# Migration report")
    assert "Needs a human:" in result.output
    assert "<details><summary>" in result.output


def test_import_without_a_source_is_a_usage_error(repo):
    result = CliRunner().invoke(cli, ["import"])
    assert result.exit_code != 0
    assert "--from-dir" in result.output


def test_import_reports_unreadable_files_and_exits_1(repo):
    (repo / "captures" / "broken.json").write_text("{")
    result = _run("import", "--from-dir", "captures")
    assert result.exit_code == 1
    assert "captures/broken.json:1:2: error" in result.output


def test_validate_reports_a_placeholder_in_a_free_text_field(repo):
    capture = {k: v for k, v in CAPTURE.items() if k != "description"}
    (repo / "captures" / "saver.json").write_text(json.dumps(capture))
    assert _run("import", "--from-dir", "captures").exit_code == 0
    assert _run("migrate").exit_code == 1
    result = _run("validate")
    assert result.exit_code == 1
    assert "products/acme/saver.yaml:" in result.output
    assert "description: still the TODO(migrate) placeholder" in result.output


def test_import_from_an_empty_folder_is_an_error_not_an_empty_catalog(repo):
    (repo / "empty").mkdir()
    result = _run("import", "--from-dir", "empty")
    assert result.exit_code == 1
    assert "empty: error: no saved responses" in result.output
    assert "Next: catalog-sync migrate" not in result.output


def test_migrate_report_into_a_missing_folder_is_refused_before_migrating(repo):
    assert _run("import", "--from-dir", "captures").exit_code == 0
    path = repo / "products" / "acme" / "saver.yaml"
    before = path.read_text()
    result = CliRunner().invoke(cli, ["migrate", "--report", "nope/report.md"])
    # A usage error (click's 2 here; `main` turns it into exit 1), not a crash.
    assert isinstance(result.exception, SystemExit), result.exception
    assert "--report: the folder nope does not exist" in result.output
    assert path.read_text() == before


def test_import_writes_any_printable_ascii_id_under_its_encoded_name(repo):
    for name, pid in [("home.json", "HOME EQUITY P"), ("up.json", "../saver")]:
        capture = {**CAPTURE, "productId": pid}
        (repo / "captures" / name).write_text(json.dumps({"data": capture}))
    result = _run("import", "--from-dir", "captures")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (repo / "products" / "acme").iterdir()) == [
        "%2E.%2Fsaver.yaml",
        "HOME EQUITY P.yaml",
        "saver.yaml",
    ]


def test_import_lists_each_skipped_product_and_exits_1(repo):
    unsafe = {**CAPTURE, "productId": "caf\u00e9"}
    (repo / "captures" / "unsafe.json").write_text(json.dumps({"data": unsafe}))
    result = _run("import", "--from-dir", "captures")
    assert result.exit_code == 1
    assert (
        "skipped captures/unsafe.json (caf\u00e9): productId cannot contain the "
        "non-ASCII character '\u00e9' (U+00E9): it cannot be a file name\n"
    ) in result.output
    assert "Imported 1 product(s) into " in result.output
    assert "/products, skipped 1. Next: catalog-sync migrate" in result.output


def test_import_exits_0_when_it_left_out_only_what_was_asked_or_older(repo):
    other = {**CAPTURE, "productId": "other", "brand": "ELSEWHERE"}
    older = {**CAPTURE, "lastUpdated": "2020-01-01T00:00:00Z"}
    (repo / "captures" / "other.json").write_text(json.dumps({"data": other}))
    (repo / "captures" / "older.json").write_text(json.dumps({"data": older}))
    result = _run("import", "--from-dir", "captures", "--brand", "acme")
    assert result.exit_code == 0, result.output
    assert "skipped captures/other.json (other): brand is not 'acme'" in result.output
    assert "skipped captures/older.json (saver): duplicate productId" in result.output


def test_migrate_report_that_cannot_be_written_names_the_file(repo):
    assert _run("import", "--from-dir", "captures").exit_code == 0
    result = CliRunner().invoke(cli, ["migrate", "--report", "/dev/full"])
    assert result.exit_code == 1
    assert "Could not open file '/dev/full': No space left on device" in result.output
