from __future__ import annotations

from catalog_sync.github.summary import SUMMARY_LIMIT_BYTES
from catalog_sync.github.summary import append_summary
from catalog_sync.github.summary import fit_bytes


def test_small_body_is_appended_unchanged(tmp_path):
    target = tmp_path / "summary.md"
    append_summary(target, "# one")
    append_summary(target, "# two\n")
    assert target.read_text() == "# one\n# two\n"


def test_large_body_is_cut_to_one_mib_with_a_note(tmp_path):
    target = tmp_path / "summary.md"
    written = append_summary(target, "| row | 5.24 % → 5.49 % |\n" * 100_000)
    assert written == target.stat().st_size <= SUMMARY_LIMIT_BYTES
    text = target.read_text(encoding="utf-8")
    assert "Truncated" in text
    assert "1 MiB" in text


def test_limit_counts_what_the_step_already_wrote(tmp_path):
    target = tmp_path / "summary.md"
    target.write_bytes(b"x" * (SUMMARY_LIMIT_BYTES - 1000))
    append_summary(target, "y\n" * 5000)
    assert target.stat().st_size <= SUMMARY_LIMIT_BYTES


def test_cut_never_splits_a_multibyte_character():
    text = fit_bytes("é" * 1000, 501)
    assert len(text.encode("utf-8")) <= 501
    assert "Truncated" in text
    assert text.startswith("é" * 10)
