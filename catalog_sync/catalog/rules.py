"""Catalog rules that JSON Schema cannot express: valid, unique productIds, file names
(`catalog.layout`), bundle references and effective-date order.

The rules run on `ProductFacts`, the few fields of a document they need, so a warm
validation can check the whole catalog from the cache without parsing any YAML.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from catalog_sync.catalog.layout import file_name_problem
from catalog_sync.catalog.layout import file_stem
from catalog_sync.catalog.layout import product_id_of
from catalog_sync.catalog.placeholders import PLACEHOLDER
from catalog_sync.cds.product_id import PRODUCT_ID_RULE
from catalog_sync.cds.product_id import product_id_problem
from catalog_sync.problems import Problem
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.document import format_path

Where = tuple[int, int]


@dataclass(frozen=True, slots=True)
class ProductFacts:
    """What the catalog rules need from one product file, with positions."""

    display_path: str
    product_id: str | None = None
    product_id_at: Where = (1, 1)
    bundle_refs: tuple[tuple[str, str, int, int], ...] = ()
    """(productId, field path, line, col) for each `bundles[i].productIds[j]`."""
    effective_from: str | None = None
    effective_from_at: Where = (1, 1)
    effective_to: str | None = None
    effective_to_at: Where = (1, 1)

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe form for the validation cache (the path is not stored)."""
        return {
            "product_id": [self.product_id, *self.product_id_at],
            "bundle_refs": [list(ref) for ref in self.bundle_refs],
            "effective_from": [self.effective_from, *self.effective_from_at],
            "effective_to": [self.effective_to, *self.effective_to_at],
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any], display_path: str) -> ProductFacts:
        """The inverse of `to_json`, for the file now at `display_path`."""
        pid, fro, to = raw["product_id"], raw["effective_from"], raw["effective_to"]
        if not all(v is None or isinstance(v, str) for v in (pid[0], fro[0], to[0])):
            raise TypeError("malformed cached facts")
        return cls(
            display_path=display_path,
            product_id=pid[0],
            product_id_at=(int(pid[1]), int(pid[2])),
            bundle_refs=tuple(
                (str(r[0]), str(r[1]), int(r[2]), int(r[3])) for r in raw["bundle_refs"]
            ),
            effective_from=fro[0],
            effective_from_at=(int(fro[1]), int(fro[2])),
            effective_to=to[0],
            effective_to_at=(int(to[1]), int(to[2])),
        )


def extract_facts(doc: Document) -> ProductFacts:
    """The rule-relevant fields of `doc`; values of the wrong type are left to the schema,
    and a productId still `TODO(migrate)` to its placeholder problem (one, not three)."""
    data = doc.data
    product_id = _string(data.get("productId"))
    return ProductFacts(
        display_path=doc.display_path,
        product_id=None if product_id == PLACEHOLDER else product_id,
        product_id_at=doc.position_of(("productId",)),
        bundle_refs=tuple(_bundle_refs(doc)),
        effective_from=_string(data.get("effectiveFrom")),
        effective_from_at=doc.position_of(("effectiveFrom",)),
        effective_to=_string(data.get("effectiveTo")),
        effective_to_at=doc.position_of(("effectiveTo",)),
    )


def check_catalog(
    documents: Iterable[Document],
    *,
    require_filename_match: bool = True,
    check_references: bool = True,
) -> list[Problem]:
    """Every catalog-rule problem across `documents`."""
    return check_facts(
        [extract_facts(doc) for doc in documents],
        require_filename_match=require_filename_match,
        check_references=check_references,
    )


def check_facts(
    facts: Sequence[ProductFacts],
    *,
    require_filename_match: bool = True,
    check_references: bool = True,
) -> list[Problem]:
    """The rules over extracted facts. `check_references` is off when only some files
    of the catalog were loaded (a reference to an unloaded file is not an error)."""
    problems: list[Problem] = []
    for fact in facts:
        problems.extend(_product_id_problems(fact, require_filename_match))
        problems.extend(_date_problems(fact))
    problems.extend(_duplicate_problems(facts))
    if check_references:
        problems.extend(_reference_problems(facts))
    return problems


def _product_id_problems(
    fact: ProductFacts, require_filename_match: bool
) -> list[Problem]:
    if fact.product_id is None:
        return []
    line, col = fact.product_id_at
    reason = product_id_problem(fact.product_id)
    if reason is not None:
        return [
            Problem(
                fact.display_path,
                line,
                col,
                "productId",
                reason,
                f"{PRODUCT_ID_RULE}, e.g. 'everyday-account' or 'HOME EQUITY P'",
                "rules.product-id",
            )
        ]
    if require_filename_match:
        return _file_name_problems(fact, fact.product_id)
    return []


def _file_name_problems(fact: ProductFacts, product_id: str) -> list[Problem]:
    """The file must be named `layout.file_stem(productId)` + `.yaml` (or `.yml`)."""
    file = PurePosixPath(fact.display_path)
    expected = file_stem(product_id)
    if file.stem == expected:
        return []
    if product_id_of(file.stem) == product_id:
        message = (
            f"the file name {file.stem!r} encodes more characters than productId "
            f"{product_id!r} needs"
        )
    else:
        message = f"productId {product_id!r} does not match the file name {file.stem!r}"
    problem = file_name_problem(product_id)
    hint = (
        f"{problem}: set require_filename_match: false"
        if problem is not None
        else f"rename the file to {expected}{file.suffix}, or set "
        "require_filename_match: false"
    )
    line, col = fact.product_id_at
    return [
        Problem(
            fact.display_path, line, col, "productId", message, hint, "rules.filename"
        )
    ]


def _duplicate_problems(facts: Sequence[ProductFacts]) -> list[Problem]:
    by_form: dict[str, list[ProductFacts]] = defaultdict(list)
    for fact in facts:
        if fact.product_id is not None:
            by_form[_comparable(fact.product_id)].append(fact)
    problems: list[Problem] = []
    for group in by_form.values():
        for fact in group if len(group) > 1 else ():
            others = [other for other in group if other is not fact]
            problems.append(_duplicate(fact, others))
    return problems


def _duplicate(fact: ProductFacts, others: Sequence[ProductFacts]) -> Problem:
    assert fact.product_id is not None
    where = ", ".join(f"{o.display_path}:{o.product_id_at[0]}" for o in others)
    exact = all(o.product_id == fact.product_id for o in others)
    if exact:
        message = f"productId {fact.product_id!r} is also used in {where}"
        code = "rules.duplicate-id"
    else:
        shown = ", ".join(repr(o.product_id) for o in others)
        message = f"productId {fact.product_id!r} differs only in case from {shown} in {where}"
        code = "rules.similar-id"
    line, col = fact.product_id_at
    hint = (
        "each product needs its own productId"
        if exact
        else "rename one: their files would be one file on a case-insensitive file "
        "system (macOS, Windows), so catalog-sync refuses ids that differ only in case"
    )
    return Problem(fact.display_path, line, col, "productId", message, hint, code)


def _reference_problems(facts: Sequence[ProductFacts]) -> list[Problem]:
    known = {fact.product_id for fact in facts if fact.product_id is not None}
    problems: list[Problem] = []
    for fact in facts:
        for ref, path, line, col in fact.bundle_refs:
            if ref not in known:
                message = (
                    f"bundle refers to productId {ref!r}, which is not in the catalog"
                )
                hint = "add that product's file, or fix the id"
                problems.append(
                    Problem(
                        fact.display_path,
                        line,
                        col,
                        path,
                        message,
                        hint,
                        "rules.bundle-reference",
                    )
                )
    return problems


def _date_problems(fact: ProductFacts) -> list[Problem]:
    start, end = _instant(fact.effective_from), _instant(fact.effective_to)
    if start is None or end is None or end > start:
        return []
    line, col = fact.effective_to_at
    message = f"effectiveTo ({fact.effective_to}) is not after effectiveFrom ({fact.effective_from})"
    hint = "a product must be effective for some time: move effectiveTo later"
    return [
        Problem(
            fact.display_path,
            line,
            col,
            "effectiveTo",
            message,
            hint,
            "rules.effective-dates",
        )
    ]


def _instant(text: str | None) -> datetime | None:
    # Unparsable or offset-less values are the schema's to report, not ours.
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _comparable(product_id: str) -> str:
    return unicodedata.normalize("NFKC", product_id).casefold()


def _string(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _bundle_refs(doc: Document) -> Iterable[tuple[str, str, int, int]]:
    bundles = doc.data.get("bundles")
    if not isinstance(bundles, list):
        return
    for i, bundle in enumerate(bundles):
        ids = bundle.get("productIds") if isinstance(bundle, dict) else None
        for j, ref in enumerate(ids if isinstance(ids, list) else ()):
            if isinstance(ref, str):
                path = ("bundles", i, "productIds", j)
                line, col = doc.position_of(path)
                yield ref, format_path(path), line, col
