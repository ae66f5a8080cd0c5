"""Server-side body checks: the same JSON Schema validation the CLI runs (imported lazily
from `catalog_sync.catalog.validate`), reported as a CDS error body, plus the productId
rules any path segment must meet.
"""

from __future__ import annotations

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


def product_id_problem(product_id: object) -> str | None:
    """Why `product_id` cannot be a productId in a URL path, or None if it can."""
    if not isinstance(product_id, str) or not product_id:
        return "productId must be a non-empty string"
    if "/" in product_id:
        return "productId must be a single path segment (no '/')"
    if product_id in {".", ".."}:
        return "productId cannot be '.' or '..'"
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in product_id):
        return "productId must not contain control characters"
    return None


def make_check(schema: str) -> Check:
    """A check for `Store` writes that raises InvalidProductError with every problem.

    `lastUpdated` is server-managed: it is removed before validation, so a client that
    sends one is not refused for it (the store overwrites it anyway).
    """

    def check(body: JSONObject) -> None:
        data = {key: value for key, value in body.items() if key != "lastUpdated"}
        errors = [_cds_error(problem) for problem in _problems(data, schema)]
        if errors:
            raise InvalidProductError(errors)

    return check


def _problems(data: JSONObject, schema: str) -> list[Problem]:
    # Imported here: jsonschema and the compiled schemas load only once a write arrives.
    from catalog_sync.catalog.validate import validate_data

    source = f"request body ({data.get('productId', '?')})"
    return validate_data(data, schema, source=source)


def _cds_error(problem: Problem) -> dict[str, Any]:
    meta: dict[str, Any] = {"path": problem.path, "rule": problem.code}
    if problem.hint:
        meta["hint"] = problem.hint
    detail = f"{problem.path}: {problem.message}" if problem.path else problem.message
    urn, title = _MISSING if problem.code.endswith(".required") else _INVALID
    return {"code": urn, "title": title, "detail": detail, "meta": meta}
