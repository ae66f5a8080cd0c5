from __future__ import annotations

import pytest

from catalog_sync.apply.bodies import body_problem
from catalog_sync.apply.bodies import check_bodies
from catalog_sync.errors import PlanFormatError
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from tests.apply.harness import product


def _change(action: Action, pid: str, after) -> Change:
    return Change(action, pid, None, None, None, None, None, after)


def test_a_valid_body_and_a_delete_pass():
    assert body_problem(_change(Action.CREATE, "a", product("a")), "cds-v7") is None
    assert body_problem(_change(Action.DELETE, "a", None), "cds-v7") is None
    check_bodies((_change(Action.RETIRE, "a", product("a")),), "cds-v6")


def test_a_body_nested_past_the_stack_is_a_problem_not_a_crash():
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    change = _change(Action.UPDATE, "a", product("a", features=deep))
    assert body_problem(change, "cds-v7") == "update 'a': the body nests too deeply"


def test_many_bad_bodies_show_the_first_five_and_count_the_rest():
    changes = tuple(
        _change(Action.CREATE, f"p{i}", product(f"p{i}", isTailored="x"))
        for i in range(7)
    )
    with pytest.raises(PlanFormatError) as excinfo:
        check_bodies(changes, "cds-v7")
    message = excinfo.value.message
    assert message.startswith("the plan would send 7 bodies that must not be sent")
    assert "create 'p4': isTailored" in message
    assert "create 'p5'" not in message
    assert message.endswith("… and 2 more")
