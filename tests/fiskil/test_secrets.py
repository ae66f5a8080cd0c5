"""Item 26: run representative client operations over loopback HTTP with catalog_sync,
httpx and httpcore logging at DEBUG, then prove that the client secret, every issued token
and any `Bearer <token>` appear in no log line, exception text, repr() or CLI output."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from catalog_sync.cli import main
from catalog_sync.config.load import load_config
from catalog_sync.emulator.store import LOCAL_CLIENT_SECRET
from catalog_sync.errors import CatalogSyncError
from catalog_sync.targets import read_credentials
from tests.fiskil.conftest import READONLY_ID
from tests.fiskil.conftest import READONLY_SECRET
from tests.fiskil.conftest import Harness
from tests.fiskil.conftest import product

LOGGERS = ("catalog_sync", "httpx", "httpcore")
BEARER_VALUE = re.compile(r"(?i)bearer\s+[A-Za-z0-9._~+/-]{16,}")


def _record_issued_tokens(harness: Harness, monkeypatch) -> list[str]:
    """Every token the emulator issues (the fake server's side, not our client's)."""
    issued: list[str] = []
    original = harness.store.issue_token

    def issue(client_id: str, secret: str):
        grant = original(client_id, secret)
        if grant is not None:
            issued.append(grant.token)
        return grant

    monkeypatch.setattr(harness.store, "issue_token", issue)
    return issued


def _exercise(harness: Harness, served: str) -> list[str]:
    """Token, list, create, 401 refresh, 403, invalid_client; returns exception texts."""
    texts: list[str] = []
    writer = harness.client(
        base_url=served, transport=httpx.HTTPTransport(), need="write"
    )
    list(writer.iter_products())
    writer.create_product(product("p1"))
    harness.store.revoke_tokens()
    writer.get_product("p1")
    reader = harness.client(
        client_id=READONLY_ID, secret=READONLY_SECRET, base_url=served,
        transport=httpx.HTTPTransport(),
    )  # fmt: skip
    stranger = harness.client(
        secret="wrong-" + LOCAL_CLIENT_SECRET,
        base_url=served,
        transport=httpx.HTTPTransport(),
    )
    calls: list[Callable[[], object]] = [
        lambda: reader.delete_product("p1"),
        lambda: reader.delete_product("p1"),
        lambda: stranger.get_product("p1"),
    ]
    for call in calls:
        with pytest.raises(CatalogSyncError) as info:
            call()
        texts += [str(info.value), repr(info.value), repr(info.value.args)]
    texts += [repr(c) for c in harness.clients]
    texts += [repr(c.auth) for c in harness.clients]
    texts += [repr(c.auth.log_filter) for c in harness.clients if c.auth]
    return texts


def test_no_secret_or_token_anywhere(
    harness: Harness, served: str, caplog, monkeypatch
):
    issued = _record_issued_tokens(harness, monkeypatch)
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    texts = _exercise(harness, served)
    tokens = set(issued)
    sent = {a for r in harness.recorders for _, _, a in r.sent if a is not None}
    assert sent == {f"Bearer {t}" for t in tokens}
    assert len(tokens) >= 3  # writer before and after the revoke, and the reader
    logs = [r.getMessage() for r in caplog.records] + [caplog.text]
    assert any("HTTP Request" in line for line in logs)  # httpx did log
    assert any(r.name.startswith("httpcore") for r in caplog.records)
    secrets = {LOCAL_CLIENT_SECRET, READONLY_SECRET, "wrong-" + LOCAL_CLIENT_SECRET}
    for text in logs + texts:
        for secret in secrets | tokens:
            assert secret not in text
        assert not BEARER_VALUE.search(text), text


def test_cli_auth_check_never_prints_credentials(
    harness: Harness, served: str, tmp_path: Path, monkeypatch, capsys, caplog
):
    issued = _record_issued_tokens(harness, monkeypatch)
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    config_file = tmp_path / "catalog-sync.yaml"
    config_file.write_text(
        "environments:\n"
        "  staging:\n"
        f"    base_url: {served}\n"
        "    client_id_env: CS_TEST_ID\n"
        "    client_secret_env: CS_TEST_SECRET\n"
    )
    monkeypatch.setenv("CS_TEST_ID", READONLY_ID)
    monkeypatch.setenv("CS_TEST_SECRET", READONLY_SECRET)
    with pytest.raises(SystemExit) as info:
        main(["--config", str(config_file), "auth", "check", "--env", "staging"])
    assert info.value.code == 0
    out = capsys.readouterr()
    config = load_config(config_file)
    env = config.environment("staging")
    texts = [out.out, out.err, caplog.text, repr(config), repr(env)]
    texts.append(
        repr(
            read_credentials(
                env, {"CS_TEST_ID": "x", "CS_TEST_SECRET": READONLY_SECRET}
            )
        )
    )
    assert len(issued) == 1
    for text in texts:
        assert READONLY_SECRET not in text
        assert issued[0] not in text
        assert not BEARER_VALUE.search(text), text
    assert "apply: NO" in out.out


def test_cli_apply_output_logs_and_audit_record_hold_no_secret(
    harness: Harness, served: str, tmp_path: Path, monkeypatch, capsys, caplog
):
    """An apply (token, re-reads, writes, a 401 refresh, the verify step) with DEBUG
    logging: no secret or token in its output, its logs or its audit record."""
    issued = _record_issued_tokens(harness, monkeypatch)
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    harness.store.seed([product("p0")])
    folder = tmp_path / "products" / "wattle"
    folder.mkdir(parents=True)
    for pid in ("p0", "p1"):
        body = {**product(pid), "name": "Renamed"}
        (folder / f"{pid}.yaml").write_text(json.dumps(body))
    config_file = tmp_path / "catalog-sync.yaml"
    config_file.write_text(
        "environments:\n  staging:\n"
        f"    base_url: {served}\n    public_base_url: {served}\n"
        "    client_id_env: CS_TEST_ID\n    client_secret_env: CS_TEST_SECRET\n"
    )
    monkeypatch.setenv("CS_TEST_ID", "local")
    monkeypatch.setenv("CS_TEST_SECRET", LOCAL_CLIENT_SECRET)
    harness.store.faults.fail_next("PUT", status=401)  # a refresh mid-apply
    with pytest.raises(SystemExit) as info:
        main(["--config", str(config_file), "apply", "--env", "staging",
              "--auto-approve"])  # fmt: skip
    out = capsys.readouterr()
    assert info.value.code == 0, out.err
    assert "Visible to customers" in out.out
    [record] = (tmp_path / ".catalog-sync" / "audit").glob("*.json")
    texts = [out.out, out.err, caplog.text, record.read_text(encoding="utf-8")]
    assert len(issued) >= 2  # the refresh issued a second token
    for text in texts:
        for secret in [LOCAL_CLIENT_SECRET, *issued]:
            assert secret not in text
        assert not BEARER_VALUE.search(text), text
