"""`catalog-sync fmt` through the real entry point: rewrite, --check for CI and
pre-commit, files that do not parse left alone, this repository's catalog canonical."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.cli.catalogs import catalog_of
from tests.cli.catalogs import run
from tests.cli.catalogs import write_catalog

REPO = Path(__file__).resolve().parents[2]
MODELINE = "# yaml-language-server: $schema=../../schemas/cds-v7.json\n"


def test_fmt_check_names_the_files_and_fmt_rewrites_them(tmp_path, capsys):
    config = write_catalog(tmp_path, catalog_of("p01", "p02"))
    folder = tmp_path / "products" / "wattle-bank"
    code, out, err = run(capsys, config, "fmt", "--check")
    assert code == 1
    assert out == (
        "would reformat products/wattle-bank/p01.yaml\n"
        "would reformat products/wattle-bank/p02.yaml\n"
    )
    assert err == "2 of 2 file(s) would be reformatted.\n"
    before = (folder / "p01.yaml").read_text()

    code, out, err = run(capsys, config, "fmt")
    assert code == 0
    assert out.splitlines() == [
        "reformatted products/wattle-bank/p01.yaml",
        "reformatted products/wattle-bank/p02.yaml",
    ]
    after = (folder / "p01.yaml").read_text()
    assert after.startswith(MODELINE + "productId: p01\n")
    assert after != before
    assert sorted(p.name for p in folder.iterdir()) == ["p01.yaml", "p02.yaml"]
    assert run(capsys, config, "fmt", "--check") == (
        0,
        "",
        "0 of 2 file(s) would be reformatted.\n",
    )
    assert run(capsys, config, "validate")[0] == 0


def test_fmt_keeps_comments_and_takes_paths(tmp_path, capsys):
    config = write_catalog(tmp_path, catalog_of("p01", "p02"))
    folder = tmp_path / "products" / "wattle-bank"
    text = (folder / "p01.yaml").read_text()
    (folder / "p01.yaml").write_text("# owned by deposits\n" + text + "# end\n")
    code, out, _ = run(capsys, config, "fmt", str(folder / "p01.yaml"))
    assert (code, out) == (0, "reformatted products/wattle-bank/p01.yaml\n")
    result = (folder / "p01.yaml").read_text()
    assert result.startswith(MODELINE + "# owned by deposits\nproductId: p01\n")
    assert result.endswith("# end\n")
    assert run(capsys, config, "fmt", "--check", str(folder / "p02.yaml"))[0] == 1


def test_fmt_reports_a_file_that_does_not_parse_and_leaves_it_alone(tmp_path, capsys):
    config = write_catalog(tmp_path, catalog_of("p01"))
    broken = tmp_path / "products" / "wattle-bank" / "broken.yaml"
    broken.write_text("productId: x\nname: [unclosed\n")
    (tmp_path / "products" / "link.yaml").symlink_to(broken)
    code, out, err = run(capsys, config, "fmt")
    assert code == 1
    assert out == "reformatted products/wattle-bank/p01.yaml\n"
    assert "products/wattle-bank/broken.yaml:" in err
    assert "products/link.yaml" in err
    assert broken.read_text() == "productId: x\nname: [unclosed\n"


def test_fmt_with_too_many_files_checks_none(tmp_path, capsys):
    config = write_catalog(tmp_path, catalog_of("p01", "p02"), "max_files: 1\n")
    code, _, err = run(capsys, config, "fmt")
    assert code == 1
    assert "0 of 0 file(s) reformatted." in err


def test_fmt_reports_a_file_over_the_size_cap(tmp_path, capsys):
    config = write_catalog(tmp_path, catalog_of("p01"), "max_file_bytes: 10\n")
    code, _, err = run(capsys, config, "fmt", "--check")
    assert code == 1
    assert "p01.yaml" in err


def test_fmt_check_passes_on_this_repositorys_catalog(tmp_path, capsys):
    shutil.copytree(REPO / "products", tmp_path / "products")
    shutil.copy(REPO / "catalog-sync.yaml", tmp_path / "catalog-sync.yaml")
    code, out, err = run(capsys, tmp_path / "catalog-sync.yaml", "fmt", "--check")
    assert (code, out) == (0, "")
    assert err == "0 of 16 file(s) would be reformatted.\n"
