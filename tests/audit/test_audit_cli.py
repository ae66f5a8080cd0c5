"""The audit record of real applies over loopback HTTP: after success, after a partial
failure, after a refusal, and after SIGKILL mid-apply (a subprocess); every call the
server saw is in it, with no secret; `audit show` renders each."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog_sync.audit.reading import read_record
from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.server import serve_in_thread
from catalog_sync.emulator.store import Store
from catalog_sync.plan.digest import change_set_digest
from catalog_sync.workflow import load_plan
from tests.apply.harness import PRODUCTS_PATH
from tests.cli.catalogs import catalog_of
from tests.cli.catalogs import run
from tests.cli.catalogs import write_catalog

SECRET = "s3cret-for-the-audit-test"
BEARER = re.compile(r"(?i)bearer\s+\S{8,}")
GITHUB = {
    "GITHUB_ACTOR": "alice",
    "GITHUB_REPOSITORY": "bank/catalog",
    "GITHUB_SHA": "a" * 40,
    "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_RUN_ID": "77",
    "GITHUB_RUN_ATTEMPT": "2",
    "GITHUB_REF": "refs/heads/main",
    "CATALOG_SYNC_PULL_REQUEST": "12",
}


@pytest.fixture
def served(monkeypatch) -> Iterator[tuple[Store, str, list[str]]]:
    monkeypatch.setenv("CS_TEST_ID", "auditor")
    monkeypatch.setenv("CS_TEST_SECRET", SECRET)
    store = Store()
    store.add_client(
        "auditor",
        SECRET,
        ["api:provider.products.read", "api:provider.products.write"],
    )
    issued: list[str] = []
    original = store.issue_token

    def issue(client_id: str, secret: str):
        grant = original(client_id, secret)
        if grant is not None:
            issued.append(grant.token)
        return grant

    store.issue_token = issue  # type: ignore[method-assign]
    with serve_in_thread(make_app(store)) as base_url:
        yield store, base_url, issued
    store.close()


def _config(base_url: str) -> str:
    return (
        f"removal: delete\nenvironments:\n  staging:\n    base_url: {base_url}\n"
        "    client_id_env: CS_TEST_ID\n    client_secret_env: CS_TEST_SECRET\n"
        f"    public_base_url: {base_url}\n"
    )


def _records(root: Path) -> list[Path]:
    return sorted((root / ".catalog-sync" / "audit").glob("*.json"))


def _assert_no_secret(path: Path, issued: list[str]) -> None:
    text = path.read_text(encoding="utf-8")
    assert issued
    for secret in [SECRET, *issued]:
        assert secret not in text
    assert not BEARER.search(text)


def _calls(record) -> Counter[tuple[str, str]]:
    return Counter(
        (e["method"], e["path"].split("?")[0])
        for e in record.events
        if e["type"] == "call"
    )


def _served(store: Store) -> Counter[tuple[str, str]]:
    return Counter((e.method, e.path) for e in store.ledger.entries())


def test_audit_record_after_a_successful_apply(tmp_path, capsys, served, monkeypatch):
    store, base_url, issued = served
    for name, value in GITHUB.items():
        monkeypatch.setenv(name, value)
    store.seed(catalog_of("old", "same").values())
    config = write_catalog(
        tmp_path, catalog_of("same", "new", name="N"), _config(base_url)
    )
    plan_file = tmp_path / "plan.json"
    assert (
        run(capsys, config, "plan", "--env", "staging", "--out", str(plan_file))[0] == 0
    )
    store.ledger.clear()
    code, out, _ = run(capsys, config, "apply", str(plan_file), "--allow-delete")
    assert code == 0
    [path] = _records(tmp_path)
    assert f"Audit record: {path}" in out
    record = read_record(path)
    header = record.header
    assert header["who"] == {"actor": "alice", "source": "GITHUB_ACTOR"}
    assert header["where"] == {
        "repository": "bank/catalog",
        "commit": "a" * 40,
        "ref": "refs/heads/main",
        "pull_request": 12,
        "run_url": "https://github.com/bank/catalog/actions/runs/77/attempts/2",
        "workflow": None,
    }
    assert (header["environment"], header["base_url"]) == ("staging", base_url)
    assert header["plan"]["change_set_digest"] == change_set_digest(
        load_plan(plan_file)
    )
    assert header["plan"]["file"] == str(plan_file)
    assert header["policy"] is None
    assert _calls(record) == _served(store)  # every call, apply and verify
    answers = [e for e in record.events if e["type"] == "answer"]
    assert len(answers) == sum(_served(store).values())
    assert all(a["request_id"].startswith("emu-") for a in answers)
    assert {a["status"] for a in answers} >= {200, 201, 204}
    operations = [e for e in record.events if e["type"] == "operation"]
    assert {(e["product_id"], e["event"]) for e in operations} >= {
        ("new", "succeeded"),
        ("same", "succeeded"),
        ("old", "succeeded"),
    }
    end = record.end
    assert end is not None
    assert (end["outcome"], end["result"]["ok"], end["verify"]["visible"]) == (
        "applied",
        True,
        True,
    )
    json.loads(path.read_text())  # one JSON document
    _assert_no_secret(path, issued)

    code, out, _ = run(capsys, config, "audit", "show", str(path))
    assert code == 0
    assert "Who:    alice (GITHUB_ACTOR)" in out
    assert "pull request #12" in out
    assert f"Plan:   {header['plan']['change_set_digest']}, 3 changes" in out
    assert re.search(r"#\d+ +apply +PUT +/v1/data-provider/cdr/products/same +200", out)
    assert "Verify: customers see the change (3 matches" in out
    assert "Outcome: applied" in out


def test_audit_record_after_a_partial_failure(tmp_path, capsys, served, monkeypatch):
    store, base_url, issued = served
    monkeypatch.delenv("GITHUB_ACTOR", raising=False)
    store.seed(catalog_of("a", "b").values())
    store.faults.fail_next("PUT", f"{PRODUCTS_PATH}/b", status=400, times=None)
    config = write_catalog(tmp_path, catalog_of("a", "b", name="X"), _config(base_url))
    code, _, _ = run(capsys, config, "apply", "--env", "staging", "--auto-approve")
    assert code == 1
    [path] = _records(tmp_path)
    record = read_record(path)
    assert record.header["who"]["source"] == "local user"
    assert record.end is not None
    assert record.end["outcome"] == "incomplete"
    assert record.end["verify"]["skipped"] == "the apply did not complete"
    failed = [
        e for e in record.events if e["type"] == "operation" and e["event"] == "failed"
    ]
    assert [e["product_id"] for e in failed] == ["b"]
    statuses = [e["status"] for e in record.events if e["type"] == "answer"]
    assert 400 in statuses
    _assert_no_secret(path, issued)
    code, out, _ = run(capsys, config, "audit", "show", str(path))
    assert "  update b: failed: " in out
    assert "Outcome: incomplete" in out


def test_audit_record_of_a_refused_apply(tmp_path, capsys, served):
    store, base_url, _issued = served
    store.seed(catalog_of("a").values())
    config = write_catalog(tmp_path, catalog_of("a", name="X"), _config(base_url))
    run(
        capsys, config, "plan", "--env", "staging", "--out", str(tmp_path / "plan.json")
    )
    store.seed(catalog_of("a", name="Moved underneath").values())
    code, _, err = run(capsys, config, "apply", str(tmp_path / "plan.json"))
    assert code == 1
    [path] = _records(tmp_path)
    record = read_record(path)
    assert record.end is not None
    assert record.end["outcome"] == "refused"
    assert record.end["error"] in err
    assert _calls(record)  # the token and the re-read that found the change


def test_audit_record_survives_sigkill_with_every_call(tmp_path, served):
    store, base_url, issued = served
    ids = [f"k{i:02}" for i in range(12)]
    config = write_catalog(tmp_path, catalog_of(*ids), _config(base_url))
    store.faults.add_latency(0.15, "POST", PRODUCTS_PATH)
    command = [
        sys.executable, "-m", "catalog_sync", "--config", str(config), "apply",
        "--env", "staging", "--auto-approve", "--parallelism", "1",
    ]  # fmt: skip
    env = {**os.environ, "CS_TEST_ID": "auditor", "CS_TEST_SECRET": SECRET}
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
    time.sleep(0.3)  # a create already inside the server may still finish
    [path] = _records(tmp_path)
    record = read_record(path)
    assert not record.is_complete
    served_calls = _served(store)
    recorded = _calls(record)
    # The plan's reads came before the record was opened; from the apply on, every
    # call the server saw is recorded.
    apply_calls = served_calls - Counter(
        {
            k: v
            for k, v in served_calls.items()
            if k[0] == "GET" and k[1] == PRODUCTS_PATH
        }
    )
    assert (
        recorded[("POST", PRODUCTS_PATH)] == apply_calls[("POST", PRODUCTS_PATH)] >= 4
    )
    assert all(recorded[key] >= 1 for key in apply_calls if key[1] != "/v1/token")
    _assert_no_secret(path, issued)
    with pytest.raises(json.JSONDecodeError):
        json.loads(path.read_text())

    capture = subprocess.run(
        [sys.executable, "-m", "catalog_sync", "audit", "show", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert capture.returncode == 0
    assert "Outcome: UNFINISHED: the apply was killed" in capture.stdout
