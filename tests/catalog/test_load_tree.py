"""Loading a tree of product files: found safely (caps, symlinks, FIFOs), each parsed,
all problems at once."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from catalog_sync.catalog.pipeline import load_tree
from catalog_sync.catalog.sources import SourceFile
from catalog_sync.catalog.sources import find_sources
from catalog_sync.catalog.sources import read_source
from catalog_sync.problems import Problem


def write(folder: Path, name: str, text: str = "productId: x\n") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def tree(
    root: Path, *, max_file_bytes: int = 1 << 20, max_files: int = 100, paths=None
):
    return load_tree(
        root / "products",
        root=root,
        max_file_bytes=max_file_bytes,
        max_files=max_files,
        paths=paths,
    )


def test_load_tree_loads_yaml_and_yml_sorted_and_skips_what_is_no_product(tmp_path):
    products = tmp_path / "products"
    write(products, "b/zeta.yaml", "productId: zeta\n")
    write(products, "a/alpha.yml", "productId: alpha\n")
    write(products, "mid.yaml", "productId: mid\n")
    write(products, ".gitkeep", "")
    write(products, "a/.DS_Store", "")
    write(products, ".#mid.yaml", "an editor's lock file")
    write(products, ".git/x.yaml", "not: [valid\n")
    write(products, "notes.txt", "ignored")
    result = tree(tmp_path)
    assert result.problems == ()
    assert [d.display_path for d in result.documents] == [
        "products/a/alpha.yml",
        "products/b/zeta.yaml",
        "products/mid.yaml",
    ]
    assert result.documents[0].path == products / "a" / "alpha.yml"


def test_load_tree_collects_problems_from_every_file(tmp_path):
    products = tmp_path / "products"
    write(products, "one.yaml", "a: 1\na: 2\n")
    write(products, "two.yaml", "- list\n")
    write(products, "three.yaml", "productId: three\n")
    result = tree(tmp_path)
    assert [d.display_path for d in result.documents] == ["products/three.yaml"]
    assert [(p.file, p.code) for p in result.problems] == [
        ("products/one.yaml", "yaml.duplicate-key"),
        ("products/two.yaml", "yaml.not-mapping"),
    ]


def test_load_tree_refuses_an_oversized_file_without_reading_it(tmp_path):
    products = tmp_path / "products"
    write(products, "ok.yaml")
    huge = products / "huge.yaml"
    with huge.open("wb") as handle:  # sparse: 64 GiB that would take minutes to read
        handle.truncate(64 * 1024**3)
    started = time.perf_counter()
    result = tree(tmp_path, max_file_bytes=1000)
    # a hang guard, not a speed test (benchmarks/ measure speed): the failure it
    # catches takes hours, so no load on the machine can reach this bound
    assert time.perf_counter() - started < 60
    (problem,) = result.problems
    assert problem.code == "file.too-large"
    assert problem.file == "products/huge.yaml"
    assert "1000-byte limit" in problem.message
    assert len(result.documents) == 1


def test_load_tree_refuses_too_many_files_before_parsing_any(tmp_path):
    products = tmp_path / "products"
    for i in range(4):
        write(products, f"p{i}.yaml", "broken: [yaml\n")
    result = tree(tmp_path, max_files=3)
    (problem,) = result.problems
    assert problem.code == "file.too-many"
    assert "more than 3 product files" in problem.message
    assert result.documents == ()


def test_load_tree_accepts_exactly_the_file_cap(tmp_path):
    for i in range(3):
        write(tmp_path / "products", f"p{i}.yaml")
    assert len(tree(tmp_path, max_files=3).documents) == 3


@pytest.mark.parametrize(
    "target", ["/proc/self/environ", "../../.git/config", "ABSOLUTE"]
)
def test_load_tree_refuses_symlinks_without_reading_the_target(tmp_path, target):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET_TOKEN=hunter2\n")
    git_config = tmp_path / ".git" / "config"
    write(tmp_path, ".git/config", "[remote]\nurl = https://token:hunter2@example\n")
    products = tmp_path / "products"
    write(products, "real.yaml")
    link = products / "sub" / "x.yaml"
    link.parent.mkdir()
    link.symlink_to(str(secret) if target == "ABSOLUTE" else target)
    assert git_config.exists()
    result = tree(tmp_path)
    (problem,) = result.problems
    assert problem.code == "file.symlink"
    assert problem.file == "products/sub/x.yaml"
    rendered = problem.format_text()
    assert "hunter2" not in rendered
    assert "SECRET" not in rendered
    assert [d.display_path for d in result.documents] == ["products/real.yaml"]


def test_load_tree_refuses_a_symlinked_directory(tmp_path):
    outside = tmp_path / "outside"
    write(outside, "stolen.yaml", "productId: stolen\n")
    products = tmp_path / "products"
    products.mkdir()
    (products / "brand").symlink_to(outside, target_is_directory=True)
    result = tree(tmp_path)
    assert [(p.file, p.code) for p in result.problems] == [
        ("products/brand", "file.symlink")
    ]
    assert result.documents == ()


def test_load_tree_refuses_a_path_through_a_symlinked_directory(tmp_path):
    outside = tmp_path / "outside"
    write(outside, "stolen.yaml", "productId: stolen\n")
    products = tmp_path / "products"
    products.mkdir()
    (products / "brand").symlink_to(outside, target_is_directory=True)
    result = tree(tmp_path, paths=[products / "brand" / "stolen.yaml"])
    assert [(p.file, p.code) for p in result.problems] == [
        ("products/brand/stolen.yaml", "file.symlink")
    ]
    assert result.documents == ()


def test_load_tree_refuses_a_fifo_without_blocking(tmp_path):
    products = tmp_path / "products"
    products.mkdir()
    os.mkfifo(products / "pipe.yaml")
    (problem,) = tree(tmp_path).problems
    assert problem.code == "file.not-regular"


def test_load_tree_with_paths_loads_only_those(tmp_path):
    products = tmp_path / "products"
    one = write(products, "one.yaml", "productId: one\n")
    write(products, "dir/two.yaml", "productId: two\n")
    write(products, "three.yaml", "productId: three\n")
    notes = write(products, "notes.txt", "x")
    missing = products / "missing.yaml"
    result = tree(tmp_path, paths=[one, products / "dir", notes, missing, one])
    assert [d.display_path for d in result.documents] == [
        "products/dir/two.yaml",
        "products/one.yaml",
    ]
    assert sorted((p.file, p.code) for p in result.problems) == [
        ("products/missing.yaml", "file.not-found"),
        ("products/notes.txt", "file.not-yaml"),
    ]


def test_load_tree_shows_paths_outside_the_root_as_given(tmp_path):
    outside = write(tmp_path / "elsewhere", "p.yaml", "productId: p\n")
    root = tmp_path / "repo"
    root.mkdir()
    result = tree(root, paths=[outside])
    assert [d.display_path for d in result.documents] == [outside.as_posix()]


def test_load_tree_reports_a_missing_products_dir(tmp_path):
    (problem,) = tree(tmp_path).problems
    assert (problem.file, problem.code) == ("products", "file.not-found")
    assert problem.hint is not None
    assert "relative to the folder that holds it" in problem.hint
    assert "set products_dir" in problem.hint


def test_a_missing_path_says_to_check_it(tmp_path):
    (problem,) = tree(tmp_path, paths=[tmp_path / "products" / "nope.yaml"]).problems
    assert problem.hint == "check the path: it is relative to the current folder"


def test_too_many_files_is_one_problem_however_many_there_are(tmp_path):
    products = tmp_path / "products"
    for i in range(12):
        write(products, f"{'ab'[i % 2]}/p{i}.yaml", "productId: p\n")
    (problem,) = tree(tmp_path, max_files=3).problems
    assert (problem.file, problem.code) == ("products", "file.too-many")


def test_an_upper_case_yaml_suffix_is_reported_not_skipped(tmp_path):
    write(tmp_path / "products", "Loan.YAML", "productId: Loan\n")
    (problem,) = tree(tmp_path).problems
    assert (problem.file, problem.code) == ("products/Loan.YAML", "file.not-yaml")
    assert problem.hint == "rename it to end in .yaml"


@pytest.mark.parametrize(
    "name",
    [".koala-car-loan.yaml", "...yaml", "..yaml", ".yaml", "b/.x.YML"],
)
def test_a_hidden_product_file_is_reported_not_skipped(tmp_path, name):
    # Skipped, plan would retire the live product the file describes.
    write(tmp_path / "products", name, "productId: koala-car-loan\n")
    result = tree(tmp_path)
    (problem,) = result.problems
    assert (problem.file, problem.code) == (f"products/{name}", "file.hidden")
    assert "names starting with '.' are not product files" in problem.message
    assert result.documents == ()


def test_a_hidden_folder_is_reported_not_skipped(tmp_path):
    write(tmp_path / "products", ".drafts/koala-save.yaml", "productId: koala-save\n")
    (problem,) = tree(tmp_path).problems
    assert (problem.file, problem.code) == ("products/.drafts", "file.hidden")
    assert problem.message.startswith("a hidden folder")


def test_a_folder_named_like_a_product_file_is_reported(tmp_path):
    write(tmp_path / "products", "koala-save.yaml/inner.yaml", "productId: inner\n")
    (tmp_path / "products" / "empty.yml").mkdir()
    result = tree(tmp_path)
    assert [(p.file, p.code, p.message) for p in result.problems] == [
        (f"products/{name}", "file.not-regular", "a folder named like a product file")
        for name in ("empty.yml", "koala-save.yaml")
    ]
    assert result.documents == ()


def test_load_tree_refuses_a_file_where_the_products_dir_should_be(tmp_path):
    # Read as an empty catalog, plan would take every live product as removed.
    (tmp_path / "products").write_text("not a folder\n")
    result = tree(tmp_path)
    (problem,) = result.problems
    assert (problem.file, problem.code) == ("products", "file.not-found")
    assert problem.message == "not a folder"
    assert result.documents == ()


def test_load_tree_reports_a_path_below_a_file_as_unreadable(tmp_path):
    products = tmp_path / "products"
    write(products, "a.yaml")
    result = tree(tmp_path, paths=[products / "a.yaml" / "b.yaml"])
    (problem,) = result.problems
    assert (problem.file, problem.code) == ("products/a.yaml/b.yaml", "file.unreadable")
    assert problem.message == "cannot read: Not a directory"


def test_load_tree_reports_a_folder_too_deep_to_list(tmp_path):
    # Every name fits, but the deepest folder's path passes PATH_MAX, so listing it fails.
    (tmp_path / "products").mkdir()
    deepest, fd = tmp_path / "products", os.open(tmp_path / "products", os.O_RDONLY)
    try:
        while len(str(deepest)) < 4096:  # Linux PATH_MAX, terminating NUL included
            os.mkdir("d" * 250, dir_fd=fd)
            child = os.open("d" * 250, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd, deepest = child, deepest / ("d" * 250)
    finally:
        os.close(fd)
    (problem,) = tree(tmp_path).problems
    assert problem.code == "file.unreadable"
    assert problem.file == deepest.relative_to(tmp_path).as_posix()
    assert problem.message == "cannot read: File name too long"


def found_one(tmp_path: Path, text: str = "productId: x\n") -> SourceFile:
    write(tmp_path / "products", "x.yaml", text)
    found = find_sources(tmp_path / "products", root=tmp_path, max_files=10)
    (source,) = found.sources
    return source


def test_read_source_reports_a_file_removed_after_it_was_listed(tmp_path):
    source = found_one(tmp_path)
    source.path.unlink()
    problem = read_source(source, max_file_bytes=1000)
    assert isinstance(problem, Problem)
    assert (problem.file, problem.code) == ("products/x.yaml", "file.unreadable")
    assert problem.message == "cannot read: No such file or directory"


def test_read_source_never_follows_a_symlink_swapped_in_after_listing(tmp_path):
    source = found_one(tmp_path)
    secret = write(tmp_path, "secret.txt", "TOKEN=hunter2\n")
    source.path.unlink()
    source.path.symlink_to(secret)
    problem = read_source(source, max_file_bytes=1000)
    assert isinstance(problem, Problem)
    assert problem.code == "file.unreadable"
    assert "hunter2" not in problem.format_text()


def test_read_source_refuses_a_fifo_swapped_in_after_listing(tmp_path):
    source = found_one(tmp_path)
    source.path.unlink()
    os.mkfifo(source.path)
    problem = read_source(source, max_file_bytes=1000)
    assert isinstance(problem, Problem)
    assert (problem.file, problem.code) == ("products/x.yaml", "file.not-regular")


def test_read_source_refuses_a_file_that_grew_past_the_cap_after_listing(tmp_path):
    source = found_one(tmp_path)
    source.path.write_text("productId: x\n" * 100)
    problem = read_source(source, max_file_bytes=100)
    assert isinstance(problem, Problem)
    assert problem.code == "file.too-large"
    assert "over the 100-byte limit" in problem.message
