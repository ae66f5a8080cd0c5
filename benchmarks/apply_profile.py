"""Where an apply's time goes: one apply scenario of `make bench` (1,000 updates against
a rate-limited emulator, or 1,000 creates with injected latency), timed from the
emulator's ledger: start-up until the first request and the first write, the writes'
span, 429s, requests in flight, server time, and the CPU each process used.

    .venv/bin/python -m benchmarks.apply_profile updates
    .venv/bin/python -m benchmarks.apply_profile creates --parallelism 8
    .venv/bin/python -m benchmarks.apply_profile creates --py-spy p8.txt --gil

`--py-spy FILE` records the apply with py-spy (`pip install py-spy`) as collapsed
stacks; `--gil` samples only the thread holding the GIL (CPU, not waiting).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.catalog_gen import change_products
from benchmarks.harness import CLI
from benchmarks.harness import cli_env
from benchmarks.harness import emulator
from benchmarks.harness import ledger
from benchmarks.harness import run_cli
from benchmarks.harness import write_config
from benchmarks.scenarios import LATENCY
from benchmarks.scenarios import RATE_LIMIT
from benchmarks.scenarios import SEED
from benchmarks.scenarios import make_catalog

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", choices=["updates", "creates"])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--parallelism", type=int, default=None)
    parser.add_argument("--work", type=Path, default=Path(".bench-apply"))
    parser.add_argument("--py-spy", dest="py_spy", type=Path, default=None)
    parser.add_argument("--gil", action="store_true")
    args = parser.parse_args()
    figures = profile(
        args.scenario,
        args.work.resolve(),
        count=args.count,
        parallelism=args.parallelism,
        py_spy=args.py_spy,
        gil=args.gil,
    )
    print(json.dumps(figures, indent=2))  # noqa: T201 (a benchmark script reports)


def profile(
    scenario: str,
    work: Path,
    *,
    count: int,
    parallelism: int | None = None,
    py_spy: Path | None = None,
    gil: bool = False,
) -> dict[str, Any]:
    """Run one apply of `scenario` and return its figures (seconds from its start)."""
    root, seed_dir = work / scenario, work / f"{scenario}-seed"
    if not (root / "products").exists():
        if scenario == "updates":
            make_catalog(root, count, seed_dir=seed_dir)
            change_products(root, count, seed=SEED)
        else:
            make_catalog(root, count)
    if scenario == "updates":
        server = emulator(seed_dir=seed_dir, rate_limit=RATE_LIMIT)
    else:
        server = emulator(latency=LATENCY)
    command = [str(CLI), "apply", "plan.json", "--auto-approve"]
    if parallelism is not None:
        command += ["--parallelism", str(parallelism)]
    if py_spy is not None:
        spy = ["py-spy", "record", "-r", "200", "-f", "raw", "-o", str(py_spy)]
        command = [*spy, "--threads", *(["--gil"] if gil else []), "--", *command]
    with server as url:
        write_config(root, url)
        run_cli(root, "plan", "--env", "bench", "--out", "plan.json")
        seen = len(ledger(url))
        emulator_cpu = _emulator_cpu()
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.time()
        done = subprocess.run(
            command, cwd=root, env=cli_env(), capture_output=True, text=True
        )
        ended = time.time()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        emulator_cpu = _emulator_cpu() - emulator_cpu
        entries = ledger(url)[seen:]
    figures = _ledger_figures(entries, started)
    figures.update(
        scenario=scenario,
        parallelism=parallelism,
        seconds=round(ended - started, 2),
        returncode=done.returncode,
        apply_cpu_seconds=round(
            after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime, 2
        ),
        emulator_cpu_seconds=round(emulator_cpu, 2),
        load_average=os.getloadavg(),
    )
    if done.returncode != 0:
        figures["stderr"] = done.stderr[-2000:]
    return figures


def _ledger_figures(entries: list[dict[str, Any]], started: float) -> dict[str, Any]:
    writes = [e for e in entries if e["method"] in WRITES and "/token" not in e["path"]]
    first, last = entries[0], max(entries, key=lambda e: e["at"] + e["elapsed"])
    served = sorted(e["elapsed"] for e in writes)
    in_flight = Counter(e.get("in_flight") for e in writes)
    return {
        "requests": len(entries),
        "writes": len(writes),
        "answered_429": sum(1 for e in entries if e["status"] == 429),
        "first_request_at": round(first["at"] - started, 2),
        "first_write_at": round(writes[0]["at"] - started, 2) if writes else None,
        "last_response_at": round(last["at"] + last["elapsed"] - started, 2),
        "throttled_at": [
            round(e["at"] - started, 2) for e in entries if e["status"] == 429
        ],
        "writes_in_flight": dict(sorted(in_flight.items())),
        "write_server_seconds_p50_p90": [
            round(served[len(served) // 2], 4),
            round(served[int(len(served) * 0.9)], 4),
        ]
        if served
        else None,
    }


def _emulator_cpu() -> float:
    """CPU seconds used so far by the emulator this process started (Linux /proc; 0
    elsewhere)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == os.getpid() and b"emulator" in command:
            ticks = os.sysconf("SC_CLK_TCK")
            return (int(fields[11]) + int(fields[12])) / ticks
    return 0.0


if __name__ == "__main__":
    main()
