"""Facts V6/V7 require that older data does not state, derived only from explicit evidence
in the same product (a field, a name, a sentence). Each function returns the fact and the
evidence, or None when the evidence is absent or contradictory: then a human decides."""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

Derived = tuple[str, str]
"""(value, evidence)"""

_AT_MATURITY = re.compile(r"\b(at|on) maturity\b", re.I)
_PERIODIC_WORD = re.compile(
    r"\b(monthly|quarterly|annually|yearly|fortnightly|weekly|half[- ]yearly)\b", re.I
)
_REPAYMENT = {
    "PRINCIPAL_AND_INTEREST": re.compile(
        r"principal\s*(and|&)\s*interest|\bP\s*&\s*I\b", re.I
    ),
    "INTEREST_ONLY": re.compile(r"\binterest[\s-]+only\b", re.I),
}
_PURPOSE = {
    "OWNER_OCCUPIED": re.compile(r"\bowner[\s-]*occupie[dr]s?\b", re.I),
    "INVESTMENT": re.compile(r"\binvest(ment|or|ors)\b", re.I),
}
_SCHEME = {
    "MASTERCARD": re.compile(r"\bmaster\s*card\b", re.I),
    "VISA": re.compile(r"\bvisa\b", re.I),
    "AMEX": re.compile(r"\bamex\b|\bamerican express\b", re.I),
    "EFTPOS": re.compile(r"\beftpos\b", re.I),
}
_CARD_TYPE = {
    "DEBIT": re.compile(r"\bdebit\b", re.I),
    "CHARGE": re.compile(r"\bcharge card\b", re.I),
    "CREDIT": re.compile(r"\bcredit card\b", re.I),
}
# Fee names that say which V6 feeType a V4 `feeType: VARIABLE` fee is; first match wins.
_FEE_TYPE_BY_NAME = (
    ("LATE_PAYMENT", re.compile(r"\blate payment", re.I)),
    ("DISHONOUR", re.compile(r"\bdishono(u)?r", re.I)),
    ("REPLACEMENT", re.compile(r"\breplacement\b", re.I)),
    ("CASH_ADVANCE", re.compile(r"\bcash advance", re.I)),
    (
        "EXIT",
        re.compile(
            r"\bearly (re)?payment|\bbreak(ing)? (cost|fee|td)|\bdischarge", re.I
        ),
    ),
    ("UPFRONT", re.compile(r"\b(establishment|application) fee\b", re.I)),
    ("ENQUIRY", re.compile(r"\benquir(y|ies)\b", re.I)),
    ("WITHDRAWAL", re.compile(r"\bwithdrawals?\b", re.I)),
)


def application_type(rate: Mapping[str, Any]) -> Derived | None:
    """MATURITY when the rate's own text says interest is paid at maturity (and names no
    periodic schedule); PERIODIC when it has an applicationFrequency."""
    for text in _rate_texts(rate):
        if _AT_MATURITY.search(text) and not _PERIODIC_WORD.search(text):
            return "MATURITY", f'the rate says "{_excerpt(text, _AT_MATURITY)}"'
    frequency = rate.get("applicationFrequency")
    if isinstance(frequency, str) and frequency:
        return "PERIODIC", f"applicationFrequency {frequency} (applied periodically)"
    return None


def repayment_type(rate: Mapping[str, Any], product_name: str) -> Derived | None:
    """PRINCIPAL_AND_INTEREST or INTEREST_ONLY when the rate's text, else the product
    name, names exactly one of them."""
    return _one_match(_REPAYMENT, rate, product_name)


def loan_purpose(rate: Mapping[str, Any], product_name: str) -> Derived | None:
    """OWNER_OCCUPIED or INVESTMENT, from the rate's text, else the product name."""
    return _one_match(_PURPOSE, rate, product_name)


def card_scheme(art: Mapping[str, Any], product_name: str) -> Derived | None:
    """The card scheme named by the card art's title, else by the product name."""
    return _first_unique(_SCHEME, _card_texts(art, product_name))


def card_type(
    art: Mapping[str, Any], product_name: str, category: str
) -> Derived | None:
    """DEBIT / CHARGE / CREDIT as named by the title or product name; a card of a
    CRED_AND_CHRG_CARDS product that names no type is a credit card."""
    found = _first_unique(_CARD_TYPE, _card_texts(art, product_name))
    if found:
        return found
    if category == "CRED_AND_CHRG_CARDS":
        return "CREDIT", "productCategory CRED_AND_CHRG_CARDS and no 'charge card'"
    return None


def fee_type_from_name(name: str) -> Derived | None:
    """The V6 feeType a fee's name states (for V4 `feeType: VARIABLE` fees)."""
    for fee_type, pattern in _FEE_TYPE_BY_NAME:
        if pattern.search(name):
            return fee_type, f'the fee is named "{name.strip()}"'
    return None


def _one_match(
    patterns: Mapping[str, re.Pattern[str]],
    rate: Mapping[str, Any],
    product_name: str,
) -> Derived | None:
    own = list(_rate_texts(rate))
    for label, texts in (("the rate", own), ("the product name", [product_name])):
        hits = {
            value: text
            for text in texts
            for value, pattern in patterns.items()
            if pattern.search(text)
        }
        if len(hits) == 1:
            value, text = next(iter(hits.items()))
            return value, f'{label} says "{_excerpt(text, patterns[value])}"'
        if len(hits) > 1:
            return None  # contradictory evidence: a human decides
    return None


def _first_unique(
    patterns: Mapping[str, re.Pattern[str]], texts: Iterable[tuple[str, str]]
) -> Derived | None:
    for label, text in texts:
        hits = [value for value, pattern in patterns.items() if pattern.search(text)]
        if len(hits) == 1:
            return hits[0], f'{label} "{text.strip()}"'
        if len(hits) > 1:
            return None
    return None


def _card_texts(art: Mapping[str, Any], product_name: str) -> list[tuple[str, str]]:
    title = art.get("title")
    texts = [("the card title", title)] if isinstance(title, str) and title else []
    return [*texts, ("the product name", product_name)]


def _rate_texts(rate: Mapping[str, Any]) -> Iterable[str]:
    """The rate's own words: additionalInfo, tier names and tier conditions."""
    info = rate.get("additionalInfo")
    if isinstance(info, str):
        yield info
    tiers = rate.get("tiers")
    for tier in tiers if isinstance(tiers, list) else ():
        if not isinstance(tier, Mapping):
            continue
        if isinstance(tier.get("name"), str):
            yield tier["name"]
        conditions = tier.get("applicabilityConditions")
        for condition in conditions if isinstance(conditions, list) else [conditions]:
            if isinstance(condition, Mapping) and isinstance(
                condition.get("additionalInfo"), str
            ):
                yield condition["additionalInfo"]


def _excerpt(text: str, pattern: re.Pattern[str]) -> str:
    match = pattern.search(text)
    if match is None or len(text) <= 60:
        return text.strip()
    start = max(0, match.start() - 25)
    end = min(len(text), match.end() + 25)
    return (
        ("..." if start else "")
        + text[start:end].strip()
        + ("..." if end < len(text) else "")
    )
