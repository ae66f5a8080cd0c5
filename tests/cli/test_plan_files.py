"""Saved plan files are untrusted input to `apply` and `show`: only a regular file under
the size cap is read, nesting and invalid JSON are clear errors (exit 1, never an
internal error), and every body apply would send is validated again before the first
write (issue 15, item 6)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalog_sync.apply.saved_plan import read_plan_file
from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.server import serve_in_thread
from catalog_sync.emulator.store import Store
from catalog_sync.errors import PlanFormatError
from catalog_sync.plan.planfile import seal
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
    return (
        f"environments:\n  staging:\n    base_url: {base_url}\n"
        "    client_id_env: CS_TEST_ID\n    client_secret_env: CS_TEST_SECRET\n"
    )


@pytest.mark.parametrize("command", ["apply", "show"])
def test_a_device_is_refused_without_reading_it(tmp_path, capsys, command):
    config = write_catalog(tmp_path, {})
    code, out, err = run(capsys, config, command, "/dev/zero")
    assert code == 1
    assert "/dev/zero: cannot read the plan file: it is not a regular file" in err
    assert "Internal error" not in err + out


@pytest.mark.parametrize("command", ["apply", "show"])
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path, capsys, command):
    config = write_catalog(tmp_path, {})
    fifo = tmp_path / "plan.json"
    os.mkfifo(fifo)
    code, _, err = run(capsys, config, command, str(fifo))
    assert code == 1
    assert f"{fifo}: cannot read the plan file: it is not a regular file" in err


def test_a_plan_file_over_the_cap_is_refused_before_it_is_read(tmp_path, capsys):
    config = write_catalog(tmp_path, {})
    huge = tmp_path / "plan.json"
    with huge.open("wb") as handle:  # sparse: no gigabyte is written
        handle.truncate((1 << 30) + 1)
    code, _, err = run(capsys, config, "apply", str(huge))
    assert code == 1
    assert "1,073,741,825 bytes is larger than any plan file" in err
    assert "it was not read" in err


def test_a_file_larger_than_its_size_said_is_refused_too():
    # /proc files say they are empty; only reading finds out how large they are.
    with pytest.raises(PlanFormatError, match="larger than any plan file"):
        read_plan_file(Path("/proc/self/status"), max_bytes=10)


def test_deep_nesting_is_a_clear_error_not_an_internal_one(tmp_path, capsys):
    config = write_catalog(tmp_path, {})
    deep = tmp_path / "plan.json"
    deep.write_text("[" * 200_000)
    for command in ("apply", "show"):
        code, out, err = run(capsys, config, command, str(deep))
        assert code == 1
        assert "its JSON nests too deeply" in err
        assert "RecursionError" not in err + out
        assert "Internal error" not in err + out


def test_a_plan_file_that_is_not_utf8_or_missing_names_the_file(tmp_path, capsys):
    config = write_catalog(tmp_path, {})
    binary = tmp_path / "plan.json"
    binary.write_bytes(b"\xff\xfe{}")
    code, _, err = run(capsys, config, "show", str(binary))
    assert code == 1
    assert f"{binary}: cannot read the plan file: it is not UTF-8 text" in err
    code, _, err = run(capsys, config, "show", str(tmp_path / "missing.json"))
    assert code == 1
    assert "missing.json: cannot read the plan file: No such file" in err


def _tampered_plan(tmp_path: Path, capsys, served, edit) -> tuple[Path, Store, Path]:
    store, base_url = served
    store.seed([product("p01"), product("p02")])
    config = write_catalog(
        tmp_path,
        {
            "p01": product("p01", name="Ours"),
            "p02": product("p02"),
            "p03": product("p03"),
        },
        _config(base_url),
    )
    plan_file = tmp_path / "plan.json"
    code, _, _ = run(
        capsys, config, "plan", "--env", "staging", "--out", str(plan_file)
    )
    assert code == 0
    document = json.loads(plan_file.read_text())
    edit(document)
    plan_file.write_text(seal(document))  # the checksum is no signature: re-sealed
    store.ledger.clear()
    return config, store, plan_file


def _change(document: dict[str, Any], pid: str) -> dict[str, Any]:
    return next(c for c in document["changes"] if c["product_id"] == pid)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: _change(d, "p01")["after"].update(productId="p02"),
            "update 'p01' would send the body of productId 'p02'",
        ),
        (
            lambda d: _change(d, "p03")["after"].pop("productId"),
            "create 'p03' would send the body of productId None",
        ),
        (
            lambda d: _change(d, "p03")["after"].update(isTailored="sometimes"),
            "create 'p03': isTailored: ",
        ),
        (
            lambda d: _change(d, "p01")["after"].update(name=5, extra="x"),
            "update 'p01': extra: ",
        ),
        (
            lambda d: _change(d, "p03").update(after=None),
            "create 'p03' has no body to send",
        ),
        (
            lambda d: d.update(schema="cds-v99"),
            "the plan names schema 'cds-v99', which catalog-sync does not know",
        ),
    ],
)
def test_a_tampered_body_is_refused_before_any_write(
    tmp_path, capsys, served, edit, message
):
    config, store, plan_file = _tampered_plan(tmp_path, capsys, served, edit)
    code, out, err = run(capsys, config, "apply", str(plan_file))
    assert code == 1
    assert message in err
    assert "nothing was written" in err
    assert "Internal error" not in err + out
    assert writes(store) == []


def test_the_untampered_plan_still_applies(tmp_path, capsys, served):
    config, store, plan_file = _tampered_plan(tmp_path, capsys, served, lambda d: d)
    code, out, _ = run(capsys, config, "apply", str(plan_file))
    assert code == 0, out
    assert len(writes(store)) == 2
