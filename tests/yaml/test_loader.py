"""The hardened YAML loader: positions, YAML 1.2 scalars, hostile input refused, and
every parse failure a located problem."""

from __future__ import annotations

import hashlib
import tracemalloc

import pytest
import yaml
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from catalog_sync.problems import Problem
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.loader import load_yaml_bytes
from catalog_sync.yaml.parse_errors import MAX_DEPTH

BILLION_LAUGHS = b"""\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def load(text: str | bytes) -> Document | list[Problem]:
    data = text.encode() if isinstance(text, str) else text
    return load_yaml_bytes(data, "products/x.yaml")


def problems_of(text: str | bytes) -> list[Problem]:
    result = load(text)
    assert isinstance(result, list), f"expected problems, loaded {result}"
    assert result
    return result


def document_of(text: str | bytes) -> Document:
    result = load(text)
    assert isinstance(result, Document), [p.format_text() for p in result]
    return result


def test_load_yaml_bytes_records_value_and_key_positions_and_digest():
    data = b"productId: a\nfees:\n  - name: Monthly\n    amount: '5.00'\n"
    doc = document_of(data)
    assert doc.data == {
        "productId": "a",
        "fees": [{"name": "Monthly", "amount": "5.00"}],
    }
    assert doc.positions[("productId",)] == (1, 12)
    assert doc.key_positions[("productId",)] == (1, 1)
    assert doc.positions[("fees", 0, "amount")] == (4, 13)
    assert doc.key_positions[("fees", 0, "amount")] == (4, 5)
    assert doc.positions[("fees", 0)] == (3, 5)
    assert doc.digest == hashlib.sha256(data).hexdigest()
    assert doc.display_path == "products/x.yaml"


@pytest.mark.parametrize(
    ("line", "expected", "literal"),
    [
        ("country: NO", "NO", None),
        ("sku: 0123", "0123", None),
        ("window: 12:30", "12:30", None),
        ("launch: 2024-01-01", "2024-01-01", None),
        ("active: on", "on", None),
        ("flag: yes", "yes", None),
        ("code: 0x1F", "0x1F", None),
        ("model: 1E5", "1E5", None),
        ("zero: 0E0", "0E0", None),
        ("scientific: 1.5e+3", 1500.0, "1.5e+3"),
        ("half: .5", 0.5, ".5"),
        ("version: 1.10", 1.1, "1.10"),
        ("count: 7", 7, "7"),
        ("ok: true", True, "true"),
        ("gone: ~", None, "~"),
        ("empty:", None, ""),
        ("quoted: '1.10'", "1.10", None),
        ("forced: !!str 0123", "0123", None),
    ],
)
def test_load_yaml_bytes_never_applies_yaml_1_1_conversions(line, expected, literal):
    doc = document_of(line + "\n")
    key = line.split(":")[0]
    value = doc.data[key]
    assert value == expected
    assert type(value) is type(expected)
    assert doc.scalar_text.get((key,)) == literal


def test_load_yaml_bytes_keeps_numeric_lookalikes_longer_than_a_number_as_text():
    digits = "9" * 5000
    assert document_of(f"big: {digits}\n").data["big"] == digits
    assert document_of("huge: 1e999\n").data["huge"] == "1e999"


def test_load_yaml_bytes_rejects_python_tags_without_running_them(tmp_path):
    canary = tmp_path / "pwned"
    text = f'x: !!python/object/apply:os.system ["touch {canary}"]\n'
    (problem,) = problems_of(text)
    assert problem.code == "yaml.tag"
    assert "!!python/object/apply:os.system" in problem.message
    assert (problem.line, problem.col) == (1, 4)
    assert not canary.exists()


@pytest.mark.parametrize(
    "text", ["x: !custom value\n", "x: !!map {a: 1}\n", "x: !!binary aGk=\n"]
)
def test_load_yaml_bytes_rejects_other_tags(text):
    assert [p.code for p in problems_of(text)] == ["yaml.tag"]


def test_load_yaml_bytes_names_both_lines_of_a_top_level_duplicate_key():
    (problem,) = problems_of("productId: A\nname: n\nproductId: B\n")
    assert problem.code == "yaml.duplicate-key"
    assert (problem.line, problem.col, problem.path) == (3, 1, "productId")
    assert "'productId'" in problem.message
    assert "line 1" in problem.message
    assert "line 3" in problem.message


def test_load_yaml_bytes_reports_every_nested_duplicate_key():
    text = "productId: A\nfees:\n  - price: 1\n    price: 2\nx:\n  a: 1\n  a: 2\n"
    problems = problems_of(text)
    assert [(p.path, p.line) for p in problems] == [("fees[0].price", 4), ("x.a", 7)]
    assert "first on line 3, again on line 4" in problems[0].message


@pytest.mark.parametrize("text", [BILLION_LAUGHS, b"a: &a 1\nb: *a\n", b"a: *a\n"])
def test_load_yaml_bytes_rejects_anchors_and_aliases_fast_with_bounded_memory(text):
    tracemalloc.start()
    problems = problems_of(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [p.code for p in problems] in (["yaml.anchor"], ["yaml.syntax"])
    if problems[0].code == "yaml.anchor":
        assert problems[0].message == "anchors and aliases are not allowed"
    assert peak < 50 * 1024 * 1024  # an expanded alias bomb would need gigabytes


@pytest.mark.parametrize(
    "text",
    [
        b"x: " + b"[" * 10_000,
        b"x: " + b"[" * 10_000 + b"]" * 10_000,
        b"x: " + b"{a: " * 10_000,
        b"x:\n" + b"".join(b"  " * i + b"- \n" for i in range(1, 200)),
    ],
)
def test_load_yaml_bytes_turns_depth_bombs_into_one_problem(text):
    (problem,) = problems_of(text)
    assert problem.code == "yaml.too-deep"
    assert f"{MAX_DEPTH}" in problem.message


def test_load_yaml_bytes_accepts_nesting_up_to_the_cap():
    text = "x: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert isinstance(load(text), Document)


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ("", "yaml.empty", "empty"),
        ("# only a comment\n", "yaml.empty", "empty"),
        ("---\n", "yaml.empty", "no content"),
        ("- a\n- b\n", "yaml.not-mapping", "not a list"),
        ("just text\n", "yaml.not-mapping", "not a single value"),
        ("a: 1\n---\nb: 2\n", "yaml.multiple-documents", "more than one document"),
        ("? [a, b]\n: 1\n", "yaml.complex-key", "plain name"),
        ("a: 'open\n", "yaml.syntax", "YAML syntax error"),
    ],
)
def test_load_yaml_bytes_rejects_malformed_documents(text, code, fragment):
    (problem,) = problems_of(text)
    assert problem.code == code
    assert fragment in problem.message
    assert problem.hint, "every refusal says how to fix it"


def test_load_yaml_bytes_locates_syntax_errors():
    (problem,) = problems_of("productId: a\nname: x\n  bad: indent\n")
    assert problem.code == "yaml.syntax"
    assert problem.line == 3
    assert problem.col > 1


def test_load_yaml_bytes_hints_at_tabs():
    (problem,) = problems_of("a:\n\tb: 1\n")
    assert problem.hint == "indent with spaces, not tabs"
    assert problem.line == 2


def test_load_yaml_bytes_names_the_offset_and_line_of_bad_utf8():
    (problem,) = problems_of(b"productId: a\nname: caf\xe9\n")
    assert problem.code == "yaml.encoding"
    assert "offset 22" in problem.message
    assert "line 2" in problem.message
    assert "0xe9" in problem.message


def test_load_yaml_bytes_rejects_control_characters():
    (problem,) = problems_of(b"a: x\x00y\n")
    assert problem.code == "yaml.syntax"
    assert problem.line == 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_load_yaml_bytes_fuzz_bytes_only_ever_yield_documents_or_problems(data):
    _assert_well_formed(load_yaml_bytes(data, "fuzz.yaml"))


_YAMLISH = st.text(
    alphabet=st.sampled_from(list("ab:01.- \n\t[]{}&*!?|>'\"#%@`,~\\\u00e9")),
    max_size=200,
)


@settings(max_examples=500, deadline=None)
@given(_YAMLISH)
def test_load_yaml_bytes_fuzz_yamlish_text_only_yields_documents_or_problems(text):
    _assert_well_formed(load_yaml_bytes(text.encode(), "fuzz.yaml"))


def _assert_well_formed(result: Document | list[Problem]) -> None:
    if isinstance(result, Document):
        assert isinstance(result.data, dict)
        return
    assert result
    for problem in result:
        assert isinstance(problem, Problem)
        assert problem.line >= 1
        assert problem.code.startswith("yaml.")


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=20),
    st.sampled_from(
        ["NO", "on", "0123", "1.10", "12:30", "2024-01-01", "~", "", "a: b"]
    ),
)
_KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC_-", min_size=1, max_size=8)
_TREES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(_KEYS, _TREES, min_size=1, max_size=5), st.booleans())
def test_load_yaml_bytes_agrees_with_pyyaml_on_what_pyyaml_dumps(data, flow):
    # safe_dump quotes every string YAML 1.1 would misread, so both loaders must agree,
    # and every recorded position must point at the start of that value's text.
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    doc = document_of(text.encode())
    assert doc.data == yaml.safe_load(text)
    lines = text.splitlines()
    for path, (line, col) in doc.positions.items():
        literal = doc.scalar_text.get(path)
        if literal:
            assert lines[line - 1][col - 1 :].startswith(literal)


@pytest.mark.parametrize(
    "text",
    [
        'productId: a\nname: "Wattle\ndescription: "An account."\nbrand: X\n',
        "productId: a\nname: 'Wattle\ndescription: 'An account.'\nbrand: X\n",
    ],
)
def test_an_unclosed_quote_is_named_where_it_opens(text):
    (problem,) = problems_of(text)
    assert (problem.code, problem.line) == ("yaml.syntax", 3)
    assert problem.hint == "line 2 opens a quote that it never closes: close it there"


@pytest.mark.parametrize(
    "text", ['x: {a: 1,\n  b: c"d,\n  e\n', 'x: [a,\n  b"c,\n  d\n']
)
def test_a_quote_inside_a_value_is_not_blamed(text):
    """A quote that does not open the value may end a multi-line quoted one: no guess."""
    (problem,) = problems_of(text)
    assert problem.hint == "check the indentation, quotes and brackets here"


def test_a_closed_multi_line_quote_is_not_blamed():
    (problem,) = problems_of('description: "line one\n  line two"\nbad: : x\n')
    assert problem.hint == "check the indentation, quotes and brackets here"


def test_an_apostrophe_in_a_key_is_not_taken_for_an_unclosed_quote():
    (problem,) = problems_of("a:\n  b: 1\n  it's: 2\n c: 3\n")
    assert (problem.code, problem.line) == ("yaml.syntax", 4)
    assert problem.hint == "check the indentation, quotes and brackets here"


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("productId: a\nisTailored:\u00a0false\nname: x\n", 2, 12),
        ("productId: a\nfees:\n  -\u00a0name: x\n", 3, 4),
        ("productId:\u00a0a\n", 1, 11),
        ("a:\n\u00a0 b: 1\n", 2, 1),
    ],
)
def test_a_pasted_non_breaking_space_in_the_structure_is_named(text, line, col):
    (problem,) = problems_of(text)
    assert (problem.code, problem.line, problem.col) == ("yaml.syntax", line, col)
    assert "non-breaking space" in problem.message


def test_a_non_breaking_space_inside_a_value_is_kept():
    doc = load('productId: a\nname: Wattle\u00a0Bank\nd: "Note:\u00a0x"\n')
    assert isinstance(doc, Document)
    assert doc.data["name"] == "Wattle\u00a0Bank"


def test_a_non_breaking_space_inside_a_value_does_not_hide_a_syntax_error():
    (problem,) = problems_of("productId: a\nname: Wattle\u00a0Bank\nfees: [x\n")
    assert problem.code == "yaml.syntax"
    assert "non-breaking space" not in problem.message
    assert problem.line > 2
