"""``token-pattern`` rules: spaCy Matcher patterns over the tokens the text package made.

The Doc a pattern sees is built from locale-guard's own tokens (so Japanese, Chinese, Thai and
Korean get their real segmenters, not spaCy's defaults) with our normal form as ``NORM``, our
lemma as ``LEMMA`` and the segmenter's part of speech as ``TAG``. Because NORM and LEMMA are
casefolded, literal values given for them in a pattern are casefolded too, so authors can write
``{"LEMMA": "Haus"}`` and still match.

spaCy evaluates ``{"REGEX": ...}`` with Python's backtracking ``re``, which a pattern such as
``(a+)+$`` on a long token can keep busy for hours. Every REGEX predicate is therefore moved to
a token extension attribute whose getter runs the expression with RE2 (linear time), and RE2's
syntax rules apply, exactly as for ``pattern`` rules.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from locale_guard.packs.regexes import PatternError, compile_pattern
from locale_guard.text.normalise import casefold

_FOLDED_ATTRS = ("NORM", "LEMMA")

#: token attributes a REGEX predicate may test, and how to read them from a spaCy token
_REGEX_ATTRS = {
    "TEXT": "text",
    "ORTH": "orth_",
    "LOWER": "lower_",
    "NORM": "norm_",
    "LEMMA": "lemma_",
    "TAG": "tag_",
    "POS": "pos_",
    "SHAPE": "shape_",
    "PREFIX": "prefix_",
    "SUFFIX": "suffix_",
}


def _regex_extension(attr: str, pattern: str) -> str:
    """Register (once) a boolean token extension that tests ``attr`` with RE2; return its name."""
    from locale_guard.text.spacy_import import import_spacy
    import_spacy()
    from spacy.tokens import Token

    field = _REGEX_ATTRS[attr]
    compiled = compile_pattern(pattern, True)
    name = "lg_re2_" + hashlib.sha1(f"{attr}\x00{pattern}".encode()).hexdigest()[:16]
    if not Token.has_extension(name):
        Token.set_extension(name, getter=lambda token: compiled.search(getattr(token, field)) is not None)
    return name


def _linear_regexes(pattern: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Move every ``{"ATTR": {"REGEX": ...}}`` predicate to an RE2-backed extension attribute."""
    out: list[dict[str, Any]] = []
    for spec in pattern:
        spec = dict(spec)
        for attr in list(spec):
            value = spec[attr]
            if not (isinstance(value, dict) and "REGEX" in value):
                continue
            key = attr.upper()
            if key not in _REGEX_ATTRS:
                raise PatternError(f"REGEX is not supported on {attr}; use it on one of {', '.join(_REGEX_ATTRS)}")
            if not isinstance(value["REGEX"], str):
                raise PatternError(f"REGEX on {attr} must be a string")
            try:
                name = _regex_extension(key, value["REGEX"])
            except PatternError as exc:
                raise PatternError(f"REGEX on {attr}: {exc}") from None
            rest = {k: v for k, v in value.items() if k != "REGEX"}
            if rest:
                spec[attr] = rest
            else:
                del spec[attr]
            extensions = dict(spec.get("_", {}))
            extensions[name] = True
            spec["_"] = extensions
        out.append(spec)
    return out


def _fold_value(value: Any) -> Any:
    if isinstance(value, str):
        return casefold(value)
    if isinstance(value, dict):
        return {k: (_fold_value(v) if k in ("IN", "NOT_IN", "==", "!=") else v) for k, v in value.items()}
    if isinstance(value, list):
        return [casefold(v) if isinstance(v, str) else v for v in value]
    return value


def fold_patterns(patterns: Sequence[Sequence[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Casefold literal NORM/LEMMA values and move REGEX predicates to RE2 (PatternError)."""
    out: list[list[dict[str, Any]]] = []
    for pattern in patterns:
        tokens = []
        for spec in _linear_regexes(pattern):
            spec = dict(spec)
            for attr in list(spec):
                if attr.upper() in _FOLDED_ATTRS:
                    spec[attr] = _fold_value(spec[attr])
            tokens.append(spec)
        out.append(tokens)
    return out


@lru_cache(maxsize=1)
def _validation_vocab() -> Any:
    from locale_guard.text.spacy_import import import_spacy
    import_spacy()
    import spacy

    return spacy.blank("xx").vocab


def pattern_problem(patterns: Sequence[Sequence[dict[str, Any]]]) -> str | None:
    """Why spaCy's Matcher refuses these patterns, in one line, or None when they are valid."""
    from locale_guard.text.spacy_import import import_spacy
    import_spacy()
    from spacy.matcher import Matcher

    matcher = Matcher(_validation_vocab(), validate=True)
    try:
        folded = fold_patterns(patterns)
    except PatternError as exc:
        return str(exc)
    try:
        matcher.add("check", folded)
    except Exception as exc:  # MatchPatternError, ValueError, KeyError: spaCy's ways to say no
        lines = [line.strip(" -\t") for line in str(exc).splitlines() if line.strip(" -\t")]
        detail = "; ".join(line for line in lines if not line.startswith("Invalid token patterns for matcher rule"))
        return f"invalid spaCy Matcher pattern: {detail or type(exc).__name__}"
    return None


class TokenMatcher:
    """Several rules' patterns in one spaCy Matcher, run over our tokens."""

    def __init__(self, vocab: Any, rules: Sequence[tuple[int, Sequence[Sequence[dict[str, Any]]]]]) -> None:
        from locale_guard.text.spacy_import import import_spacy
        import_spacy()
        from spacy.matcher import Matcher

        self.vocab = vocab
        self.matcher = Matcher(vocab)
        self.key_to_rule: dict[int, int] = {}
        for rule_index, patterns in rules:
            key = f"locale-guard-rule-{rule_index}"
            self.matcher.add(key, fold_patterns(patterns))
            self.key_to_rule[vocab.strings[key]] = rule_index

    def spans(
        self, token_lists: Sequence[Sequence[dict[str, Any]]]
    ) -> tuple[list[int], list[int], list[int], list[int]]:
        """(row, rule index, start char, end char) of every match, as four lists."""
        from locale_guard.text.spacy_import import import_spacy
        import_spacy()
        from spacy.tokens import Doc

        rows: list[int] = []
        rules: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        for row, tokens in enumerate(token_lists):
            if not tokens:
                continue
            words = [t["text"] for t in tokens]
            spaces = [tokens[i]["end"] < tokens[i + 1]["start"] for i in range(len(tokens) - 1)] + [False]
            tags = [t["pos"] or "" for t in tokens]
            doc = Doc(
                self.vocab,
                words=words,
                spaces=spaces,
                lemmas=[t["lemma"] for t in tokens],
                tags=tags if any(tags) else None,
            )
            for token, info in zip(doc, tokens, strict=True):
                if info["norm"] != token.lower_:
                    token.norm_ = info["norm"]
            for key, first, last in self.matcher(doc):
                rows.append(row)
                rules.append(self.key_to_rule[key])
                starts.append(tokens[first]["start"])
                ends.append(tokens[last - 1]["end"])
        return rows, rules, starts, ends
