"""apply through the real entry point against the emulator over loopback HTTP:
partial failure and recovery, stale plans, confirmation, safety rails, exit codes,
and a process killed mid-apply (checklist 30-32, 35, 36)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.server import serve_in_thread
from catalog_sync.emulator.store import Store
from tests.apply.harness import PRODUCTS_PATH
from tests.apply.harness import product
from tests.apply.harness import writes
from tests.cli.catalogs import catalog_of
from tests.cli.catalogs import run
from tests.cli.catalogs import write_catalog

IDS = [f"p{i:02}" for i in range(1, 11)]


@pytest.fixture
def served(monkeypatch) -> Iterator[tuple[Store, str]]:
    monkeypatch.setenv("CS_TEST_ID", "local")
    monkeypatch.setenv("CS_TEST_SECRET", "local-secret")
    store = Store()
    with serve_in_thread(make_app(store)) as base_url:
        yield store, base_url
    store.close()


def _config(base_url: str, removal: str = "delete") -> str:
    return (
        f"removal: {removal}\nenvironments:\n  staging:\n    base_url: {base_url}\n"
        "    client_id_env: CS_TEST_ID\n    client_secret_env: CS_TEST_SECRET\n"
    )


def test_apply_text_report_file_names_the_environment_in_its_hint(
    tmp_path, capsys, served
):
    store, base_url = served
    store.seed(catalog_of(*IDS).values())
    config = write_catalog(
        tmp_path, catalog_of(*IDS, name="Renamed"), _config(base_url)
    )
    store.faults.fail_next("PUT", f"{PRODUCTS_PATH}/p04", status=400, times=None)
    report = tmp_path / "report.txt"
    code, out, _ = run(
        capsys, config, "apply", "--env", "staging", "--auto-approve",
        "--report", str(report),
    )  # fmt: skip
    assert code == 1
    assert report.read_text() in out
    assert "Run `catalog-sync plan --env staging` to see what is left" in (
        report.read_text()
    )


def test_apply_partial_failure_reports_exits_1_and_the_rerun_sends_only_the_rest(
    tmp_path, capsys, served
):
    store, base_url = served
    store.seed(catalog_of(*IDS).values())
    config = write_catalog(
        tmp_path, catalog_of(*IDS, name="Renamed"), _config(base_url)
    )
    store.faults.fail_next("PUT", f"{PRODUCTS_PATH}/p04", status=400, times=None)

    report = tmp_path / "report.json"
    code, out, err = run(
        capsys,
        config,
        "apply",
        "--env",
        "staging",
        "--auto-approve",
        "--report",
        str(report),
    )
    assert code == 1
    assert "Apply incomplete: 9 done, 1 failed" in out
    document = json.loads(report.read_text())
    assert (document["ok"], document["counts"]["failed"]) == (False, 1)
    assert [
        o["productId"] for o in document["operations"] if o["status"] == "failed"
    ] == ["p04"]
    assert "FAILED update p04" in out
    assert "1 of 10 operations did not complete" in err
    # The recovery hint repeats the environment: a bare `plan` would plan `local`.
    assert "Run `catalog-sync plan --env staging` to see what is left" in out

    store.faults.clear()
    store.ledger.clear()
    code, out, _ = run(capsys, config, "apply", "--env", "staging", "--auto-approve")
    assert code == 0
    assert [(m, p) for m, p, _ in writes(store)] == [("PUT", f"{PRODUCTS_PATH}/p04")]
    assert (
        run(capsys, config, "plan", "--env", "staging", "--detailed-exitcode")[0] == 0
    )


def test_apply_saved_plan_refuses_a_stale_plan_before_any_write(
    tmp_path, capsys, served
):
    store, base_url = served
    store.seed([product("p01"), product("p02")])
    config = write_catalog(
        tmp_path,
        {"p01": product("p01", name="Ours"), "p02": product("p02")},
        _config(base_url),
    )
    plan_file = tmp_path / "plan.json"
    assert (
        run(capsys, config, "plan", "--env", "staging", "--out", str(plan_file))[0] == 0
    )
    store.seed([product("p01", name="Console edit")])
    store.ledger.clear()

    code, _out, err = run(capsys, config, "apply", str(plan_file))
    assert code == 1
    assert "p01: changed since the plan: name 'Product p01' -> 'Console edit'" in err
    # The hint is on its own line, after the list, and names the plan's environment.
    assert (
        "\n(run `catalog-sync plan --env staging --out FILE` again, review it, "
        "and apply that)\n" in err
    )
    assert writes(store) == []
    code, _, err = run(capsys, config, "apply", str(plan_file), "--env", "local")
    assert code == 1
    assert "made for environment 'staging'" in err


def test_apply_without_a_terminal_or_auto_approve_refuses(tmp_path, capsys, served):
    store, base_url = served
    config = write_catalog(tmp_path, catalog_of("p01"), _config(base_url))
    code, out, err = run(capsys, config, "apply", "--env", "staging")
    assert code == 1
    assert "create p01" in out  # the plan is shown first
    assert "stdin is not a terminal" in err
    assert writes(store) == []


def test_apply_with_nothing_to_change_asks_nothing_and_exits_0(
    tmp_path, capsys, served
):
    """No terminal and no --auto-approve: with no changes there is nothing to confirm,
    so apply says so and succeeds instead of refusing."""
    store, base_url = served
    store.seed(catalog_of("p01").values())
    config = write_catalog(tmp_path, catalog_of("p01"), _config(base_url))
    code, out, err = run(capsys, config, "apply", "--env", "staging")
    assert code == 0
    assert out.startswith("No changes. The live catalog matches ")
    assert "stdin is not a terminal" not in err
    assert "Apply" not in out
    assert writes(store) == []


def test_apply_refuses_mass_deletion_with_zero_deletes(tmp_path, capsys, served):
    """Checklist 35 through the CLI."""
    store, base_url = served
    store.seed(catalog_of(*[f"live{i:02}" for i in range(50)]).values())
    config = write_catalog(tmp_path, {}, _config(base_url))
    code, out, _ = run(capsys, config, "plan", "--env", "staging")
    assert "Plan: 0 to create, 0 to update, 0 to retire, 50 to delete." in out
    for flags in ([], ["--allow-delete"]):
        code, _, err = run(
            capsys, config, "apply", "--env", "staging", "--auto-approve", *flags
        )
        assert code == 1
        assert "nothing was written" in err
    assert store.ledger.count("DELETE") == 0
    code, _, _ = run(
        capsys,
        config,
        "apply",
        "--env",
        "staging",
        "--auto-approve",
        "--allow-delete",
        "--force",
    )
    assert code == 0
    assert store.products() == {}


def test_plan_and_apply_exit_1_on_rejected_credentials(
    tmp_path, capsys, served, monkeypatch
):
    _store, base_url = served
    monkeypatch.setenv("CS_TEST_SECRET", "wrong-secret-value")
    config = write_catalog(tmp_path, catalog_of("p01"), _config(base_url))
    for args in (
        ["plan", "--detailed-exitcode"],
        ["apply", "--auto-approve"],
        ["drift"],
    ):
        code, out, err = run(capsys, config, *args, "--env", "staging")
        assert code == 1
        assert "wrong-secret-value" not in out + err


def test_killed_apply_is_reported_and_the_next_plan_holds_exactly_the_rest(
    tmp_path, capsys, served
):
    """Checklist 31 with a real process killed by SIGKILL mid-apply."""
    store, base_url = served
    ids = [f"k{i:02}" for i in range(12)]
    config = write_catalog(tmp_path, catalog_of(*ids), _config(base_url))
    store.faults.add_latency(0.15, "POST", PRODUCTS_PATH)
    command = [
        sys.executable,
        "-m",
        "catalog_sync",
        "--config",
        str(config),
        "apply",
        "--env",
        "staging",
        "--auto-approve",
        "--parallelism",
        "1",
    ]
    env = {**os.environ, "CS_TEST_ID": "local", "CS_TEST_SECRET": "local-secret"}
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while len(store.products()) < 4 and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    time.sleep(0.3)  # a create already inside the server may still commit
    landed = len(store.products())
    assert 4 <= landed < 12

    code, out, err = run(capsys, config, "plan", "--env", "staging")
    assert code == 0
    assert f"the previous apply was interrupted: {landed} of 12" in err or (
        f"the previous apply was interrupted: {landed - 1} of 12" in err
    )
    assert f"Plan: {12 - landed} to create," in out
    store.faults.clear()
    assert run(capsys, config, "apply", "--env", "staging", "--auto-approve")[0] == 0
    assert sorted(store.products()) == ids
    assert not (tmp_path / ".catalog-sync" / "journal-staging.jsonl").exists()


def test_answering_no_writes_nothing_and_exits_1(tmp_path, capsys, monkeypatch):
    """Declining is a refusal (exit 1, like any refused apply), not an interrupt (130)."""
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    config = write_catalog(tmp_path, catalog_of("a"))
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    code, out, err = run(capsys, config, "apply")
    assert code == 1
    assert "Apply these changes?" in out
    assert "nothing was written" in err
    code, out, _ = run(capsys, config, "plan", "--detailed-exitcode")
    assert code == 2


def test_applying_a_saved_plan_again_says_already_applied(tmp_path, capsys, served):
    """Issue 15 item 7: the second run writes nothing and says so, not "1 done"."""
    store, base_url = served
    config = write_catalog(tmp_path, {"p01": product("p01")}, _config(base_url))
    plan_file = tmp_path / "plan.json"
    assert (
        run(capsys, config, "plan", "--env", "staging", "--out", str(plan_file))[0] == 0
    )
    code, out, _ = run(capsys, config, "apply", str(plan_file))
    assert code == 0
    assert "Apply complete: 1 done, 0 failed" in out
    store.ledger.clear()

    code, out, _ = run(capsys, config, "apply", str(plan_file))
    assert code == 0
    assert "Apply complete: 0 done, 1 already applied, 0 failed" in out
    assert writes(store) == []
    report = tmp_path / "report.json"
    assert run(capsys, config, "apply", str(plan_file), "--report", str(report))[0] == 0
    document = json.loads(report.read_text())
    assert document["already_applied"] == 1
    assert document["operations"][0]["already_applied"] is True
    markdown = tmp_path / "report.md"
    assert (
        run(capsys, config, "apply", str(plan_file), "--report", str(markdown))[0] == 0
    )
    assert "1 of the done were already applied" in markdown.read_text()


@pytest.mark.parametrize("declared", [True, False])
def test_read_only_credentials_and_apply(
    tmp_path, capsys, served, monkeypatch, declared
):
    """Issue 15 item 13: when the token response declares its scopes, apply stops
    before any write; when it does not, the server's 403 on the first write stops
    every later one (docs/authentication.md)."""
    store, base_url = served
    store.token_scope = declared
    store.add_client("reader", "reader-secret-1234", ["api:provider.products.read"])
    monkeypatch.setenv("CS_TEST_ID", "reader")
    monkeypatch.setenv("CS_TEST_SECRET", "reader-secret-1234")
    config = write_catalog(
        tmp_path, {pid: product(pid) for pid in ("p01", "p02")}, _config(base_url)
    )
    code, out, err = run(
        capsys,
        config,
        "apply",
        "--env",
        "staging",
        "--auto-approve",
        "--parallelism",
        "1",
    )
    assert code == 1, (out, err)
    assert "lack api:provider.products.write" in out + err
    assert "reader-secret-1234" not in out + err
    assert [(m, s) for m, _, s in writes(store)] == (
        [] if declared else [("POST", 403)]
    )
