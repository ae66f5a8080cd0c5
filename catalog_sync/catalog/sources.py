"""Find and read product files safely: sorted, capped, and never through a symlink.

Nothing here parses YAML. Enumeration stops as soon as the count cap is passed, a file
over the size cap is refused from its `lstat` size before it is opened, and files are
opened with `O_NOFOLLOW | O_NONBLOCK` so a symlink or FIFO swapped in later is not read.
"""

from __future__ import annotations

import itertools
import os
import stat
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from catalog_sync.problems import Problem
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.loader import load_yaml_bytes

YAML_SUFFIXES = (".yaml", ".yml")
_CHECK_PATH = "check the path: it is relative to the current folder"
_CREATE_PRODUCTS_DIR = (
    "create the folder, or set products_dir in catalog-sync.yaml (relative to the "
    "folder that holds it)"
)
_SYMLINK_HINT = "replace the link with the file itself; links are never followed"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A product file found on disk: where it is, how to show it, its size at lstat."""

    path: Path
    display_path: str
    size: int


@dataclass(frozen=True, slots=True)
class FoundSources:
    """The files to load (sorted by display path) and what was refused while looking."""

    sources: tuple[SourceFile, ...]
    problems: tuple[Problem, ...]
    too_many: bool = False


def display_path_for(path: Path, root: Path) -> str:
    """`path` relative to the catalog root in `/` form, or absolute if outside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def find_sources(
    products_dir: Path,
    *,
    root: Path,
    max_files: int,
    paths: Sequence[Path] | None = None,
) -> FoundSources:
    """Every `*.yaml` / `*.yml` under `products_dir` (or under / among `paths`).

    Symlinks, hidden product files and hidden folders are problems (`_hidden`).
    """
    finder = _Finder(root, max_files)
    for start in paths if paths is not None else [products_dir]:
        finder.top = display_path_for(start, root)
        finder.visit(start, explicit=paths is not None)
        if finder.too_many:
            break
    unique = {source.path: source for source in finder.sources}
    ordered = sorted(unique.values(), key=lambda source: source.display_path)
    return FoundSources(tuple(ordered), tuple(finder.problems), finder.too_many)


def read_source(source: SourceFile, *, max_file_bytes: int) -> bytes | Problem:
    """The file's bytes, or a problem if it is too large or cannot be read safely."""
    if source.size > max_file_bytes:
        return _too_large(source.display_path, source.size, max_file_bytes)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(source.path, flags)
    except OSError as exc:
        return _unreadable(source.display_path, exc)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            return _not_regular(source.display_path)
        data = handle.read(max_file_bytes + 1)
    if len(data) > max_file_bytes:
        return _too_large(source.display_path, len(data), max_file_bytes)
    return data


def load_sources(
    sources: Iterable[SourceFile], *, max_file_bytes: int, problems: list[Problem]
) -> Iterator[tuple[SourceFile, bytes, Document]]:
    """Each source read (size-capped) and parsed by the hardened loader, with its bytes;
    a file that cannot be read or parsed adds its problems to `problems` instead."""
    for source in sources:
        data = read_source(source, max_file_bytes=max_file_bytes)
        if isinstance(data, Problem):
            problems.append(data)
            continue
        loaded = load_yaml_bytes(data, source.display_path, path=source.path)
        if isinstance(loaded, Document):
            yield source, data, loaded
        else:
            problems.extend(loaded)


class _Finder:
    """Walks folders iteratively, collecting sources and refusals, up to the count cap."""

    def __init__(self, root: Path, max_files: int) -> None:
        self.root = root
        self.max_files = max_files
        self.sources: list[SourceFile] = []
        self.problems: list[Problem] = []
        self.too_many = False
        self.top = ""
        """The folder (or PATH) being looked through: where a count-cap problem is."""

    def visit(self, start: Path, *, explicit: bool) -> None:
        shown = display_path_for(start, self.root)
        try:
            info = start.lstat()
        except FileNotFoundError:
            hint = _CHECK_PATH if explicit else _CREATE_PRODUCTS_DIR
            self._refuse(shown, "no such file or directory", hint, "file.not-found")
            return
        except OSError as exc:
            self.problems.append(_unreadable(shown, exc))
            return
        if stat.S_ISLNK(info.st_mode) or (explicit and self._through_symlink(start)):
            self._refuse(
                shown, "symbolic links are not allowed", _SYMLINK_HINT, "file.symlink"
            )
        elif stat.S_ISDIR(info.st_mode):
            self._walk(start)
        elif not start.name.endswith(YAML_SUFFIXES):
            if explicit:
                self._refuse(
                    shown,
                    "not a product file: the name must end in .yaml or .yml",
                    None,
                    "file.not-yaml",
                )
            else:  # only the products folder is visited unasked with such a name
                # Skipped silently, it would read as an empty catalog: plan would take
                # every live product as removed.
                self._refuse(
                    shown, "not a folder", _CREATE_PRODUCTS_DIR, "file.not-found"
                )
        elif stat.S_ISREG(info.st_mode):
            self._add(SourceFile(start, shown, info.st_size))
        else:
            self.problems.append(_not_regular(shown))

    def _through_symlink(self, path: Path) -> bool:
        """Whether a folder between the catalog root and `path` is a symlink."""
        inside = itertools.takewhile(
            lambda parent: parent != self.root and parent.is_relative_to(self.root),
            path.parents,
        )
        return any(parent.is_symlink() for parent in inside)

    def _walk(self, top: Path) -> None:
        pending = [top]
        while pending and not self.too_many:
            folder = pending.pop()
            try:
                entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
            except OSError as exc:
                self.problems.append(
                    _unreadable(display_path_for(folder, self.root), exc)
                )
                continue
            for entry in entries:
                if self.too_many:
                    break  # one refusal is enough; the rest need not be looked at
                if entry.name.startswith("."):
                    self._hidden(entry)
                else:
                    self._entry(entry, pending)

    def _hidden(self, entry: os.DirEntry[str]) -> None:
        """Hidden product files and folders are problems, not skipped: skipped, plan
        would take their products as removed. Other hidden files (`.gitkeep`,
        `.DS_Store`), editor lock files (`.#x.yaml`) and a submodule's `.git` are not
        product files and are passed over."""
        if entry.name == ".git" or entry.name.startswith(".#"):
            return
        if entry.is_dir(follow_symlinks=False):
            what = "a hidden folder"
        elif entry.name.lower().endswith(YAML_SUFFIXES):
            what = "a hidden file"
        else:
            return
        self._refuse(
            display_path_for(Path(entry.path), self.root),
            f"{what} in the catalog: names starting with '.' are not product files",
            "rename it without the leading '.', or move it out of the products folder",
            "file.hidden",
        )

    def _entry(self, entry: os.DirEntry[str], pending: list[Path]) -> None:
        path = Path(entry.path)
        if entry.is_symlink():
            shown = display_path_for(path, self.root)
            self._refuse(
                shown, "symbolic links are not allowed", _SYMLINK_HINT, "file.symlink"
            )
        elif entry.is_dir(follow_symlinks=False):
            if entry.name.lower().endswith(YAML_SUFFIXES):
                self._refuse(
                    display_path_for(path, self.root),
                    "a folder named like a product file",
                    "product files are plain files; rename the folder",
                    "file.not-regular",
                )
            else:
                pending.append(path)
        elif entry.name.endswith(YAML_SUFFIXES):
            self.visit(path, explicit=False)
        elif entry.name.lower().endswith(YAML_SUFFIXES):
            # Skipping `Loan.YAML` silently would make plan think the product was removed.
            self._refuse(
                display_path_for(path, self.root),
                "not a product file: the name must end in .yaml or .yml (lower case)",
                "rename it to end in .yaml",
                "file.not-yaml",
            )

    def _add(self, source: SourceFile) -> None:
        # Never called once `too_many` is set: every path to `visit` checks it first.
        if len(self.sources) >= self.max_files:
            self.too_many = True
            self._refuse(
                self.top,
                f"more than {self.max_files} product files; nothing was loaded",
                "raise max_files in catalog-sync.yaml if the catalog really is this large",
                "file.too-many",
            )
            return
        self.sources.append(source)

    def _refuse(self, file: str, message: str, hint: str | None, code: str) -> None:
        self.problems.append(Problem(file, 0, 0, "", message, hint, code))


def _too_large(file: str, size: int, cap: int) -> Problem:
    return Problem(
        file,
        0,
        0,
        "",
        f"the file is {size} bytes, over the {cap}-byte limit; it was not read",
        "split it or raise max_file_bytes in catalog-sync.yaml",
        "file.too-large",
    )


def _not_regular(file: str) -> Problem:
    return Problem(
        file,
        0,
        0,
        "",
        "not a regular file",
        "product files must be plain files",
        "file.not-regular",
    )


def _unreadable(file: str, exc: OSError) -> Problem:
    reason = exc.strerror or type(exc).__name__
    return Problem(file, 0, 0, "", f"cannot read: {reason}", None, "file.unreadable")
