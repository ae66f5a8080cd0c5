"""The migration report: totals, per-file entries, and text/markdown that show what the
JSON holds (open items located as file:line:col)."""

from __future__ import annotations

import json
from pathlib import Path

from catalog_sync.onboarding.files import migrate_files
from catalog_sync.onboarding.report import build_report
from catalog_sync.problems import Problem
from catalog_sync.render.registry import render

VALID = """\
productId: ok
productCategory: PERS_LOANS
name: OK
description: Fine.
brand: ACME
isTailored: false
"""
LEGACY = """\
productId: old
productCategory: PERS_LOANS
name: Old
description: Old shape.
brand: ACME
isTailored: false
fees:
  - name: Monthly
    feeType: PERIODIC
    amount: "5.00"
    additionalValue: P1M
cardArt:
  - title: Visa Debit
    imageUri: https://x.example/card.png
lendingRates:
  - lendingRateType: VARIABLE
    rate: "0.07"
    applicationFrequency: P1M
    loanPurpose: INVESTMENT
"""


def _report(tmp_path: Path):
    folder = tmp_path / "products"
    folder.mkdir()
    (folder / "ok.yaml").write_text(VALID)
    (folder / "old.yaml").write_text(LEGACY)
    files, errors = migrate_files(folder, root=tmp_path)
    unreadable = Problem(
        "products/x.yaml", 0, 0, "", "cannot read: denied", None, "file.unreadable"
    )
    return build_report(files, target="cds-v7", errors=[*errors, unreadable])


def test_build_report_totals_and_entries(tmp_path):
    report = _report(tmp_path)
    assert report["format_version"] == 1
    totals = report["totals"]
    assert (
        totals["files"],
        totals["changed"],
        totals["valid"],
        totals["need_a_human"],
    ) == (2, 1, 1, 1)
    assert totals["by_source_version"] == {"v4": 1, "v6": 1}
    assert totals["unreadable"] == 1
    old = next(e for e in report["files"] if e["productId"] == "old")
    assert [d["path"] for d in old["derived"]] == [
        "lendingRates[0].applicationType",
        "cardArt[0].cardScheme",
        "cardArt[0].cardType",
    ]
    assert [o["path"] for o in old["open"]] == ["lendingRates[0].repaymentType"]
    assert old["problems"] == []
    assert any(c["path"] == "fees[0].fixedAmount" for c in old["converted"])
    json.dumps(report)


def test_render_report_text_locates_what_needs_a_human(tmp_path):
    text = render("migration", "text", _report(tmp_path))
    [needs] = [line for line in text.splitlines() if "needs a human:" in line]
    path = "products/old.yaml"
    line = (tmp_path / path).read_text().splitlines().index(
        "    repaymentType: TODO(migrate)"
    ) + 1
    assert needs.startswith(
        f"  needs a human: {path}:{line}:5: lendingRates[0].repaymentType: "
    )
    assert (
        "derived cardArt[0].cardScheme: cardScheme VISA (evidence: the card title"
        in text
    )
    assert "products/x.yaml: error: cannot read: denied" in text
    assert ":0:0" not in text
    assert text.rstrip().endswith("1 unreadable.")


def test_render_report_markdown_and_json_carry_the_same_items(tmp_path):
    report = _report(tmp_path)
    markdown = render("migration", "markdown", report)
    assert "## `products/old.yaml`" in markdown
    assert "- `lendingRates[0].applicationType`: applicationType PERIODIC" in markdown
    assert "## Unreadable" in markdown
    assert json.loads(render("migration", "json", report)) == report


def test_render_report_names_a_file_that_did_not_load_without_line_zero(tmp_path):
    folder = tmp_path / "products"
    folder.mkdir()
    (folder / "dup.yaml").write_text("a: 1\na: 2\n")
    (folder / "big.yaml").write_text(VALID + "#" * 200 + "\n")
    files, errors = migrate_files(folder, root=tmp_path, max_file_bytes=150)
    text = render(
        "migration", "text", build_report(files, target="cds-v7", errors=errors)
    )
    assert "products/dup.yaml: not loaded\n" in text
    assert "products/dup.yaml:2:1: a: duplicate key 'a'" in text
    assert "None" not in text
    assert "products/big.yaml: the file is" in text
    assert ":0:0" not in text
