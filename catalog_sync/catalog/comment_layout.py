"""Keep each full-line comment above the field it describes while `roundtrip` reorders,
adds and removes fields. ruamel.yaml stores a comment line on whatever precedes it (the
last leaf of the previous field), so the lines are first taken off the tree and filed
under the field they precede (`detach_comments`), and put back where that field now is,
indented canonically, once the tree holds its new values (`attach_comments`)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from itertools import pairwise
from typing import Any

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from catalog_sync.catalog.writer import FIELD_ORDER

INDENT = 2


@dataclass(slots=True)
class Comments:
    """Comment lines by container (its `id`) and by the key or index they precede;
    `after` holds the lines after a container's last entry."""

    before: dict[int, dict[Any, list[str]]] = field(default_factory=dict)
    after: dict[int, list[str]] = field(default_factory=dict)


def detach_comments(tree: CommentedMap) -> Comments:
    """Take every full-line comment off `tree` (end-of-line comments stay)."""
    comments = Comments()
    _detach(tree, comments)
    return comments


def attach_comments(tree: CommentedMap, comments: Comments) -> None:
    """Order `tree`'s keys as the CDS does and put the comments back above their
    fields; comments of fields no longer there go with them."""
    _attach(tree, "", 0, comments)


def _entries(node: Any) -> list[Any]:
    return list(node) if isinstance(node, CommentedMap) else list(range(len(node)))


def _detach(node: Any, comments: Comments) -> None:
    if not isinstance(node, CommentedMap | CommentedSeq) or not len(node):
        return
    keys = _entries(node)
    comments.before[id(node)] = {
        key: _pop_rest(node, prev) for prev, key in pairwise(keys)
    }
    comments.after[id(node)] = _pop_rest(node, keys[-1])
    for key in keys:
        _detach(node[key], comments)


def _attach(node: Any, context: str, column: int, comments: Comments) -> None:
    if not isinstance(node, CommentedMap | CommentedSeq) or not len(node):
        return
    if isinstance(node, CommentedMap):
        order = FIELD_ORDER.get(context, ())
        keys = [k for k in order if k in node] + [k for k in node if k not in order]
        for key in keys:
            node.move_to_end(key)
            _reindent_block_start(node, key, column + INDENT)
            _attach(node[key], key, column + INDENT, comments)
    else:
        keys = _entries(node)
        for item in node:
            _attach(item, context, column + INDENT, comments)
    before = comments.before.get(id(node), {})
    if isinstance(node, CommentedMap) and before.get(keys[0]):
        # A comment above a key that moved to the top: above the mapping's first key.
        lines = [line.removeprefix("#").removeprefix(" ") for line in before[keys[0]]]
        node.yaml_set_comment_before_after_key(
            keys[0], before="\n".join(line for line in lines if line), indent=column
        )
    for prev, key in pairwise(keys):
        _put_rest(node, prev, before.get(key, []), column)
    _put_rest(node, keys[-1], comments.after.get(id(node), []), column)


def _reindent_block_start(node: CommentedMap, key: Any, column: int) -> None:
    """Comments between `key:` and the first item of its list, indented like the item."""
    slots = node.ca.items.get(key)
    for token in slots[3] if slots and slots[3] else ():
        # ruamel indents this token's first line to its mark's column itself.
        first, *rest = [line.strip() for line in token.value.split("\n")[:-1]]
        token.value = "".join(
            [
                f"{first}\n",
                *(f"{' ' * column}{line}\n" if line else "\n" for line in rest),
            ]
        )
        token.start_mark = CommentMark(column)


def _tail(container: Any, key: Any) -> tuple[Any, Any, int]:
    """Where ruamel keeps the comment that follows `container[key]`: on its last leaf
    (the leaf's container, its key or index, the slot in `ca.items`)."""
    value = container[key]
    if isinstance(value, CommentedMap | CommentedSeq) and len(value):
        return _tail(value, _entries(value)[-1])
    return container, key, 2 if isinstance(container, CommentedMap) else 0


def _pop_rest(container: Any, key: Any) -> list[str]:
    """The full-line comments (and blank lines) after `container[key]`, taken off it;
    its end-of-line comment stays."""
    owner, leaf, position = _tail(container, key)
    slots = owner.ca.items.get(leaf)
    token = slots[position] if slots else None
    if not isinstance(token, CommentToken):
        return []
    value: str = token.value
    # A literal block ends its own line: what follows it is never an end-of-line comment.
    if value.startswith("#") and not isinstance(owner[leaf], LiteralScalarString):
        eol, _, rest = value.partition("\n")
        token.value = eol + "\n"
    else:
        rest = value[1:] if value.startswith("\n") else value
        slots[position] = None
    return [line.strip() for line in rest.split("\n")[:-1]]


def _put_rest(container: Any, key: Any, lines: list[str], column: int) -> None:
    """Put comment lines after `container[key]`, indented to `column`; blank lines kept,
    one at a time."""
    kept: list[str] = []
    for line in lines:
        if line or not kept or kept[-1]:
            kept.append(line)
    if not kept:
        return
    text = "".join(f"{' ' * column}{line}\n" if line else "\n" for line in kept)
    owner, leaf, position = _tail(container, key)
    slots = owner.ca.items.setdefault(leaf, [None, None, None, None])
    token = slots[position]
    if isinstance(token, CommentToken):
        token.value = token.value + text
    else:
        if not isinstance(owner[leaf], LiteralScalarString):
            text = "\n" + text  # end the value's line first
        slots[position] = CommentToken(text, CommentMark(0), None)
