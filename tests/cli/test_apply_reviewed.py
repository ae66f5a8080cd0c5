"""`apply PLANFILE --reviewed …` and `--plan-digest` through the real entry point against
the emulator over loopback HTTP: what merges is what was reviewed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.server import serve_in_thread
from catalog_sync.emulator.store import Store
from catalog_sync.plan.digest import change_set_digest
from catalog_sync.workflow import load_plan
from tests.apply.harness import product
from tests.apply.harness import writes
from tests.cli.catalogs import run
from tests.cli.catalogs import write_catalog


@pytest.fixture
def served(monkeypatch) -> Iterator[tuple[Store, str]]:
    monkeypatch.setenv("CS_TEST_ID", "local")
    monkeypatch.setenv("CS_TEST_SECRET", "local-secret")
    store = Store()
    with serve_in_thread(make_app(store)) as base_url:
        yield store, base_url
    store.close()


def _config(base_url: str) -> str:
    env = (
        f"    base_url: {base_url}\n"
        "    client_id_env: CS_TEST_ID\n    client_secret_env: CS_TEST_SECRET\n"
    )
    return f"removal: delete\nenvironments:\n  staging:\n{env}  production:\n{env}"


def _catalog(tmp_path: Path, base_url: str, **names: str) -> Path:
    products = {pid: product(pid, name=name) for pid, name in names.items()}
    return write_catalog(tmp_path, products, _config(base_url))


def _plan(
    capsys: pytest.CaptureFixture[str], config: Path, path: Path, env: str = "staging"
) -> Path:
    code, _, err = run(capsys, config, "plan", "--env", env, "--out", str(path))
    assert code == 0, err
    return path


@pytest.fixture
def reviewed(tmp_path, capsys, served):
    """Live p01 and p02; the pull request renames p01; its plan is the reviewed one."""
    store, base_url = served
    store.seed([product("p01"), product("p02")])
    config = _catalog(tmp_path, base_url, p01="Reviewed", p02="Product p02")
    return config, _plan(capsys, config, tmp_path / "reviewed.json")


def test_the_reviewed_plan_applies(tmp_path, capsys, served, reviewed):
    store, _ = served
    config, reviewed_file = reviewed
    main = _plan(capsys, config, tmp_path / "main.json")
    code, out, err = run(
        capsys, config, "apply", str(main), "--reviewed", str(reviewed_file)
    )
    assert code == 0, err
    assert "Every change of the plan was reviewed (digest sha256:" in out
    assert [path for _, path, _ in writes(store)] == [
        "/v1/data-provider/cdr/products/p01"
    ]


def test_a_subset_applies_and_says_what_is_already_live(
    tmp_path, capsys, served, reviewed
):
    store, base_url = served
    _config_path, _ = reviewed
    both = _catalog(tmp_path, base_url, p01="Reviewed", p02="Also")
    wide = _plan(capsys, both, tmp_path / "wide.json")
    store.seed([product("p02", name="Also")])  # p02 went live meanwhile
    main = _plan(capsys, both, tmp_path / "main.json")
    code, out, _ = run(capsys, both, "apply", str(main), "--reviewed", str(wide))
    assert code == 0
    assert "Reviewed but no longer needed (already live):\n  update p02" in out


def test_an_extra_change_is_refused_and_nothing_is_written(
    tmp_path, capsys, served, reviewed
):
    store, base_url = served
    _, reviewed_file = reviewed
    config = _catalog(tmp_path, base_url, p01="Reviewed", p02="Another merge")
    main = _plan(capsys, config, tmp_path / "main.json")
    store.ledger.clear()
    report = tmp_path / "report.md"
    code, out, err = run(
        capsys,
        config,
        "apply",
        str(main),
        "--reviewed",
        str(reviewed_file),
        "--report",
        str(report),
    )
    assert code == 1
    assert writes(store) == []
    assert (
        "1 change was not in any reviewed plan for staging; nothing was written" in out
    )
    assert "~ update p02" in out
    assert "~ Name: Product p02 → Another merge" in out
    assert "update p02: no reviewed plan shows it" in out
    assert f"plan_digest {change_set_digest(load_plan(main))}" in out
    assert "Error: 1 change of the plan was not reviewed; nothing was written" in err
    text = report.read_text()
    assert "**The way forward:**" in text
    assert "`p02`" in text
    code, _, _ = run(
        capsys, config, "apply", str(main), "--reviewed", str(reviewed_file)
    )
    assert (code, writes(store)) == (1, [])


def test_a_changed_value_is_refused(tmp_path, capsys, served, reviewed):
    store, base_url = served
    _, reviewed_file = reviewed
    config = _catalog(tmp_path, base_url, p01="Changed after review", p02="Product p02")
    main = _plan(capsys, config, tmp_path / "main.json")
    report = tmp_path / "report.json"
    code, out, _ = run(
        capsys,
        config,
        "apply",
        str(main),
        "--reviewed",
        str(reviewed_file),
        "--report",
        str(report),
    )
    assert code == 1
    assert "~ Name: Product p01 → Changed after review" in out
    assert json.loads(report.read_text())["unreviewed"] == [
        {"action": "update", "cause": "not-reviewed", "productId": "p01"}
    ]
    assert writes(store) == []


def test_a_console_edit_after_the_review_is_not_reverted(
    tmp_path, capsys, served, reviewed
):
    store, _ = served
    config, reviewed_file = reviewed
    store.seed([product("p02", name="Console edit")])
    main = _plan(capsys, config, tmp_path / "main.json")
    store.ledger.clear()
    report = tmp_path / "report.txt"
    code, out, _ = run(
        capsys,
        config,
        "apply",
        str(main),
        "--reviewed",
        str(reviewed_file),
        "--report",
        str(report),
    )
    assert code == 1
    assert "update p02: live changed since the review" in out
    assert "update p01" not in out.split("Likely causes:")[1]  # p01 was reviewed
    assert "live changed since the review" in report.read_text()
    assert writes(store) == []
    assert store.products()["p02"]["name"] == "Console edit"


def test_another_environment_or_a_tampered_plan_is_refused(
    tmp_path, capsys, served, reviewed
):
    store, _ = served
    config, reviewed_file = reviewed
    main = _plan(capsys, config, tmp_path / "main.json")
    other = _plan(capsys, config, tmp_path / "prod.json", env="production")
    code, _, err = run(capsys, config, "apply", str(main), "--reviewed", str(other))
    assert code == 1
    assert "made for environment 'production', not 'staging'" in err
    tampered = tmp_path / "tampered.json"
    tampered.write_text(reviewed_file.read_text().replace("Reviewed", "Reviewee"))
    code, _, err = run(capsys, config, "apply", str(main), "--reviewed", str(tampered))
    assert code == 1
    assert f"{tampered}: the plan file's checksum does not match" in err
    code, _, err = run(
        capsys, config, "apply", "--env", "staging", "--reviewed", str(reviewed_file)
    )
    assert code == 1
    assert "--reviewed-dir and --plan-digest check a saved PLANFILE" in err
    assert writes(store) == []


def test_plan_digest_applies_only_that_plan(tmp_path, capsys, served, reviewed):
    store, _ = served
    config, _ = reviewed
    main = _plan(capsys, config, tmp_path / "main.json")
    digest = change_set_digest(load_plan(main))
    wrong = "sha256:" + "0" * 64
    code, _, err = run(capsys, config, "apply", str(main), "--plan-digest", wrong)
    assert code == 1
    assert f"the plan's change-set digest is {digest}, not the approved {wrong}" in err
    assert writes(store) == []
    code, out, _ = run(capsys, config, "apply", str(main), "--plan-digest", digest)
    assert code == 0
    assert f"The plan has the approved change-set digest {digest}." in out
    assert len(writes(store)) == 1


def test_a_reviewed_dir_without_plans_refuses_changes_but_not_an_empty_plan(
    tmp_path, capsys, served, reviewed
):
    store, _ = served
    config, reviewed_file = reviewed
    main = _plan(capsys, config, tmp_path / "main.json")
    empty = tmp_path / "none"
    code, out, _ = run(capsys, config, "apply", str(main), "--reviewed-dir", str(empty))
    assert code == 1
    assert "0 reviewed plan(s) in" in out
    assert "update p01: no reviewed plan shows it" in out
    assert writes(store) == []
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "pr-1.json").write_text(reviewed_file.read_text())
    code, out, _ = run(
        capsys, config, "apply", str(main), "--reviewed-dir", str(folder)
    )
    assert code == 0
    assert "1 reviewed plan(s) in" in out
    nothing = _plan(capsys, config, tmp_path / "after.json")
    code, out, _ = run(
        capsys, config, "apply", str(nothing), "--reviewed-dir", str(empty)
    )
    assert code == 0
