"""What every plan/apply scenario shares: a catalog folder with a catalog-sync.yaml whose
`bench` environment points at `catalog-sync emulator` running as its own process on
loopback, and the real CLI run as a subprocess, timed, with its peak memory."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
CLI = Path(sys.executable).parent / "catalog-sync"
CLIENT_ID = "bench"
# A throwaway credential for a loopback emulator that lives for one scenario.
CLIENT_SECRET = "bench-secret-not-real"
SCOPES = "api:provider.products.read,api:provider.products.write"
PRODUCTS = "/v1/data-provider/cdr/products"
PAGE_SIZE = 500


@dataclass(frozen=True, slots=True)
class CliRun:
    """One finished `catalog-sync` process: wall seconds, peak RSS, output."""

    seconds: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str

    def timings(self) -> dict[str, float]:
        """The stage durations printed with CATALOG_SYNC_TIMINGS=1 (empty if none)."""
        for line in self.stderr.splitlines():
            if line.startswith('{"timings"'):
                stages: dict[str, float] = json.loads(line)["timings"]
                return stages
        return {}


def write_config(root: Path, base_url: str) -> None:
    """catalog-sync.yaml with one http environment, `bench`, at the emulator."""
    (root / "catalog-sync.yaml").write_text(
        "products_dir: products\nschema: cds-v7\nremoval: retire\n"
        f"api:\n  page_size: {PAGE_SIZE}\n"
        # Bulk applies opt into the list re-read (docs/apply.md, stale plans): one
        # request per write instead of two, without If-Match on those writes.
        "  stale_check: auto\n"
        "environments:\n  bench:\n"
        f"    base_url: {base_url}\n"
        "    client_id_env: BENCH_CLIENT_ID\n"
        "    client_secret_env: BENCH_CLIENT_SECRET\n",
        encoding="utf-8",
    )


def cli_env() -> dict[str, str]:
    """The environment for CLI children: credentials set, CI markers removed."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CI", "GITHUB_ACTIONS")
    }
    env.update(
        BENCH_CLIENT_ID=CLIENT_ID,
        BENCH_CLIENT_SECRET=CLIENT_SECRET,
        CATALOG_SYNC_TIMINGS="1",
    )
    return env


def run_cli(root: Path, *args: str, check: bool = True) -> CliRun:
    """`catalog-sync ARGS` in `root`; wall time and the child's own peak RSS (wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(CLI), *args], cwd=root, stdout=out, stderr=err, env=cli_env()
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        run = CliRun(
            seconds=seconds,
            peak_mb=usage.ru_maxrss / 1024,
            returncode=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )
    if check and run.returncode not in (0, 2):
        raise RuntimeError(
            f"catalog-sync {' '.join(args)} exited {run.returncode}:\n{run.stderr[-2000:]}"
        )
    return run


@contextlib.contextmanager
def emulator(
    *,
    seed_dir: Path | None = None,
    rate_limit: float | None = None,
    burst: float | None = None,
    latency: float | None = None,
) -> Iterator[str]:
    """`catalog-sync emulator` on a free loopback port (in memory, control endpoints on);
    yields its base URL and stops it afterwards."""
    command = [str(CLI), "emulator", "--port", "0", "--control"]
    command += ["--client", f"{CLIENT_ID}:{CLIENT_SECRET}:{SCOPES}"]
    if seed_dir is not None:
        command += ["--seed", str(seed_dir)]
    if rate_limit is not None:
        command += ["--rate-limit", str(rate_limit)]
    if burst is not None:
        command += ["--burst", str(burst)]
    if latency is not None:
        command += ["--latency", str(latency)]
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=cli_env(),
    ) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        if "listening on " not in line:
            process.kill()
            raise RuntimeError(f"the emulator did not start: {line!r}")
        try:
            yield line.split("listening on ")[1].split()[0]
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()


def token(client: httpx.Client) -> str:
    response = client.post(
        "/v1/token", json={"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    )
    response.raise_for_status()
    body = response.json()
    return str(body.get("token") or body["access_token"])


def fetch_floor(base_url: str) -> float:
    """Seconds to get a token and fetch + JSON-parse every list page with plain httpx."""
    started = time.perf_counter()
    with httpx.Client(base_url=base_url, timeout=60) as client:
        client.headers["Authorization"] = f"Bearer {token(client)}"
        page = 1
        while True:
            response = client.get(
                PRODUCTS, params={"page": page, "page-size": PAGE_SIZE}
            )
            response.raise_for_status()
            body = response.json()
            if not body["data"]["products"] or not body.get("links", {}).get("next"):
                break
            page += 1
    return time.perf_counter() - started


def ledger(base_url: str) -> list[dict[str, Any]]:
    """Every request the emulator served (its /_emulator/ledger)."""
    with httpx.Client(base_url=base_url, timeout=60) as client:
        response = client.get("/_emulator/ledger")
        response.raise_for_status()
        entries: list[dict[str, Any]] = response.json()["entries"]
        return entries
