"""Policy gates, `--product` targeting, colour and export through the real entry point
on the embedded `local` environment (the emulator in-process)."""

from __future__ import annotations

import json
from typing import Any

from tests.cli.catalogs import catalog_of
from tests.cli.catalogs import run
from tests.cli.catalogs import write_catalog

RATE = {
    "depositRateType": "VARIABLE",
    "rate": "0.0450",
    "applicationType": "PERIODIC",
    "applicationFrequency": "P1M",
}
POLICY = (
    "removal: delete\npolicy:\n  adverse_changes: warn\n  max_rate_change_bp: 100\n"
)


def _saver(rate: str) -> dict[str, Any]:
    return catalog_of("saver", depositRates=[{**RATE, "rate": rate}])


def _live_rate(tmp_path, capsys, config) -> str:
    out_dir = tmp_path / "exported"
    code, _, _ = run(capsys, config, "export", "--out", str(out_dir))
    assert code == 0
    (path,) = out_dir.rglob("saver.yaml")
    text = path.read_text()
    line = next(line for line in text.splitlines() if "rate:" in line)
    return str(line.split()[-1])


def test_a_150_bp_deposit_rate_cut_is_blocked_and_applies_only_with_an_override(
    tmp_path, capsys
):
    config = write_catalog(tmp_path, _saver("0.0450"), POLICY)
    assert run(capsys, config, "apply", "--auto-approve")[0] == 0
    write_catalog(tmp_path, _saver("0.0300"), POLICY)  # -150 bp

    code, out, _ = run(capsys, config, "plan")
    assert code == 0
    assert "      ~ Variable rate: 4.50 % → 3.00 % (-150 bp)  [adverse]" in out
    assert (
        "Policy max_rate_change_bp (100 bp): block, 1 rate moving more than 100 bp"
        in out
    )
    assert (
        "Policy adverse_changes (warn): warn, 1 adverse or unclassified change to review"
        in out
    )

    plan_file = tmp_path / "plan.json"
    assert run(capsys, config, "plan", "--out", str(plan_file))[0] == 0
    document = json.loads(plan_file.read_text())
    assert document["policy"]["outcome"] == "block"
    (change,) = document["changes"]
    assert change["impact"] == "adverse"
    assert [f["impact"] for f in change["field_changes"]] == ["adverse"]

    code, out, err = run(capsys, config, "apply", str(plan_file), "--auto-approve")
    assert code == 1
    assert (
        "blocked by policy: max_rate_change_bp: 1 rate moving more than 100 bp" in err
    )
    assert "nothing was written" in err
    assert _live_rate(tmp_path, capsys, config) == '"0.0450"'

    report = tmp_path / "report.json"
    code, out, _ = run(
        capsys, config, "apply", str(plan_file), "--auto-approve",
        "--override-policy", "board approved the cut on 4 Dec", "--report", str(report),
    )  # fmt: skip
    assert code == 0
    assert "Policy overridden: board approved the cut on 4 Dec" in out
    assert json.loads(report.read_text())["policy_override"] == (
        "board approved the cut on 4 Dec"
    )
    assert _live_rate(tmp_path, capsys, config) == '"0.0300"'


def test_apply_without_a_plan_file_refuses_a_blocked_plan_before_asking(
    tmp_path, capsys
):
    config = write_catalog(tmp_path, _saver("0.0450"), POLICY)
    assert run(capsys, config, "apply", "--auto-approve")[0] == 0
    write_catalog(tmp_path, _saver("0.0600"), POLICY)
    code, _, err = run(capsys, config, "apply", "--auto-approve")
    assert code == 1
    assert "blocked by policy" in err
    assert "--override-policy" in err


def test_adverse_changes_block_and_allow(tmp_path, capsys):
    block = "removal: delete\npolicy:\n  adverse_changes: block\n"
    config = write_catalog(tmp_path, _saver("0.0450"), block)
    assert run(capsys, config, "apply", "--auto-approve")[0] == 0
    write_catalog(tmp_path, _saver("0.0440"), block)
    code, _, err = run(capsys, config, "apply", "--auto-approve")
    assert code == 1
    assert "adverse_changes: 1 adverse or unclassified change blocked" in err
    allow = "removal: delete\npolicy:\n  adverse_changes: allow\n"
    write_catalog(tmp_path, _saver("0.0440"), allow)
    assert run(capsys, config, "apply", "--auto-approve")[0] == 0


def test_policy_config_judges_by_another_files_policy(tmp_path, capsys):
    config = write_catalog(tmp_path, _saver("0.0450"), "removal: delete\n")
    assert run(capsys, config, "apply", "--auto-approve")[0] == 0
    write_catalog(tmp_path, _saver("0.0300"), "removal: delete\n")
    base = tmp_path / "base.yaml"
    base.write_text(POLICY)
    code, out, _ = run(capsys, config, "plan", "--policy-config", str(base))
    assert code == 0
    assert "Policy max_rate_change_bp (100 bp): block" in out
    code, _, err = run(
        capsys, config, "plan", "--policy-config", str(tmp_path / "no.yaml")
    )
    assert code == 1
    assert "no such policy configuration file" in err


def test_plan_and_apply_with_product_are_partial(tmp_path, capsys):
    config = write_catalog(tmp_path, catalog_of("a", "b", "c"))
    code, out, err = run(capsys, config, "plan", "--product", "a", "--product", "b")
    assert code == 0
    assert "Plan: 2 to create, 0 to update, 0 to retire, 0 to delete." in out
    assert "Warning: partial plan: only a, b (--product)" in err
    assert "Partial plan: only a, b (--product)" in out

    code, out, err = run(capsys, config, "apply", "--auto-approve", "--product", "a")
    assert code == 0
    assert "Warning: partial apply: only a (--product)." in err
    code, out, _ = run(capsys, config, "plan")
    assert "Plan: 2 to create, 0 to update, 0 to retire, 0 to delete." in out

    code, _, err = run(capsys, config, "plan", "--product", "nope")
    assert code == 1
    assert "--product nope: no product file and no live product" in err

    plan_file = tmp_path / "plan.json"
    assert run(capsys, config, "plan", "--out", str(plan_file))[0] == 0
    code, _, err = run(capsys, config, "apply", str(plan_file), "--product", "a")
    assert code == 1
    assert "a saved plan already holds its products" in err


def test_export_with_product_writes_only_that_product(tmp_path, capsys):
    config = write_catalog(tmp_path, catalog_of("a", "b"))
    assert run(capsys, config, "apply", "--auto-approve")[0] == 0
    out_dir = tmp_path / "one"
    code, out, _ = run(
        capsys, config, "export", "--out", str(out_dir), "--product", "b"
    )
    assert code == 0
    assert "Exported 1 product(s)" in out
    assert [p.name for p in out_dir.rglob("*.yaml")] == ["b.yaml"]
    code, _, err = run(
        capsys, config, "export", "--out", str(out_dir), "--product", "zz"
    )
    assert code == 1
    assert "--product zz: not in the live catalog of local" in err


def test_colour_on_a_terminal_unless_no_color(tmp_path, capsys, monkeypatch):
    config = write_catalog(tmp_path, catalog_of("a"))
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert "\033[" in run(capsys, config, "plan")[1]
    assert "\033[" not in run(capsys, config, "plan", "--no-color")[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\033[" not in run(capsys, config, "plan")[1]


def test_markdown_plan_names_the_commit_and_show_too(tmp_path, capsys):
    config = write_catalog(tmp_path, catalog_of("a"))
    sha = "0123456789abcdef0123456789abcdef01234567"
    plan_file = tmp_path / "plan.json"
    code, out, _ = run(
        capsys, config, "plan", "--format", "markdown", "--commit", sha,
        "--out", str(plan_file),
    )  # fmt: skip
    assert code == 0
    assert "from commit `0123456789ab` on " in out
    assert sha not in plan_file.read_text()
    code, out, _ = run(
        capsys, config, "show", str(plan_file), "--format", "markdown", "--commit", sha
    )
    assert "from commit `0123456789ab`." in out


def test_the_override_reason_can_come_from_the_environment(
    tmp_path, capsys, monkeypatch
):
    config = write_catalog(tmp_path, _saver("0.0450"), POLICY)
    assert run(capsys, config, "apply", "--auto-approve")[0] == 0
    write_catalog(tmp_path, _saver("0.0300"), POLICY)
    monkeypatch.setenv("CATALOG_SYNC_OVERRIDE_POLICY", "")
    assert run(capsys, config, "apply", "--auto-approve")[0] == 1  # empty: none
    monkeypatch.setenv(
        "CATALOG_SYNC_OVERRIDE_POLICY", "label policy-override by a on #9"
    )
    code, out, _ = run(capsys, config, "apply", "--auto-approve")
    assert code == 0
    assert "Policy overridden: label policy-override by a on #9" in out
