"""Pack validation: schema errors name file, rule and field; RE2 and spaCy refusals are
explained; examples run as tests; YAML tricks are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from _pack_helpers import DATA, write_pack

from locale_guard.packs import validate
from locale_guard.packs.loader import load_pack
from locale_guard.packs.yamlio import parse_yaml
from locale_guard.readers.base import InputError

HEADER = """
    version: "1.0"
    language: de
    check: offensive
    rules:
"""


def problems_of(tmp_path: Path, rules_yaml: str, *, header: str = HEADER, tag: str = "de") -> list[str]:
    write_pack(tmp_path, tag, "offensive", header + rules_yaml)
    report = validate([tmp_path])
    return [p.describe() for p in report.problems]


def test_shipped_test_packs_are_valid() -> None:
    report = validate([DATA])
    assert report.ok, [p.describe() for p in report.problems]
    assert report.packs == 3
    assert report.rules == 11
    assert report.examples >= 20


def test_bad_severity_names_file_rule_and_field(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path,
        """
      - id: rude-word
        kind: lexicon
        severity: fatal
        message: "x"
        terms: [foo]
        examples: {match: [foo]}
""",
    )
    assert len(found) == 1
    path = str(tmp_path / "de" / "offensive.yaml")
    assert found[0] == f"{path}:6: rule 'rude-word': 'severity' must be one of error, warning, info (got 'fatal')"


def test_unknown_kind_is_a_clear_error(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path,
        """
      - id: r
        kind: regex
        severity: info
        message: "x"
        pattern: "foo"
        examples: {match: [foo]}
""",
    )
    assert any("rule 'r': 'kind' must be one of lexicon, pattern, token-pattern, substitution (got 'regex')" in f for f in found)


def test_unknown_field_suggests_the_right_one(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path,
        """
      - id: r
        kind: lexicon
        severity: info
        mesage: "x"
        terms: [foo]
        examples: {match: [foo]}
""",
    )
    text = " | ".join(found)
    assert "unknown field 'mesage' (did you mean 'message'?)" in text
    assert "missing required field 'message'" in text


def test_kind_specific_field_required_and_misplaced(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path,
        """
      - id: no-terms
        kind: lexicon
        severity: info
        message: "x"
        examples: {match: [foo]}
      - id: misplaced
        kind: lexicon
        severity: info
        message: "x"
        terms: [foo]
        pattern: "foo"
        examples: {match: [foo]}
""",
    )
    text = " | ".join(found)
    assert "rule 'no-terms': missing required field 'terms' (a lexicon rule lists its terms)" in text
    assert "rule 'misplaced': 'pattern' is not used by lexicon rules" in text


def test_examples_are_required(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path,
        """
      - id: r
        kind: lexicon
        severity: info
        message: "x"
        terms: [foo]
""",
    )
    assert any("missing required field 'examples'" in f for f in found)


def test_unquoted_version_gets_a_quoting_hint(tmp_path: Path) -> None:
    header = HEADER.replace('version: "1.0"', "version: 1.0")
    found = problems_of(
        tmp_path,
        """
      - id: r
        kind: lexicon
        severity: info
        message: "x"
        terms: [foo]
        examples: {match: [foo]}
""",
        header=header,
    )
    assert any("'version' must be a string (got 1.0); quote it in YAML" in f for f in found)


def test_language_must_match_its_folder(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path,
        """
      - id: r
        kind: lexicon
        severity: info
        message: "x"
        terms: [foo]
        examples: {match: [foo]}
""",
        tag="fr",
    )
    assert any("'language' is 'de' but the file is in the folder for 'fr'" in f for f in found)


def test_unknown_placeholder_in_message(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path,
        """
      - id: r
        kind: lexicon
        severity: info
        message: "found {word}"
        terms: [foo]
        examples: {match: [foo]}
""",
    )
    assert any("message uses {word}; the placeholders are {match} and {suggestion}" in f for f in found)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    rule = """
      - id: same
        kind: lexicon
        severity: info
        message: "x"
        terms: [foo]
        examples: {match: [foo]}
"""
    found = problems_of(tmp_path, rule + rule)
    assert any("rule 'same': duplicate id (first declared on line 6)" in f for f in found)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(\w+) \1", "backreferences"),
        (r"foo(?=bar)", "lookahead and lookbehind are not supported"),
        (r"(?<!un)happy", "lookahead and lookbehind are not supported"),
        (r"(unclosed", "missing )"),
        (r"x*", "matches the empty string"),
    ],
)
def test_patterns_re2_cannot_run_are_rejected_with_the_reason(tmp_path: Path, pattern: str, expected: str) -> None:
    found = problems_of(
        tmp_path,
        f"""
      - id: re
        kind: pattern
        severity: info
        message: "x"
        pattern: '{pattern}'
        examples: {{match: [foo]}}
""",
    )
    assert len(found) == 1, found
    assert "rule 're': 'pattern': " in found[0]
    assert expected in found[0]


def test_invalid_token_pattern_is_reported(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path,
        """
      - id: tp
        kind: token-pattern
        severity: info
        message: "x"
        patterns:
          - [{LEMMA: sein, OP: "always"}]
        examples: {match: [foo]}
""",
    )
    assert len(found) == 1
    assert "rule 'tp': 'patterns': invalid spaCy Matcher pattern" in found[0]


def test_token_pattern_regex_must_be_re2(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path,
        """
      - id: tp
        kind: token-pattern
        severity: info
        message: "x"
        patterns:
          - [{TEXT: {REGEX: "foo(?!bar)"}}]
        examples: {match: [foo]}
""",
    )
    assert len(found) == 1
    assert "rule 'tp': 'patterns': REGEX on TEXT: RE2 cannot compile the pattern" in found[0]
    assert "lookahead and lookbehind are not supported" in found[0]


def test_failing_examples_are_reported_like_failing_tests(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path,
        """
      - id: weather
        kind: lexicon
        severity: info
        message: "x"
        terms: [regen]
        examples:
          match: ["Es gibt Regen.", "Die Sonne scheint."]
          no-match: ["Regenschirm", "Kein Regen heute"]
""",
    )
    assert f"{tmp_path / 'de' / 'offensive.yaml'}:6: rule 'weather': example should match but does not: 'Die Sonne scheint.'" in found
    assert any("example should not match but does: 'Kein Regen heute' (matched 'Regen')" in f for f in found)
    # compound matching is on by default in German: "Regenschirm" contains the word "Regen"
    assert any("example should not match but does: 'Regenschirm'" in f for f in found)
    assert len(found) == 3


def test_disable_of_unknown_rule_is_reported(tmp_path: Path) -> None:
    write_pack(
        tmp_path,
        "de",
        "offensive",
        """
        version: "1"
        language: de
        check: offensive
        disable: [does-not-exist]
        rules: []
        """,
    )
    report = validate([tmp_path])
    assert [p.message for p in report.problems] == [
        "'disable' names 'offensive/does-not-exist', which no inherited pack declares"
    ]


def test_validate_names_missing_paths(tmp_path: Path) -> None:
    report = validate([tmp_path / "nope"])
    assert not report.ok
    assert "no such file or folder" in report.problems[0].describe()


# ---------------------------------------------------------------------------- YAML safety


def test_aliases_are_refused(tmp_path: Path) -> None:
    bomb = 'a: &a ["x", "x"]\nb: &b [*a, *a]\nc: [*b, *b]\n'
    with pytest.raises(InputError, match=r"aliases \(\*name\) are not allowed"):
        parse_yaml(bomb, tmp_path / "bomb.yaml")


def test_deep_nesting_is_refused_without_crashing(tmp_path: Path) -> None:
    # libyaml's own composer overflows the C stack on this; ours refuses it
    with pytest.raises(InputError, match="nested more than"):
        parse_yaml("[" * 100_000 + "]" * 100_000, tmp_path / "deep.yaml")


def test_yaml_12_scalars_keep_norwegian_and_yes(tmp_path: Path) -> None:
    data = parse_yaml("language: no\nexamples: [yes, on, off, 2024-12-25]\nflag: true\nn: 3\n", tmp_path / "x.yaml")
    assert data == {"language": "no", "examples": ["yes", "on", "off", "2024-12-25"], "flag": True, "n": 3}


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="duplicate key 'severity'") as info:
        parse_yaml("severity: info\nseverity: error\n", tmp_path / "x.yaml")
    assert info.value.line == 2


def test_broken_yaml_gives_one_line_with_position(tmp_path: Path) -> None:
    path = write_pack(tmp_path, "de", "offensive", 'version: "1"\nrules: [\n')
    pack, problems = load_pack(path, "de")
    assert pack is None
    assert len(problems) == 1
    assert problems[0].describe().startswith(f"{path}:")
    assert "invalid YAML" in problems[0].message


def test_empty_file_is_explained(tmp_path: Path) -> None:
    path = write_pack(tmp_path, "de", "offensive", "")
    _, problems = load_pack(path, "de")
    assert "a rule pack is a YAML mapping with version, language, check and rules" in problems[0].message


def test_mapping_keys_are_always_strings(tmp_path: Path) -> None:
    data = parse_yaml("replace:\n  2: two\n  true: yes\n", tmp_path / "x.yaml")
    assert data == {"replace": {"2": "two", "true": "yes"}}
