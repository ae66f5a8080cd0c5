"""A yes/no validity check compiled from our generated schemas into plain Python closures.

jsonschema explains errors well but costs ~12 ms per realistic product; this check costs a
small fraction of that. validate.py asks it first and runs jsonschema only for products
that fail, so the two must agree: the compiler refuses any keyword it does not implement
(`UnsupportedSchemaError`), and tests compare both on real and mutated data.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from typing import Any

from catalog_sync.catalog.patterns import ecma_pattern

Check = Callable[[Any], bool]

_ANNOTATIONS = {
    "$comment",
    "$id",
    "$schema",
    "$defs",
    "default",
    "description",
    "title",
}
_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
}
_OBJECT_KEYWORDS = {"properties", "required", "additionalProperties"}


class UnsupportedSchemaError(ValueError):
    """The schema uses a keyword this compiler does not implement."""


def compile_check(root: Mapping[str, Any]) -> Check:
    """A function that says whether an instance is valid against `root` (draft 2020-12,
    restricted to the keywords our generator emits; local `#/$defs/...` refs only)."""
    compiled_refs: dict[str, Check] = {}

    def resolve(ref: str) -> Check:
        if not ref.startswith("#/$defs/"):
            raise UnsupportedSchemaError(f"$ref {ref!r}")
        if ref not in compiled_refs:
            target = root["$defs"][ref.removeprefix("#/$defs/")]
            slot: list[Check] = []
            # Recursive schemas: callers bind to the slot before the body is compiled.
            compiled_refs[ref] = lambda v: slot[0](v)
            slot.append(_compile(target, resolve))
        return compiled_refs[ref]

    return _compile(root, resolve)


def _compile(schema: Any, resolve: Callable[[str], Check]) -> Check:
    if schema is True or schema == {}:
        return lambda v: True
    if schema is False:
        return lambda v: False
    checks: list[Check] = []
    for key, value in schema.items():
        if key in _ANNOTATIONS or key.startswith("x-") or key in _OBJECT_KEYWORDS:
            continue
        checks.append(_keyword(key, value, schema, resolve))
    if _OBJECT_KEYWORDS & schema.keys():
        checks.append(_object_check(schema, resolve))
    return _all(checks)


def _all(checks: list[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]
    frozen = tuple(checks)

    def check(v: Any) -> bool:
        # A plain loop: measurably faster than all() over a generator on this hot path.
        for one in frozen:  # noqa: SIM110
            if not one(v):
                return False
        return True

    return check


def _keyword(
    key: str, value: Any, schema: Mapping[str, Any], resolve: Callable[[str], Check]
) -> Check:
    if key == "type":
        names = [value] if isinstance(value, str) else list(value)
        tests = tuple(_TYPES[n] for n in names)
        return lambda v: any(t(v) for t in tests)
    if key == "enum":
        if not all(isinstance(e, str) or e is None for e in value):
            raise UnsupportedSchemaError("enum with non-string values")
        strings = frozenset(e for e in value if e is not None)
        allow_null = None in value
        return lambda v: (
            (v in strings) if isinstance(v, str) else (v is None and allow_null)
        )
    if key == "pattern":
        search = ecma_pattern(value).search
        return lambda v: not isinstance(v, str) or search(v) is not None
    if key == "maxLength":
        return lambda v: not isinstance(v, str) or len(v) <= value
    if key == "minLength":
        return lambda v: not isinstance(v, str) or len(v) >= value
    if key == "minItems":
        return lambda v: not isinstance(v, list) or len(v) >= value
    if key == "minimum":
        return lambda v: not _TYPES["number"](v) or v >= value
    if key == "items":
        item = _compile(value, resolve)
        return lambda v: not isinstance(v, list) or all(item(x) for x in v)
    if key == "$ref":
        return resolve(value)
    if key == "not":
        inner = _compile(value, resolve)
        return lambda v: not inner(v)
    if key in ("allOf", "anyOf"):
        parts = tuple(_compile(s, resolve) for s in value)
        if key == "allOf":
            return _all(list(parts))
        return lambda v: any(p(v) for p in parts)
    if key == "if":
        condition = _compile(value, resolve)
        then = _compile(schema.get("then", True), resolve)
        return lambda v: not condition(v) or then(v)
    if key == "then":
        return lambda v: True  # evaluated with "if"
    raise UnsupportedSchemaError(f"keyword {key!r}")


def _object_check(schema: Mapping[str, Any], resolve: Callable[[str], Check]) -> Check:
    props = {k: _compile(s, resolve) for k, s in schema.get("properties", {}).items()}
    required = tuple(schema.get("required", ()))
    extra = schema.get("additionalProperties", True)
    if extra not in (True, False):
        raise UnsupportedSchemaError("additionalProperties with a schema")
    closed = extra is False

    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return True
        for key in required:
            if key not in v:
                return False
        for key, item in v.items():
            prop = props.get(key)
            if prop is None:
                if closed:
                    return False
            elif not prop(item):
                return False
        return True

    return check
