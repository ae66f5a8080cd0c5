from __future__ import annotations

from dataclasses import replace
from typing import Any

from catalog_sync.apply.operations import Readiness
from catalog_sync.apply.operations import bundle_references
from catalog_sync.apply.operations import order_operations
from catalog_sync.plan.plan import Action


def _product(pid: str, *refs: str) -> dict[str, Any]:
    body: dict[str, Any] = {"productId": pid}
    if refs:
        body["bundles"] = [{"name": "b", "productIds": list(refs)}]
    return body


def test_bundle_references_collects_every_bundle():
    body = {
        "bundles": [
            {"name": "x", "productIds": ["A", "B"]},
            {"name": "y", "productIds": ["C"]},
            "not-a-bundle",
        ]
    }
    assert bundle_references(body) == {"A", "B", "C"}
    assert bundle_references(None) == frozenset()


def test_order_operations_creates_referenced_products_first():
    ops = order_operations(
        [
            ("P", Action.CREATE, None, _product("P", "Q", "X")),
            ("Q", Action.CREATE, None, _product("Q")),
            ("R", Action.UPDATE, _product("R"), _product("R", "Q")),
        ],
        etags={"R": '"7"'},
    )
    by_id = {op.product_id: op for op in ops}
    assert [op.product_id for op in ops] == ["P", "Q", "R"]
    assert by_id["P"].requires == {"Q"}  # X exists already: no dependency
    assert by_id["R"].requires == {"Q"}
    assert by_id["R"].if_match == '"7"'
    assert by_id["Q"].requires == frozenset()


def test_order_operations_runs_removals_after_upserts_referencers_first():
    ops = order_operations(
        [
            ("A", Action.DELETE, _product("A", "B"), None),
            ("B", Action.DELETE, _product("B"), None),
            ("C", Action.RETIRE, _product("C"), _product("C")),
            ("D", Action.CREATE, None, _product("D")),
        ]
    )
    by_id = {op.product_id: op for op in ops}
    assert by_id["B"].requires == {"A"}
    assert by_id["A"].after == {"D"}
    assert by_id["C"].after == {"D"}
    assert by_id["D"].after == frozenset()


def test_order_operations_drops_edges_of_a_bundle_cycle():
    ops = order_operations(
        [
            ("A", Action.CREATE, None, _product("A", "B")),
            ("B", Action.CREATE, None, _product("B", "A")),
            ("C", Action.CREATE, None, _product("C", "A")),
        ]
    )
    by_id = {op.product_id: op for op in ops}
    assert by_id["A"].requires == frozenset()
    assert by_id["B"].requires == {"A"}
    assert by_id["C"].requires == {"A"}


def test_readiness_frees_removals_once_every_upsert_has_finished():
    ops = order_operations(
        [
            ("A", Action.DELETE, _product("A", "B"), None),
            ("B", Action.DELETE, _product("B"), None),
            ("C", Action.RETIRE, _product("C"), _product("C")),
            ("D", Action.CREATE, None, _product("D")),
            ("E", Action.UPDATE, _product("E"), _product("E", "D")),
        ]
    )
    readiness = Readiness({op.product_id: op for op in ops})

    assert readiness.ready() == ["D"]
    assert readiness.finished("D") == ["E"]  # E's bundle names the created D
    assert readiness.finished("E") == ["A", "C"]  # every upsert done; B waits for A
    assert readiness.finished("C") == []
    assert readiness.finished("A") == ["B"]


def test_readiness_never_frees_what_waits_on_an_operation_not_in_the_run():
    ops = order_operations([("P", Action.CREATE, None, _product("P"))])
    waiting = {"Q": replace(ops[0], product_id="Q", requires=frozenset({"X"}))}
    readiness = Readiness({"P": ops[0], **waiting})

    assert readiness.ready() == ["P"]
    assert readiness.finished("P") == []
