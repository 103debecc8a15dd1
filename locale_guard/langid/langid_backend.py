"""py3langid (langid.py's naive-Bayes model, bundled in the package; numpy).

Optional: it knows 97 languages, among them several that lingua lacks and assistants ship
(Galician, Luxembourgish, Kannada, Malayalam, Nepali), so the language check uses it for those
locales when it is installed (``pip install py3langid``). Probabilities are normalised
(``norm_probs``) so its confidence is comparable with the other backends' thresholds.
"""

from __future__ import annotations

from typing import Any

from locale_guard.langid import BackendSpec, Detection, canonical_language


class LangidBackend:
    name = "langid"

    def __init__(self) -> None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self._native: dict[str, list[str]] = {}
        for label in self._identifier.labels:
            self._native.setdefault(canonical_language(label), []).append(label)
        self._restricted_to: frozenset[str] | None = None

    def supported_languages(self) -> set[str]:
        return set(self._native)

    def _restrict(self, labels: frozenset[str] | None) -> None:
        if labels != self._restricted_to:
            self._identifier.set_languages(sorted(labels) if labels is not None else None)
            self._restricted_to = labels

    def detect_batch(self, texts: list[str], candidates: set[str] | None = None) -> list[Detection]:
        labels: frozenset[str] | None = None
        if candidates is not None:
            labels = frozenset(lab for c in candidates for lab in self._native.get(canonical_language(c), []))
            if not labels:
                return [(None, 0.0)] * len(texts)
        self._restrict(labels)
        out: list[Detection] = []
        for text in texts:
            if not any(ch.isalpha() for ch in text):
                out.append((None, 0.0))
                continue
            label, conf = self._identifier.classify(text)
            out.append((canonical_language(label), float(conf)))
        return out


def _factory(**options: Any) -> LangidBackend:
    return LangidBackend(**options)


BACKEND = BackendSpec(
    name="langid",
    factory=_factory,
    requires=("py3langid",),
    description="py3langid: 97 languages, langid.py naive Bayes over byte n-grams (numpy)",
)
