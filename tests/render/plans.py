"""Small plans for renderer tests, built by the real build_plan."""

from __future__ import annotations

import copy
from typing import Any

from catalog_sync.cds.desired import DesiredProduct
from catalog_sync.config.model import Removal
from catalog_sync.plan.build import build_plan
from catalog_sync.plan.diff import FieldChange
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from catalog_sync.plan.plan import Plan

NOW = "2026-07-01T00:00:00Z"


def product(pid: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "productId": pid,
        "lastUpdated": "2026-01-01T00:00:00Z",
        "productCategory": "RESIDENTIAL_MORTGAGES",
        "name": f"Home loan {pid}",
        "description": "A home loan",
        "brand": "Example",
        "isTailored": False,
        "fees": [
            {
                "name": "Monthly account fee",
                "feeType": "PERIODIC",
                "feeMethodUType": "fixedAmount",
                "fixedAmount": {"amount": "5.00"},
                "additionalValue": "P1M",
            }
        ],
        "lendingRates": [
            {
                "lendingRateType": "VARIABLE",
                "rate": "0.0524",
                "applicationType": "PERIODIC",
                "applicationFrequency": "P1M",
                "repaymentType": "PRINCIPAL_AND_INTEREST",
                "loanPurpose": "OWNER_OCCUPIED",
            }
        ],
    }
    body.update(extra)
    return body


def bonus_saver(pid: str = "saver") -> dict[str, Any]:
    """A savings account with a tiered bonus rate behind conditions (the issue's case)."""
    return {
        "productId": pid,
        "lastUpdated": "2026-01-01T00:00:00Z",
        "productCategory": "TRANS_AND_SAVINGS_ACCOUNTS",
        "name": "Bonus Saver",
        "description": "Earn a bonus each month you grow your balance",
        "brand": "Wattle",
        "isTailored": False,
        "depositRates": [
            {
                "depositRateType": "VARIABLE",
                "rate": "0.0100",
                "applicationType": "PERIODIC",
                "applicationFrequency": "P1M",
            },
            {
                "depositRateType": "BONUS",
                "rate": "0.035",
                "applicationType": "PERIODIC",
                "applicationFrequency": "P1M",
                "additionalValue": "Deposit at least $200 and make no withdrawals "
                "in the calendar month",
                "tiers": [
                    {
                        "name": "Bonus on balances up to $250,000",
                        "unitOfMeasure": "DOLLAR",
                        "minimumValue": "0.00",
                        "maximumValue": "250000.00",
                        "applicabilityConditions": [
                            {
                                "rateApplicabilityType": "MAX_WITHDRAWALS",
                                "additionalValue": "0",
                            },
                            {
                                "rateApplicabilityType": "MIN_DEPOSIT_AMOUNT",
                                "additionalValue": "200.00",
                            },
                        ],
                    }
                ],
            },
        ],
        "fees": [
            {
                "name": "Monthly fee",
                "feeType": "PERIODIC",
                "feeMethodUType": "fixedAmount",
                "fixedAmount": {"amount": "5.00"},
                "additionalValue": "P1M",
            }
        ],
        "constraints": [
            {"constraintType": "MIN_BALANCE", "additionalValue": "1000.00"}
        ],
        "eligibility": [{"eligibilityType": "MIN_AGE", "additionalValue": "18"}],
    }


def make_plan(
    desired: dict[str, Any], live: dict[str, Any], removal: Removal = "retire"
) -> Plan:
    return build_plan(
        desired,
        live,
        removal=removal,
        environment="staging",
        base_url="https://api.example.test",
        schema="cds-v7",
        now=NOW,
    )


def mixed_plan() -> Plan:
    """2 creates, 1 update (fee amount, rate, fee period), 1 retire."""
    live = {"a": product("a"), "gone": product("gone"), "same": product("same")}
    edited = copy.deepcopy(live["a"])
    edited["fees"][0]["fixedAmount"]["amount"] = "6.00"
    edited["fees"][0]["additionalValue"] = "P1Y6M"
    edited["lendingRates"][0]["rate"] = "0.0549"
    desired = {
        "a": DesiredProduct(edited, "products/example/a.yaml"),
        "same": product("same"),
        "new": product("new"),
        "new2": product("new2"),
    }
    return make_plan(desired, live)


def huge_plan(products: int = 3000, fields: int = 20) -> Plan:
    """A plan too big for one GitHub comment, built directly (no diffing needed)."""
    changes = tuple(
        Change(
            action=Action.UPDATE,
            product_id=f"product-{index:05d}",
            brand="Example",
            category="TERM_DEPOSITS",
            name=f"Term deposit {index}",
            file=f"products/example/product-{index:05d}.yaml",
            before={"productId": f"product-{index:05d}"},
            after={"productId": f"product-{index:05d}"},
            field_changes=tuple(
                FieldChange(
                    path=f'depositRates[depositRateType="FIXED",#{n}].rate',
                    label=f'depositRates["FIXED · P{n + 1}M"].rate',
                    subject=f'deposit rate "FIXED · P{n + 1}M"',
                    field="rate",
                    kind="changed",
                    before="0.0450",
                    after="0.0475",
                    unit="rate",
                )
                for n in range(fields)
            ),
            live_fingerprint="0" * 64,
        )
        for index in range(products)
    )
    return Plan(
        environment="production",
        base_url="https://api.example.test",
        schema="cds-v7",
        removal="retire",
        desired_digest="0" * 64,
        live_fingerprints={c.product_id: "0" * 64 for c in changes},
        changes=changes,
    )
