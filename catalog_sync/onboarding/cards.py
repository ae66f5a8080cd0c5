"""A card art's `cardScheme` and `cardType` (mandatory since V6), derived from what the
product says about its card: first the card art's own title, then the product's
description and features ("Visa Debit Card", "everywhere Mastercard is accepted"). Never
from the product's name, the category or an image address; never when they disagree."""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Mapping
from typing import Any

from catalog_sync.onboarding.evidence import Finding
from catalog_sync.onboarding.evidence import disagreement
from catalog_sync.onboarding.evidence import mentions
from catalog_sync.onboarding.evidence import one_value

_MASTERCARD = re.compile(r"\bmaster\s*card\b", re.I)
_AMEX = re.compile(r"\bamex\b|\bamerican\s+express\b", re.I)
# A card's title names its scheme plainly ("Visa Debit", "Keycard eftpos").
_SCHEME_IN_TITLE = {
    "MASTERCARD": _MASTERCARD,
    "VISA": re.compile(r"\bvisa\b", re.I),
    "AMEX": _AMEX,
    "EFTPOS": re.compile(r"\beftpos\b", re.I),
}
# Elsewhere "visa" can be a migration visa and "eftpos" a terminal: only the words that
# describe a card count.
_SCHEME_IN_TEXT = {
    "MASTERCARD": _MASTERCARD,
    "VISA": re.compile(
        r"\bvisa(?:'s)?\s+(?:debit|credit|prepaid|cards?|paywave|platinum|signature|"
        r"infinite|is\s+accepted|luxury|zero\s+liability)\b|\bprepaid\s+visa\b",
        re.I,
    ),
    "AMEX": _AMEX,
    "EFTPOS": re.compile(r"\beftpos\s+(?:debit\s+)?cards?\b|\beftpos\s+debit\b", re.I),
}
_CREDIT = re.compile(r"\bcredit\s+cards?\b", re.I)
_CHARGE = re.compile(r"\bcharge\s+cards?\b", re.I)
# A card's title says "Debit" of itself; elsewhere "direct debit" is no card.
_TYPE_IN_TITLE = {
    "DEBIT": re.compile(r"\bdebit\b", re.I),
    "CREDIT": _CREDIT,
    "CHARGE": _CHARGE,
}
_TYPE_IN_TEXT = {
    "DEBIT": re.compile(
        r"\bdebit\s+(?:master\s*card|cards?)\b|\b(?:visa|eftpos|master\s*card)\s+debit\b",
        re.I,
    ),
    "CREDIT": _CREDIT,
    "CHARGE": _CHARGE,
}


def card_scheme(art: Mapping[str, Any], product: Mapping[str, Any]) -> Finding:
    """AMEX, EFTPOS, MASTERCARD or VISA, as the card art's title or the product says."""
    return _card_fact(art, product, _SCHEME_IN_TITLE, _SCHEME_IN_TEXT)


def card_type(art: Mapping[str, Any], product: Mapping[str, Any]) -> Finding:
    """DEBIT, CREDIT or CHARGE, as the card art's title or the product says ("Visa Debit",
    "debit card", "credit card", "charge card")."""
    return _card_fact(art, product, _TYPE_IN_TITLE, _TYPE_IN_TEXT)


def _card_fact(
    art: Mapping[str, Any],
    product: Mapping[str, Any],
    in_title: Mapping[str, re.Pattern[str]],
    in_text: Mapping[str, re.Pattern[str]],
) -> Finding:
    """The title decides when it names one value the product does not contradict (a
    product with a Visa and an eftpos card has a title for each); without a title value,
    the product's own texts decide when they name exactly one."""
    title = art.get("title")
    titles = [("the card title", title)] if isinstance(title, str) else []
    own = mentions(in_title, titles, sentences=False)
    stated = mentions(in_text, _product_texts(product), sentences=True)
    if len(own) > 1:
        return Finding(None, disagreement(own))
    if own:
        [(value, mention)] = own.items()
        if stated and (value not in stated or stated[value].negated):
            return Finding(None, disagreement({**stated, value: mention}))
        return Finding(value, mention.quoted())
    found = one_value(stated)
    if found.value is not None and isinstance(title, str):
        return Finding(
            found.value, f'{found.evidence} (the card title "{title}" does not say)'
        )
    return found


def _product_texts(product: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """What the product says about itself beyond its name: the description and each
    feature's additionalValue and additionalInfo. Fees and eligibility are left out: they
    name other networks (ATM fees) and visas of another kind."""
    description = product.get("description")
    if isinstance(description, str):
        yield "the product description", description
    features = product.get("features")
    for i, feature in enumerate(features if isinstance(features, list) else ()):
        if not isinstance(feature, Mapping):
            continue
        for key in ("additionalValue", "additionalInfo"):
            if isinstance(feature.get(key), str):
                yield f"features[{i}].{key}", feature[key]
