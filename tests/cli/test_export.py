"""`catalog-sync export` never destroys work: hand-written files are updated in place
with their comments, unreadable or taken files stop it unless --force, --product."""

from __future__ import annotations

import pytest

from tests.cli.catalogs import catalog_of
from tests.cli.catalogs import run
from tests.cli.catalogs import write_catalog


@pytest.fixture
def applied(tmp_path, capsys):
    """A catalog of three products, applied to `local`, then formatted."""
    config = write_catalog(tmp_path, catalog_of("p01", "p02", "p03"))
    assert run(capsys, config, "apply", "--auto-approve")[0] == 0
    assert run(capsys, config, "fmt")[0] == 0
    return config


def test_a_hand_commented_file_survives_export(applied, capsys, tmp_path):
    folder = tmp_path / "products" / "wattle-bank"
    path = folder / "p01.yaml"
    lines = path.read_text().splitlines(keepends=True)
    name = next(i for i, line in enumerate(lines) if line.startswith("name: "))
    lines[name] = lines[name].rstrip("\n") + "  # agreed with marketing\n"
    lines.insert(name, "# Reviewed by compliance, 2026-06.\n")
    path.write_text("".join(lines))
    edited = path.read_text()
    (folder / "p02.yaml").unlink()  # a product only live: export creates its file

    code, out, _ = run(capsys, applied, "export")
    assert code == 0
    assert out.splitlines()[-1] == (
        f"Exported 3 product(s) to {tmp_path / 'products'}: "
        "1 created, 0 updated, 2 unchanged."
    )
    assert path.read_text() == edited
    assert (
        (folder / "p02.yaml")
        .read_text()
        .startswith(
            "# yaml-language-server: $schema=../../schemas/cds-v7.json\n"
            "# Exported from the live catalog by catalog-sync export.\n"
        )
    )

    # A console edit comes back as the one changed value, comments kept.
    run(capsys, applied, "validate")
    edited_live = edited.replace("name: Product p01", 'name: "Renamed live"')
    path.write_text(edited_live)
    assert run(capsys, applied, "apply", "--auto-approve")[0] == 0
    path.write_text(edited)
    code, out, _ = run(capsys, applied, "export", "--product", "p01")
    assert (code, out.splitlines()[0]) == (0, f"updated {path}")
    exported = path.read_text()
    assert (
        "# Reviewed by compliance, 2026-06.\nname: Renamed live # agreed with"
        in exported
    )
    assert exported.replace("Renamed live #", "Product p01  #") == edited
    assert run(capsys, applied, "plan", "--detailed-exitcode")[0] == 0


def test_export_of_a_product_that_is_not_live_fails(applied, capsys):
    code, _, err = run(capsys, applied, "export", "--product", "nope")
    assert code == 1
    assert err == (
        "Error: --product nope: not in the live catalog of local "
        "(`catalog-sync plan --env local` lists what is live)\n"
    )


def test_export_refuses_when_a_file_cannot_be_read_unless_forced(
    applied, capsys, tmp_path
):
    folder = tmp_path / "products" / "wattle-bank"
    (folder / "p01.yaml").write_text("productId: p01\nname: [broken\n")
    code, _, err = run(capsys, applied, "export")
    assert code == 1
    assert err.startswith("Error: cannot read 1 existing file(s) in ")
    assert "\n  products/wattle-bank/p01.yaml:3:1: error: YAML syntax error" in err
    assert "pass --force" in err
    assert (folder / "p01.yaml").read_text() == "productId: p01\nname: [broken\n"

    code, out, _ = run(capsys, applied, "export", "--force")
    assert code == 0
    assert out.splitlines()[0] == f"created {folder / 'p01.yaml'}"
    assert run(capsys, applied, "plan", "--detailed-exitcode")[0] == 0


def test_export_refuses_a_taken_file_name_unless_forced(applied, capsys, tmp_path):
    folder = tmp_path / "products" / "wattle-bank"
    (folder / "p03.yaml").unlink()
    (folder / "p03.yaml").mkdir()
    code, _, err = run(capsys, applied, "export", "--out", str(tmp_path / "products"))
    assert code == 1
    # A folder named like a product file is itself refused when export reads the
    # catalog (hidden and odd files are errors), before any name is taken.
    assert "p03.yaml" in err
    assert "nothing was written" in err


def test_export_never_overwrites_a_file_holding_another_product(
    applied, capsys, tmp_path
):
    folder = tmp_path / "products" / "wattle-bank"
    # p02's file now holds p03; p02 is live and its file name is taken.
    (folder / "p02.yaml").write_text((folder / "p03.yaml").read_text())
    (folder / "p03.yaml").unlink()
    code, _, err = run(capsys, applied, "export", "--force")
    assert code == 1
    assert "holds productId 'p03', not the one its name says" in err


def test_export_counts_a_file_over_the_size_cap_as_unreadable(tmp_path, capsys):
    config = write_catalog(tmp_path, catalog_of("p01"))
    assert run(capsys, config, "apply", "--auto-approve")[0] == 0
    config.write_text("removal: delete\nmax_file_bytes: 20\n")
    code, _, err = run(capsys, config, "export")
    assert code == 1
    assert "cannot read 1 existing file(s)" in err
    assert "p01.yaml" in err
