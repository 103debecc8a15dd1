"""Lingua (Rust, models bundled in the wheel): the default backend.

Lingua is built for short text. In *high-accuracy* mode it scores 1- to 5-grams; in
*low-accuracy* mode trigrams only, about eight times faster but overconfident: on five-word
strings it says "English, 99.9 %" of Dutch or Slovene sentences that high-accuracy mode
correctly calls Dutch or Slovene (bench/LANGID.md). So the default is high accuracy, and
:meth:`LinguaBackend.screening` hands the language check a low-accuracy sibling that waves
through the strings plainly in their locale's language; only the rest are scored accurately.

``auto`` is a standalone compromise for callers without an expected language: every text goes
through the fast detector, and texts it is not sure about (top confidence below
``recheck_below``) are scored again by the accurate one.

Detectors are built once per candidate set and accuracy, restricted to the candidates, because
lingua's cost grows with the number of languages it weighs and its answers get better when
implausible languages are ruled out. Language models load lazily, once per process.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from locale_guard.langid import BackendError, BackendSpec, Detection, canonical_language

ACCURACY_MODES = ("low", "high", "auto")


@lru_cache(maxsize=1)
def _native_codes() -> dict[str, Any]:
    """Canonical ISO 639 code → lingua ``Language``."""
    from lingua import Language

    return {canonical_language(lang.iso_code_639_1.name.lower()): lang for lang in Language.all()}


class LinguaBackend:
    name = "lingua"

    def __init__(self, accuracy: str = "high", recheck_below: float = 0.95) -> None:
        if accuracy not in ACCURACY_MODES:
            raise BackendError(f"lingua accuracy must be one of {', '.join(ACCURACY_MODES)}, not '{accuracy}'")
        if not 0.0 <= float(recheck_below) <= 1.0:
            raise BackendError("lingua recheck_below must be between 0 and 1")
        self.accuracy = accuracy
        self.recheck_below = float(recheck_below)
        self._detectors: dict[tuple[frozenset[str], bool], Any] = {}
        self._native = _native_codes()
        self._canonical = {lang: code for code, lang in self._native.items()}
        self._screen: LinguaBackend | None = None
        #: high-accuracy confidences are calibrated; low-accuracy ones crowd near 1.0 (measured)
        self.default_min_confidence = 0.7 if accuracy == "high" else 0.99

    def screening(self) -> LinguaBackend | None:
        """A low-accuracy sibling for a first pass, when this detector is the accurate one."""
        if self.accuracy != "high":
            return None
        if self._screen is None:
            self._screen = LinguaBackend(accuracy="low")
            self._screen._detectors = self._detectors
        return self._screen

    def supported_languages(self) -> set[str]:
        return set(self._native)

    def _detector(self, candidates: frozenset[str], high: bool) -> Any:
        key = (candidates, high)
        if key not in self._detectors:
            from lingua import LanguageDetectorBuilder

            builder = LanguageDetectorBuilder.from_languages(*(self._native[c] for c in sorted(candidates)))
            if not high:
                builder = builder.with_low_accuracy_mode()
            self._detectors[key] = builder.build()
        return self._detectors[key]

    def _run(self, texts: list[str], candidates: frozenset[str], high: bool) -> list[Detection]:
        values = self._detector(candidates, high).compute_language_confidence_values_in_parallel(texts)
        out: list[Detection] = []
        for ranked in values:
            if not ranked or ranked[0].value <= 0.0:
                out.append((None, 0.0))
            else:
                # rounded: lingua's parallel sums differ in the last bits between batches
                out.append((self._canonical[ranked[0].language], round(float(ranked[0].value), 9)))
        return out

    def release(self, languages: set[str]) -> None:
        """Unload the n-gram models of ``languages`` (about 30 MB each in high-accuracy mode).

        The language check calls this when a locale's strings are done, so a run over 50
        locales holds the models of a few languages at a time instead of all of them (1.3 GB).
        A later detection of a released language loads its models again.
        """
        native = [self._native[c] for c in sorted(languages) if c in self._native]
        if not native:
            return
        from lingua import LanguageDetectorBuilder

        LanguageDetectorBuilder.from_languages(*native).build().unload_language_models()
        gone = {self._native[c] for c in languages if c in self._native}
        for key in [k for k in self._detectors if any(self._native.get(c) in gone for c in k[0])]:
            del self._detectors[key]

    def detect_batch(self, texts: list[str], candidates: set[str] | None = None) -> list[Detection]:
        if not texts:
            return []
        chosen = frozenset(self._native) if candidates is None else frozenset(
            canonical_language(c) for c in candidates
        ) & frozenset(self._native)
        if not chosen:
            return [(None, 0.0)] * len(texts)
        if len(chosen) == 1:
            # lingua cannot choose among one language; every text with letters is that one
            only = next(iter(chosen))
            return [(only, 1.0) if any(ch.isalpha() for ch in t) else (None, 0.0) for t in texts]
        if self.accuracy != "auto":
            return self._run(texts, chosen, self.accuracy == "high")
        result = self._run(texts, chosen, high=False)
        unsure = [i for i, (_, conf) in enumerate(result) if conf < self.recheck_below]
        if unsure:
            again = self._run([texts[i] for i in unsure], chosen, high=True)
            for i, detection in zip(unsure, again, strict=True):
                result[i] = detection
        return result


def _factory(**options: Any) -> LinguaBackend:
    return LinguaBackend(**options)


BACKEND = BackendSpec(
    name="lingua",
    factory=_factory,
    requires=("lingua",),
    description="lingua-language-detector: 75 languages, n-gram models for short text (Rust, multi-threaded)",
    options={"accuracy": "high", "recheck_below": 0.95},
)
