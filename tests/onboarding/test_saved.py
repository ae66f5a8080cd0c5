"""read_saved_products: JSON or YAML, with or without the envelope; bad files are located
problems, never exceptions; symlinks are not followed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog_sync.onboarding.saved import read_saved_products
from catalog_sync.onboarding.saved import unwrap_response

PRODUCT = {"productId": "p1", "name": "One", "brand": "ACME"}


def _read(folder: Path):
    return read_saved_products(folder, root=folder, max_file_bytes=100_000)


@pytest.mark.parametrize(
    "body",
    [
        PRODUCT,
        {"data": PRODUCT, "links": {"self": "https://x.example"}, "meta": {}},
        {"data": {"products": [PRODUCT]}, "links": {}, "meta": {"totalRecords": 1}},
    ],
)
def test_unwrap_response_accepts_bare_enveloped_and_list_bodies(body):
    assert unwrap_response(body) == [PRODUCT]


def test_unwrap_response_explains_what_it_expected():
    reason = unwrap_response({"data": {"name": "no id"}})
    assert isinstance(reason, str)
    assert "productId" in reason


def test_read_saved_products_reads_json_and_yaml(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.json").write_text(json.dumps({"data": PRODUCT}))
    (tmp_path / "two.yaml").write_text("data:\n  productId: p2\n  name: Two\n")
    (tmp_path / "notes.md").write_text("ignored")
    products, problems = _read(tmp_path)
    assert problems == []
    assert [(p.source, p.data["productId"]) for p in products] == [
        ("two.yaml", "p2"),
        ("a/one.json", "p1"),
    ]


def test_read_saved_products_locates_broken_files(tmp_path):
    (tmp_path / "bad.json").write_text('{"productId": "x",\n  oops}')
    (tmp_path / "dup.yaml").write_text("productId: a\nproductId: b\n")
    (tmp_path / "empty.json").write_text("{}")
    (tmp_path / "latin1.json").write_bytes(b'{"name": "caf\xe9"}')
    products, problems = _read(tmp_path)
    assert products == []
    found = {(p.file, p.line, p.code) for p in problems}
    assert ("bad.json", 2, "import.json") in found
    assert ("empty.json", 1, "import.not-a-product") in found
    assert ("latin1.json", 1, "import.encoding") in found
    assert any(file == "dup.yaml" and line == 2 for file, line, _ in found)


def test_read_saved_products_does_not_follow_symlinks(tmp_path):
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps(PRODUCT))
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "link.json").symlink_to(outside)
    (folder / "linked-dir").symlink_to(tmp_path, target_is_directory=True)
    products, problems = _read(folder)
    assert products == []
    assert [p.code for p in problems] == ["file.symlink"]


def test_read_saved_products_refuses_a_missing_folder(tmp_path):
    products, problems = _read(tmp_path / "nope")
    assert products == []
    assert problems[0].code == "import.not-a-folder"


def test_read_saved_products_refuses_nan_and_depth_bombs(tmp_path):
    (tmp_path / "nan.json").write_text('{"productId": "p", "rate": NaN}')
    (tmp_path / "deep.json").write_text("[" * 40_000 + "]" * 40_000)
    products, problems = _read(tmp_path)
    assert products == []
    assert sorted((p.file, p.code) for p in problems) == [
        ("deep.json", "import.json"),
        ("nan.json", "import.json"),
    ]


def test_read_saved_products_accepts_json_saved_with_a_byte_order_mark(tmp_path):
    body = json.dumps({"data": PRODUCT}).encode("utf-8")
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + body)
    products, problems = _read(tmp_path)
    assert problems == []
    assert [p.data for p in products] == [PRODUCT]


def test_read_saved_products_says_when_a_folder_holds_no_responses(tmp_path):
    (tmp_path / "notes.md").write_text("ignored")
    products, [problem] = _read(tmp_path)
    assert products == []
    assert (problem.code, problem.line) == ("import.empty", 0)
    assert "no saved responses" in problem.message


def test_read_saved_products_refuses_a_file_over_the_size_cap(tmp_path):
    (tmp_path / "big.json").write_text(json.dumps({"data": PRODUCT}) + " " * 1000)
    (tmp_path / "ok.json").write_text(json.dumps({"data": PRODUCT}))
    products, problems = read_saved_products(
        tmp_path, root=tmp_path, max_file_bytes=500
    )
    assert [p.source for p in products] == ["ok.json"]
    assert [(p.file, p.code) for p in problems] == [("big.json", "file.too-large")]
