"""Pairs the elements of one array on the two sides of a diff: elements with equal
identity keys are matched, identical ones first, then the most similar, so an edited
element reads as a change of that element rather than a removal plus an addition.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from catalog_sync.cds.identity import canonical_json
from catalog_sync.cds.identity import element_key
from catalog_sync.cds.identity import identity_of

# Above this many candidate pairs in one identity group, pair in sorted order instead
# of by similarity (quadratic); no real product comes near it.
_MAX_SCORED_PAIRS = 10_000
# A shared distinguishing field (a rate's fixed term, its tiers) outweighs many others.
_LABEL_WEIGHT = 10


class Missing:
    """The side of a pair where an element (or any value) does not exist."""


MISSING = Missing()


def pair_elements(
    array_name: str, left: Sequence[Any], right: Sequence[Any]
) -> list[tuple[Any, Any]]:
    """Pairs elements with equal identity keys: identical ones first, then the most
    similar, then what is left over is added or removed."""
    groups: dict[tuple[str, ...], tuple[list[Any], list[Any]]] = {}
    for side, items in enumerate((left, right)):
        for item in items:
            groups.setdefault(element_key(array_name, item), ([], []))[side].append(
                item
            )
    pairs: list[tuple[Any, Any]] = []
    for key in sorted(groups):
        pairs.extend(_pair_group(array_name, *groups[key]))
    return pairs


def _pair_group(
    array_name: str, lefts: list[Any], rights: list[Any]
) -> list[tuple[Any, Any]]:
    pairs: list[tuple[Any, Any]] = []
    waiting: dict[str, list[Any]] = {}
    for item in rights:
        waiting.setdefault(canonical_json(item), []).append(item)
    rest_left: list[Any] = []
    for item in lefts:
        same = waiting.get(canonical_json(item))
        if same:
            pairs.append((item, same.pop(0)))
        else:
            rest_left.append(item)
    rest_right = [item for items in waiting.values() for item in items]
    if len(rest_left) * len(rest_right) > _MAX_SCORED_PAIRS:
        ranked = [
            (0, i, j)
            for i in range(len(rest_left))
            for j in range(len(rest_right))
            if i == j
        ]
    else:
        ranked = sorted(
            (-_similarity(array_name, one, other), i, j)
            for i, one in enumerate(rest_left)
            for j, other in enumerate(rest_right)
        )
    used_left: set[int] = set()
    used_right: set[int] = set()
    for _, i, j in ranked:
        if i not in used_left and j not in used_right:
            used_left.add(i)
            used_right.add(j)
            pairs.append((rest_left[i], rest_right[j]))
    pairs.extend(
        (item, MISSING) for i, item in enumerate(rest_left) if i not in used_left
    )
    pairs.extend(
        (MISSING, item) for j, item in enumerate(rest_right) if j not in used_right
    )
    return pairs


def _similarity(array_name: str, one: Any, other: Any) -> int:
    if not (isinstance(one, Mapping) and isinstance(other, Mapping)):
        return 0
    label_fields = identity_of(array_name).label_fields
    return sum(
        _LABEL_WEIGHT if name in label_fields else 1
        for name in set(one) | set(other)
        if one.get(name, MISSING) == other.get(name, MISSING)
    )
