"""`catalog-sync emulator`: option parsing, refusals, and a real run in a subprocess."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import click
import httpx
import pytest

from catalog_sync.cli import main
from catalog_sync.cli.emulator import parse_client

READ = "api:provider.products.read"
WRITE = "api:provider.products.write"
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (f"ci:s3cret:{READ}", ("ci", "s3cret", (READ,))),
        (f"ci:s3cret:{READ},{WRITE}", ("ci", "s3cret", (READ, WRITE))),
        (f"ci:s3cret: {READ} , ", ("ci", "s3cret", (READ,))),
    ],
)
def test_parse_client_splits_at_the_first_two_colons(spec, expected):
    assert parse_client(spec) == expected


@pytest.mark.parametrize(
    "spec", ["ci", "ci:hunter2", ":hunter2:scope", "ci::scope", "ci:hunter2:"]
)
def test_parse_client_refuses_incomplete_specs(spec):
    with pytest.raises(click.BadParameter) as info:
        parse_client(spec)
    assert "hunter2" not in str(info.value.message)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--host", "0.0.0.0"], "--allow-remote"),
        (["--fail", "POST /x 200"], "fail spec"),
        (["--latency", "soon"], "latency spec"),
        (["--client", "ci:only-secret"], "ID:SECRET:SCOPE"),
        (["--truncate", "GET /x keep=many"], "truncate spec"),
        (["--page-params", "page"], "--page-params"),
        (["--page-params", "page,page"], "two different names"),
        (["--public-versions", "5"], "--public-versions"),
    ],
)
def test_emulator_refuses_bad_options(capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["emulator", "--port", "0", *args])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert message in err
    assert "only-secret" not in err


def test_emulator_refuses_a_seed_folder_without_products(capsys, tmp_path):
    (tmp_path / "notes.yaml").write_text("- not\n- a product\n")
    with pytest.raises(SystemExit) as exit_info:
        main(["emulator", "--port", "0", "--seed", str(tmp_path)])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "cannot seed from these files" in err
    assert "notes.yaml:1:1" in err


def test_emulator_serves_until_interrupted(tmp_path):
    secret = "ci-very-secret-value"
    command = [
        sys.executable, "-m", "catalog_sync", "emulator", "--port", "0",
        "--db", str(tmp_path / "emulator.db"),
        "--client", f"ci:{secret}:{READ}",
        "--fail", "GET /cds-au/* 503 x1 retry-after=1",
        "--rate-limit", "1000",
    ]  # fmt: skip
    seed = REPO / "products"
    if seed.is_dir():
        command += ["--seed", str(seed)]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path
    ) as process:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert "listening on http://127.0.0.1:" in first, first
        base_url = first.split("listening on ")[1].split()[0]
        try:
            _exercise(base_url, secret, expect_products=seed.is_dir())
        finally:
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert secret not in first + out + err
    assert "Stopping the emulator." in err


def _exercise(base_url: str, secret: str, *, expect_products: bool) -> None:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        public = "/cds-au/v1/banking/products"
        assert client.get(public, headers={"x-v": "5"}).status_code == 503
        listed = client.get(public, params={"effective": "ALL"}, headers={"x-v": "5"})
        assert listed.status_code == 200
        assert (listed.json()["meta"]["totalRecords"] > 0) is expect_products
        token = client.post(
            "/v1/token", json={"client_id": "ci", "client_secret": secret}
        )
        headers = {"Authorization": f"Bearer {token.json()['token']}"}
        products = "/v1/data-provider/cdr/products"
        assert client.get(products, headers=headers).status_code == 200
        denied = client.post(products, json={"productId": "x"}, headers=headers)
        assert denied.status_code == 403
        assert denied.json()["scope"] == WRITE


@pytest.mark.skipif(
    threading.current_thread() is not threading.main_thread(),
    reason="SIGTERM handlers can only be set from the main thread",
)
def test_emulator_in_process_stops_on_sigterm_as_on_ctrl_c(capsys):
    with socket.socket() as probe:  # a free port, so the test knows where to look
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    seen: list[int] = []

    def use_then_terminate() -> None:
        url = f"http://127.0.0.1:{port}/cds-au/v1/banking/products"
        try:
            for _ in range(200):
                try:
                    seen.append(httpx.get(url, headers={"x-v": "5"}).status_code)
                    token = httpx.post(
                        f"http://127.0.0.1:{port}/v1/token",
                        json={"client_id": "ci", "client_secret": "ci-secret-5678"},
                    )
                    seen.append(token.status_code)
                    return
                except httpx.ConnectError:
                    time.sleep(0.05)
        finally:
            # Only to the emulator's handler: the default one would end the test run.
            if signal.getsignal(signal.SIGTERM) is not previous:
                os.kill(os.getpid(), signal.SIGTERM)

    previous = signal.getsignal(signal.SIGTERM)
    helper = threading.Thread(target=use_then_terminate)
    helper.start()
    try:
        with pytest.raises(SystemExit) as exit_info:
            main(
                [
                    "emulator", "--port", str(port), "--rate-limit", "1000",
                    "--client", f"ci:ci-secret-5678:{READ}",
                ]
            )  # fmt: skip
    finally:
        helper.join(timeout=10)
        signal.signal(signal.SIGTERM, previous)
    assert exit_info.value.code == 0
    assert seen == [200, 200]
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"Fiskil emulator listening on http://127.0.0.1:{port} (0 products seeded)",
        "Clients: local (secret: local-secret), ci",
        f"Get a token: curl -s -X POST http://127.0.0.1:{port}/v1/token "
        "-H 'Content-Type: application/json' "
        '-d \'{"client_id": "local", "client_secret": "local-secret"}\'',
        "Press Ctrl-C to stop.",
    ]
    assert "ci-secret-5678" not in out + err
    assert err == "Stopping the emulator.\n"
