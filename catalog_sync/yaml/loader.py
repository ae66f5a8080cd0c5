"""Load product files into `Document`s: hardened, located, and all problems at once.

The YAML is read from libyaml's event stream (never composed into nodes, never
constructed by PyYAML), so anchors, aliases, tags, duplicate keys, extra documents and
nesting bombs are refused where they appear, before any of them can cost memory or run
code. Every value's position is recorded for located error messages. This is the only
module that parses YAML.
"""

from __future__ import annotations

from collections.abc import Iterable
from hashlib import sha256
from pathlib import Path
from sys import intern
from typing import Any
from typing import NoReturn

import yaml
from yaml.events import AliasEvent
from yaml.events import DocumentStartEvent
from yaml.events import MappingEndEvent
from yaml.events import MappingStartEvent
from yaml.events import ScalarEvent
from yaml.events import SequenceEndEvent
from yaml.events import SequenceStartEvent
from yaml.events import StreamEndEvent

from catalog_sync.problems import Problem
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.document import PathKey
from catalog_sync.yaml.document import format_path
from catalog_sync.yaml.parse_errors import ANCHOR
from catalog_sync.yaml.parse_errors import COMPLEX_KEY
from catalog_sync.yaml.parse_errors import DUPLICATE
from catalog_sync.yaml.parse_errors import EMPTY
from catalog_sync.yaml.parse_errors import MAX_DEPTH
from catalog_sync.yaml.parse_errors import MULTIPLE_DOCUMENTS
from catalog_sync.yaml.parse_errors import NO_CONTENT
from catalog_sync.yaml.parse_errors import NOT_MAPPING
from catalog_sync.yaml.parse_errors import TAG
from catalog_sync.yaml.parse_errors import TOO_DEEP
from catalog_sync.yaml.parse_errors import encoding_problem
from catalog_sync.yaml.parse_errors import nbsp_problem
from catalog_sync.yaml.parse_errors import reader_problem
from catalog_sync.yaml.parse_errors import syntax_problem
from catalog_sync.yaml.scalars import resolve_plain

try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None  # type: ignore[assignment,misc]


_STRING_TAGS = frozenset({None, "!", "tag:yaml.org,2002:str"})
_YAML_TAG_PREFIX = "tag:yaml.org,2002:"
_END_EVENTS = (MappingEndEvent, SequenceEndEvent)
_INTERN_CHARS = 32


def load_yaml_bytes(
    data: bytes, display_path: str, *, path: Path | None = None
) -> Document | list[Problem]:
    """Parse one product file's bytes: a `Document`, or the problems that prevent one.

    Never raises for any input (the fuzz tests hold it to that).
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [encoding_problem(data, exc, display_path)]
    builder = _Builder(display_path)
    try:
        built = builder.build(_parser(data))
    except _Stop:
        built = None
    except yaml.MarkedYAMLError as exc:
        builder.problems.append(syntax_problem(exc, data, display_path))
        built = None
    except yaml.YAMLError as exc:
        builder.problems.append(reader_problem(exc, data, display_path))
        built = None
    if builder.problems or built is None or builder.nbsp_in_key:
        # A pasted non-breaking space where YAML needs a space explains all of those.
        nbsp = nbsp_problem(data, display_path)
        if nbsp is not None:
            return [nbsp]
    if builder.problems or built is None:
        return sorted_problems(builder.problems)
    return Document(
        path=path if path is not None else Path(display_path),
        display_path=display_path,
        data=built,
        positions=builder.positions,
        key_positions=builder.key_positions,
        scalar_text=builder.scalar_text,
        digest=sha256(data).hexdigest(),
    )


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in report order: by file, then line, column, field path and message."""
    return sorted(problems, key=lambda p: (p.file, p.line, p.col, p.path, p.message))


class _Stop(Exception):
    """A problem that makes the rest of the file meaningless was recorded."""


def _parser(data: bytes) -> Any:
    # libyaml when PyYAML was built with it (the PyPI wheels are); else the same events
    # from the pure-Python parser.
    if _CParser is not None:
        return _CParser(data)
    return yaml.SafeLoader(data)  # pragma: no cover - PyYAML without libyaml


class _Builder:
    """Turns one document's events into plain data plus positions, refusing hostile YAML."""

    def __init__(self, display_path: str) -> None:
        self.file = display_path
        self.problems: list[Problem] = []
        self.positions: dict[PathKey, tuple[int, int]] = {}
        self.key_positions: dict[PathKey, tuple[int, int]] = {}
        self.scalar_text: dict[PathKey, str] = {}
        self.nbsp_in_key = False

    def build(self, parser: Any) -> dict[str, Any] | None:
        get_event = parser.get_event
        get_event()  # StreamStartEvent
        event = get_event()
        if type(event) is StreamEndEvent:
            self._stop((1, 1), "", *EMPTY)
        root = self._root(get_event())
        self._fill(root, get_event)
        get_event()  # DocumentEndEvent
        event = get_event()
        if type(event) is DocumentStartEvent:
            self._stop(_mark(event), "", *MULTIPLE_DOCUMENTS)
        return root

    def _root(self, event: Any) -> dict[str, Any]:
        self._check_node(event, ())
        at = _mark(event)
        if type(event) is MappingStartEvent:
            self.positions[()] = at
            return {}
        if (
            type(event) is ScalarEvent
            and event.implicit[0]
            and resolve_plain(event.value) is None
        ):
            self._stop(at, "", *NO_CONTENT)
        found = "a list" if type(event) is SequenceStartEvent else "a single value"
        message = f"the top level must be a mapping of product fields, not {found}"
        self._stop(at, "", message, *NOT_MAPPING)

    def _fill(self, root: dict[str, Any], get_event: Any) -> None:
        # One loop with an explicit stack: no recursion, so depth bombs cannot overflow.
        # A frame is [container, path, pending key, pending key mark, first line per key].
        positions = self.positions
        scalar_text = self.scalar_text
        stack: list[list[Any]] = [[root, (), None, None, {}]]
        while stack:
            event = get_event()
            etype = type(event)
            if etype in _END_EVENTS:
                stack.pop()
                continue
            frame = stack[-1]
            container = frame[0]
            is_mapping = type(container) is dict
            if is_mapping and frame[2] is None:
                self._key(event, frame)
                continue
            if is_mapping:
                path = (*frame[1], frame[2])
                self.key_positions[path] = frame[3]
            else:
                path = (*frame[1], len(container))
            self._check_node(event, path)
            mark = event.start_mark
            positions[path] = (mark.line + 1, mark.column + 1)
            value: Any
            if etype is ScalarEvent:
                text = event.value
                if len(text) <= _INTERN_CHARS:
                    text = intern(text)  # enum values and amounts repeat everywhere
                if event.implicit[0]:
                    value = resolve_plain(text)
                    if type(value) is not str:
                        scalar_text[path] = text
                else:
                    value = text
            else:
                if len(stack) >= MAX_DEPTH:
                    self._stop(positions[path], "", *TOO_DEEP)
                value = {} if etype is MappingStartEvent else []
                stack.append([value, path, None, None, {}])
            if is_mapping:
                container[frame[2]] = value
                frame[2] = None
            else:
                container.append(value)

    def _key(self, event: Any, frame: list[Any]) -> None:
        self._check_node(event, frame[1])
        line, col = _mark(event)
        if type(event) is not ScalarEvent:
            self._stop((line, col), format_path(frame[1]), *COMPLEX_KEY)
        key = intern(event.value)  # thousands of products share a few hundred keys
        self.nbsp_in_key = self.nbsp_in_key or "\xa0" in key
        first_line = frame[4].get(key)
        if first_line is not None:
            message = f"duplicate key {key!r}: first on line {first_line}, again on line {line}"
            path = format_path((*frame[1], key))
            self.problems.append(
                Problem(self.file, line, col, path, message, *DUPLICATE)
            )
        else:
            frame[4][key] = line
        frame[2] = key
        frame[3] = (line, col)

    def _check_node(self, event: Any, path: PathKey) -> None:
        if type(event) is AliasEvent or event.anchor is not None:
            self._stop(_mark(event), format_path(path), *ANCHOR)
        tag = getattr(event, "tag", None)
        allowed = tag in _STRING_TAGS if type(event) is ScalarEvent else tag is None
        if not allowed and isinstance(tag, str):
            short = tag.replace(_YAML_TAG_PREFIX, "!!", 1)
            message = f"tags are not allowed (found {short})"
            self._stop(_mark(event), format_path(path), message, *TAG)

    def _stop(
        self, at: tuple[int, int], path: str, message: str, hint: str | None, code: str
    ) -> NoReturn:
        self.problems.append(Problem(self.file, *at, path, message, hint, code))
        raise _Stop


def _mark(event: Any) -> tuple[int, int]:
    return (event.start_mark.line + 1, event.start_mark.column + 1)
