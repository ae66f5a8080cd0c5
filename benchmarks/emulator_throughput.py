"""Emulator throughput on loopback: requests per second for a list page and a single
product, with 1 and 8 concurrent httpx clients, so later benchmarks know whether the
emulator could be their bottleneck.

Run: `.venv/bin/python -m benchmarks.emulator_throughput [--seconds 3] [--products 200]`.
The emulator runs as a separate process (`catalog-sync emulator`), as users run it, so the
client threads do not share its interpreter lock. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

PRODUCTS = "/v1/data-provider/cdr/products"
PUBLIC = "/cds-au/v1/banking/products"


def synthetic_product(n: int) -> dict[str, object]:
    """A detail-sized product (fees, rates, features) like the example catalog's."""
    return {
        "productId": f"bench-{n:05}",
        "productCategory": "TRANS_AND_SAVINGS_ACCOUNTS",
        "name": f"Benchmark Account {n}",
        "description": "An everyday account used to measure the emulator. " * 4,
        "brand": "BENCH",
        "brandName": "Benchmark Bank",
        "isTailored": False,
        "effectiveFrom": "2024-01-01T00:00:00Z",
        "features": [
            {"featureType": "CARD_ACCESS", "additionalValue": "Visa debit card"},
            {"featureType": "NPP_PAYID"},
        ],
        "fees": [
            {
                "name": f"Monthly fee {k}",
                "feeType": "PERIODIC",
                "feeMethodUType": "fixedAmount",
                "fixedAmount": {"amount": "5.00"},
                "additionalValue": "P1M",
            }
            for k in range(3)
        ],
        "depositRates": [
            {
                "depositRateType": "VARIABLE",
                "rate": "0.0125",
                "applicationType": "PERIODIC",
                "applicationFrequency": "P1M",
            }
        ],
    }


@contextlib.contextmanager
def emulator_process(products: int) -> Iterator[str]:
    """`catalog-sync emulator` on a free loopback port, seeded; yields its base URL."""
    with tempfile.TemporaryDirectory() as seed_dir:
        for n in range(products):
            path = Path(seed_dir) / f"bench-{n:05}.json"
            path.write_text(json.dumps(synthetic_product(n)), encoding="utf-8")
        command = [sys.executable, "-m", "catalog_sync", "emulator", "--port", "0"]
        with subprocess.Popen(
            [*command, "--seed", seed_dir],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        ) as process:
            assert process.stdout is not None
            line = process.stdout.readline()
            if "listening on " not in line:
                raise RuntimeError(f"the emulator did not start: {line!r}")
            try:
                yield line.split("listening on ")[1].split()[0]
            finally:
                process.send_signal(signal.SIGINT)
                process.communicate(timeout=10)


def measure(
    base_url: str, path: str, headers: dict[str, str], *, workers: int, seconds: float
) -> tuple[float, float]:
    """(requests per second, median latency in ms) for `workers` clients, each with its
    own connection, calling GET `path` in a loop for `seconds`. The path `create`
    instead POSTs a new valid product each time (validated against the schema)."""
    stop = time.perf_counter() + seconds
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(workers * 10**6, 10**9))  # fresh ids per measurement

    def call(client: httpx.Client) -> None:
        if path == "create":
            body = synthetic_product(next(counter))
            client.post(PRODUCTS, json=body).raise_for_status()
        else:
            client.get(path).raise_for_status()

    def worker(_: int) -> None:
        local: list[float] = []
        with httpx.Client(base_url=base_url, headers=headers) as client:
            call(client)  # open the connection first
            while time.perf_counter() < stop:
                started = time.perf_counter()
                call(client)
                local.append(time.perf_counter() - started)
        with lock:
            latencies.extend(local)

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(worker, range(workers)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    median = latencies[len(latencies) // 2] * 1000 if latencies else float("nan")
    return len(latencies) / elapsed, median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per measurement")
    parser.add_argument("--products", type=int, default=200, help="products seeded")
    args = parser.parse_args()
    with emulator_process(args.products) as base_url:
        token = httpx.post(
            f"{base_url}/v1/token",
            json={"client_id": "local", "client_secret": "local-secret"},
        ).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        cases = [
            ("management list page (25 details)", f"{PRODUCTS}?page-size=25", auth),
            ("management product detail", f"{PRODUCTS}/bench-00042", auth),
            ("public list page (25 summaries)", f"{PUBLIC}?page-size=25", {"x-v": "5"}),
            ("public product detail", f"{PUBLIC}/bench-00042", {"x-v": "7"}),
            ("management create (schema-validated)", "create", auth),
        ]
        sys.stdout.write(
            f"Machine: {os.cpu_count()} CPUs (nproc), Python {platform.python_version()}, "
            f"{platform.system()} {platform.machine()}; {args.products} products seeded; "
            f"{args.seconds:g} s per cell; httpx {httpx.__version__}.\n\n"
            "| request | clients | requests/s | median latency (ms) |\n"
            "|---|---:|---:|---:|\n"
        )
        for name, path, headers in cases:
            for workers in (1, 8):
                rate, median = measure(
                    base_url, path, headers, workers=workers, seconds=args.seconds
                )
                sys.stdout.write(
                    f"| {name} | {workers} | {rate:,.0f} | {median:.2f} |\n"
                )
                sys.stdout.flush()


if __name__ == "__main__":
    main()
