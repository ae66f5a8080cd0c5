"""Server-side body checks: the same JSON Schema validation the CLI runs (imported lazily
from `catalog_sync.catalog.validate`), reported as a CDS error body. The productId rule
every route and body meets is `catalog_sync.cds.product_id`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from catalog_sync.emulator.records import Check
from catalog_sync.emulator.records import StoreError
from catalog_sync.problems import Problem
from catalog_sync.types import JSONObject

_INVALID = ("urn:au-cds:error:cds-all:Field/Invalid", "Invalid Field")
_MISSING = ("urn:au-cds:error:cds-all:Field/Missing", "Missing Required Field")


class InvalidProductError(StoreError):
    """422: the body failed validation; `errors` is the CDS `errors` list."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} validation error(s)")
        self.errors = errors


def make_check(schema: str, extension_prefixes: Sequence[str] = ()) -> Check:
    """A check for `Store` writes that raises InvalidProductError with every problem.

    `lastUpdated` is server-managed: it is removed before validation, so a client that
    sends one is not refused for it (the store overwrites it anyway). Extension fields
    of `extension_prefixes` (`WBC-...`) are accepted anywhere and stored as sent.
    """
    prefixes = tuple(extension_prefixes)

    def check(body: JSONObject) -> None:
        data = {key: value for key, value in body.items() if key != "lastUpdated"}
        errors = [_cds_error(p) for p in _problems(data, schema, prefixes)]
        if errors:
            raise InvalidProductError(errors)

    return check


def _problems(data: JSONObject, schema: str, prefixes: Sequence[str]) -> list[Problem]:
    # Imported here: jsonschema and the compiled schemas load only once a write arrives.
    from catalog_sync.catalog.validate import validate_data

    source = f"request body ({data.get('productId', '?')})"
    return validate_data(data, schema, source=source, extension_prefixes=prefixes)


def _cds_error(problem: Problem) -> dict[str, Any]:
    meta: dict[str, Any] = {"path": problem.path, "rule": problem.code}
    if problem.hint:
        meta["hint"] = problem.hint
    detail = f"{problem.path}: {problem.message}" if problem.path else problem.message
    urn, title = _MISSING if problem.code.endswith(".required") else _INVALID
    return {"code": urn, "title": title, "detail": detail, "meta": meta}
