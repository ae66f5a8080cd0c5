"""validate_document / validate_data: one located, plain-English problem per mistake."""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any

import pytest

from catalog_sync.catalog.validate import validate_data
from catalog_sync.catalog.validate import validate_document
from catalog_sync.yaml.document import Document

VALID: dict[str, Any] = {
    "productId": "everyday-saver",
    "productCategory": "TRANS_AND_SAVINGS_ACCOUNTS",
    "name": "Everyday Saver",
    "description": "A savings account with bonus interest.",
    "brand": "Wattle Bank",
    "brandName": "Wattle",
    "isTailored": False,
    "effectiveFrom": "2026-07-13T00:00:00+10:00",
    "applicationUri": "https://wattle.example.com.au/apply",
    "additionalInformation": {"overviewUri": "https://wattle.example.com.au/saver"},
    "features": [{"featureType": "DIGITAL_BANKING"}],
    "fees": [
        {
            "name": "Paper statement",
            "feeType": "EVENT",
            "feeMethodUType": "fixedAmount",
            "fixedAmount": {"amount": "2.50"},
            "currency": "AUD",
        }
    ],
    "depositRates": [
        {
            "depositRateType": "VARIABLE",
            "rate": "0.0525",
            "applicationType": "PERIODIC",
            "applicationFrequency": "P1M",
            "tiers": [
                {
                    "name": "Up to $250k",
                    "unitOfMeasure": "DOLLAR",
                    "minimumValue": "0.00",
                    "maximumValue": "250000.00",
                }
            ],
        }
    ],
}


def product(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def document(data: dict[str, Any], **tables: Any) -> Document:
    return Document(path=Path("x.yaml"), display_path="x.yaml", data=data, **tables)


def problems(data: dict[str, Any], schema: str = "cds-v7") -> list[tuple[str, str]]:
    return [(p.path, p.code) for p in validate_document(document(data), schema)]


def test_valid_product_has_no_problems() -> None:
    assert validate_document(document(product()), "cds-v7") == []
    assert validate_document(document(product()), "cds-v6") == []


def test_explicit_nulls_for_optional_fields_are_absent() -> None:
    data = product(
        brandName=None, effectiveTo=None, additionalInformation=None, cardArt=None
    )
    data.update(
        brandName=None, effectiveTo=None, additionalInformation=None, cardArt=None
    )
    assert validate_document(document(data), "cds-v7") == []


def test_null_mandatory_field_is_a_problem() -> None:
    [problem] = validate_document(
        document(product(name=None) | {"name": None}), "cds-v7"
    )
    assert (problem.path, problem.code) == ("name", "schema.null")


def test_missing_fee_method_names_the_choices() -> None:
    data = product()
    del data["fees"][0]["feeMethodUType"]
    [problem] = validate_document(
        document(data, positions={("fees", 0): (20, 5)}), "cds-v7"
    )
    assert problem.path == "fees[0].feeMethodUType"
    assert (problem.line, problem.col) == (20, 5)
    assert (
        problem.hint == "add `feeMethodUType`: one of fixedAmount, rateBased, variable"
    )


def test_unknown_field_is_reported_at_its_key() -> None:
    data = product(colour="green")
    doc = document(
        data, key_positions={("colour",): (7, 1)}, positions={("colour",): (7, 9)}
    )
    [problem] = validate_document(doc, "cds-v7")
    assert (problem.line, problem.col, problem.path) == (7, 1, "colour")
    assert problem.code == "schema.unknown-field"


def test_last_updated_in_a_file_says_the_server_sets_it() -> None:
    data = product(lastUpdated="2026-01-01T00:00:00Z")
    [problem] = validate_document(document(data), "cds-v7")
    assert problem.path == "lastUpdated"
    assert "server" in problem.message
    assert problem.hint is not None
    assert "remove `lastUpdated`" in problem.hint


def test_validate_data_accepts_last_updated_from_the_server() -> None:
    data = product(lastUpdated="2026-01-01T00:00:00Z")
    assert validate_data(data, "cds-v7") == []
    [problem] = validate_data(product(lastUpdated="yesterday"), "cds-v7")
    assert (problem.file, problem.line, problem.path) == (
        "request body",
        0,
        "lastUpdated",
    )


@pytest.mark.parametrize(
    ("field", "make", "code"),
    [
        ("productId", lambda s: product(productId=s), "schema.too-long"),
        (
            "applicationUri",
            lambda s: product(applicationUri="https://x.example/" + s),
            "schema.too-long",
        ),
        (
            "effectiveFrom",
            lambda s: product(effectiveFrom="2026-01-01T" + s),
            "schema.datetime",
        ),
        ("description", lambda s: product(description=s), "schema.too-long"),
        (
            "depositRates[0].rate",
            lambda s: product(depositRates=[deposit_rate(rate="0." + s)]),
            "schema.format",
        ),
    ],
)
def test_adversarial_long_string_fails_fast_with_one_problem(
    field: str, make: Any, code: str
) -> None:
    # Too long and not in its format: the format problem (a long URI that is a URI, or
    # long free text, is "too long").
    data = make("1" * 25_000 + "a" * 25_000 + "!")
    started = time.perf_counter()
    [problem] = validate_document(document(data), "cds-v7")
    # a hang guard, not a speed test (benchmarks/ measure speed): the failure it
    # catches takes hours, so no load on the machine can reach this bound
    assert time.perf_counter() - started < 60
    assert (problem.path, problem.code) == (field, code)


@pytest.mark.parametrize("bad_id", ["a\x00b", "tab\t", "ä", ""])
def test_product_ids_that_are_not_printable_ascii_are_rejected(bad_id: str) -> None:
    assert problems(product(productId=bad_id)) == [("productId", "schema.format")]


def test_a_product_id_over_100_characters_is_too_long() -> None:
    assert problems(product(productId="x" * 101)) == [("productId", "schema.too-long")]


@pytest.mark.parametrize(
    "good_id", ["HOME EQUITY P", "../admin", "a/b", "%2e%2e", "abc ", " abc", "x" * 100]
)
def test_any_printable_ascii_product_id_is_valid(good_id: str) -> None:
    bundle = {"name": "Pack", "description": "Both", "productIds": [good_id, "other"]}
    assert problems(product(productId=good_id, bundles=[bundle])) == []


def fee(**fields: Any) -> dict[str, Any]:
    base = {
        "name": "Fee",
        "feeType": "EVENT",
        "feeMethodUType": "fixedAmount",
        "fixedAmount": {"amount": "1.00"},
    }
    return {k: v for k, v in (base | fields).items() if v is not None}


def discount(**fields: Any) -> dict[str, Any]:
    base = {
        "description": "Waived for staff",
        "discountType": "ELIGIBILITY_ONLY",
        "discountMethodUType": "fixedAmount",
        "fixedAmount": {"amount": "1.00"},
        "eligibility": [{"discountEligibilityType": "STAFF"}],
    }
    return {k: v for k, v in (base | fields).items() if v is not None}


def deposit_rate(**fields: Any) -> dict[str, Any]:
    base = {
        "depositRateType": "VARIABLE",
        "rate": "0.05",
        "applicationType": "PERIODIC",
        "applicationFrequency": "P1M",
    }
    return {k: v for k, v in (base | fields).items() if v is not None}


def bonus_rate(**fields: Any) -> dict[str, Any]:
    """A BONUS deposit rate with the criteria the standard requires in additionalValue."""
    return deposit_rate(
        depositRateType="BONUS", additionalValue="Deposit $200 a month", **fields
    )


def lending_rate(**fields: Any) -> dict[str, Any]:
    base = {
        "lendingRateType": "VARIABLE",
        "rate": "0.0589",
        "applicationType": "UPFRONT",
        "repaymentType": "PRINCIPAL_AND_INTEREST",
        "loanPurpose": "OWNER_OCCUPIED",
    }
    return {k: v for k, v in (base | fields).items() if v is not None}


RULE_CASES = [
    # (name, valid data, invalid data, expected (path, code) of the invalid one)
    (
        "feature OTHER needs additionalInfo",
        product(features=[{"featureType": "OTHER", "additionalInfo": "Free coffee"}]),
        product(features=[{"featureType": "OTHER"}]),
        [("features[0].additionalInfo", "schema.required")],
    ),
    (
        "constraint OTHER needs non-empty additionalInfo",
        product(constraints=[{"constraintType": "OTHER", "additionalInfo": "x"}]),
        product(constraints=[{"constraintType": "OTHER", "additionalInfo": ""}]),
        [("constraints[0].additionalInfo", "schema.rule")],
    ),
    (
        "eligibility OTHER needs additionalInfo",
        product(
            eligibility=[{"eligibilityType": "OTHER", "additionalInfo": "Farmers only"}]
        ),
        product(eligibility=[{"eligibilityType": "OTHER", "additionalInfo": None}]),
        [("eligibility[0].additionalInfo", "schema.rule")],
    ),
    (
        "fee OTHER needs additionalInfo",
        product(fees=[fee(feeType="OTHER", additionalInfo="Courier fee")]),
        product(fees=[fee(feeType="OTHER")]),
        [("fees[0].additionalInfo", "schema.required")],
    ),
    (
        "discount eligibility OTHER needs additionalInfo",
        product(
            fees=[
                fee(
                    discounts=[
                        discount(
                            eligibility=[
                                {
                                    "discountEligibilityType": "OTHER",
                                    "additionalInfo": "x",
                                }
                            ]
                        )
                    ]
                )
            ]
        ),
        product(
            fees=[
                fee(
                    discounts=[
                        discount(eligibility=[{"discountEligibilityType": "OTHER"}])
                    ]
                )
            ]
        ),
        [("fees[0].discounts[0].eligibility[0].additionalInfo", "schema.required")],
    ),
    (
        "rate condition OTHER needs additionalInfo",
        product(
            depositRates=[
                deposit_rate(
                    applicabilityConditions=[
                        {"rateApplicabilityType": "OTHER", "additionalInfo": "x"}
                    ]
                )
            ]
        ),
        product(
            depositRates=[
                deposit_rate(
                    applicabilityConditions=[{"rateApplicabilityType": "OTHER"}]
                )
            ]
        ),
        [
            (
                "depositRates[0].applicabilityConditions[0].additionalInfo",
                "schema.required",
            )
        ],
    ),
    (
        "feeMethodUType needs the matching object",
        product(
            fees=[
                fee(
                    feeMethodUType="rateBased",
                    fixedAmount=None,
                    rateBased={"rateType": "BALANCE", "rate": "0.01"},
                )
            ]
        ),
        product(fees=[fee(feeMethodUType="rateBased")]),
        [
            ("fees[0].fixedAmount", "schema.rule"),
            ("fees[0].rateBased", "schema.required"),
        ],
    ),
    (
        "feeMethodUType forbids the other objects",
        product(
            fees=[
                fee(
                    feeMethodUType="variable",
                    fixedAmount=None,
                    variable={"feeMinimum": "0.00"},
                    rateBased=None,
                )
            ]
        ),
        product(fees=[fee(feeMethodUType="variable", variable={"feeMinimum": "0.00"})]),
        [("fees[0].fixedAmount", "schema.rule")],
    ),
    (
        "discountMethodUType needs the matching object",
        product(
            fees=[
                fee(
                    discounts=[
                        discount(
                            discountMethodUType="rateBased",
                            fixedAmount=None,
                            rateBased={"rateType": "FEE", "rate": "0.5"},
                        )
                    ]
                )
            ]
        ),
        product(fees=[fee(discounts=[discount(fixedAmount=None)])]),
        [("fees[0].discounts[0].fixedAmount", "schema.required")],
    ),
    (
        "applicationType PERIODIC needs applicationFrequency",
        product(
            depositRates=[
                deposit_rate(applicationType="MATURITY", applicationFrequency=None)
            ]
        ),
        product(depositRates=[deposit_rate(applicationFrequency=None)]),
        [("depositRates[0].applicationFrequency", "schema.required")],
    ),
    (
        "lending applicationType PERIODIC needs applicationFrequency",
        product(
            lendingRates=[
                lending_rate(applicationType="PERIODIC", applicationFrequency="P1M")
            ]
        ),
        product(lendingRates=[lending_rate(applicationType="PERIODIC")]),
        [("lendingRates[0].applicationFrequency", "schema.required")],
    ),
    (
        "ELIGIBILITY_ONLY needs a non-empty eligibility",
        product(fees=[fee(discounts=[discount()])]),
        product(fees=[fee(discounts=[discount(eligibility=[])])]),
        [("fees[0].discounts[0].eligibility", "schema.rule")],
    ),
    (
        "constraint MIN_BALANCE additionalValue is an AmountString",
        product(
            constraints=[{"constraintType": "MIN_BALANCE", "additionalValue": "500.00"}]
        ),
        product(
            constraints=[{"constraintType": "MIN_BALANCE", "additionalValue": "$500"}]
        ),
        [("constraints[0].additionalValue", "schema.format")],
    ),
    (
        "constraint MAX_LVR additionalValue is a RateString",
        product(constraints=[{"constraintType": "MAX_LVR", "additionalValue": "0.8"}]),
        product(constraints=[{"constraintType": "MAX_LVR", "additionalValue": "80%"}]),
        [("constraints[0].additionalValue", "schema.format")],
    ),
    (
        "feature INTEREST_FREE additionalValue is a duration",
        product(features=[{"featureType": "INTEREST_FREE", "additionalValue": "P55D"}]),
        product(
            features=[{"featureType": "INTEREST_FREE", "additionalValue": "55 days"}]
        ),
        [("features[0].additionalValue", "schema.duration")],
    ),
    (
        "eligibility MIN_AGE additionalValue is years",
        product(eligibility=[{"eligibilityType": "MIN_AGE", "additionalValue": "18"}]),
        product(
            eligibility=[
                {"eligibilityType": "MIN_AGE", "additionalValue": "18 years old"}
            ]
        ),
        [("eligibility[0].additionalValue", "schema.format")],
    ),
    (
        "fee PERIODIC additionalValue is a duration",
        product(fees=[fee(feeType="PERIODIC", additionalValue="P1M")]),
        product(fees=[fee(feeType="PERIODIC", additionalValue="month")]),
        [("fees[0].additionalValue", "schema.duration")],
    ),
    (
        "bonus deposit rate is zero or positive",
        product(depositRates=[bonus_rate(rate="0.01")]),
        product(depositRates=[bonus_rate(rate="-0.01")]),
        [("depositRates[0].rate", "schema.format")],
    ),
    (
        "tier DAY bounds are positive whole numbers",
        product(
            depositRates=[
                deposit_rate(
                    tiers=[
                        {
                            "name": "t",
                            "unitOfMeasure": "DAY",
                            "minimumValue": "30",
                            "maximumValue": "90",
                        }
                    ]
                )
            ]
        ),
        product(
            depositRates=[
                deposit_rate(
                    tiers=[
                        {"name": "t", "unitOfMeasure": "DAY", "minimumValue": "30.5"}
                    ]
                )
            ]
        ),
        [("depositRates[0].tiers[0].minimumValue", "schema.format")],
    ),
    (
        "additional overview URIs need overviewUri",
        product(
            additionalInformation={
                "overviewUri": "https://a.example/o",
                "additionalOverviewUris": [
                    {"additionalInfoUri": "https://a.example/b"}
                ],
            }
        ),
        product(
            additionalInformation={
                "additionalOverviewUris": [{"additionalInfoUri": "https://a.example/b"}]
            }
        ),
        [("additionalInformation.overviewUri", "schema.required")],
    ),
]


@pytest.mark.parametrize(
    ("good", "bad", "expected"),
    [c[1:] for c in RULE_CASES],
    ids=[c[0] for c in RULE_CASES],
)
def test_prose_rules(
    good: dict[str, Any], bad: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert problems(good) == []
    assert problems(bad) == expected


def test_union_problem_hints_the_shape_of_the_missing_object() -> None:
    data = product(fees=[fee(feeMethodUType="rateBased", fixedAmount=None)])
    [problem] = validate_document(document(data), "cds-v7")
    assert (
        problem.message
        == "feeMethodUType rateBased needs a rateBased object (and no other)"
    )
    assert problem.hint == "add `rateBased`: a mapping with `rate` and `rateType`"
    data = product(fees=[fee(discounts=[discount(eligibility=[])])])
    [problem] = validate_document(document(data), "cds-v7")
    assert problem.hint == "list who qualifies, e.g. `- discountEligibilityType: STAFF`"


def test_rule_problem_states_the_rule_in_words() -> None:
    [problem] = validate_document(
        document(product(depositRates=[deposit_rate(applicationFrequency=None)])),
        "cds-v7",
    )
    assert (
        problem.message
        == "applicationType PERIODIC needs applicationFrequency (an ISO 8601 duration)"
    )
    assert problem.hint is not None
    assert problem.hint.startswith("add `applicationFrequency`")


FORMAT_CASES = [
    (
        "RateString",
        "rate",
        ["0.0525", "1", "-0.01", "0.0135000000000000"],
        ["5.25%", ".05", "0,05", "1e-2", " 0.05"],
        "schema.format",
    ),
    (
        "AmountString",
        "amount",
        ["395.00", "-1.50", "0.001"],
        ["395", "$395.00", "1,000.00", "395.0"],
        "schema.format",
    ),
    (
        "DateTimeString",
        "effectiveFrom",
        [
            "2026-07-13T00:00:00Z",
            "2026-07-13T00:00:00.123+10:00",
            "2028-02-29T00:00:00+10:00",
            "2000-02-29T23:59:59Z",
            "2026-12-31T23:59:60Z",
        ],
        [
            "2026-07-13T00:00:00",
            "2026-07-13",
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00+10:00",
            "2027-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-07-13T24:00:00Z",
            "2026-07-13T00:00:00+24:00",
        ],
        "schema.datetime",
    ),
    (
        "duration",
        "applicationFrequency",
        ["P1M", "P1Y6M", "P1DT12H", "PT0.5S", "P2W", "P0.5M", "P1Y0,5M", "PT1.5H"],
        ["P", "1M", "PT", "month", "P1.5Y2M", "P0.5DT1H", "PT0.5H30M", "P1.M"],
        "schema.duration",
    ),
    (
        "CurrencyString",
        "currency",
        ["AUD", "USD", "NZD", "XAU"],
        ["aud", "AU", "AUDD", "$", "A1D", "ABC", "AUS", "XYZ"],
        "schema.currency",
    ),
    (
        "URIString",
        "applicationUri",
        ["https://x.example/a?b=c#d", "mailto:a@b.example"],
        ["", "www.example.com", "https://x.example/a b", "https://x.example/ä"],
        "schema.format",
    ),
]


def _with_format_value(field: str, value: str) -> dict[str, Any]:
    if field == "rate":
        return product(depositRates=[deposit_rate(rate=value)])
    if field == "amount":
        return product(fees=[fee(fixedAmount={"amount": value})])
    if field == "applicationFrequency":
        return product(depositRates=[deposit_rate(applicationFrequency=value)])
    if field == "currency":
        return product(fees=[fee(currency=value)])
    return product(**{field: value})


@pytest.mark.parametrize(
    ("label", "field", "good", "bad", "code"),
    FORMAT_CASES,
    ids=[c[0] for c in FORMAT_CASES],
)
def test_format_patterns(
    label: str, field: str, good: list[str], bad: list[str], code: str
) -> None:
    for value in good:
        assert problems(_with_format_value(field, value)) == [], value
    for value in bad:
        found = validate_document(document(_with_format_value(field, value)), "cds-v7")
        assert [p.code for p in found] == [code], value
        assert found[0].path.endswith(field)
        assert found[0].hint


def test_format_hint_suggests_a_fix() -> None:
    [amount] = validate_document(
        document(_with_format_value("amount", "395")), "cds-v7"
    )
    assert amount.hint is not None
    assert amount.hint.startswith('write "395.00"')
    [rate] = validate_document(document(_with_format_value("rate", "5.25%")), "cds-v7")
    assert rate.hint is not None
    assert rate.hint.startswith('write "0.0525"')
    [currency] = validate_document(
        document(_with_format_value("currency", "aud")), "cds-v7"
    )
    assert currency.hint is not None
    assert currency.hint.startswith('write "AUD"')
    [when] = validate_document(
        document(product(effectiveFrom="2026-07-13T00:00:00")), "cds-v7"
    )
    assert when.hint is not None
    assert "offset" in when.hint


@pytest.mark.parametrize(
    ("field", "value", "literal"),
    [
        ("name", 123, "0123"),
        ("brand", False, "NO"),
        ("description", 1.1, "1.10"),
        ("brandName", True, "on"),
        ("name", 750, "12:30"),
    ],
)
def test_yaml_traps_say_quote_this_value(field: str, value: Any, literal: str) -> None:
    doc = document(
        product(**{field: value}),
        scalar_text={(field,): literal},
        positions={(field,): (3, 7)},
    )
    [problem] = validate_document(doc, "cds-v7")
    assert (problem.line, problem.col, problem.path, problem.code) == (
        3,
        7,
        field,
        "schema.type",
    )
    assert problem.hint == f'quote this value: "{literal}"'


def test_boolean_expected_says_write_true_or_false() -> None:
    [problem] = validate_document(document(product(isTailored="no")), "cds-v7")
    assert problem.hint == "write true or false (without quotes)"


def test_enum_suggests_the_closest_value() -> None:
    data = product(features=[{"featureType": "EXTRA REPAYMENTS"}])
    [problem] = validate_document(document(data), "cds-v7")
    assert problem.code == "schema.enum"
    assert problem.hint is not None
    assert problem.hint.startswith(
        "did you mean `EXTRA_REPAYMENTS`? one of ADDITIONAL_CARDS,"
    )


def test_nullable_object_reports_the_inner_problems_not_the_alternatives() -> None:
    data = product(
        additionalInformation={"overviewUri": "not a uri", "termsUri": "also bad"}
    )
    found = problems(data)
    assert found == [
        ("additionalInformation.overviewUri", "schema.format"),
        ("additionalInformation.termsUri", "schema.format"),
    ]
    [wrong_type] = validate_document(
        document(product(additionalInformation="https://x.example")), "cds-v7"
    )
    assert (
        wrong_type.message == 'expected a mapping, got the string "https://x.example"'
    )


def test_problems_are_sorted_by_position_then_path() -> None:
    data = product(name=1, brand=2, fees=[fee(feeType="NOPE") for _ in range(11)])
    doc = document(data, positions={("name",): (9, 1), ("brand",): (2, 1)})
    found = validate_document(doc, "cds-v7")
    assert [p.path for p in found][:3] == [
        "fees[0].feeType",
        "fees[1].feeType",
        "fees[2].feeType",
    ]
    assert [p.path for p in found][-3:] == ["fees[10].feeType", "brand", "name"]


def test_unknown_field_hint_suggests_the_closest_name() -> None:
    data = product(fees=[fee(feeMethodUtype="fixedAmount")])
    found = validate_document(document(data), "cds-v7")
    unknown = [p for p in found if p.code == "schema.unknown-field"]
    assert [p.hint for p in unknown] == ["did you mean `feeMethodUType`?"]


def test_v6_rejects_v7_additions() -> None:
    v7_only = product(
        brandGroup="Wattle Group",
        productCategory="BUY_NOW_PAY_LATER",
        instalments={"minimumSplit": 4, "maximumSplit": 4, "maximumConcurrentPlans": 0},
        features=[{"featureType": "EXTRA_DOWN_PAYMENT"}],
    )
    assert problems(v7_only, "cds-v7") == []
    assert problems(v7_only, "cds-v6") == [
        ("brandGroup", "schema.unknown-field"),
        ("features[0].featureType", "schema.enum"),
        ("instalments", "schema.unknown-field"),
        ("productCategory", "schema.enum"),
    ]
    hints = {p.path: p.hint for p in validate_document(document(v7_only), "cds-v6")}
    assert (
        hints["brandGroup"]
        == "`brandGroup` exists from CDS V7: validate with --schema cds-v7, or remove it"
    )
    assert (
        hints["productCategory"]
        == "it exists from CDS V7: validate with --schema cds-v7"
    )
    assert (
        hints["features[0].featureType"]
        == "it exists from CDS V7: validate with --schema cds-v7"
    )


def test_instalments_integers() -> None:
    bad = product(instalments={"minimumSplit": 0, "maximumSplit": "4"})
    assert problems(bad) == [
        ("instalments.maximumSplit", "schema.type"),
        ("instalments.minimumSplit", "schema.minimum"),
    ]


def test_fiskil_length_limits() -> None:
    assert (
        problems(
            product(
                name="n" * 200,
                description="d" * 2000,
                brand="b" * 200,
                brandName="b" * 200,
            )
        )
        == []
    )
    too_long = product(
        name="n" * 201, description="d" * 2001, brand="b" * 201, brandName="b" * 201
    )
    assert problems(too_long) == [
        (f, "schema.too-long") for f in ("brand", "brandName", "description", "name")
    ]
    assert problems(product(productId="p" * 100)) == []
    assert problems(product(productId="p" * 101)) == [("productId", "schema.too-long")]


def test_mandatory_text_must_not_be_empty() -> None:
    assert problems(product(name="", brand="", description="")) == [
        ("brand", "schema.empty"),
        ("description", "schema.empty"),
        ("name", "schema.empty"),
    ]


def test_bundle_product_ids_follow_the_product_id_rule() -> None:
    bundle = {
        "name": "Pack",
        "description": "Together",
        "productIds": ["everyday-saver", "caf\u00e9"],
    }
    assert problems(product(bundles=[bundle])) == [
        ("bundles[0].productIds[1]", "schema.format")
    ]


def test_validate_data_has_no_positions_and_names_the_source() -> None:
    [problem] = validate_data(
        product(isTailored=None), "cds-v6", source="POST /v1/data-provider/cdr/products"
    )
    assert problem.file == "POST /v1/data-provider/cdr/products"
    assert (problem.line, problem.col) == (0, 0)
    assert problem.path == "isTailored"


LOADED_YAML = b"""\
productId: everyday-saver
productCategory: TRANS_AND_SAVINGS_ACCOUNTS
name: 1.10
description: A savings account.
brand: Wattle Bank
isTailored: no
colour: green
depositRates:
  - depositRateType: VARIABLE
    rate: 0.05
    applicationType: PERIODIC
"""


def test_loaded_yaml_file_gets_located_problems_with_hints() -> None:
    from catalog_sync.yaml.loader import load_yaml_bytes

    doc = load_yaml_bytes(LOADED_YAML, "products/everyday-saver.yaml")
    assert isinstance(doc, Document)
    found = [(p.line, p.col, p.path, p.hint) for p in validate_document(doc, "cds-v7")]
    assert found == [
        (3, 7, "name", 'quote this value: "1.10"'),
        (6, 13, "isTailored", "write true or false (without quotes)"),
        (
            7,
            1,
            "colour",
            "remove it: the CDS has no `colour` here; to publish data of your own, "
            "name it <HID>-colour and add your holder identifier to "
            "extension_prefixes in catalog-sync.yaml",
        ),
        (
            9,
            5,
            "depositRates[0].applicationFrequency",
            "add `applicationFrequency`: an ISO 8601 duration like P1M (monthly), P1Y, "
            "P12M, P1DT12H or P0.5M (only the last part may have a fraction)",
        ),
        (10, 11, "depositRates[0].rate", 'quote this value: "0.05"'),
    ]


def test_one_of_reports_the_best_match_not_every_alternative() -> None:
    from jsonschema import Draft202012Validator

    from catalog_sync.catalog.validate import _leaves

    schema = {
        "oneOf": [
            {
                "type": "object",
                "required": ["amount"],
                "properties": {"amount": {"type": "string"}},
            },
            {"type": "string"},
            {"type": "integer"},
        ]
    }
    [error] = Draft202012Validator(schema).iter_errors({"amount": 5})
    leaves = _leaves(error)
    assert [(list(leaf.absolute_path), leaf.validator) for leaf in leaves] == [
        (["amount"], "type")
    ]


@pytest.mark.parametrize("value", [["EVENT"], {"kind": "EVENT"}, 5, True, None])
def test_enum_field_of_the_wrong_type_is_one_problem_listing_the_choices(
    value: Any,
) -> None:
    data = product()
    data["fees"][0]["feeType"] = value
    [problem] = validate_document(document(data), "cds-v7")
    assert problem.path == "fees[0].feeType"
    assert problem.code in ("schema.type", "schema.null")
    assert problem.hint is not None
    assert problem.hint.startswith("one of CASH_ADVANCE, DEPOSIT")


def test_a_rule_and_a_type_error_on_one_field_are_one_problem() -> None:
    data = product()
    data["fees"][0] = {
        "name": "Card fee",
        "feeType": "EVENT",
        "feeMethodUType": "rateBased",
        "rateBased": "variable",
    }
    [problem] = validate_document(document(data), "cds-v7")
    assert (problem.path, problem.code) == ("fees[0].rateBased", "schema.rule")
    assert "needs a rateBased object" in problem.message


def test_a_percent_rate_that_is_not_a_number_gets_the_format_hint_only() -> None:
    [rate] = validate_document(document(_with_format_value("rate", "high%")), "cds-v7")
    assert rate.code == "schema.format"
    assert rate.hint is not None
    assert not rate.hint.startswith("write")
    assert rate.hint.startswith("RateString: a decimal like 0.0525")
