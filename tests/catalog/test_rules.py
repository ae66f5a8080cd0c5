from __future__ import annotations

import pytest

from catalog_sync.catalog.rules import ProductFacts
from catalog_sync.catalog.rules import check_catalog
from catalog_sync.catalog.rules import check_facts
from catalog_sync.catalog.rules import extract_facts
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.loader import load_yaml_bytes


def doc(display_path: str, text: str) -> Document:
    loaded = load_yaml_bytes(text.encode(), display_path)
    assert isinstance(loaded, Document), loaded
    return loaded


def product(pid: str, extra: str = "", *, name: str | None = None) -> Document:
    return doc(
        f"products/{name or pid}.yaml", f'name: "{pid}"\nproductId: "{pid}"\n{extra}'
    )


def codes(problems) -> list[tuple[str, str]]:
    return sorted((p.file, p.code) for p in problems)


def test_check_catalog_accepts_a_consistent_catalog():
    bundle = 'bundles:\n  - name: Pack\n    productIds: ["a", "b"]\n'
    dates = 'effectiveFrom: "2026-01-01T00:00:00+10:00"\neffectiveTo: "2027-01-01T00:00:00Z"\n'
    assert check_catalog([product("a", bundle + dates), product("b", bundle)]) == []


def test_check_catalog_names_both_files_of_a_duplicate_product_id():
    problems = check_catalog([product("a"), product("a", name="copy")])
    assert codes(problems) == [
        ("products/a.yaml", "rules.duplicate-id"),
        ("products/copy.yaml", "rules.duplicate-id"),
        ("products/copy.yaml", "rules.filename"),
    ]
    first = next(p for p in problems if p.file == "products/a.yaml")
    assert "products/copy.yaml:2" in first.message
    assert (first.line, first.col, first.path) == (2, 12, "productId")


def test_check_catalog_requires_the_file_name_to_match_unless_disabled():
    renamed = product("a", name="other")
    (problem,) = check_catalog([renamed])
    assert problem.code == "rules.filename"
    assert "'a'" in problem.message
    assert "'other'" in problem.message
    assert "rename the file to a.yaml" in (problem.hint or "")
    assert check_catalog([renamed], require_filename_match=False) == []


def test_check_catalog_reports_bundle_references_to_missing_products():
    bundle = 'bundles:\n  - name: Pack\n    productIds:\n      - "a"\n      - "ghost"\n'
    (problem,) = check_catalog([product("a", bundle)])
    assert problem.code == "rules.bundle-reference"
    assert problem.path == "bundles[0].productIds[1]"
    assert (problem.line, problem.col) == (7, 9)
    assert "'ghost'" in problem.message
    assert check_catalog([product("a", bundle)], check_references=False) == []


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        ("2026-01-01T00:00:00+10:00", "2026-01-01T00:00:00+10:00", False),
        ("2026-01-01T10:00:00+10:00", "2026-01-01T00:00:00Z", False),
        ("2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", True),
        ("2026-01-01T00:00:00+10:00", "2025-12-31T14:00:01Z", True),
        ("not a date", "2020-01-01T00:00:00Z", True),
        ("2026-01-01T00:00:00", "2020-01-01T00:00:00", True),
    ],
)
def test_check_catalog_compares_effective_dates_as_instants(start, end, ok):
    extra = f'effectiveFrom: "{start}"\neffectiveTo: "{end}"\n'
    problems = check_catalog([product("a", extra)])
    assert (problems == []) is ok
    if not ok:
        (problem,) = problems
        assert (problem.code, problem.path, problem.line) == (
            "rules.effective-dates",
            "effectiveTo",
            4,
        )


def test_check_catalog_accepts_any_printable_ascii_id_in_its_encoded_file():
    """A bundle naming such a product is fine too (issue 12: `HOME EQUITY P`)."""
    ids = {
        "HOME EQUITY P": "HOME EQUITY P",
        "../x": "%2E.%2Fx",
        "50% off?": "50%25 off%3F",
    }
    bundle = 'bundles:\n  - name: Pack\n    productIds: ["HOME EQUITY P", "../x"]\n'
    docs = [
        product(pid, bundle if pid == "50% off?" else "", name=stem)
        for pid, stem in ids.items()
    ]
    assert check_catalog(docs) == []


def test_the_file_name_problem_names_the_encoded_file():
    (problem,) = check_catalog([product("a/b", name="a-b")])
    assert problem.code == "rules.filename"
    assert problem.message == "productId 'a/b' does not match the file name 'a-b'"
    assert (problem.hint or "").startswith("rename the file to a%2Fb.yaml,")


def test_a_file_name_encoding_more_than_it_must_is_told_the_plain_name():
    (problem,) = check_catalog([product("HOME EQUITY P", name="HOME%20EQUITY%20P")])
    assert problem.code == "rules.filename"
    assert "encodes more characters than productId 'HOME EQUITY P' needs" in (
        problem.message
    )
    assert (problem.hint or "").startswith("rename the file to HOME EQUITY P.yaml,")


def test_an_id_too_long_for_a_file_name_is_told_to_drop_the_file_name_match():
    pid = "*" * 90  # 270 bytes encoded: no file system has such a name
    (problem,) = check_catalog([product(pid, name="stars")])
    assert problem.code == "rules.filename"
    assert (problem.hint or "").startswith("its file name would be 275 bytes long")
    assert (problem.hint or "").endswith("set require_filename_match: false")


def test_ids_that_differ_only_in_case_are_refused_for_case_insensitive_systems():
    problems = check_catalog([product("Home Loan"), product("HOME LOAN")])
    assert [p.code for p in problems] == ["rules.similar-id"] * 2
    assert "differs only in case from 'HOME LOAN'" in problems[0].message
    assert "case-insensitive file system (macOS, Windows)" in (problems[0].hint or "")


def test_check_catalog_reports_an_unsafe_product_id_from_a_file():
    document = doc("products/x.yaml", 'productId: "a\\0b"\n')
    (problem,) = check_catalog([document])
    assert problem.code == "rules.product-id"
    assert problem.message == "productId cannot contain the control character U+0000"
    assert problem.hint == (
        "a productId is 1 to 100 printable ASCII characters, e.g. 'everyday-account' "
        "or 'HOME EQUITY P'"
    )


def test_check_catalog_rejects_product_ids_equal_after_unicode_normalisation():
    composed = doc("products/one.yaml", 'productId: "caf\u00e9"\n')
    decomposed = doc("products/two.yaml", 'productId: "cafe\u0301"\n')
    facts = [extract_facts(composed), extract_facts(decomposed)]
    problems = check_facts(facts, require_filename_match=False)
    assert {p.code for p in problems} >= {"rules.similar-id"}
    similar = [p for p in problems if p.code == "rules.similar-id"]
    assert {p.file for p in similar} == {"products/one.yaml", "products/two.yaml"}


def test_check_catalog_rejects_nfkc_and_case_duplicates():
    ligature = doc("products/x.yaml", 'productId: "\ufb01x"\n')  # "fi" ligature + x
    plain = doc("products/y.yaml", 'productId: "FIX"\n')
    problems = check_catalog([ligature, plain], require_filename_match=False)
    assert "rules.similar-id" in {p.code for p in problems}


def test_product_facts_round_trip_through_json_for_the_cache():
    bundle = 'bundles:\n  - productIds: ["b"]\n'
    dates = 'effectiveFrom: "2026-01-01T00:00:00Z"\n'
    facts = extract_facts(product("a", bundle + dates))
    again = ProductFacts.from_json(facts.to_json(), facts.display_path)
    assert again == facts


def test_extract_facts_ignores_values_of_the_wrong_type():
    facts = extract_facts(doc("products/x.yaml", "productId: 12\nbundles: nope\n"))
    assert facts.product_id is None
    assert facts.bundle_refs == ()
    assert check_facts([facts]) == []


def test_the_file_name_hint_keeps_a_yml_suffix():
    (problem,) = check_catalog([doc("products/other.yml", 'productId: "a"\n')])
    assert problem.code == "rules.filename"
    assert (problem.hint or "").startswith("rename the file to a.yml,")


def test_bundle_references_of_the_wrong_type_are_left_to_the_schema():
    bundles = "bundles:\n  - name: Pack\n    productIds: [3, ghost]\n  - not a bundle\n"
    (problem,) = check_catalog([product("a", bundles)])
    assert (problem.code, problem.path) == (
        "rules.bundle-reference",
        "bundles[0].productIds[1]",
    )
