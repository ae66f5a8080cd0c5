"""The compliance holes of issue 12, each as a user meets it in a product file: impossible
dates, unknown currencies and malformed durations each get their own code."""

from __future__ import annotations

from catalog_sync.catalog.document import Document
from catalog_sync.catalog.loader import load_yaml_bytes
from catalog_sync.catalog.problems import Problem
from catalog_sync.catalog.validate import validate_document


def _validate_yaml(text: str, name: str = "products/x.yaml") -> list[Problem]:
    doc = load_yaml_bytes(text.encode(), name)
    assert isinstance(doc, Document)
    return validate_document(doc, "cds-v7")


FORMATS_FILE = """\
productId: x
productCategory: TRANS_AND_SAVINGS_ACCOUNTS
name: X
description: An account.
brand: X
isTailored: false
effectiveFrom: "2026-02-30T00:00:00+10:00"
effectiveTo: "2027-02-29T00:00:00+10:00"
fees:
  - name: Overseas fee
    feeType: TRANSACTION
    feeMethodUType: fixedAmount
    fixedAmount:
      amount: "5.00"
    currency: AUS
    feeCap: "50.00"
    feeCapPeriod: P1.5MT1H
  - name: Half-month fee
    feeType: PERIODIC
    feeMethodUType: fixedAmount
    fixedAmount:
      amount: "1.00"
    additionalValue: P0.5M
"""


def test_dates_currencies_and_durations_have_their_own_codes_and_located_messages() -> (
    None
):
    found = _validate_yaml(FORMATS_FILE)
    assert [(p.line, p.col, p.path, p.code, p.message) for p in found] == [
        (
            7,
            16,
            "effectiveFrom",
            "schema.datetime",
            '"2026-02-30T00:00:00+10:00" is not a real date: February 2026 has 28 days',
        ),
        (
            8,
            14,
            "effectiveTo",
            "schema.datetime",
            '"2027-02-29T00:00:00+10:00" is not a real date: February 2027 has 28 days',
        ),
        (
            15,
            15,
            "fees[0].currency",
            "schema.currency",
            '"AUS" is not an ISO 4217 currency code',
        ),
        (
            17,
            19,
            "fees[0].feeCapPeriod",
            "schema.duration",
            '"P1.5MT1H" is not a valid ISO 8601 duration',
        ),
    ]
    hints = [p.hint or "" for p in found]
    assert hints[2].startswith('did you mean "AUD"?')
    assert "only the last part may have a fraction" in hints[3]
