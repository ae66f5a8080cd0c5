"""`catalog-sync auth check` against the emulator over loopback: what each set of
credentials allows, the exit code, and no secret in the output."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog_sync.cli import main
from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.server import serve_in_thread
from catalog_sync.emulator.store import LOCAL_CLIENT_ID
from catalog_sync.emulator.store import LOCAL_CLIENT_SECRET
from catalog_sync.emulator.store import READ_SCOPE
from catalog_sync.emulator.store import WRITE_SCOPE
from catalog_sync.emulator.store import Store


@pytest.fixture
def config_file(tmp_path: Path) -> Iterator[Path]:
    store = Store()
    store.add_client("reader", "reader-secret-1234", [READ_SCOPE])
    store.add_client("writer-only", "writer-secret-1234", [WRITE_SCOPE])
    with serve_in_thread(make_app(store)) as base_url:
        path = tmp_path / "catalog-sync.yaml"
        path.write_text(
            "environments:\n  staging:\n"
            f"    base_url: {base_url}\n"
            "    client_id_env: CS_AUTH_ID\n    client_secret_env: CS_AUTH_SECRET\n"
        )
        yield path
    store.close()


def _check(config_file: Path, monkeypatch, capsys, client_id: str, secret: str):
    monkeypatch.setenv("CS_AUTH_ID", client_id)
    monkeypatch.setenv("CS_AUTH_SECRET", secret)
    with pytest.raises(SystemExit) as info:
        main(["--config", str(config_file), "auth", "check", "--env", "staging"])
    out = capsys.readouterr()
    assert secret not in out.out + out.err
    return info.value.code, out.out, out.err


def test_read_only_credentials_say_apply_is_refused(config_file, monkeypatch, capsys):
    code, out, _ = _check(
        config_file, monkeypatch, capsys, "reader", "reader-secret-1234"
    )
    assert code == 0
    assert (
        "plan: yes, drift: yes, apply: NO — these credentials lack "
        "api:provider.products.write; generate new credentials with that scope"
    ) in out


def test_full_credentials_can_do_everything(config_file, monkeypatch, capsys):
    code, out, _ = _check(
        config_file, monkeypatch, capsys, LOCAL_CLIENT_ID, LOCAL_CLIENT_SECRET
    )
    assert code == 0
    assert "plan: yes, drift: yes, apply: yes" in out


def test_write_only_credentials_cannot_plan(config_file, monkeypatch, capsys):
    code, out, _ = _check(
        config_file, monkeypatch, capsys, "writer-only", "writer-secret-1234"
    )
    assert code == 1
    # apply reads too (the plan, and every product again before writing)
    assert "plan: NO, drift: NO, apply: NO" in out
    assert "lack api:provider.products.read" in out


def test_wrong_secret_exits_1_without_echoing_it(config_file, monkeypatch, capsys):
    code, _, err = _check(
        config_file, monkeypatch, capsys, "reader", "not-the-secret-99"
    )
    assert code == 1
    assert "credentials rejected (invalid_client)" in err
    assert "CS_AUTH_ID / CS_AUTH_SECRET" in err


def test_unset_variable_is_named(config_file, monkeypatch, capsys):
    monkeypatch.delenv("CS_AUTH_ID", raising=False)
    monkeypatch.delenv("CS_AUTH_SECRET", raising=False)
    with pytest.raises(SystemExit) as info:
        main(["--config", str(config_file), "auth", "check", "--env", "staging"])
    assert info.value.code == 1
    assert "CS_AUTH_ID is not set" in capsys.readouterr().err


def test_a_write_probe_the_server_cannot_answer_leaves_apply_unknown(
    tmp_path, monkeypatch, capsys
):
    store = Store()
    store.faults.fail_next(
        "DELETE", "/v1/data-provider/cdr/products/*", status=405, times=None
    )
    with serve_in_thread(make_app(store)) as base_url:
        config = tmp_path / "catalog-sync.yaml"
        config.write_text(
            "environments:\n  staging:\n"
            f"    base_url: {base_url}\n"
            "    client_id_env: CS_AUTH_ID\n    client_secret_env: CS_AUTH_SECRET\n"
        )
        code, out, _ = _check(
            config, monkeypatch, capsys, LOCAL_CLIENT_ID, LOCAL_CLIENT_SECRET
        )
    store.close()
    assert code == 0
    assert (
        "plan: yes, drift: yes, apply: unknown "
        "(DELETE of a productId that cannot exist answered 405)\n"
    ) in out


def _unreachable_config(tmp_path: Path) -> tuple[Path, int]:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    config = tmp_path / "catalog-sync.yaml"
    config.write_text(
        "api:\n  max_attempts: 1\nenvironments:\n  staging:\n"
        f"    base_url: http://127.0.0.1:{port}\n"
        "    client_id_env: CS_AUTH_ID\n    client_secret_env: CS_AUTH_SECRET\n"
    )
    return config, port


@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_an_unreachable_host_is_a_clear_error_not_an_internal_one(
    tmp_path, monkeypatch, capsys, debug
):
    """`--debug` after the command (as the internal-error advice suggests) works too."""
    config, port = _unreachable_config(tmp_path)
    monkeypatch.setenv("CS_AUTH_ID", "someone")
    monkeypatch.setenv("CS_AUTH_SECRET", "unreachable-secret-1")
    with pytest.raises(SystemExit) as info:
        main(["--config", str(config), "auth", "check", "--env", "staging", *debug])
    err = capsys.readouterr().err
    assert info.value.code == 1
    assert f"Error: POST /v1/token: could not connect to http://127.0.0.1:{port}" in err
    assert "check the environment's base_url in catalog-sync.yaml" in err
    assert "Internal error" not in err
    assert "No such option" not in err
    assert "unreachable-secret-1" not in err


def test_debug_is_hoisted_only_before_a_double_dash():
    from catalog_sync.cli import hoist_debug

    assert hoist_debug(["a", "--debug", "--", "--debug"]) == [
        "--debug",
        "a",
        "--",
        "--debug",
    ]
    assert hoist_debug(["a", "--", "--debug"]) == ["a", "--", "--debug"]
    assert hoist_debug(["--debug", "a"]) == ["--debug", "a"]


def test_declared_scopes_decide_write_without_a_probe(tmp_path, monkeypatch, capsys):
    store = Store()
    store.token_scope = True
    store.add_client("reader", "reader-secret-1234", [READ_SCOPE])
    with serve_in_thread(make_app(store)) as base_url:
        config = tmp_path / "catalog-sync.yaml"
        config.write_text(
            "environments:\n  staging:\n"
            f"    base_url: {base_url}\n"
            "    client_id_env: CS_AUTH_ID\n    client_secret_env: CS_AUTH_SECRET\n"
        )
        code, out, _ = _check(
            config, monkeypatch, capsys, "reader", "reader-secret-1234"
        )
        deletes = store.ledger.count("DELETE", "/v1/data-provider/cdr/products/*")
    store.close()
    assert code == 0
    assert "apply: NO" in out
    assert "write access decided by: the token response's scope field" in out
    assert deletes == 0
