from __future__ import annotations

import pytest

from catalog_sync.errors import UnsafePlanError
from catalog_sync.plan.safety import check_removals
from catalog_sync.plan.safety import is_mass_removal


def test_check_removals_refuses_deletes_without_allow_delete():
    with pytest.raises(UnsafePlanError, match="deletes 1 product: A") as info:
        check_removals(
            [("A", "delete")], live_count=50, allow_delete=False, force=False
        )
    assert "--allow-delete" in str(info.value)


def test_check_removals_allows_a_few_deletes_with_the_flag():
    check_removals([("A", "delete")], live_count=50, allow_delete=True, force=False)


def test_check_removals_guards_mass_retirement_even_without_deletes():
    removals = [(f"P{i:02}", "retire") for i in range(4)]
    with pytest.raises(UnsafePlanError, match=r"removes 4 products of 10 live \(40 %"):
        check_removals(removals, live_count=10, allow_delete=False, force=False)
    check_removals(removals, live_count=10, allow_delete=False, force=True)


def test_check_removals_names_at_most_ten_products():
    removals = [(f"P{i:02}", "delete") for i in range(50)]
    with pytest.raises(UnsafePlanError) as info:
        check_removals(removals, live_count=50, allow_delete=True, force=False)
    assert "P00, P01" in str(info.value)
    assert "and 40 more" in str(info.value)


@pytest.mark.parametrize(
    ("removed", "live", "expected"),
    [(3, 10, False), (4, 10, True), (9, 9, False), (31, 100, True), (30, 100, False)],
)
def test_is_mass_removal_thresholds(removed, live, expected):
    assert is_mass_removal(removed, live) is expected


def test_already_retired_products_do_not_dilute_the_mass_removal_guard():
    """With `removal: retire` retired products stay live for ever. An emptied products
    folder must still be refused when most live products are long retired: 10 of the 10
    products still offered is 100 %, not 10 of 100."""
    from catalog_sync.plan.build import build_plan
    from catalog_sync.plan.planfile import plan_from_json
    from catalog_sync.plan.planfile import plan_to_json
    from catalog_sync.plan.safety import check_plan_safety

    def live_product(pid: str, **extra: str) -> dict[str, object]:
        return {
            "productId": pid,
            "productCategory": "TRANS_AND_SAVINGS_ACCOUNTS",
            "name": pid,
            "description": pid,
            "brand": "B",
            "isTailored": False,
            **extra,
        }

    live = {f"active{i:02}": live_product(f"active{i:02}") for i in range(10)}
    ended = "2026-01-01T00:00:00Z"
    live |= {
        f"old{i:02}": live_product(f"old{i:02}", effectiveTo=ended) for i in range(90)
    }
    plan = build_plan(
        {},
        live,
        removal="retire",
        environment="local",
        base_url="embedded",
        schema="cds-v7",
        now="2026-07-01T00:00:00Z",
    )
    assert plan.summary.retire == 10
    saved = plan_from_json(plan_to_json(plan))  # apply of a saved plan: same guard
    assert saved.retired_live == plan.retired_live
    for either in (plan, saved):
        with pytest.raises(UnsafePlanError, match=r"removes 10 products of 10 live"):
            check_plan_safety(either, allow_delete=False, force=False)
    check_plan_safety(plan, allow_delete=False, force=True)
