"""`make bench`: every plan/apply scenario against `catalog-sync emulator` over loopback,
each running the real CLI; prints a table and rewrites this benchmark's sections of
docs/benchmarks.md (machine, versions, figures, targets, how to reproduce).

Run: `.venv/bin/python -m benchmarks.run [--scale 1.0 | --quick] [--no-record]`;
`--only apply` runs the apply scenarios alone and prints their rows (docs untouched).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import scenarios

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "benchmarks.md"
PLAN_PRODUCTS = 10_000
APPLY_PRODUCTS = 1_000
DEPENDENCIES = ("click", "httpx", "PyYAML", "jsonschema", "deepdiff", "rich")
Row = tuple[str, str, str, str]  # scenario, measured, target, verdict


def machine() -> str:
    """nproc, CPU model, RAM, OS, Python and dependency versions, load."""
    cpu = _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "?"
    mem_kb = _proc_field("/proc/meminfo", "MemTotal").split()[0:1]
    ram = f"{int(mem_kb[0]) / 1024**2:.1f} GiB" if mem_kb else "?"
    versions = ", ".join(f"{name} {_version(name)}" for name in DEPENDENCIES)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{len(os.sched_getaffinity(0))} CPUs (nproc), {cpu}, {ram} RAM, "
        f"{platform.system()} {platform.machine()}; Python {platform.python_version()}; "
        f"{versions}; load average at the end {load}"
    )


def judge(
    plan: dict[str, Any],
    upd: dict[str, Any],
    cre: dict[str, Any],
    small: dict[str, Any],
) -> list[Row]:
    rows: list[Row] = []
    n = plan["products"]
    unchanged, changed = plan["unchanged"], plan["changed"]
    total = unchanged["run"].seconds
    stages = unchanged["timings"]
    diff_share = stages.get("diff", 0.0) / total
    floor = plan["fetch_floor"] + plan["validate"]
    rows.append(
        (
            f"plan {n:,}, nothing changed: stages",
            ", ".join(f"{k} {v:.2f} s" for k, v in stages.items())
            + f"; whole process {total:.2f} s",
            "diff < 10 % of total",
            _verdict(diff_share < 0.10, f"diff {diff_share:.1%}"),
        )
    )
    rows.append(
        (
            f"plan {n:,}, nothing changed: vs floor",
            f"{total:.2f} s; floor {floor:.2f} s (plain httpx fetch+parse "
            f"{plan['fetch_floor']:.2f} s + cold `validate` {plan['validate']:.2f} s)",
            "<= 2x floor",
            _verdict(total <= 2 * floor, f"{total / floor:.2f}x"),
        )
    )
    peak = unchanged["run"].peak_mb
    rows.append(
        (
            f"plan {n:,}, nothing changed: peak memory",
            f"{peak:.0f} MB",
            "< 500 MB",
            _verdict(peak < 500, ""),
        )
    )
    ratio = changed["run"].seconds / total
    expected = plan["changed_expected"]
    rows.append(
        (
            f"plan {n:,}, 1 % changed ({changed['summary'][1]} of {expected} updates shown)",
            f"{changed['run'].seconds:.2f} s ("
            + ", ".join(f"{k} {v:.2f} s" for k, v in changed["timings"].items())
            + ")",
            "within 10 % of nothing changed",
            _verdict(
                ratio <= 1.10 and changed["summary"][1] == expected,
                f"{ratio:.2f}x",
            ),
        )
    )
    rows += _apply_rows(upd, cre)
    rows.append(_small_burst_row(small))
    naive_plan = plan["naive_plan"]
    rows.append(
        (
            f"naive script, plan {n:,} (GET each, sequential)",
            f"{naive_plan.seconds:.2f} s ({naive_plan.requests:,} requests)",
            "report the ratio",
            _ratio(naive_plan.seconds, total),
        )
    )
    naive_apply, apply_seconds = upd["naive_apply"], upd["apply"].seconds
    rows.append(
        (
            f"naive script, apply {upd['products']:,} updates at 50 req/s",
            f"{naive_apply.seconds:.2f} s ({naive_apply.requests:,} requests)",
            "report the ratio",
            "n/a: the catalog-sync apply failed"
            if upd["apply"].returncode
            else _ratio(naive_apply.seconds, apply_seconds),
        )
    )
    return rows


def _apply_rows(upd: dict[str, Any], cre: dict[str, Any]) -> list[Row]:
    m = upd["products"]
    seconds = upd["apply"].seconds
    ops_rate = m / seconds  # updates completed per second (retried writes not counted)
    # The bound: 1,000 updates at 90 % of 50 requests/s is 22.3 s (rounded up).
    bound = math.ceil(m / (0.9 * scenarios.RATE_LIMIT) * 10) / 10
    failed = upd["apply"].returncode != 0
    p1, p8 = cre["p1"].seconds, cre["p8"].seconds
    return [
        (
            f"apply {m:,} updates, emulator limit 50 req/s",
            f"{seconds:.2f} s; {upd['requests']:,} requests "
            f"({upd['requests'] / seconds:.1f}/s), {upd['writes']:,} writes "
            f"sent, {upd['throttled']} answered 429; "
            + (
                f"FAILED: {upd['error'].replace('|', '/')}"
                if failed
                else "no operation failed"
            ),
            f"<= {bound:.1f} s, no failure from 429",
            _verdict(
                seconds <= bound and not failed,
                "the apply failed"
                if failed
                else f"updates at {ops_rate / scenarios.RATE_LIMIT:.0%} of the limit, requests "
                f"at {upd['requests'] / seconds / scenarios.RATE_LIMIT:.0%}",
            ),
        ),
        (
            f"apply {cre['products']:,} creates, 20 ms latency",
            f"--parallelism 1: {p1:.2f} s; --parallelism 8: {p8:.2f} s",
            "p8 >= 6x faster than p1",
            _verdict(p1 / p8 >= 6 and not cre["p8"].returncode, f"{p1 / p8:.2f}x"),
        ),
    ]


def _small_burst_row(small: dict[str, Any]) -> Row:
    rate, burst, count, parallelism = scenarios.SMALL_BURST
    run = small["apply"]
    failed = run.returncode != 0
    share = small["learned_rate"] / rate
    return (
        f"apply {count} creates, emulator limit {rate:g} req/s burst {burst:g}, "
        f"--parallelism {parallelism}",
        f"{run.seconds:.2f} s; {small['requests']} requests, {small['throttled']} "
        f"answered 429; accepted {small['learned_rate']:.2f}/s over the second half "
        f"({small['overall_rate']:.2f}/s from the first request); "
        + ("FAILED" if failed else "no operation failed"),
        ">= 80 % of the limit once learned, no operation failed",
        _verdict(share >= 0.8 and not failed, f"{share:.0%} of the limit"),
    )


def table(rows: list[Row]) -> str:
    lines = ["| scenario | measured | target | result |", "|---|---|---|---|"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    return "\n".join(lines)


def _ratio(script: float, ours: float) -> str:
    """The script's time over catalog-sync's, worded either way round."""
    ratio = script / ours
    if ratio >= 1:
        return f"script/catalog-sync {ratio:.2f}: catalog-sync {ratio:.2f}x faster"
    return f"script/catalog-sync {ratio:.2f}: catalog-sync {1 / ratio:.2f}x slower"


def _verdict(met: bool, detail: str) -> str:
    word = "met" if met else "MISSED"
    return f"{word} ({detail})" if detail else word


def _proc_field(path: str, name: str) -> str:
    try:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.startswith(name):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="size multiplier")
    parser.add_argument("--quick", action="store_true", help="same as --scale 0.1")
    parser.add_argument("--no-record", action="store_true", help="leave docs alone")
    parser.add_argument(
        "--only",
        choices=("apply",),
        help="run only the apply scenarios and print their rows (docs untouched)",
    )
    args = parser.parse_args(argv)
    scale = 0.1 if args.quick else args.scale
    n, m = max(16, int(PLAN_PRODUCTS * scale)), max(16, int(APPLY_PRODUCTS * scale))
    if args.only == "apply":
        return _apply_only(m)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="catalog-sync-bench-") as folder:
        work = Path(folder)
        _say(f"plan: {n:,} products")
        plan = scenarios.plan_at_scale(work, n)
        _say(f"apply: {m:,} updates at {scenarios.RATE_LIMIT:g} req/s")
        upd = scenarios.apply_updates(work, m)
        _say(f"apply: {m:,} creates, {scenarios.LATENCY * 1000:g} ms latency")
        cre = scenarios.apply_creates(work, m)
        _say("apply: creates under a small-burst rate limit")
        small = scenarios.apply_small_burst(work)
    rows = judge(plan, upd, cre, small)
    elapsed = time.perf_counter() - started
    from benchmarks.report import record
    from benchmarks.report import section

    text = section(
        table(rows), machine(), plan, scale=scale, elapsed=elapsed, full=scale == 1.0
    )
    sys.stdout.write(table(rows) + "\n")
    if not args.no_record:
        record(DOC, text)
        _say(f"wrote {DOC.relative_to(REPO)}")
    return 0


def _apply_only(m: int) -> int:
    with tempfile.TemporaryDirectory(prefix="catalog-sync-bench-") as folder:
        work = Path(folder)
        _say(f"apply: {m:,} updates at {scenarios.RATE_LIMIT:g} req/s")
        upd = scenarios.apply_updates(work, m)
        _say(f"apply: {m:,} creates, {scenarios.LATENCY * 1000:g} ms latency")
        cre = scenarios.apply_creates(work, m)
        _say("apply: creates under a small-burst rate limit")
        small = scenarios.apply_small_burst(work)
    naive = upd["naive_apply"]
    rows = [*_apply_rows(upd, cre), _small_burst_row(small)]
    rows.append(
        (
            f"naive script, apply {m:,} updates at 50 req/s",
            f"{naive.seconds:.2f} s ({naive.requests:,} requests)",
            "report the ratio",
            _ratio(naive.seconds, upd["apply"].seconds),
        )
    )
    sys.stdout.write(table(rows) + "\n")
    return 0


def _say(message: str) -> None:
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


if __name__ == "__main__":
    raise SystemExit(main())
