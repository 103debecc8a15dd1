"""Pluggable language identification: one interface, several backends, one registry.

A backend is a module in this package defining ``BACKEND = BackendSpec(...)``; its factory
returns an object with :class:`LanguageBackend`'s two methods. Backends whose package is not
installed are simply not available, so an optional backend never breaks a run.

Codes are ISO 639-1 in lower case (``de``, ``pt``, ``zh``) wherever one exists. Languages that
readers and detectors cannot reliably tell apart, or that are one macrolanguage, form groups
(:data:`LANGUAGE_GROUPS`): a Bokmål catalog detected as Nynorsk is not written in "another
language", and no detector separates Serbian-Latin from Croatian on a ten-word sentence.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from locale_guard.registry import discover

#: (ISO 639 code or None when undecided, confidence in [0, 1])
Detection = tuple[str | None, float]

#: The backend a run uses unless configured otherwise: the one that measured faster *and* more
#: accurate on short assistant strings (see bench/LANGID.md).
DEFAULT_BACKEND = "lingua"

#: Macrolanguages and standard variants treated as one language when judging a string's
#: language: Norwegian (``no`` = Bokmål ``nb`` + Nynorsk ``nn``), Serbo-Croatian (``sh``: Serbian,
#: Croatian, Bosnian, Montenegrin), Malay (``ms`` includes Indonesian ``id``), Filipino/Tagalog.
LANGUAGE_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"no", "nb", "nn"}),
    frozenset({"sh", "sr", "hr", "bs", "cnr"}),
    frozenset({"ms", "id", "zsm"}),
    frozenset({"fil", "tl"}),
    frozenset({"zh", "cmn"}),
)


class LanguageBackend(Protocol):
    """What the language check needs from a detector.

    Backends may also offer ``screening() -> LanguageBackend | None``: a faster, less accurate
    sibling used by :func:`screen_and_confirm` to wave through strings plainly in the expected
    language; and ``default_min_confidence``, the confidence from which their answer is worth
    a finding (confidence scales differ between detectors and modes); and
    ``release(languages)``, which frees the models of languages no longer needed this run.
    """

    name: str

    def supported_languages(self) -> set[str]:
        """ISO 639 codes this backend can answer."""
        ...

    def detect_batch(self, texts: list[str], candidates: set[str] | None = None) -> list[Detection]:
        """Language and confidence of each text, choosing among ``candidates`` (None: all).

        Candidates the backend does not support are ignored; texts without evidence come back
        as ``(None, 0.0)``. Results must not depend on the order or batch of texts.
        """
        ...


@dataclass(frozen=True)
class BackendSpec:
    """A registered backend: how to build it and what it needs installed."""

    name: str
    factory: Callable[..., LanguageBackend]
    #: importable top-level packages the backend needs
    requires: tuple[str, ...]
    description: str = ""
    #: options the factory accepts, with their defaults, for documentation and validation
    options: dict[str, Any] = field(default_factory=dict)


#: Used when a backend does not say from which confidence its answers are reliable.
DEFAULT_MIN_CONFIDENCE = 0.99


def default_min_confidence(backend: LanguageBackend) -> float:
    return float(getattr(backend, "default_min_confidence", DEFAULT_MIN_CONFIDENCE))


def screen_and_confirm(
    backend: LanguageBackend,
    texts: list[str],
    candidates: set[str] | None,
    expected: str,
    *,
    screen_at: float = 0.9,
    agree_at: float = 0.999,
) -> list[Detection]:
    """Detect ``texts`` that should be in ``expected``, paying for accuracy only where it matters.

    The backend's screening sibling (if it has one) looks at every text first; texts it finds in
    the expected language with at least ``screen_at`` confidence keep that answer, and only the
    rest (typically a few percent of a catalog) go to the accurate backend, whose answer is
    final, except that when both name the same language and the screen was at least
    ``agree_at`` sure, the answer keeps the screen's confidence: lingua's accurate mode rates
    some plain English sentences only 60 % English against French, while its fast mode is
    99.9 % sure; two detectors agreeing, one of them all but certain, is worth a finding (this
    adds recall on planted English and no false alarm on the HA corpus, bench/LANGID.md).
    Without a screening sibling this is plain ``detect_batch``.
    """
    screening = getattr(backend, "screening", None)
    screen = screening() if callable(screening) else None
    if screen is None or not texts:
        return backend.detect_batch(texts, candidates)
    first = screen.detect_batch(texts, candidates)
    unsure = [i for i, (lang, conf) in enumerate(first) if conf < screen_at or not same_language(expected, lang)]
    if unsure:
        again = backend.detect_batch([texts[i] for i in unsure], candidates)
        for i, (lang, conf) in zip(unsure, again, strict=True):
            screened_lang, screened_conf = first[i]
            if lang is not None and lang == screened_lang and screened_conf >= agree_at:
                conf = max(conf, screened_conf)
            first[i] = (lang, conf)
    return first


class BackendError(ValueError):
    """An unknown or unavailable backend, or a bad backend option; the message says which."""


@lru_cache(maxsize=1)
def all_backends() -> dict[str, BackendSpec]:
    """Every backend module in this package, installed or not, keyed by name."""
    return discover(__name__, __path__, "BACKEND", BackendSpec)


def _installed(package: str) -> bool:
    try:
        importlib.import_module(package)
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def available_backends() -> tuple[str, ...]:
    """Names of backends whose packages are installed, the default first."""
    names = [n for n, spec in all_backends().items() if all(_installed(p) for p in spec.requires)]
    return tuple(sorted(names, key=lambda n: (n != DEFAULT_BACKEND, n)))


def get_backend(name: str | None = None, **options: Any) -> LanguageBackend:
    """A ready backend (built once per name and options; building loads models)."""
    name = name or DEFAULT_BACKEND
    specs = all_backends()
    if name not in specs:
        raise BackendError(f"unknown language-identification backend '{name}'; known: {', '.join(specs)}")
    if name not in available_backends():
        missing = ", ".join(p for p in specs[name].requires if not _installed(p))
        raise BackendError(f"language-identification backend '{name}' needs {missing} (pip install {missing})")
    unknown = sorted(set(options) - set(specs[name].options))
    if unknown:
        raise BackendError(
            f"backend '{name}' has no option(s) {', '.join(unknown)}; known: {', '.join(specs[name].options) or 'none'}"
        )
    return _build(name, tuple(sorted(options.items())))


@lru_cache(maxsize=16)
def _build(name: str, options: tuple[tuple[str, Any], ...]) -> LanguageBackend:
    return all_backends()[name].factory(**dict(options))


@lru_cache(maxsize=1024)
def canonical_language(code: str) -> str:
    """Lower-case ISO 639 code with deprecated codes replaced (``iw`` → ``he``, ``zh-cn`` → ``zh``)."""
    from babel.core import get_global

    base = code.strip().replace("_", "-").split("-")[0].lower()
    alias = get_global("language_aliases").get(base)
    if isinstance(alias, str) and "_" not in alias:
        base = alias
    return base


def group_of(code: str) -> frozenset[str]:
    """The languages judged the same as ``code`` (itself at least)."""
    code = canonical_language(code)
    for group in LANGUAGE_GROUPS:
        if code in group:
            return group
    return frozenset({code})


def same_language(a: str | None, b: str | None) -> bool:
    """True when two codes name the same language for the purpose of the language check."""
    if a is None or b is None:
        return False
    return canonical_language(b) in group_of(a)


def supported_as(code: str, supported: Iterable[str]) -> set[str]:
    """The codes in ``supported`` that stand for ``code`` (its group members), possibly none."""
    return set(group_of(code)) & set(supported)


#: A letter belongs to a language's alphabet when it makes up at least this share of the letters
#: in langdetect's training profile (English: a–z and é; German adds ä ö ü ß).
ALPHABET_MIN_SHARE = 2e-4


@lru_cache(maxsize=256)
def alphabet(code: str) -> frozenset[str] | None:
    """Lower-case letters commonly used to write ``code``, or None when no data is at hand.

    Taken from the single-letter frequencies of langdetect's bundled language profiles: the
    language knowledge is the library's, the only choice here is the frequency cut-off. Used to
    veto a detection a text cannot be in (Swiss German "Lampä ide Stubä" is not English,
    whatever its n-grams say).
    """
    import json
    from importlib import resources

    code = canonical_language(code)
    names = {"zh": "zh-cn", "nb": "no", "nn": "no", "fil": "tl"}
    try:
        profile = resources.files("langdetect").joinpath("profiles", names.get(code, code))
        data = json.loads(profile.read_text(encoding="utf-8"))
    except (ImportError, FileNotFoundError, OSError, ValueError):
        return None
    letters: dict[str, int] = {}
    for gram, count in data.get("freq", {}).items():
        if len(gram) == 1 and gram.isalpha():
            letters[gram.lower()] = letters.get(gram.lower(), 0) + int(count)
    total = sum(letters.values())
    if not total:
        return None
    return frozenset(ch for ch, n in letters.items() if n / total >= ALPHABET_MIN_SHARE)
