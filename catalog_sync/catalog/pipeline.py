"""Load, schema-check and rule-check the catalog: the one entry point that `validate`,
`plan` and the rest use to get the desired products and every problem with them (and,
without the checks, `load_tree` for the emulator's seed folders), through one loop.

Per-file results are cached by content hash (see `cache`), so with an unchanged catalog
`validate` reads and hashes the files but parses none of them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from hashlib import sha256
from pathlib import Path

from catalog_sync.catalog.cache import ValidationCache
from catalog_sync.catalog.cache import cache_key
from catalog_sync.catalog.rules import ProductFacts
from catalog_sync.catalog.rules import check_facts
from catalog_sync.catalog.rules import extract_facts
from catalog_sync.catalog.schema import schema_fingerprint
from catalog_sync.catalog.schema import schema_path
from catalog_sync.catalog.sources import SourceFile
from catalog_sync.catalog.sources import find_sources
from catalog_sync.catalog.sources import read_source
from catalog_sync.cds.desired import DesiredProduct
from catalog_sync.cds.desired import desired_from_documents
from catalog_sync.config.model import Config
from catalog_sync.english import plural
from catalog_sync.errors import ValidationFailed
from catalog_sync.problems import Problem
from catalog_sync.types import JSONObject
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.loader import load_yaml_bytes
from catalog_sync.yaml.loader import sorted_problems


@dataclass(frozen=True, slots=True)
class CatalogResult:
    """The outcome of validating a catalog (or the files named on the command line).

    `documents` holds every file that was parsed and loaded; with `need_documents=False`
    files answered from the cache are not parsed and so are not in it. `products` maps
    productId to data for the loaded documents (the first file wins on a duplicate id,
    which is a problem anyway). `problems` are sorted by file, line and column.
    """

    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]
    products: Mapping[str, JSONObject] = field(default_factory=dict)
    files_checked: int = 0
    schema: str = "cds-v7"

    @property
    def ok(self) -> bool:
        """True when there is not a single problem."""
        return not self.problems

    @property
    def files_with_problems(self) -> int:
        """How many distinct files the problems are in."""
        return len({problem.file for problem in self.problems})


def validate_catalog(
    config: Config,
    *,
    paths: Sequence[Path] | None = None,
    schema: str | None = None,
    use_cache: bool | None = None,
    need_documents: bool = True,
    keep_positions: bool = True,
) -> CatalogResult:
    """Validate `config.products_dir` (or just `paths`) against `schema` and the rules.

    `use_cache=None` means "yes, except in CI": a pull request could commit a forged
    cache file, so CI (`CI=true`) always validates from scratch. With `paths`, rules that
    span files see only those files and bundle references are not checked (nor are
    they while any file fails to load).
    `keep_positions=False` empties each returned document's position tables (about
    two thirds of its memory) once it has been checked, for callers that need only data.
    """
    schema_name = schema or config.schema
    schema_path(schema_name)  # an unknown or missing schema is a ConfigError up front
    cache = _open_cache(config, schema_name) if _cache_wanted(use_cache) else None
    run = _Run(
        schema_name, cache, need_documents, keep_positions, config.extension_prefixes
    )
    files = _walk(
        run,
        config.products_dir,
        root=config.root,
        max_files=config.max_files,
        max_file_bytes=config.max_file_bytes,
        paths=paths,
    )
    if files is None:
        return CatalogResult(
            (), tuple(sorted_problems(run.problems)), schema=schema_name
        )
    rule_problems = check_facts(
        run.facts,
        require_filename_match=config.require_filename_match,
        # A file that did not load may be the product a bundle names: no cascade.
        check_references=paths is None and len(run.facts) == files,
    )
    if cache is not None:
        cache.save(prune=paths is None)
    return CatalogResult(
        documents=tuple(run.documents),
        problems=tuple(sorted_problems(_merge(run.problems, rule_problems))),
        products=_products(run.documents),
        files_checked=files,
        schema=schema_name,
    )


def load_tree(
    products_dir: Path,
    *,
    root: Path,
    max_file_bytes: int,
    max_files: int,
    paths: Sequence[Path] | None = None,
) -> CatalogResult:
    """Load `products_dir/**/*.y{a,}ml` (or just `paths`) without checking them against
    a schema or the rules: every document that parses, every problem finding, reading
    or parsing the files. Caps apply before any parsing: more than `max_files` files
    loads nothing, and a file over `max_file_bytes` is never read. Symlinks are
    reported and never opened."""
    run = _Run(
        None, None, need_documents=True, keep_positions=True, extension_prefixes=()
    )
    files = _walk(
        run,
        products_dir,
        root=root,
        max_files=max_files,
        max_file_bytes=max_file_bytes,
        paths=paths,
    )
    return CatalogResult(
        tuple(run.documents),
        tuple(sorted_problems(run.problems)),
        products=_products(run.documents),
        files_checked=files or 0,
    )


def _walk(
    run: _Run,
    products_dir: Path,
    *,
    root: Path,
    max_files: int,
    max_file_bytes: int,
    paths: Sequence[Path] | None,
) -> int | None:
    """Feed every product file found to `run`; the number of files, or None when there
    are too many to check any (the problem says so)."""
    found = find_sources(products_dir, root=root, max_files=max_files, paths=paths)
    run.problems.extend(found.problems)
    if found.too_many:
        return None
    for source in found.sources:
        run.check(source, max_file_bytes)
    return len(found.sources)


def load_desired_products(
    config: Config, *, schema: str | None = None
) -> dict[str, DesiredProduct]:
    """The validated catalog by productId, for plan and apply.

    Raises ValidationFailed carrying every problem if there is any.
    """
    result = validate_catalog(config, schema=schema, keep_positions=False)
    if result.problems:
        count = len(result.problems)
        raise ValidationFailed(
            result.problems,
            message=f"the catalog has {count} {plural(count, 'problem')}",
        )
    return desired_from_documents(result.documents)


class _Run:
    """Accumulates one validation run: documents, facts and per-file problems."""

    def __init__(
        self,
        schema_name: str | None,
        cache: ValidationCache | None,
        need_documents: bool,
        keep_positions: bool,
        extension_prefixes: Sequence[str],
    ) -> None:
        self.schema_name = schema_name
        self.extension_prefixes = extension_prefixes
        self.cache = cache
        self.need_documents = need_documents
        self.keep_positions = keep_positions
        self.documents: list[Document] = []
        self.facts: list[ProductFacts] = []
        self.problems: list[Problem] = []

    def check(self, source: SourceFile, max_file_bytes: int) -> None:
        data = read_source(source, max_file_bytes=max_file_bytes)
        if isinstance(data, Problem):
            self.problems.append(data)
            return
        digest = sha256(data).hexdigest()
        cached = self.cache.get(digest, source.display_path) if self.cache else None
        if cached is not None and not self.need_documents:
            self.problems.extend(cached.problems)
            if cached.facts is not None:
                self.facts.append(cached.facts)
            return
        loaded = load_yaml_bytes(data, source.display_path, path=source.path)
        if not isinstance(loaded, Document):
            self._record(digest, loaded, None, cached is None)
            return
        if self.schema_name is not None:
            problems = cached.problems if cached else self._schema_problems(loaded)
            self._record(digest, problems, extract_facts(loaded), cached is None)
        if self.need_documents:
            self.documents.append(
                loaded
                if self.keep_positions
                else replace(loaded, positions={}, key_positions={}, scalar_text={})
            )

    def _schema_problems(self, doc: Document) -> list[Problem]:
        # Imported here: jsonschema costs ~0.2 s to import and a warm run never needs it.
        from catalog_sync.catalog.validate import validate_document

        assert self.schema_name is not None
        return validate_document(
            doc, self.schema_name, extension_prefixes=self.extension_prefixes
        )

    def _record(
        self,
        digest: str,
        problems: Sequence[Problem],
        facts: ProductFacts | None,
        store: bool,
    ) -> None:
        self.problems.extend(problems)
        if facts is not None:
            self.facts.append(facts)
        if store and self.cache is not None:
            self.cache.put(digest, problems, facts)


def _merge(
    file_problems: Sequence[Problem], rule_problems: Sequence[Problem]
) -> list[Problem]:
    # The rules' productId check says precisely what is wrong ("cannot contain '/'");
    # the schema's pattern error for the same field would only repeat it vaguely.
    unsafe_ids = {p.file for p in rule_problems if p.code == "rules.product-id"}
    kept = [
        p
        for p in file_problems
        if not (
            p.file in unsafe_ids
            and p.path == "productId"
            and p.code.startswith("schema.")
        )
    ]
    return kept + list(rule_problems)


def _products(documents: Sequence[Document]) -> dict[str, JSONObject]:
    products: dict[str, JSONObject] = {}
    for doc in documents:
        product_id = doc.data.get("productId")
        if isinstance(product_id, str):
            products.setdefault(product_id, doc.data)
    return products


def _cache_wanted(use_cache: bool | None) -> bool:
    if use_cache is None:
        return os.environ.get("CI", "").lower() not in ("true", "1")
    return use_cache


def _open_cache(config: Config, schema_name: str) -> ValidationCache:
    fingerprint = schema_fingerprint(schema_name)
    key = cache_key(schema_name, fingerprint, config.extension_prefixes)
    return ValidationCache.open(config.state_dir, schema_name=schema_name, key=key)
