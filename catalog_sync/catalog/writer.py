"""Write a product as YAML the way a person would: keys in CDS field order, block style,
every string that YAML could read as something else quoted, and notes (a migration's) as
comments above the fields they concern. The one writer of product files, used by
`export`, `import` and `migrate`."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any
from typing import Protocol

import yaml

from catalog_sync.yaml.document import Document
from catalog_sync.yaml.document import PathKey
from catalog_sync.yaml.loader import load_yaml_bytes
from catalog_sync.yaml.scalars import resolve_plain

_RATE_TAIL = (
    "tiers",
    "applicabilityConditions",
    "additionalValue",
    "additionalInfo",
    "additionalInfoUri",
)
_INFO_TAIL = ("additionalValue", "additionalInfo", "additionalInfoUri")
# Field order per object, keyed by the key the object (or its list) sits under.
FIELD_ORDER: Mapping[str, tuple[str, ...]] = {
    "": (
        "productId",
        "effectiveFrom",
        "effectiveTo",
        "lastUpdated",
        "productCategory",
        "name",
        "description",
        "brand",
        "brandName",
        "brandGroup",
        "applicationUri",
        "isTailored",
        "additionalInformation",
        "cardArt",
        "bundles",
        "features",
        "constraints",
        "eligibility",
        "fees",
        "depositRates",
        "lendingRates",
        "instalments",
    ),
    "additionalInformation": (
        "overviewUri",
        "termsUri",
        "eligibilityUri",
        "feesAndPricingUri",
        "bundleUri",
        "additionalOverviewUris",
        "additionalTermsUris",
        "additionalEligibilityUris",
        "additionalFeesAndPricingUris",
        "additionalBundleUris",
    ),
    "cardArt": ("cardScheme", "cardType", "title", "imageUri"),
    "bundles": (
        "name",
        "description",
        "additionalInfo",
        "additionalInfoUri",
        "productIds",
    ),
    "features": ("featureType", *_INFO_TAIL),
    "constraints": ("constraintType", *_INFO_TAIL),
    "eligibility": ("eligibilityType", "discountEligibilityType", *_INFO_TAIL),
    "fees": (
        "name",
        "feeType",
        "feeMethodUType",
        "fixedAmount",
        "rateBased",
        "variable",
        "amount",
        "balanceRate",
        "transactionRate",
        "accruedRate",
        "accrualFrequency",
        "feeCap",
        "feeCapPeriod",
        "currency",
        *_INFO_TAIL,
        "discounts",
    ),
    "discounts": (
        "description",
        "discountType",
        "discountMethodUType",
        "fixedAmount",
        "rateBased",
        "amount",
        "balanceRate",
        "transactionRate",
        "accruedRate",
        "feeRate",
        *_INFO_TAIL,
        "eligibility",
    ),
    "fixedAmount": ("amount",),
    "rateBased": ("rateType", "rate", "accrualFrequency", "amountRange"),
    "variable": ("feeMinimum", "feeMaximum"),
    "amountRange": ("feeMinimum", "feeMaximum", "discountMinimum", "discountMaximum"),
    "depositRates": (
        "depositRateType",
        "rate",
        "calculationFrequency",
        "applicationType",
        "applicationFrequency",
        *_RATE_TAIL,
    ),
    "lendingRates": (
        "lendingRateType",
        "rate",
        "comparisonRate",
        "calculationFrequency",
        "applicationType",
        "applicationFrequency",
        "interestPaymentDue",
        "repaymentType",
        "loanPurpose",
        *_RATE_TAIL,
    ),
    "tiers": (
        "name",
        "unitOfMeasure",
        "minimumValue",
        "maximumValue",
        "rateApplicationMethod",
        "applicabilityConditions",
        "additionalInfo",
        "additionalInfoUri",
    ),
    "applicabilityConditions": ("rateApplicabilityType", *_INFO_TAIL),
    "instalments": (
        "maximumConcurrentPlans",
        "instalmentsLimit",
        "minimumPlanValue",
        "maximumPlanValue",
        "minimumSplit",
        "maximumSplit",
    ),
}
_COMMENT_WIDTH = 96
_COMMENT_UNSAFE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]"
)


class Note(Protocol):
    """A comment to write above the field at `path` (the document itself when empty)."""

    @property
    def path(self) -> PathKey: ...

    def comment(self) -> str: ...


def ordered(value: Any, context: str = "") -> Any:
    """`value` with every mapping's keys in CDS order (unknown keys after, as found)."""
    if isinstance(value, list):
        return [ordered(item, context) for item in value]
    if not isinstance(value, Mapping):
        return value
    order = FIELD_ORDER.get(context, ())
    keys = [k for k in order if k in value] + [k for k in value if k not in order]
    return {key: ordered(value[key], key) for key in keys}


def dump_product_yaml(
    product: Mapping[str, Any],
    *,
    header: Sequence[str] = (),
    notes: Iterable[Note] = (),
) -> str:
    """The YAML text of one product file: `header` lines as comments on top, then the
    product, with each note's comment above the field it is about (root notes go on
    top). The text loads back, through the catalog loader, to exactly `product`."""
    body = yaml.dump(
        ordered(product),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=4096,
    )
    notes = list(notes)
    top = [*header, *(note.comment() for note in notes if not note.path)]
    lines = [f"# {line}" for text in top for line in _wrap(text)]
    return "\n".join([*lines, *_annotated(body, [n for n in notes if n.path])]) + "\n"


def _annotated(body: str, notes: Sequence[Note]) -> list[str]:
    lines = body.rstrip("\n").split("\n")
    if not notes:
        return lines
    doc = load_yaml_bytes(body.encode("utf-8"), "<migrated>")
    assert isinstance(doc, Document), "the dumper wrote YAML the loader refuses"
    above: dict[int, list[str]] = {}
    for note in notes:
        line, _ = doc.position_of(note.path, key=True)
        target = lines[line - 1]
        # Aligned with the line it precedes: the key, or the `-` of a list item.
        indent = target[: len(target) - len(target.lstrip())]
        above.setdefault(line, []).extend(
            f"{indent}# {text}" for text in _wrap(note.comment())
        )
    out: list[str] = []
    for number, text in enumerate(lines, start=1):
        out.extend(above.get(number, ()))
        out.append(text)
    return out


def _wrap(text: str) -> list[str]:
    # Continuation lines are indented, so a wrapped comment reads (and parses) as one.
    # Comments quote source data (a fee's name, a file name): a line break in it (YAML
    # also breaks lines at NEL, LS and PS) would end the comment and inject YAML.
    text = _COMMENT_UNSAFE.sub(lambda match: repr(match.group())[1:-1], text)
    return textwrap.wrap(
        text, _COMMENT_WIDTH, subsequent_indent="  ", break_on_hyphens=False
    ) or [""]


class _Dumper(yaml.SafeDumper):
    """Indented block lists; strings quoted wherever the catalog loader (YAML 1.2 core
    rules) or a YAML 1.1 reader would take them for a number, boolean, null or date."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_YAML_LINE_BREAKS = frozenset("\x85\u2028\u2029\r")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # YAML reads NEL, LS, PS and CR as line breaks: only escapes keep them as written.
    if not isinstance(resolve_plain(data), str) or _YAML_LINE_BREAKS & set(data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    if "\n" in data and data == data.strip() and "\t" not in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_str(data)


_Dumper.add_representer(str, _represent_str)
