"""Field-level differences between two normalised products; the only module that imports
deepdiff.

Arrays are first turned into dicts keyed by element identity (`identity.py`), pairing the
elements of both sides, so deepdiff reports `fees[name="Monthly fee",...].fixedAmount.amount`
changed instead of a removal plus an addition, and reordering is no change at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from typing import Literal

from catalog_sync.cds.identity import canonical_json
from catalog_sync.cds.identity import identity_of
from catalog_sync.cds.impact import Impact
from catalog_sync.cds.labels import short_label
from catalog_sync.cds.units import Unit
from catalog_sync.cds.units import value_unit
from catalog_sync.plan.impact import classify
from catalog_sync.plan.pairing import MISSING
from catalog_sync.plan.pairing import Missing
from catalog_sync.plan.pairing import pair_elements

ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One difference inside a product.

    `path` is the exact identity path (unique within the product); `label` is the same
    path with short human element names (`fees["Monthly fee"].fixedAmount.amount`);
    `subject` names the array elements in words (`Monthly fee`, `Bonus rate, balances
    up to $250,000 > Maximum withdrawals`, or `product`) and `field` is the path below
    the innermost one (`fixedAmount.amount`, empty when the element itself was added or
    removed). `unit` says how to show the values. `label`, `subject`, `field` and
    `unit` are for display only. `impact` is the change's class for the customer
    (`catalog_sync.plan.impact`), which policy gates read.
    """

    path: str
    label: str
    subject: str
    field: str
    kind: ChangeKind
    before: Any = None
    after: Any = None
    unit: Unit | None = None
    impact: Impact = "review"


@dataclass(frozen=True, slots=True)
class _Element:
    array_name: str
    machine: str
    label: str
    noun: str
    name: str
    value: Any  # the element itself (desired side if present): units read its type


class _Keyed(dict[str, Any]):
    """An array re-shaped as {identity segment: element}, so deepdiff sees dict paths."""


def diff_products(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[FieldChange, ...]:
    """Every field change from `before` to `after` (both already normalised), sorted by
    path. Equal inputs give `()`."""
    elements: dict[tuple[str, ...], _Element] = {}
    left, right = _key(before, after, (), elements)
    # Imported here: deepdiff (with asyncio) costs about 0.1 s at start-up, and an apply
    # of a saved plan, or a plan with nothing changed, never diffs.
    from deepdiff import DeepDiff
    from deepdiff.helper import notpresent

    report = DeepDiff(
        left, right, view="tree", verbose_level=2, threshold_to_diff_deeper=0
    )
    changes = [
        _field_change(level, elements, notpresent)
        for levels in report.values()
        for level in levels
    ]
    return tuple(sorted(changes, key=lambda change: (change.path, change.kind)))


def _key(
    left: Any,
    right: Any,
    path: tuple[str, ...],
    elements: dict[tuple[str, ...], _Element],
) -> tuple[Any, Any]:
    if _is_array(left) and _is_array(right) and (left, right) != (MISSING, MISSING):
        return _key_arrays(left, right, path, elements)
    if _is_object(left) and _is_object(right):
        return _key_objects(left, right, path, elements)
    if isinstance(left, Missing) or isinstance(right, Missing):
        return left, right
    return _key(left, MISSING, path, elements)[0], _key(MISSING, right, path, elements)[
        1
    ]


def _same(left: Any, right: Any) -> bool:
    # `==` alone calls 1 equal to True and 1.0; the canonical text does not.
    return left == right and canonical_json(left) == canonical_json(right)


def _is_array(value: Any) -> bool:
    return isinstance(value, list | Missing)


def _is_object(value: Any) -> bool:
    return isinstance(value, Mapping | Missing)


def _key_objects(
    left: Any,
    right: Any,
    path: tuple[str, ...],
    elements: dict[tuple[str, ...], _Element],
) -> tuple[Any, Any]:
    out_left: Any = {} if isinstance(left, Mapping) else MISSING
    out_right: Any = {} if isinstance(right, Mapping) else MISSING
    left_map = left if isinstance(left, Mapping) else {}
    right_map = right if isinstance(right, Mapping) else {}
    for name in sorted(set(left_map) | set(right_map)):
        keyed = _key(
            left_map.get(name, MISSING),
            right_map.get(name, MISSING),
            (*path, name),
            elements,
        )
        if _same(left_map.get(name, MISSING), right_map.get(name, MISSING)):
            continue  # equal subtrees cannot differ: keep them away from deepdiff
        if name in left_map:
            out_left[name] = keyed[0]
        if name in right_map:
            out_right[name] = keyed[1]
    return out_left, out_right


def _key_arrays(
    left: Any,
    right: Any,
    path: tuple[str, ...],
    elements: dict[tuple[str, ...], _Element],
) -> tuple[Any, Any]:
    array_name = path[-1] if path else ""
    out_left: Any = _Keyed() if isinstance(left, list) else MISSING
    out_right: Any = _Keyed() if isinstance(right, list) else MISSING
    pairs = pair_elements(
        array_name,
        left if isinstance(left, list) else [],
        right if isinstance(right, list) else [],
    )
    for element, (one, other) in zip(
        _name_elements(array_name, pairs), pairs, strict=True
    ):
        if _same(one, other):
            continue
        elements[(*path, element.machine)] = element
        keyed = _key(one, other, (*path, element.machine), elements)
        if not isinstance(one, Missing):
            out_left[element.machine] = keyed[0]
        if not isinstance(other, Missing):
            out_right[element.machine] = keyed[1]
    return out_left, out_right


def _name_elements(array_name: str, pairs: Sequence[tuple[Any, Any]]) -> list[_Element]:
    """Unique machine and human segments for each pair, numbering look-alikes."""
    identity = identity_of(array_name)
    shown = [other if not isinstance(other, Missing) else one for one, other in pairs]
    keys = [_key_text(array_name, item) for item in shown]
    names = [short_label(array_name, item) for item in shown]
    out: list[_Element] = []
    for index, item in enumerate(shown):
        key_ordinal = keys[:index].count(keys[index]) + 1
        name_ordinal = names[:index].count(names[index]) + 1
        machine = keys[index]
        if keys.count(keys[index]) > 1 or not machine:
            machine = ",".join(part for part in (machine, f"#{key_ordinal}") if part)
        name = names[index] or f"#{name_ordinal}"
        if names[index] and names.count(names[index]) > 1:
            name = f"{name} #{name_ordinal}"
        label = (
            canonical_json(name) if isinstance(item, Mapping) else canonical_json(item)
        )
        out.append(
            _Element(
                array_name, f"[{machine}]", f"[{label}]", identity.noun, name, item
            )
        )
    return out


def _key_text(array_name: str, item: Any) -> str:
    if not isinstance(item, Mapping):
        return canonical_json(item)
    return ",".join(
        f"{field}={canonical_json(item[field])}"
        for field in identity_of(array_name).key_fields
        if field in item
    )


def _field_change(
    level: Any, elements: Mapping[tuple[str, ...], _Element], notpresent: Any
) -> FieldChange:
    keys = tuple(str(part) for part in level.path(output_format="list"))
    before = None if level.t1 is notpresent else _unkey(level.t1)
    after = None if level.t2 is notpresent else _unkey(level.t2)
    kind: ChangeKind = (
        "added"
        if level.t1 is notpresent
        else "removed"
        if level.t2 is notpresent
        else "changed"
    )
    machine, label = "", ""
    chain: list[_Element] = []
    field: list[str] = []
    for depth, part in enumerate(keys, start=1):
        element = elements.get(keys[:depth])
        if element is not None:
            machine, label = machine + element.machine, label + element.label
            chain.append(element)
            field = []
        else:
            machine, label = _join(machine, part), _join(label, part)
            field.append(part)
    where = [(e.array_name, e.value) for e in chain if isinstance(e.value, Mapping)]
    return FieldChange(
        path=machine,
        label=label,
        subject=" > ".join(e.name for e in chain) or "product",
        field=".".join(field),
        kind=kind,
        before=before,
        after=after,
        unit=_unit(keys, elements, before if after is None else after),
        impact=classify(where, ".".join(field), kind, before, after),
    )


def _join(path: str, part: str) -> str:
    return f"{path}.{part}" if path else part


def _unit(
    keys: tuple[str, ...], elements: Mapping[tuple[str, ...], _Element], value: Any
) -> Unit | None:
    if not keys or isinstance(value, Mapping | list) or keys in elements:
        return None
    element = elements.get(keys[:-1])
    if element is None or not isinstance(element.value, Mapping):
        return value_unit(keys[-1], {}, None)
    return value_unit(keys[-1], element.value, element.array_name)


def _unkey(value: Any) -> Any:
    if isinstance(value, _Keyed):
        return [_unkey(item) for item in value.values()]
    if isinstance(value, Mapping):
        return {key: _unkey(item) for key, item in value.items()}
    return value
