"""Check product data against a bundled CDS schema and turn every jsonschema error into one
located, plain-English `Problem` with a hint. The only module that imports jsonschema.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema import validators
from jsonschema.exceptions import ValidationError
from jsonschema.exceptions import best_match

from catalog_sync.catalog import schema_hints
from catalog_sync.catalog.extensions import without_extensions
from catalog_sync.catalog.fastcheck import Check
from catalog_sync.catalog.fastcheck import compile_check
from catalog_sync.catalog.patterns import ecma_pattern
from catalog_sync.catalog.placeholders import with_placeholder_problems
from catalog_sync.catalog.schema import load_schema
from catalog_sync.problems import Problem
from catalog_sync.types import JSONObject
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.document import PathKey
from catalog_sync.yaml.document import format_path


def validate_document(
    doc: Document, schema_name: str, *, extension_prefixes: Sequence[str] = ()
) -> list[Problem]:
    """Every schema problem of one product file, located with the document's positions,
    and one problem for each placeholder `migrate` left in it. Fields of the holder
    identifiers in `extension_prefixes` (`WBC-...`) are allowed anywhere."""
    data = without_extensions(doc.data, extension_prefixes)
    problems = _validate(data, schema_name, _Where(doc.display_path, doc), server=False)
    return sorted(with_placeholder_problems(doc, problems), key=_order)


def validate_data(
    data: JSONObject,
    schema_name: str,
    *,
    source: str = "request body",
    extension_prefixes: Sequence[str] = (),
) -> list[Problem]:
    """Every schema problem of a product the server received (no positions: line 0).

    Fields the server sets (lastUpdated) are accepted here and ignored by the caller;
    `source` names the data in each Problem's `file`; `extension_prefixes` as for
    `validate_document`.
    """
    standard = without_extensions(data, extension_prefixes)
    return _validate(standard, schema_name, _Where(source, None), server=True)


def _validate(
    data: Any, schema_name: str, where: _Where, *, server: bool
) -> list[Problem]:
    if _checker(schema_name, server=server)(data):
        return []
    errors = _validator(schema_name, server=server).iter_errors(data)
    return _problems(errors, where)


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """jsonschema's `pattern` keyword with ECMA-262 anchors (catalog.patterns)."""
    if validator.is_type(instance, "string") and not ecma_pattern(pattern).search(
        instance
    ):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


@functools.cache
def _validator(schema_name: str, *, server: bool) -> Any:
    # No format checker: the CDS formats are patterns in the schema, which is faster.
    return _Validator(load_schema(schema_name, server=server))


@functools.cache
def _checker(schema_name: str, *, server: bool) -> Check:
    """The compiled fast path. Every shipped schema compiles: tests/catalog/test_fastcheck
    compiles each one, so a schema that outgrew the compiler fails there, not here."""
    return compile_check(load_schema(schema_name, server=server))


@dataclass(frozen=True, slots=True)
class _Where:
    """Turns a field path into (line, col) using the document, when there is one."""

    file: str
    doc: Document | None

    def at(self, path: PathKey, *, key: bool = False) -> tuple[int, int]:
        return self.doc.position_of(path, key=key) if self.doc else (0, 0)

    def literal(self, path: PathKey) -> str | None:
        return self.doc.scalar_text.get(path) if self.doc else None


def _problems(errors: Iterator[ValidationError], where: _Where) -> list[Problem]:
    problems: list[Problem] = []
    mismatch: set[PathKey] = set()
    bad_format: set[PathKey] = set()
    leaves = [leaf for error in errors for leaf in _leaves(error)]
    wrong_type: set[PathKey] = set()
    for leaf in leaves:
        if leaf.validator == "pattern":
            mismatch.add(tuple(leaf.absolute_path))
        if leaf.validator == "type":
            wrong_type.add(tuple(leaf.absolute_path))
    for leaf in leaves:
        path = tuple(leaf.absolute_path)
        if leaf.validator == "enum" and path in wrong_type:
            continue  # the type problem says it, with the allowed values as its hint
        if leaf.validator == "maxLength" and path in mismatch:
            # A sentence in an amount is not a long amount: the format problem (and
            # its hint) says what belongs there, not "shorten it".
            continue
        if leaf.validator == "pattern":
            if path in bad_format:
                continue  # one problem per field: the first (a rule's, if any) says enough
            bad_format.add(path)
        problems.extend(_to_problems(leaf, path, where))
    # A prose rule on a field (`feeMethodUType rateBased needs a rateBased object`) says
    # all that its plain type error would: one problem per field.
    ruled = {p.path for p in problems if p.code == "schema.rule"}
    problems = [p for p in problems if p.code != "schema.type" or p.path not in ruled]
    return sorted(dict.fromkeys(problems), key=_order)


def _order(problem: Problem) -> tuple[Any, ...]:
    """(file, line, col, path) with list indexes compared as numbers: fees[2] < fees[10]."""
    parts = tuple(
        (0, int(p), "") if p.isdigit() else (1, 0, p)
        for p in re.split(r"[.\[\]]+", problem.path)
        if p
    )
    return (problem.file, problem.line, problem.col, parts, problem.message)


def _leaves(error: ValidationError) -> list[ValidationError]:
    """The errors to report for `error`: a nullable anyOf is unwrapped to its real branch,
    any other anyOf/oneOf is reduced to its best match (never a wall of alternatives)."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return [error]
    branches = error.validator_value
    real = [i for i, branch in enumerate(branches) if branch != {"type": "null"}]
    if len(real) == 1 and len(branches) == 2:
        chosen = [e for e in error.context if e.relative_schema_path[0] == real[0]]
        return [leaf for e in chosen for leaf in _leaves(e)]
    # best_match descends into the context itself, preferring the branch whose type fits.
    best = best_match([error])
    return [error] if best is None or best is error else _leaves(best)


def _to_problems(error: ValidationError, path: PathKey, where: _Where) -> list[Problem]:
    kind = str(error.validator)
    if kind == "additionalProperties":
        return _unknown_fields(error, path, where)
    if kind == "required":
        key = _missing_key(error)
        line, col = where.at(path)
        message, required_hint = _required(error.schema, key, error.instance)
        return [
            Problem(
                where.file,
                line,
                col,
                format_path((*path, key)),
                message,
                required_hint,
                "schema.required",
            )
        ]
    line, col = where.at(path, key=kind == "not")
    message, hint, code = _describe(error, path, where)
    return [Problem(where.file, line, col, format_path(path), message, hint, code)]


def _missing_key(error: ValidationError) -> str:
    # jsonschema words it as "<repr of the key> is a required property".
    text = str(error.message).split(" is a required property")[0]
    try:
        return str(ast.literal_eval(text))
    except (ValueError, SyntaxError):  # pragma: no cover
        # Unreachable today: JSON keys are strings and jsonschema shows them as repr().
        # Kept so that a rewording in a jsonschema upgrade still names the field.
        return text


def _required(schema: Mapping[str, Any], key: str, instance: Any) -> tuple[str, str]:
    rule = schema.get("x-rule")
    message = rule or f"missing required field `{key}`"
    prop = schema.get("properties", {}).get(key, {})
    hint = schema_hints.misplaced_text(key, instance)
    return message, hint or f"add `{key}`" + schema_hints.expected_value(prop)


def _unknown_fields(
    error: ValidationError, path: PathKey, where: _Where
) -> list[Problem]:
    known = error.schema.get("properties", {})
    instance = error.instance if isinstance(error.instance, dict) else {}
    problems = []
    for key in instance:
        if key in known:
            continue
        field = (*path, key)
        line, col = where.at(field, key=True)
        hint = schema_hints.unknown_field(str(key), known, path, instance)
        message = f"unknown field `{key}`"
        problems.append(
            Problem(
                where.file,
                line,
                col,
                format_path(field),
                message,
                hint,
                "schema.unknown-field",
            )
        )
    return problems


def _describe(
    error: ValidationError, path: PathKey, where: _Where
) -> tuple[str, str | None, str]:
    """(message, hint, code) for a single-keyword error at `path`."""
    schema: Mapping[str, Any] = (
        error.schema if isinstance(error.schema, Mapping) else {}
    )
    kind = str(error.validator)
    rule = schema.get("x-rule")
    value = error.instance
    if kind == "not" and rule:
        return rule, schema.get("x-hint"), "schema.server-set"
    if kind == "type":
        message, hint, code = schema_hints.type_problem(
            error.validator_value, value, where.literal(path), rule
        )
        allowed = [str(v) for v in schema.get("enum", ()) if v is not None]
        if allowed and not rule:
            hint = "one of " + ", ".join(allowed)
        return message, hint or schema.get("x-hint"), code
    if kind == "enum":
        field = str(path[-1]) if path else ""
        return schema_hints.enum_problem(value, error.validator_value, rule, field)
    if kind == "pattern":
        return schema_hints.format_problem(value, schema, rule)
    if kind == "maxLength":
        size = len(value) if isinstance(value, str) else 0
        limit = error.validator_value
        return (
            f"too long: {size} characters, at most {limit}",
            "shorten it",
            "schema.too-long",
        )
    if rule:
        return rule, schema.get("x-hint"), "schema.rule"
    if kind == "minLength" and error.validator_value == 1:
        return (
            "must not be empty",
            "write a value, or remove the field if it is optional",
            "schema.empty",
        )
    return error.message, None, f"schema.{kind}"
