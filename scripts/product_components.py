"""Read the DSB's "Use of additionalValue Field" tables (`_product_components.md`) for the
schema generator: per discriminator (featureType, feeType, ...) and type value, whether
`additionalValue` is required, optional or N/A, and in which form.

The wording of each cell is classified by the rules below; a cell they do not cover stops
the generator (`UnclassifiedError`) instead of being guessed, so a new standard release
with new wording is noticed. docs/schemas.md lists the judgements with their rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = "_product_components.md"

REQUIRED = "required"
OPTIONAL = "optional"
NOT_APPLICABLE = "n/a"

TEXT = "text"
"""The form of a value the standard describes in words: any non-empty text."""

_USAGE = re.compile(
    r"Description of the usage of the _(?P<field>\w+)_ field as it applies to "
    r"(?P<scope>products|accounts)\."
)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_DURATION_SENTENCE = "Formatted according to ISO 8601 Durations."
_NEEDS_INFO = "The _additionalInfo_ field is mandatory for this type."
# Words that would mean a value with a form; a cell with one of them that no form rule
# matched is wording this module does not know yet.
_FORM_WORDS = ("format", "number", "amount", "period", "year", "percent", "days")


class UnclassifiedError(ValueError):
    """A table cell whose wording the classification rules do not cover."""


@dataclass(frozen=True, slots=True)
class Usage:
    """How one type value uses `additionalValue`.

    `presence` is REQUIRED, OPTIONAL or NOT_APPLICABLE; `form` an x-cds-type of
    scripts.cds_rules.FORMATS (AmountString, RateString, ExternalRef, IntegerString) or
    TEXT (None for N/A); `what` is the DSB's wording, cleaned for a message;
    `needs_info` is True where the row says additionalInfo is mandatory.
    """

    presence: str
    form: str | None
    what: str
    needs_info: bool = False


Tables = dict[str, dict[str, Usage]]
"""discriminator field -> type value -> Usage, in the file's order."""


def read_tables(spec_dir: Path) -> Tables:
    """The product tables of SPEC_DIR/_product_components.md, classified."""
    text = (spec_dir / FILE_NAME).read_text(encoding="utf-8")
    return parse_tables(text.splitlines())


def parse_tables(lines: Iterable[str]) -> Tables:
    """The product tables in `lines`; tables about accounts are skipped."""
    tables: Tables = {}
    field: str | None = None
    for line in lines:
        usage = _USAGE.search(line)
        if usage:
            is_product = usage["scope"] == "products"
            field = usage["field"] if is_product else None
            if field is not None:
                tables.setdefault(field, {})
            continue
        if field is None or not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3:
            raise UnclassifiedError(f"a table row without 3 cells: {line!r}")
        value, description, use = cells
        if value == "Value" or set(value) <= {"-"}:
            continue  # the header and its separator
        tables[field][value] = classify(use, needs_info=_NEEDS_INFO in description)
    return tables


def classify(cell: str, *, needs_info: bool = False) -> Usage:
    """The Usage a "Use of additionalValue Field" cell states."""
    text = clean(cell)
    if text == "N/A":
        return Usage(NOT_APPLICABLE, None, "", needs_info)
    optional = text.startswith("Optional") or "should be set to null" in text
    presence = OPTIONAL if optional else REQUIRED
    return Usage(presence, _form(text), _what(text), needs_info)


def clean(cell: str) -> str:
    """A cell as plain text: links become their text, emphasis and code marks go."""
    text = _LINK.sub(r"\1", cell)
    return text.replace("**", "").replace("`", "").strip()


def _form(text: str) -> str:
    lower = text.lower()
    if "iso 8601 durations" in lower:
        return "ExternalRef"
    if "amountstring" in lower or "(in aud)" in lower:
        return "AmountString"
    if "ratestring" in lower:
        return "RateString"
    if re.search(r"\bnumber of\b|\bin years\b", lower):
        return "IntegerString"
    if any(word in lower for word in _FORM_WORDS):
        raise UnclassifiedError(f"wording with no known form: {text!r}")
    return TEXT


def _what(text: str) -> str:
    """The cell for a message: no duration boilerplate, no 'Optional', no full stop."""
    text = text.replace(_DURATION_SENTENCE, "")
    text = re.sub(r" in (AmountString|RateString) format", "", text)
    text = re.sub(r"^Optional\.?\s*", "", text).strip().rstrip(".")
    return text[:1].lower() + text[1:]
