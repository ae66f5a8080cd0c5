"""Checklist 56 (issue 15, item 1): apply under a token-bucket rate limit with a burst of
one, parallelism 8, over loopback HTTP against the emulator, on a fake clock shared by
client and server: every operation completes, a 429 is never a failed attempt, and the
result says how many 429s there were and how long requests waited on them."""

from __future__ import annotations

import random
from dataclasses import replace

from catalog_sync.config.model import ApiContract
from catalog_sync.config.model import Environment
from catalog_sync.config.model import default_config
from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.server import serve_in_thread
from catalog_sync.emulator.store import LOCAL_CLIENT_ID
from catalog_sync.emulator.store import LOCAL_CLIENT_SECRET
from catalog_sync.emulator.store import Store
from catalog_sync.fiskil.connect import ClientOptions
from catalog_sync.fiskil.connect import Credentials
from catalog_sync.fiskil.connect import connect_products
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.fiskil.redact import Secret
from catalog_sync.fiskil.scopes import Need
from catalog_sync.render.registry import render
from catalog_sync.workflow import ApplySettings
from catalog_sync.workflow import make_plan
from catalog_sync.workflow import run_apply
from tests.apply.harness import product
from tests.conftest import FakeClock

COUNT = 30


def test_apply_under_rate_10_burst_1_completes_with_no_operation_failed(tmp_path):
    clock = FakeClock()
    store = Store(now=clock.now, rate_limit=10, burst=1)
    # Few attempts, so that a 429 counted as one would fail the run at once.
    api = replace(ApiContract(), max_attempts=2, retry_budget=0)
    with serve_in_thread(make_app(store, validate=False)) as base_url:
        config = replace(default_config(tmp_path), api=api)

        def connect(
            env: Environment, need: Need, max_in_flight: int | None
        ) -> ProductsClient:
            return connect_products(
                base_url,
                Credentials(LOCAL_CLIENT_ID, Secret(LOCAL_CLIENT_SECRET)),
                api=api,
                need=need,
                options=ClientOptions(
                    clock=clock, rng=random.Random(5), max_in_flight=max_in_flight
                ),
            )

        desired = {f"p{i:02}": product(f"p{i:02}") for i in range(COUNT)}
        plan = make_plan(
            config, desired=desired, connect=connect, now="2026-12-01T00:00:00Z"
        )
        store.ledger.clear()
        result = run_apply(
            config, plan, settings=ApplySettings(parallelism=8), connect=connect
        )
    refused = sum(1 for entry in store.ledger.entries() if entry.status == 429)
    store_ids = sorted(store.products())
    store.close()
    assert result.counts() == {
        "done": COUNT,
        "failed": 0,
        "skipped-dependency": 0,
        "not-attempted": 0,
    }
    assert store_ids == sorted(desired)
    assert refused > 0  # the limit was hit, and waited out
    assert result.rate_limit.refused == refused
    assert result.rate_limit.waited_seconds > 0
    text = render("apply", "text", result)
    assert f"Rate limit: {refused} requests answered 429 and sent again" in text
