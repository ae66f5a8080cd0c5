"""The real captures in ../shared/cdr/products (11 banks, V4 and V6/V7 shapes) as the test
bed: import, then migrate. Every product ends V7-valid or with only located open items (and
the source defects listed below, which no tool may guess away); no rate, fee amount,
constraint value, tier bound or URI is lost; migrating twice changes nothing."""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal
from decimal import InvalidOperation
from pathlib import Path
from typing import Any

import pytest

from catalog_sync.onboarding.files import FileMigration
from catalog_sync.onboarding.files import migrate_files
from catalog_sync.onboarding.importer import ImportResult
from catalog_sync.onboarding.importer import import_from_dir
from catalog_sync.onboarding.migrate import migrate_product
from catalog_sync.onboarding.notes import NoteKind
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.loader import load_yaml_bytes

CAPTURES = Path(__file__).resolve().parents[3] / "shared" / "cdr" / "products"
pytestmark = pytest.mark.skipif(not CAPTURES.is_dir(), reason="../shared is absent")
CAPTURE_FILES = sorted(CAPTURES.glob("*/*.json")) if CAPTURES.is_dir() else []

# Values the holders published that V7 (and already V4) rejects and that only a person can
# correct; migrate keeps them verbatim and validate reports each, located.
KNOWN_SOURCE_DEFECTS = {
    # MIN_AGE "18 years old" instead of "18"; ADDITIONAL_CARDS "No fee for additional
    # cardholder" instead of a number of cards.
    "f2476015-6ff3-4165-8d89-c8ca7fe76735": {
        "eligibility[0].additionalValue",
        "features[1].additionalValue",
    },
    # MONTH tiers starting at 0 (V7: a positive whole number).
    "26742bc1e80f4dc9a5b6e9fde807fe64": {
        "lendingRates[0].tiers[0].minimumValue",
        "lendingRates[1].tiers[0].minimumValue",
    },
    "ff7e709bc7f8414da253f9c10308fe24": {"lendingRates[2].tiers[0].minimumValue"},
    # A FIXED rate whose period is "Speak to one of our Business Bankers".
    "d7c55e295f504692a54360f0d2092c24": {"lendingRates[0].additionalValue"},
    # URIs without a scheme ("www.commbank.com.au/...").
    "d2f8af0ad2ac465297d1ddbedd516e00": {
        f"features[{i}].additionalInfoUri" for i in range(4)
    },
    # accrualFrequency "Y" (not an ISO 8601 duration); a PERIODIC fee with no period.
    "CREDIT_UNION_GUARANTEE": {
        "fees[0].rateBased.accrualFrequency",
        "fees[0].additionalValue",
    },
    # Values the DSB's additionalValue tables require and the holder left out
    # (_product_components.md): FIXED lending rates without their fixed term ...
    "f9349fd9-7f0e-423a-8e2d-035d8be6c65a": {
        f"lendingRates[{i}].additionalValue" for i in range(10)
    },
    # ... a PERIODIC fee without its period, RESIDENCY_STATUS without the status ...
    "38bca0f2a8c54e828ca954325c0aea17": {"fees[6].additionalValue"},
    "d7c55e295f504692a54360f0d2092c43": {"eligibility[4].additionalValue"},
    # ... and CARD_ACCESS and NOTIFICATIONS features without their text.
    "up-everyday": {"features[1].additionalValue", "features[8].additionalValue"},
}


@pytest.fixture(scope="module")
def onboarded(
    tmp_path_factory,
) -> tuple[ImportResult, list[FileMigration], dict[Path, bytes]]:
    root = tmp_path_factory.mktemp("bank")
    imported = import_from_dir(CAPTURES, root / "products")
    files, errors = migrate_files(root / "products", root=root)
    assert errors == []
    snapshot = {p: p.read_bytes() for p in sorted((root / "products").rglob("*.yaml"))}
    again, _ = migrate_files(root / "products", root=root)
    assert [f.display_path for f in again if f.written] == []
    assert {p: p.read_bytes() for p in snapshot} == snapshot
    return imported, files, snapshot


def test_real_import_reads_every_capture_and_reports_the_duplicate(onboarded):
    imported, files, _ = onboarded
    assert imported.problems == ()
    assert len(files) == len(imported.imported) == len(CAPTURE_FILES) - 1
    [skipped] = imported.skipped
    assert skipped.product_id == "HLVariableOffsetOwnerOccupied"
    assert skipped.source == "products/westpac/hlvariableoffsetowneroccupied.json"


def test_real_products_end_valid_or_with_only_located_open_items(onboarded):
    _, files, _ = onboarded
    leftovers: dict[str, set[str]] = {}
    for item in files:
        assert item.migration is not None, item.problems
        for open_item in item.open_items:
            assert open_item.line >= 1, open_item
            assert open_item.message, open_item
        open_paths = [o.path for o in item.open_items]
        for problem in item.problems:
            assert problem.line >= 1, problem
            if not any(
                problem.path == p or problem.path.startswith((p + ".", p + "["))
                for p in open_paths
            ):
                leftovers.setdefault(str(item.product_id), set()).add(problem.path)
    assert leftovers == KNOWN_SOURCE_DEFECTS
    assert sum(item.is_valid for item in files) >= 14


# What docs/migration-results.md reports: facts derived from evidence and open items, by
# the field they are about (a kept pre-V6 field is counted under its fee or discount).
DERIVED_BY_FIELD = {
    "applicationType": 566,
    "tiers": 60,
    "cardType": 6,
    "cardScheme": 5,
    "feeType": 2,
}
OPEN_BY_FIELD = {
    "applicationType": 188,
    "loanPurpose": 173,
    "repaymentType": 161,
    "feeType": 44,
    "additionalInfo": 44,
    "discountMethodUType": 7,
    "eligibility": 4,
    "cardScheme": 4,
    "fees": 2,
    "discounts": 3,
    "cardType": 3,
    "rate": 3,
    "feeMethodUType": 1,
    "isTailored": 1,
}


def test_real_products_derive_and_leave_open_what_the_results_page_says(onboarded):
    _, files, _ = onboarded
    derived: Counter[str] = Counter()
    open_items: Counter[str] = Counter()
    for item in files:
        assert item.migration is not None
        derived.update(
            _field(note.where) for note in item.migration.of_kind(NoteKind.DERIVED)
        )
        open_items.update(_field(o.path) for o in item.open_items)
    assert dict(derived) == DERIVED_BY_FIELD
    assert dict(open_items) == OPEN_BY_FIELD


def test_real_products_keep_a_comment_with_the_evidence_above_each_derived_value(
    onboarded,
):
    _, files, snapshot = onboarded
    for item in files:
        assert item.migration is not None
        [path] = [p for p in snapshot if p.as_posix().endswith(item.display_path)]
        doc = load_yaml_bytes(snapshot[path], item.display_path)
        assert isinstance(doc, Document)
        lines = snapshot[path].decode("utf-8").splitlines()
        for note in item.migration.of_kind(NoteKind.DERIVED):
            line, _ = doc.position_of(note.path, key=True)
            comment = _comment_above(lines, line - 1)
            assert f"migrate (derived): {note.message}; evidence: " in comment, (
                item.display_path,
                note.where,
            )


def _comment_above(lines: list[str], index: int) -> str:
    """The comment lines right above `lines[index]`, unwrapped into one line."""
    block: list[str] = []
    while index > 0 and lines[index - 1].lstrip().startswith("#"):
        index -= 1
        block.insert(0, lines[index].lstrip()[1:].strip())
    return " ".join(block)


def _field(path: str) -> str:
    """`lendingRates[3].loanPurpose` -> `loanPurpose`; `fees[2]` -> `fees`."""
    return re.sub(r"\[\d+\]$", "", path.rsplit(".", 1)[-1])


@pytest.mark.parametrize(
    "capture", CAPTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_real_capture_migrates_without_losing_a_value_and_twice_is_a_no_op(capture):
    source = json.loads(capture.read_text(encoding="utf-8"))
    migration = migrate_product(source)
    dropped = " ".join(
        note.message for note in migration.notes if note.message.startswith("dropped")
    )
    before, after = _values(source), _values(migration.data)
    for (category, value), count in before.items():
        if category == "PERCENT bound" and after[(category, value)] < count:
            value = value / 100 if isinstance(value, Decimal) else value
        if after[(category, value)] >= count:
            continue
        assert f"{value}" in dropped or f"{value!r}" in dropped, (category, value)
    assert not migrate_product(migration.data).changed


def test_real_v6_shaped_captures_are_detected_and_barely_touched():
    for name in (
        "westpac/hlvariableoffsetowneroccupied--2026-03-09.json",
        "commbank/f889dd909d1d44858a2f2ad839dcda89.json",
    ):
        migration = migrate_product(json.loads((CAPTURES / name).read_text()))
        assert migration.source_version == "v6"
        assert all(
            "lastUpdated" in n.message or n.path == ("isTailored",)
            for n in migration.notes
        )


_RATES = frozenset(
    {
        "rate",
        "comparisonRate",
        "balanceRate",
        "transactionRate",
        "accruedRate",
        "feeRate",
    }
)


def _values(data: Any) -> Counter[tuple[str, Any]]:
    """The values no migration may lose, by category, numbers compared as decimals."""
    found: Counter[tuple[str, Any]] = Counter()
    for path, value in _leaves(data, ()):
        key = str(path[-1])
        if value is None or value == "":
            continue
        if key in _RATES:
            found[("rate", _number(value))] += 1
        elif key == "amount":
            found[("amount", _number(value))] += 1
        elif key.endswith("Uri"):
            found[("uri", value)] += 1
        elif "constraints" in path and key == "additionalValue":
            found[("constraint", _number(value))] += 1
        elif key in ("minimumValue", "maximumValue"):
            unit = _tier_unit(data, path)
            found[
                (f"{unit} bound" if unit == "PERCENT" else "bound", _number(value))
            ] += 1
    return found


def _leaves(value: Any, path: tuple[Any, ...]):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path, value


def _tier_unit(data: Any, path: tuple[Any, ...]) -> Any:
    node = data
    for part in path[:-1]:
        node = node[part]
    return node.get("unitOfMeasure")


def _number(value: Any) -> Any:
    try:
        return Decimal(str(value).replace(",", "")).normalize()
    except InvalidOperation:
        return value
