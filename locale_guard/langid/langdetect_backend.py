"""langdetect (pure Python port of Google's language-detection, profiles bundled).

langdetect samples n-grams at random, so the factory seed is fixed (``DetectorFactory.seed``):
without it the same string can get a different answer on every run. Each text gets a fresh
detector seeded the same way, so a text's answer does not depend on the batch around it.
Candidates are enforced through the detector's prior map, which gives every other language a
prior of zero.
"""

from __future__ import annotations

from typing import Any

from locale_guard.langid import BackendSpec, Detection, canonical_language

#: langdetect labels Chinese by script variant; both are the language ``zh``
_VARIANTS = {"zh-cn": "zh", "zh-tw": "zh"}


class LangdetectBackend:
    name = "langdetect"

    def __init__(self, seed: int = 0) -> None:
        from langdetect import DetectorFactory
        from langdetect.detector_factory import init_factory

        DetectorFactory.seed = int(seed)
        init_factory()
        from langdetect.detector_factory import _factory as factory

        self._factory = factory
        self._native: dict[str, list[str]] = {}
        for label in factory.get_lang_list():
            self._native.setdefault(canonical_language(_VARIANTS.get(label, label)), []).append(label)

    def supported_languages(self) -> set[str]:
        return set(self._native)

    def detect_batch(self, texts: list[str], candidates: set[str] | None = None) -> list[Detection]:
        from langdetect.lang_detect_exception import LangDetectException

        prior: dict[str, float] | None = None
        if candidates is not None:
            labels = [lab for c in candidates for lab in self._native.get(canonical_language(c), [])]
            if not labels:
                return [(None, 0.0)] * len(texts)
            prior = dict.fromkeys(labels, 1.0)
        out: list[Detection] = []
        for text in texts:
            detector = self._factory.create()
            if prior is not None:
                detector.set_prior_map(prior)
            detector.append(text)
            try:
                ranked = detector.get_probabilities()
            except LangDetectException:
                out.append((None, 0.0))
                continue
            totals: dict[str, float] = {}
            for item in ranked:
                code = canonical_language(_VARIANTS.get(item.lang, item.lang))
                totals[code] = totals.get(code, 0.0) + item.prob
            if not totals:
                out.append((None, 0.0))
                continue
            best = max(totals.items(), key=lambda kv: (kv[1], kv[0]))
            out.append((best[0], float(best[1])))
        return out


def _factory(**options: Any) -> LangdetectBackend:
    return LangdetectBackend(**options)


BACKEND = BackendSpec(
    name="langdetect",
    factory=_factory,
    requires=("langdetect",),
    description="langdetect: 55 languages, Google language-detection profiles (pure Python, seeded)",
    options={"seed": 0},
)
