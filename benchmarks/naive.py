"""What a user would write instead of catalog-sync: a straightforward script that reads
each product file, GETs that product, compares, and PUTs or POSTs the difference, one
request at a time (sleeping on 429 as Retry-After says, or it could not finish at all)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from benchmarks.harness import PRODUCTS
from benchmarks.harness import token


@dataclass(frozen=True, slots=True)
class NaiveRun:
    seconds: float
    to_create: int
    to_update: int
    requests: int


def sync(base_url: str, products_dir: Path, *, write: bool) -> NaiveRun:
    """Plan (write=False) or plan-and-apply (write=True) the naive way."""
    started = time.perf_counter()
    creates = updates = 0
    with httpx.Client(base_url=base_url, timeout=60) as client:
        client.headers["Authorization"] = f"Bearer {token(client)}"
        requests = 1
        for path in sorted(products_dir.rglob("*.yaml")):
            desired = yaml.safe_load(path.read_text(encoding="utf-8"))
            url = f"{PRODUCTS}/{desired['productId']}"
            response = _send(client, "GET", url)
            requests += 1
            if response.status_code == 404:
                creates += 1
                if write:
                    _send(client, "POST", PRODUCTS, desired).raise_for_status()
                    requests += 1
                continue
            response.raise_for_status()
            live = response.json()["data"]
            live.pop("lastUpdated", None)
            if live != desired:
                updates += 1
                if write:
                    _send(client, "PUT", url, desired).raise_for_status()
                    requests += 1
    return NaiveRun(time.perf_counter() - started, creates, updates, requests)


def _send(
    client: httpx.Client, method: str, url: str, body: Any = None
) -> httpx.Response:
    while True:
        response = client.request(method, url, json=body)
        if response.status_code != 429:
            return response
        time.sleep(float(response.headers.get("Retry-After", "1")))
