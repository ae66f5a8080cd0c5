"""An independent cross-check of validate against the DSB's own texts (issue 12, item 7).

It reads `../shared/cdr/spec/_product_components.md` and `cds_banking.json` with its own
small parsers (not the schema generator's, not the generated schema) and, for every
x-conditional field of BankingProductDetailV7's objects, builds products that the texts
say are valid or invalid and asserts validate's verdict:

* `additionalValue` ("Whether mandatory or not is dependent on the value of [_xType_]"):
  the table its description links to gives, per type value, required / optional / N/A
  and a form. Each row is one rule: without a value (invalid if required), with a value
  in the form (valid), with a value in the wrong form (invalid), null (invalid if
  required).
* "Mandatory if the _x_ value is `V`": without the field when x is V (invalid), with it
  (valid), without it when x is another value (valid).
* "Mandatory if _xs_ includes one or more supporting documents": the same with the list
  non-empty or empty.

The wrong form of a text is `""`, and an N/A row accepts any value: the judgements
docs/schemas.md records. Count (v1.36.0): 136 rules, all enforced: the 117 rows of the
nine product tables and 19 other x-conditional fields (BankingFeeRate's three stale names
are no fields of V7 and are refused as unknown). Against the schemas before issue 12, 53.

Skipped, like the other real-data tests, when ../shared is absent.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from catalog_sync.catalog.validate import validate_document
from catalog_sync.yaml.document import Document

SPEC = Path(__file__).resolve().parents[3] / "shared" / "cdr" / "spec"
pytestmark = pytest.mark.skipif(
    not SPEC.is_dir(), reason="../shared/cdr/spec is absent"
)

ROOT = "BankingProductDetailV7"
JSON = dict[str, Any]

# --- the DSB texts, read here -------------------------------------------------------

_HEADING = re.compile(r'<h3 id="(tocS\w+)">([^<]+)</h3>')
_ROW = re.compile(r"\| ([A-Z][A-Z_]*) \| (.*) \| (.*) \|")


@dataclass(frozen=True)
class Row:
    description: str
    use: str


def read_tables(text: str) -> dict[str, dict[str, Row]]:
    """anchor (`tocSproductfeaturetypedoc`) -> type value -> its row."""
    tables: dict[str, dict[str, Row]] = {}
    anchor = None
    for line in text.splitlines():
        heading = _HEADING.search(line)
        if heading:
            anchor = heading.group(1)
            tables[anchor] = {}
        row = _ROW.fullmatch(line.strip())
        if row and anchor:
            tables[anchor][row.group(1)] = Row(row.group(2), row.group(3))
    return tables


def conditional_fields(components: JSON) -> list[tuple[str, str, JSON | None]]:
    """(object, field, its property or None) for each x-conditional name of every
    object BankingProductDetailV7 reaches."""
    seen: list[str] = []

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.append(name)
        for ref in re.findall(
            r'"#/components/schemas/(\w+)"', json.dumps(components[name])
        ):
            visit(ref)

    visit(ROOT)
    found = []
    for name in seen:
        props = components[name].get("properties", {})
        for field in components[name].get("x-conditional", []):
            found.append((name, field, props.get(field)))
    return found


# --- what the words mean (this module's own reading) ---------------------------------

SAMPLES = {
    "duration": "P1M",
    "amount": "100.00",
    "rate": "0.80",
    "whole number": "3",
    "text": "Described here",
}
WRONG = {
    "duration": "one month",
    "amount": "one hundred dollars",
    "rate": "80 percent",
    "whole number": "three",
    "text": "",
}


def reading(use: str) -> tuple[str, str | None]:
    """(presence, form) of a "Use of additionalValue Field" cell."""
    if use.strip() == "N/A":
        return "n/a", None
    optional = use.startswith("Optional") or "`null`" in use
    if "ISO 8601" in use:
        form = "duration"
    elif "AmountString" in use or "in AUD" in use:
        form = "amount"
    elif "RateString" in use:
        form = "rate"
    elif re.search(r"\b(number|years)\b", use, re.IGNORECASE):
        form = "whole number"
    else:
        form = "text"
    return ("optional" if optional else "required"), form


@dataclass(frozen=True)
class Condition:
    """`field` of `obj` is mandatory when field `when` of the same object has `value`
    (a discriminator and one of its values), or, with `value` None, when the list
    `when` is not empty."""

    obj: str
    field: str
    when: str
    value: str | None


_IF_VALUE = re.compile(
    r"Mandatory if (?:the )?\[?_(\w+)_\]?(?:\([^)]*\))? value is `(\w+)`"
)
_IF_LIST = re.compile(r"Mandatory if _(\w+)_ includes one or more")
_TABLE_LINK = re.compile(
    r"dependent on the value of (?:the )?\[_(\w+)_\]\(#(tocS\w+)\)"
)


def parse_condition(obj: str, field: str, description: str) -> Condition | None:
    found = _IF_VALUE.search(description)
    if found:
        return Condition(obj, field, found.group(1), found.group(2))
    found = _IF_LIST.search(description)
    if found:
        return Condition(obj, field, found.group(1), None)
    return None


# --- products to put the objects in --------------------------------------------------

BASE: JSON = {
    "productId": "cross-check",
    "productCategory": "TRANS_AND_SAVINGS_ACCOUNTS",
    "name": "Cross-check",
    "description": "A product built from the DSB's texts.",
    "brand": "CHECK",
    "isTailored": False,
}
_FEE = {"name": "Fee", "feeType": "EVENT", "feeMethodUType": "fixedAmount"}
_DISCOUNT = {
    "description": "Discount",
    "discountType": "ELIGIBILITY_ONLY",
    "discountMethodUType": "fixedAmount",
}
_DEPOSIT = {
    "depositRateType": "VARIABLE",
    "rate": "0.01",
    "applicationType": "MATURITY",
}
_LENDING = {
    "lendingRateType": "VARIABLE",
    "rate": "0.05",
    "applicationType": "UPFRONT",
    "repaymentType": "PRINCIPAL_AND_INTEREST",
    "loanPurpose": "OWNER_OCCUPIED",
}
FILLERS: dict[str, Any] = {
    "additionalInfo": "Described here",
    "applicationFrequency": "P1M",
    "fixedAmount": {"amount": "1.00"},
    "variable": {"feeMinimum": "1.00"},
    "eligibility": [{"discountEligibilityType": "STAFF"}],
}
"""A value for each conditional field (URIs and rateBased by object, below)."""


@dataclass(frozen=True)
class Home:
    """Where an object sits in a product: `place(item)` is the product, `path` the
    item's field path there; `base` the object's mandatory fields, `kind` its
    discriminator (None for additionalInformation)."""

    base: JSON
    kind: str | None
    place: Callable[[JSON], JSON]
    path: str


def _product(**fields: Any) -> JSON:
    return {**copy.deepcopy(BASE), **fields}


def _fee(**fields: Any) -> JSON:
    return {**_complete("BankingProductFeeV2", _FEE), **fields}


def _discount(**fields: Any) -> JSON:
    return {**_complete("BankingProductDiscountV2", _DISCOUNT), **fields}


def _deposit(**fields: Any) -> JSON:
    return {**_complete("BankingProductDepositRateV2", _DEPOSIT), **fields}


def _lending(**fields: Any) -> JSON:
    return {**_complete("BankingProductLendingRateV3", _LENDING), **fields}


def _tier(**fields: Any) -> JSON:
    return {"name": "t", "unitOfMeasure": "DOLLAR", "minimumValue": "0.00", **fields}


HOMES: dict[str, list[Home]] = {
    "BankingProductFeatureV4": [
        Home({}, "featureType", lambda i: _product(features=[i]), "features[0]")
    ],
    "BankingProductConstraintV3": [
        Home(
            {}, "constraintType", lambda i: _product(constraints=[i]), "constraints[0]"
        )
    ],
    "BankingProductEligibilityV2": [
        Home(
            {}, "eligibilityType", lambda i: _product(eligibility=[i]), "eligibility[0]"
        )
    ],
    "BankingProductFeeV2": [
        Home(_FEE, "feeType", lambda i: _product(fees=[i]), "fees[0]")
    ],
    "BankingProductDiscountV2": [
        Home(
            _DISCOUNT,
            "discountType",
            lambda i: _product(fees=[_fee(discounts=[i])]),
            "fees[0].discounts[0]",
        )
    ],
    "BankingProductDiscountEligibility": [
        Home(
            {},
            "discountEligibilityType",
            lambda i: _product(fees=[_fee(discounts=[_discount(eligibility=[i])])]),
            "fees[0].discounts[0].eligibility[0]",
        )
    ],
    "BankingProductDepositRateV2": [
        Home(
            _DEPOSIT,
            "depositRateType",
            lambda i: _product(depositRates=[i]),
            "depositRates[0]",
        )
    ],
    "BankingProductLendingRateV3": [
        Home(
            _LENDING,
            "lendingRateType",
            lambda i: _product(lendingRates=[i]),
            "lendingRates[0]",
        )
    ],
    "BankingProductRateConditionV2": [
        Home(
            {},
            "rateApplicabilityType",
            lambda i: _product(depositRates=[_deposit(applicabilityConditions=[i])]),
            "depositRates[0].applicabilityConditions[0]",
        ),
        Home(
            {},
            "rateApplicabilityType",
            lambda i: _product(
                lendingRates=[_lending(tiers=[_tier(applicabilityConditions=[i])])]
            ),
            "lendingRates[0].tiers[0].applicabilityConditions[0]",
        ),
    ],
    "BankingProductAdditionalInformationV2": [
        Home(
            {},
            None,
            lambda i: _product(additionalInformation=i),
            "additionalInformation",
        )
    ],
}


def _filler(obj: str, field: str) -> Any:
    if field == "rateBased":
        kind = "FEE" if obj == "BankingProductDiscountV2" else "BALANCE"
        return {"rateType": kind, "rate": "0.01"}
    if field.endswith("Uris"):
        return [{"additionalInfoUri": "https://example.com.au/more"}]
    if field.endswith("Uri"):
        return "https://example.com.au/page"
    return copy.deepcopy(FILLERS[field])


def _complete(obj: str, item: JSON) -> JSON:
    """`item` with every field the texts make mandatory for it (its additionalValue
    in the form its table gives, and every condition that holds)."""
    item = copy.deepcopy(item)
    kind = next((h.kind for h in HOMES.get(obj, []) if h.kind), None)
    table = TABLE_OF.get(obj, {})
    if kind and item.get(kind) in table:
        presence, form = reading(table[item[kind]].use)
        if presence == "required" and form:
            item.setdefault("additionalValue", SAMPLES[form])
    for condition in CONDITIONS:
        if condition.obj == obj and _holds(condition, item):
            item.setdefault(condition.field, _filler(obj, condition.field))
    return item


def _holds(condition: Condition, item: JSON) -> bool:
    if condition.value is None:
        return bool(item.get(condition.when))
    return item.get(condition.when) == condition.value


# --- the rules, read from the two files ----------------------------------------------


def _load() -> tuple[dict[str, dict[str, Row]], list[tuple[str, str, JSON | None]]]:
    if not SPEC.is_dir():
        return {}, []
    tables = read_tables((SPEC / "_product_components.md").read_text(encoding="utf-8"))
    spec = json.loads((SPEC / "cds_banking.json").read_text(encoding="utf-8"))
    return tables, conditional_fields(spec["components"]["schemas"])


def _sort(
    found: list[tuple[str, str, JSON | None]],
) -> tuple[
    dict[str, dict[str, Row]], list[Condition], list[tuple[str, str]], list[Any]
]:
    """The x-conditional names by kind: (object -> the table its additionalValue
    description links to, the "Mandatory if" conditions, the names with no such property
    in V7, and any name whose description this module cannot read)."""
    tables: dict[str, dict[str, Row]] = {}
    conditions: list[Condition] = []
    stale: list[tuple[str, str]] = []
    unread: list[Any] = []
    for obj, field, prop in found:
        if prop is None:
            stale.append((obj, field))
            continue
        description = prop.get("description", "")
        if obj not in HOMES:  # an object this module cannot yet place in a product
            unread.append((obj, field, description))
            continue
        link = _TABLE_LINK.search(description)
        condition = parse_condition(obj, field, description)
        if field == "additionalValue" and link and link.group(1) == HOMES[obj][0].kind:
            tables[obj] = TABLES[link.group(2)]
        elif condition:
            conditions.append(condition)
        else:
            unread.append((obj, field, description))
    return tables, conditions, stale, unread


TABLES, X_CONDITIONAL = _load()
TABLE_OF, CONDITIONS, STALE, UNREAD = _sort(X_CONDITIONAL)


@dataclass(frozen=True)
class Case:
    """One product and the verdict the DSB's texts give for it: valid (`problem` None),
    or exactly one problem at the field path `problem` (with `code`, when given)."""

    rule: str
    label: str
    product: JSON
    problem: str | None
    code: str | None = None


def _table_cases() -> Iterator[Case]:
    for obj, table in TABLE_OF.items():
        for home in HOMES[obj]:
            assert home.kind is not None
            for value, row in table.items():
                rule = f"{home.kind} {value}"
                presence, form = reading(row.use)
                item = _complete(obj, {**home.base, home.kind: value})
                item.pop("additionalValue", None)
                field = f"{home.path}.additionalValue"
                missing = field if presence == "required" else None
                yield Case(
                    rule, "without", home.place(item), missing, "schema.required"
                )
                null = home.place({**item, "additionalValue": None})
                yield Case(rule, "null", null, missing, "schema.rule")
                good = SAMPLES[form] if form else "Anything at all"
                yield Case(
                    rule, "in form", home.place({**item, "additionalValue": good}), None
                )
                if form:
                    wrong = {**item, "additionalValue": WRONG[form]}
                    yield Case(rule, "wrong form", home.place(wrong), field)


def _condition_cases() -> Iterator[Case]:
    for condition in CONDITIONS:
        rule = f"{condition.obj}.{condition.field}"
        for home in HOMES[condition.obj]:
            field = f"{home.path}.{condition.field}"
            on: JSON
            off: JSON
            if condition.value is None:
                on = {condition.when: _filler(condition.obj, condition.when)}
                off = {condition.when: []}
            else:
                on = {condition.when: condition.value}
                off = {condition.when: _another(condition)}
            with_it = _complete(condition.obj, {**home.base, **on})
            without = {k: v for k, v in with_it.items() if k != condition.field}
            yield Case(rule, "with", home.place(with_it), None)
            yield Case(rule, "without", home.place(without), field, "schema.required")
            other = _complete(condition.obj, {**home.base, **off})
            other.pop(condition.field, None)
            yield Case(rule, "not triggered", home.place(other), None)


def _another(condition: Condition) -> str:
    """A value of the discriminator other than the one that triggers the condition."""
    values = {
        "feeMethodUType": ["fixedAmount", "rateBased", "variable"],
        "discountMethodUType": ["fixedAmount", "rateBased"],
        "applicationType": ["MATURITY", "PERIODIC", "UPFRONT"],
    }.get(condition.when)
    if values is None:  # a *Type: any other row of its table
        values = list(TABLE_OF[condition.obj])
    return next(v for v in values if v != condition.value)


CASES = [*_table_cases(), *_condition_cases()]


def _verdict(product: JSON) -> list[tuple[str, str]]:
    doc = Document(path=Path("x.yaml"), display_path="x.yaml", data=product)
    return [(p.path, p.code) for p in validate_document(doc, "cds-v7")]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}: {c.label}" for c in CASES])
def test_validate_agrees_with_the_dsb_texts(case: Case) -> None:
    found = _verdict(case.product)
    if case.problem is None:
        assert found == []
    else:
        assert [path for path, _ in found] == [case.problem], found
        assert case.code in (None, found[0][1]), found


def test_every_x_conditional_rule_of_the_detail_object_is_checked() -> None:
    assert UNREAD == []
    # Rules enforced / total, for the issue note: every row of the nine product tables
    # (the account-only term deposit table is not linked from a product object) and
    # every other x-conditional field. The three stale names are refused as unknown.
    table_rules = {c.rule for c in _table_cases()}
    other_rules = {c.rule for c in _condition_cases()}
    assert (len(table_rules), len(other_rules)) == (117, 19)  # 136 rules, all enforced
    assert len(X_CONDITIONAL) == 31
    assert sorted(STALE) == [
        ("BankingFeeRate", "accruedRate"),
        ("BankingFeeRate", "balanceRate"),
        ("BankingFeeRate", "transactionRate"),
    ]
    assert set(TABLE_OF) == set(HOMES) - {"BankingProductAdditionalInformationV2"}


@pytest.mark.parametrize("name", ["accruedRate", "balanceRate", "transactionRate"])
def test_the_stale_x_conditional_names_are_not_fields_of_v7(name: str) -> None:
    fee = {
        **_FEE,
        "feeMethodUType": "rateBased",
        "rateBased": {"rateType": "BALANCE", "rate": "0.01", name: "0.01"},
    }
    assert _verdict({**BASE, "fees": [fee]}) == [
        (f"fees[0].rateBased.{name}", "schema.unknown-field")
    ]


def test_the_readers_find_what_the_dsb_files_hold() -> None:
    assert sum(len(rows) for rows in TABLES.values()) == 117 + 3  # + term deposits
    assert reading("N/A") == ("n/a", None)
    assert reading("Optional name of the service.") == ("optional", "text")
    assert reading(
        "The maximum number of additional cards. If no maximum then should be set to `null`."
    ) == (
        "optional",
        "whole number",
    )
