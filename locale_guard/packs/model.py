"""What a loaded rule pack is: packs, rules, lexicon terms, and problems found in them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KINDS = ("lexicon", "pattern", "token-pattern", "substitution")
SCOPES = ("response", "utterance", "both")

#: the fields each kind reads; the others are refused on that kind so typos cannot hide
KIND_FIELDS: dict[str, frozenset[str]] = {
    "lexicon": frozenset({"terms", "lemma", "compound"}),
    "pattern": frozenset({"pattern", "case-sensitive"}),
    "token-pattern": frozenset({"patterns"}),
    "substitution": frozenset({"replace", "lemma", "compound"}),
}

#: languages that write compounds as one word; lexicon terms match inside compounds there by
#: default (``compound: false`` turns it off per rule or term)
COMPOUNDING_LANGUAGES = frozenset({"de", "nl", "sv", "da", "nb", "nn", "no", "is", "fo", "fi", "et", "af", "lb", "fy", "gsw"})


@dataclass(frozen=True)
class Term:
    """One lexicon entry (or one ``replace`` key of a substitution rule)."""

    term: str
    lemma: bool = True
    compound: bool = False
    category: str | None = None
    severity: str | None = None
    suggestion: str | None = None


@dataclass(frozen=True)
class PackRule:
    """One rule, as declared in one pack file."""

    id: str  #: full id, ``<check>/<name>``
    kind: str
    severity: str
    message: str
    check: str
    source: Path
    pack_tag: str  #: the locale tag of the pack that declares it (``de``, ``und``)
    line: int | None = None
    scope: str = "both"
    terms: tuple[Term, ...] = ()
    pattern: str | None = None
    case_sensitive: bool = False
    patterns: tuple[tuple[dict[str, Any], ...], ...] = ()
    #: pack-level and rule-level allowlist together
    allow: tuple[str, ...] = ()
    examples_match: tuple[str, ...] = ()
    examples_no_match: tuple[str, ...] = ()
    locales: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    category: str | None = None
    description: str = ""
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def name(self) -> str:
        """The id without its check prefix."""
        return self.id.split("/", 1)[1]

    def applies_to_locale(self, locale: str | None) -> bool:
        """``locales: [de-CH]`` restricts a rule to those tags and their sub-tags."""
        if not self.locales:
            return True
        if not locale:
            return False
        return any(locale == t or locale.startswith(t + "-") for t in self.locales)


@dataclass(frozen=True)
class Pack:
    """One pack file after validation."""

    path: Path
    tag: str
    check: str
    version: str
    rules: tuple[PackRule, ...]
    inherit: bool = True
    extends: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    description: str = ""
    root: Path | None = None
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class PackProblem:
    """Something wrong with a pack: printed as ``file[:line]: [rule 'x': ]message``."""

    path: Path
    message: str
    rule: str | None = None
    line: int | None = None

    def describe(self) -> str:
        where = str(self.path) + (f":{self.line}" if self.line else "")
        who = f"rule '{self.rule}': " if self.rule else ""
        return f"{where}: {who}{self.message}"


@dataclass(frozen=True)
class EffectiveRule:
    """A rule as it applies to one locale after inheritance, and the pack it came from."""

    rule: PackRule
    #: the locale tag of the pack folder it came from (``de`` for a de-AT record)
    via: str
