"""migrate_files: rewrite only what changed, keep the file's own header, locate every open
item in the new file, and never touch files on a dry run or a second run."""

from __future__ import annotations

from pathlib import Path

from catalog_sync.onboarding.files import migrate_files
from catalog_sync.onboarding.files import render_migrated
from catalog_sync.onboarding.migrate import migrate_product

LEGACY = """\
# Imported from captures/loan.json by catalog-sync import, as served.
productId: loan
lastUpdated: "2024-01-01T00:00:00Z"
productCategory: PERS_LOANS
name: Car Loan
description: A car loan.
brand: ACME
isTailored: false
fees:
  - name: Establishment
    feeType: UPFRONT
    amount: "250.00"
lendingRates:
  - lendingRateType: FIXED
    rate: "0.0649"
    additionalValue: P3Y
    applicationFrequency: P1M
    tiers:
      - name: Amount
        unitOfMeasure: DOLLAR
        minimumValue: 5000
"""


def _catalog(tmp_path: Path, text: str = LEGACY) -> Path:
    folder = tmp_path / "products" / "acme"
    folder.mkdir(parents=True)
    path = folder / "loan.yaml"
    path.write_text(text)
    return path


def _run(tmp_path: Path, **options):
    return migrate_files(tmp_path / "products", root=tmp_path, **options)


def test_migrate_files_writes_v7_with_comments_and_locates_open_items(tmp_path):
    path = _catalog(tmp_path)
    [result], errors = _run(tmp_path)
    assert errors == []
    assert result.written
    assert result.display_path == "products/acme/loan.yaml"
    text = path.read_text()
    lines = text.splitlines()
    assert (
        lines[0]
        == "# Imported from captures/loan.json by catalog-sync import, as served."
    )
    assert lines[1].startswith(
        "# Migrated from CDS V4 to cds-v7 by catalog-sync migrate"
    )
    assert "lastUpdated '2024-01-01T00:00:00Z' removed" in text
    assert 'minimumValue: "5000.00"' in text
    open_paths = [item.path for item in result.open_items]
    assert open_paths == [
        "lendingRates[0].repaymentType",
        "lendingRates[0].loanPurpose",
    ]
    for item in result.open_items:
        assert lines[item.line - 1].strip().startswith(item.path.rsplit(".", 1)[1])
        above = [line for line in lines[: item.line - 1] if "# migrate" in line]
        assert "needs-human" in above[-1]
    assert {p.path for p in result.problems} == set(open_paths)
    assert not result.is_valid


def test_migrate_files_second_run_changes_no_byte(tmp_path):
    path = _catalog(tmp_path)
    _run(tmp_path)
    before = path.read_bytes()
    [again], _ = _run(tmp_path)
    assert not again.written
    assert path.read_bytes() == before
    # The placeholders are still found, located, on the second run.
    assert [i.path for i in again.open_items] == [
        "lendingRates[0].repaymentType",
        "lendingRates[0].loanPurpose",
    ]


def test_migrate_files_dry_run_writes_nothing(tmp_path):
    path = _catalog(tmp_path)
    [result], _ = _run(tmp_path, dry_run=True)
    assert not result.written
    assert result.migration is not None
    assert result.migration.changed
    assert path.read_text() == LEGACY
    assert not list(path.parent.glob(".*"))


def test_migrate_files_filled_in_file_validates(tmp_path):
    path = _catalog(tmp_path)
    _run(tmp_path)
    text = (
        path.read_text()
        .replace(
            "repaymentType: TODO(migrate)", "repaymentType: PRINCIPAL_AND_INTEREST"
        )
        .replace("loanPurpose: TODO(migrate)", "loanPurpose: UNCONSTRAINED")
    )
    path.write_text(text)
    [result], _ = _run(tmp_path)
    assert result.is_valid
    assert result.open_items == ()
    assert not result.written


def test_migrate_files_reports_unloadable_files_and_missing_paths(tmp_path):
    _catalog(tmp_path, "productId: [unclosed\n")
    results, errors = _run(
        tmp_path, paths=[tmp_path / "products", tmp_path / "nope.yaml"]
    )
    [broken] = results
    assert broken.migration is None
    assert broken.problems
    assert broken.problems[0].line >= 1
    assert [e.code for e in errors] == ["file.not-found"]


def test_migrate_files_to_v6_then_back_keeps_the_import_header(tmp_path):
    path = _catalog(tmp_path)
    _run(tmp_path)
    text = path.read_text().replace(
        "name: Car Loan", "name: Car Loan\nbrandGroup: acme-group"
    )
    path.write_text(text)
    [down], _ = _run(tmp_path, to="cds-v6")
    assert down.written
    header = [line for line in path.read_text().splitlines() if line.startswith("# ")]
    assert header[0].startswith("# Imported from captures/loan.json")
    assert sum(1 for line in header if line.startswith("# Migrated")) == 1
    assert "brandGroup" not in path.read_text().split("productId:")[1]


def test_migrate_files_leaves_the_v7_example_catalog_untouched():
    repo = Path(__file__).resolve().parents[2]
    results, errors = migrate_files(repo / "products", root=repo, dry_run=True)
    assert errors == []
    assert len(results) >= 14
    assert [
        r.display_path for r in results if r.migration and r.migration.changed
    ] == []
    assert all(r.is_valid for r in results)


def test_migrate_files_keeps_the_header_of_a_file_saved_with_a_bom_and_crlf(tmp_path):
    path = _catalog(tmp_path)
    path.write_bytes(b"\xef\xbb\xbf" + LEGACY.replace("\n", "\r\n").encode())
    [result] = _run(tmp_path)[0]
    assert result.written
    assert path.read_text().startswith(
        "# Imported from captures/loan.json by catalog-sync import, as served.\n"
    )


def test_migrate_files_over_the_count_cap_touches_nothing(tmp_path):
    path = _catalog(tmp_path)
    (path.parent / "second.yaml").write_text(LEGACY.replace("loan", "second"))
    results, problems = _run(tmp_path, max_files=1)
    assert results == []
    assert [p.code for p in problems] == ["file.too-many"]
    assert path.read_text() == LEGACY


def test_render_migrated_keeps_a_previous_text_that_is_all_header():
    migration = migrate_product(
        {"productId": "p", "name": "P", "productCategory": "TERM_DEPOSITS"}
    )
    text = render_migrated(migration, previous="# Owned by the deposits team\n")
    assert text.startswith("# Owned by the deposits team\n# Migrated from CDS")
