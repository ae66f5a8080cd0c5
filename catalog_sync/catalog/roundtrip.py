"""Rewrite a product file in the one canonical layout while keeping what people wrote:
comments, literal blocks and the text of every unchanged value. Used by `fmt` (the same
values, laid out canonically) and by `export` (the live values, changing only those that
differ). The only module that uses ruamel.yaml, and only to rewrite: every file is first
read by the hardened loader, and the rewritten text must read back, through that loader,
to exactly the values wanted before anyone writes it.

Canonical means: keys in CDS field order (`writer.FIELD_ORDER`), two-space indentation
with list dashes indented, quoted strings in double quotes, a plain string quoted
wherever a YAML reader could take it for something else, full-line comments indented
like the line they precede, at most one blank line in a row.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.scalarstring import LiteralScalarString
from ruamel.yaml.scalarstring import PlainScalarString
from ruamel.yaml.scalarstring import ScalarString

from catalog_sync.catalog.comment_layout import attach_comments
from catalog_sync.catalog.comment_layout import detach_comments
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.loader import load_yaml_bytes
from catalog_sync.yaml.scalars import resolve_plain

MODELINE_PREFIX = "# yaml-language-server: $schema="
_LINE_BREAKS = frozenset("\x85\u2028\u2029\r")
_INDENT = 2


def rewrite_product(text: str, want: Mapping[str, Any], *, modeline: str) -> str:
    """`text` (a product file the hardened loader accepted) rewritten canonically so that
    it holds `want`: values equal to the file's keep their text, others are replaced,
    keys absent from `want` go, new ones are added in CDS order. `modeline` (the
    `# yaml-language-server` line) replaces any the file had."""
    tree = _yaml().load(text)
    comments = detach_comments(tree)
    tree = _reconcile(tree, want)
    attach_comments(tree, comments)
    out = io.StringIO()
    _yaml().dump(tree, out)
    lines = [line for line in out.getvalue().split("\n") if not _is_modeline(line)]
    result = "\n".join([modeline, *lines]).rstrip("\n") + "\n"
    reread = load_yaml_bytes(result.encode("utf-8"), "<rewritten>")
    # A bug here must never reach a file: the caller writes nothing after an error.
    assert isinstance(reread, Document), reread
    assert reread.data == want, "the rewritten file would not hold the wanted values"
    return result


def schema_modeline(relative_schema: str) -> str:
    """The comment that points the YAML language server (VS Code, JetBrains, Neovim) at
    the schema; `relative_schema` is relative to the product file's folder."""
    return f"{MODELINE_PREFIX}{relative_schema}"


def _is_modeline(line: str) -> bool:
    return line.startswith(MODELINE_PREFIX)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=_INDENT, sequence=2 * _INDENT, offset=_INDENT)
    yaml.width = 4096  # never fold a long description
    yaml.Representer = _Representer
    return yaml


class _Representer(RoundTripRepresenter):
    """Plain strings stay plain unless a reader could take them for something else."""


def _represent_str(representer: RoundTripRepresenter, data: str) -> Any:
    style = '"' if _needs_quotes(data) else None
    return representer.represent_scalar(_STR, data, style=style)


_Representer.add_representer(str, _represent_str)
_STR = "tag:yaml.org,2002:str"
_ANALYZER = YAML(typ="rt")
_YAML11: Any = yaml.resolver.Resolver()


def _needs_quotes(data: str) -> bool:
    """Whether a plain `data` could be read as anything but this string: by the
    hardened loader (YAML 1.2 core), by ruamel, or by a YAML 1.1 reader (`yes`, `on`,
    dates), or could not be written plain at all."""
    if not isinstance(resolve_plain(data), str) or _LINE_BREAKS & set(data):
        return True
    implicit = (True, False)
    if _YAML11.resolve(yaml.ScalarNode, data, implicit) != _STR:
        return True
    ruamel_resolver: Any = _ANALYZER.resolver
    if ruamel_resolver.resolve(ScalarNode, data, implicit) != _STR:
        return True
    return not _ANALYZER.emitter.analyze_scalar(data).allow_block_plain


def _is_block(data: str) -> bool:
    """Multi-line text reads best as a literal block (`|`) when it round-trips as one."""
    return "\n" in data and data == data.strip("\n ") + "\n" * (data.endswith("\n"))


def _reconcile(node: Any, want: Any) -> Any:
    """`node` (as ruamel read it) changed as little as possible to hold `want`."""
    if isinstance(want, Mapping):
        if not isinstance(node, CommentedMap):
            node = CommentedMap()
        for key in [k for k in node if k not in want]:
            del node[key]
        for key, value in want.items():
            node[key] = _reconcile(node.get(key), value)
        return node
    if isinstance(want, list):
        if not isinstance(node, CommentedSeq):
            node = CommentedSeq()
        del node[len(want) :]
        for index, value in enumerate(want):
            old = node[index] if index < len(node) else None
            if index < len(node):
                node[index] = _reconcile(old, value)
            else:
                node.append(_reconcile(old, value))
        return node
    return _scalar(node, want)


def _scalar(node: Any, want: Any) -> Any:
    if isinstance(want, str):
        if isinstance(node, ScalarString) and str(node) == want:
            if isinstance(node, LiteralScalarString):
                return node
            return DoubleQuotedScalarString(want)
        if _is_block(want) and not (_LINE_BREAKS | {"\t"}) & set(want):
            return LiteralScalarString(want)
        # Always a ScalarString: ruamel gives a plain str the style of the value it
        # replaces (a '5.00' would stay single-quoted).
        if _needs_quotes(want):
            return DoubleQuotedScalarString(want)
        return PlainScalarString(want)
    # ruamel and the hardened loader agree on true/false/ints/decimals; where they do,
    # the file's own spelling (`0.050`) stays.
    same = type(node) is not bool and node == want and not isinstance(node, str)
    if same and isinstance(want, bool) == isinstance(node, bool):
        return node
    return want
