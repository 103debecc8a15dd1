"""The formality-specific fields of rule packs: marker categories and position options.

A formality pack (``rules/<lang>/formality.yaml``) is an ordinary rule pack whose rules find
*register markers*. What a marker signals is its ``category`` (on the rule, or on one term):

``formal`` / ``informal``
    The words address the user in that register (``Sie``/``du``, ``vous``/``tu``, です/ます).
``not-address``
    A veto: these words look like a marker but are not address here (``Sie schließt``, a
    sentence-initial "she/it" with a 3rd-person-singular verb; ``Pan Kowalski``, a name). A
    veto removes every marker it overlaps that is not longer than itself.
``not-formal`` / ``not-informal`` / ``not-plural``
    A veto for one category only: the exceptions of a broad rule (Czech ``váš`` ends like the
    verb ``máš`` but is the formal possessive, so it is ``not-informal``, and the formal rule
    that lists it still counts).
``plural``
    Evidence that the string speaks to a group (``vous tous``, ``вы все``). Where the polite
    form is also the plural (French, Russian, Czech, Greek, Romanian, Turkish), a group
    address is no register choice, so the string's formal markers are dropped.

Rule ``options`` say where in a sentence a marker counts, because many markers are only
markers in one position (a sentence-initial imperative ``Versuche es…`` is an address, a
``versuche`` after ``ich`` is not):

``position``
    ``sentence-start`` (the first word of its sentence, after opening punctuation and the
    pack's ``openers``), ``sentence-end`` (the last word, before closing punctuation and the
    pack's ``closers``, such as Japanese sentence-final particles), ``inside`` (anywhere but
    the first word: German ``Sie`` mid-sentence is unambiguous), or ``any`` (default).
``question``
    ``true``: only in a question (the sentence ends in ``?``, or starts with ``¿``). Italian
    ``Vuole…?`` addresses the user; ``Vuole dire che…`` may not.
``whole-sentence``
    ``false``: not when the match is the whole sentence. Greek ``Άνοιξε`` alone is the status
    "opened" (the aorist is spelled like the imperative); ``Άνοιξε την πόρτα`` is an order.
``append-suggestion``
    Suggest the whole word containing the match with this appended (Korean 반말 ``했어`` →
    ``했어요``: adding 요 to a 해체 ending is the one mechanical register change).
``vetoes``
    On a veto rule: the ids of the rules it vetoes (default: every rule of the vetoed
    categories). Spanish "Cierre completado" is a noun and a participle, so the veto names the
    imperative rules and leaves "Has terminado" (a verb form) alone.

Pack ``options``: ``openers`` (words that may precede a sentence-start marker: ``bitte``,
``okay``), ``closers`` (words that may follow a sentence-end marker: ``よ``, ``ね``) and
``boundaries`` (punctuation that also ends a clause for position rules: Turkish puts the verb
last in every clause, so ``Bir liste seç, ben başlatayım`` has an imperative before a comma).

``rules validate`` runs examples without these position options (they are the formality check's
own), so a rule's ``match`` examples should put the marker where it counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from locale_guard.packs import effective_rules, fallback_chain, pack_set
from locale_guard.packs.model import PackRule
from locale_guard.readers.base import InputError
from locale_guard.text.normalise import casefold

if TYPE_CHECKING:
    from locale_guard.checks import CheckContext

CHECK = "formality"
REGISTERS = ("formal", "informal")
CATEGORIES = ("formal", "informal", "plural", "not-address", "not-formal", "not-informal", "not-plural")
#: veto categories and the marker categories each removes
VETOES: dict[str, tuple[str, ...]] = {
    "not-address": ("formal", "informal", "plural"),
    "not-formal": ("formal",),
    "not-informal": ("informal",),
    "not-plural": ("plural",),
}
POSITIONS = ("any", "sentence-start", "sentence-end", "inside")
RULE_OPTIONS = ("position", "question", "whole-sentence", "append-suggestion", "vetoes")
PACK_OPTIONS = ("openers", "closers", "boundaries")

SETTINGS_KEY = "formality.settings"


@dataclass(frozen=True)
class RuleSettings:
    """Where one rule's matches count, and how to suggest a replacement."""

    position: str = "any"
    question: bool = False
    whole_sentence: bool = True
    append_suggestion: str | None = None
    #: for veto rules: the full ids of the rules vetoed (empty: all of the vetoed categories)
    vetoes: tuple[str, ...] = ()

    @property
    def constrained(self) -> bool:
        return self.position != "any" or self.question or not self.whole_sentence


@dataclass(frozen=True)
class LocaleSettings:
    """The formality options that apply to one locale after pack inheritance."""

    rules: dict[str, RuleSettings]
    openers: frozenset[str]
    closers: frozenset[str]
    boundaries: frozenset[str] = frozenset()


def _fail(rule: PackRule, message: str) -> InputError:
    return InputError(str(rule.source), f"formality rule '{rule.name}': {message}", line=rule.line)


def _rule_settings(rule: PackRule) -> RuleSettings:
    """Validate a rule's categories and options; a typo is an input error, never ignored."""
    categories = {t.category for t in rule.terms if t.category} | ({rule.category} if rule.category else set())
    if not categories or (rule.category is None and any(t.category is None for t in rule.terms)):
        raise _fail(rule, f"needs a category ({', '.join(CATEGORIES)}) on the rule or on every term")
    unknown = sorted(c for c in categories if c not in CATEGORIES)
    if unknown:
        raise _fail(rule, f"category '{unknown[0]}' is not one of {', '.join(CATEGORIES)}")
    options: dict[str, Any] = dict(rule.options)
    extra = sorted(set(options) - set(RULE_OPTIONS))
    if extra:
        raise _fail(rule, f"unknown option '{extra[0]}'; formality rules know {', '.join(RULE_OPTIONS)}")
    position = options.get("position", "any")
    if position not in POSITIONS:
        raise _fail(rule, f"option position must be one of {', '.join(POSITIONS)}, not {position!r}")
    question = options.get("question", False)
    if not isinstance(question, bool):
        raise _fail(rule, "option question must be true or false")
    whole = options.get("whole-sentence", True)
    if not isinstance(whole, bool):
        raise _fail(rule, "option whole-sentence must be true or false")
    append = options.get("append-suggestion")
    if append is not None and (not isinstance(append, str) or not append):
        raise _fail(rule, "option append-suggestion must be a non-empty string")
    vetoes = options.get("vetoes", [])
    if not isinstance(vetoes, list) or not all(isinstance(v, str) and v for v in vetoes):
        raise _fail(rule, "option vetoes must be a list of rule ids")
    if vetoes and not (categories and categories <= set(VETOES)):
        raise _fail(rule, f"option vetoes belongs on a veto rule (category {', '.join(VETOES)})")
    full = tuple(v if "/" in v else f"{CHECK}/{v}" for v in vetoes)
    return RuleSettings(
        position=position, question=question, whole_sentence=whole, append_suggestion=append, vetoes=full
    )


def _pack_words(values: Any, name: str, where: str) -> frozenset[str]:
    if values is None:
        return frozenset()
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise InputError(where, f"formality pack option {name} must be a list of words")
    return frozenset(casefold(v) for v in values)


def locale_settings(locale: str | None, ctx: CheckContext | None) -> LocaleSettings:
    """Rule settings and pack options for ``locale`` (cached per run)."""
    tag = locale or "und"
    cache: dict[str, LocaleSettings] = ctx.cache.setdefault(SETTINGS_KEY, {}) if ctx is not None else {}
    if tag in cache:
        return cache[tag]
    rules = {e.rule.id: _rule_settings(e.rule) for e in effective_rules(tag, CHECK, ctx)}
    openers: frozenset[str] = frozenset()
    closers: frozenset[str] = frozenset()
    boundaries: frozenset[str] = frozenset()
    packs = pack_set(ctx)
    # general to specific, so a locale's pack can extend its language's lists
    for chain_tag in reversed(fallback_chain(tag)):
        for pack in packs.packs_for(chain_tag, CHECK):
            extra = sorted(set(pack.options) - set(PACK_OPTIONS))
            if extra:
                raise InputError(
                    str(pack.path), f"unknown formality pack option '{extra[0]}'; known: {', '.join(PACK_OPTIONS)}"
                )
            openers |= _pack_words(pack.options.get("openers"), "openers", str(pack.path))
            closers |= _pack_words(pack.options.get("closers"), "closers", str(pack.path))
            boundaries |= _pack_words(pack.options.get("boundaries"), "boundaries", str(pack.path))
    found = LocaleSettings(rules=rules, openers=openers, closers=closers, boundaries=boundaries)
    cache[tag] = found
    return found
