"""plan, show, drift and export through the real entry point on the embedded `local`
environment; exit codes per checklist 36."""

from __future__ import annotations

import json

from tests.cli.catalogs import catalog_of
from tests.cli.catalogs import run
from tests.cli.catalogs import write_catalog


def test_plan_detailed_exitcode_and_the_whole_local_workflow(tmp_path, capsys):
    config = write_catalog(tmp_path, catalog_of("a", "b"))

    code, out, _ = run(capsys, config, "plan")
    assert code == 0
    assert "Plan: 2 to create, 0 to update, 0 to retire, 0 to delete." in out
    assert run(capsys, config, "plan", "--detailed-exitcode")[0] == 2
    assert run(capsys, config, "drift")[0] == 2

    code, out, _ = run(capsys, config, "apply", "--auto-approve")
    assert code == 0
    assert "Apply complete: 2 done" in out

    code, out, _ = run(capsys, config, "plan", "--detailed-exitcode")
    assert code == 0
    assert out.startswith("No changes.")
    code, out, _ = run(capsys, config, "drift")
    assert code == 0
    assert out.startswith("No drift")


def test_plan_with_problems_prints_them_and_exits_1(tmp_path, capsys):
    body = catalog_of("a")
    body["a"]["isTailored"] = "sometimes"
    config = write_catalog(tmp_path, body)
    code, out, err = run(capsys, config, "plan", "--detailed-exitcode")
    assert code == 1
    assert "products/wattle-bank/a.yaml:" in err
    assert "isTailored" in err
    assert out == ""


def test_plan_out_then_show_in_every_format(tmp_path, capsys):
    config = write_catalog(tmp_path, catalog_of("a"))
    plan_file = tmp_path / "plan.json"
    code, _, err = run(
        capsys, config, "plan", "--out", str(plan_file), "--format", "json"
    )
    assert code == 0
    assert f"Saved the plan to {plan_file}" in err
    assert json.loads(plan_file.read_text())["format_version"] == 3

    code, out, _ = run(capsys, config, "show", str(plan_file))
    assert code == 0
    assert "create a" in out
    code, out, _ = run(capsys, config, "show", str(plan_file), "--format", "markdown")
    assert code == 0
    assert out.startswith("### ")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    code, _, err = run(capsys, config, "show", str(bad))
    assert code == 1
    assert str(bad) in err


def test_plan_against_an_unreachable_http_environment_exits_1(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.delenv("CS_ID", raising=False)
    config = write_catalog(
        tmp_path,
        catalog_of("a"),
        "environments:\n  staging:\n    base_url: https://api.example.invalid\n"
        "    client_id_env: CS_ID\n    client_secret_env: CS_SECRET\n",
    )
    code, _, err = run(
        capsys, config, "plan", "--env", "staging", "--detailed-exitcode"
    )
    assert code == 1
    assert "CS_ID is not set" in err
    assert run(capsys, config, "drift", "--env", "staging")[0] == 1


def test_export_then_plan_shows_no_changes(tmp_path, capsys):
    source = tmp_path / "source"
    config = write_catalog(source, catalog_of("a", "b", "c", name="Exported"))
    assert run(capsys, config, "apply", "--auto-approve")[0] == 0

    out_dir = tmp_path / "source" / "exported"
    code, out, _ = run(capsys, config, "export", "--out", str(out_dir))
    assert code == 0
    assert out.splitlines()[-1] == (
        f"Exported 3 product(s) to {out_dir}: 3 created, 0 updated, 0 unchanged."
    )
    assert sorted(p.name for p in (out_dir / "wattle-bank").iterdir()) == [
        "a.yaml",
        "b.yaml",
        "c.yaml",
    ]
    (source / "catalog-sync.yaml").write_text(
        "products_dir: exported\nremoval: delete\n"
    )
    code, out, _ = run(capsys, config, "plan", "--detailed-exitcode")
    assert (code, out.splitlines()[0]) == (
        0,
        "No changes. The live catalog matches exported/.",
    )


def test_drift_markdown_and_json(tmp_path, capsys):
    config = write_catalog(tmp_path, catalog_of("a"))
    code, out, _ = run(capsys, config, "drift", "--format", "markdown")
    assert code == 2
    assert "`a`" in out
    code, out, _ = run(capsys, config, "drift", "--format", "json")
    assert code == 2
    assert json.loads(out)
