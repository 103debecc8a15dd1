"""The checks written the straightforward way: a Python loop over records, one record at a time.

``bench/bench_check.py`` runs these next to the vectorised checks in ``locale_guard/checks`` to
measure what the polars design buys. Each baseline does what its check does, the obvious way,
with the *same* knowledge, so the comparison is about execution, not about what is looked for:

* the same rule packs, locale profiles, CLDR data, holiday calendars and language detectors;
* the same segmenter per locale (``locale_guard.text.segmenters``), called once per record (for
  spaCy languages, spaCy's tokenizer itself, with all its exceptions loaded up front);
* lemmas from the same spaCy lookup tables, loaded once into a Python dict;
* pack patterns run with the same RE2 patterns, one pattern at a time, per record;
* the language detector called with one text at a time.

What it leaves out is everything that makes the real checks fast: no de-duplication of texts,
no batching, no Aho-Corasick, no vectorised pre-filters. Where a check has logic that would be
a project of its own to restate per record, the baseline does the simpler thing and says so:

* formality: markers from the pack's lexicon and pattern rules with their category vetoes, but
  without the sentence-position options (``position``, ``question``, ``whole-sentence``);
* coverage: counts with dicts for the catalog rules and the training rules except
  ``low-diversity`` (sampled n-gram ratios) and ``few-variants``, which are not restated.

Every baseline returns one dict per finding (``rule``, ``record_id``, ``locale``), so the runner
can put the per-rule counts next to the real check's.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import polars as pl
import regex

from locale_guard.checks import CheckContext
from locale_guard.findings import SEVERITY_RANK

Finding = dict[str, Any]
Row = dict[str, Any]

#: check name → what its baseline leaves out (printed under the results table)
LIMITS: dict[str, str] = {
    "formality": "no sentence-position options (position, question, whole-sentence)",
    "coverage": "no low-diversity and few-variants rules",
}


def _finding(rule: str, row: Row | None = None, locale: str | None = None) -> Finding:
    return {
        "rule": rule,
        "record_id": row.get("record_id") if row else None,
        "locale": (row.get("locale") if row else None) or locale,
    }


# ======================================================================= tokens, one record


def _plain_spacy(language: str) -> Any:
    """spaCy's blank pipeline with all its tokenizer exceptions: what one calls on each text.

    locale-guard's own spaCy segmenter loads exceptions on demand per batch, which costs a
    fixed amount per call; called with one text at a time it would make the baseline pay for
    an optimisation meant for batches. The tokens are the same.
    """
    from locale_guard.text.segmenters import _SPACY_CODE
    from locale_guard.text.spacy_import import import_spacy

    spacy = import_spacy()
    code = _SPACY_CODE.get(language, language)
    if code == "vi":
        return spacy.blank(code, config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    return spacy.blank(code)


class RecordTokens:
    """Cut one text with a segmenter and compute each token's normal form and lemma in Python."""

    def __init__(self, segmenter: Any) -> None:
        from locale_guard.text.lemmas import lemma_table

        self.segmenter = segmenter
        self.nlp = _plain_spacy(segmenter.language) if segmenter.name == "spacy" else None
        table = None if segmenter.gives_lemmas else lemma_table(segmenter.language)
        #: the lookup table as a dict: what one writes to look a word up
        self.lemmas: dict[str, str] = dict(zip(table["form"].to_list(), table["lemma"].to_list(), strict=True)) if table is not None else {}

    def _spans(self, text: str) -> tuple[list[int], list[int], list[Any], list[Any]]:
        if self.nlp is not None:
            words = [t for t in self.nlp.tokenizer(text) if not t.is_space]
            return [t.idx for t in words], [t.idx + len(t.text) for t in words], [None] * len(words), [None] * len(words)
        raw = self.segmenter.segment([text])
        starts, ends = list(raw["start"]), list(raw["end"])
        lemmas = raw["lemma"] if raw["lemma"] is not None else [None] * len(starts)
        tags = raw["pos"] if raw["pos"] is not None else [None] * len(starts)
        return starts, ends, list(lemmas), list(tags)

    def __call__(self, text: str) -> list[dict[str, Any]]:
        from locale_guard.text.normalise import casefold

        starts, ends, lemmas, tags = self._spans(text)
        out = []
        for start, end, lemma, pos in sorted(zip(starts, ends, lemmas, tags, strict=True), key=lambda t: (t[0], t[1])):
            if end <= start:
                continue
            word = text[start:end]
            norm = casefold(word)
            if lemma is None and self.lemmas:
                lemma = self.lemmas.get(word) or self.lemmas.get(word.lower())
            out.append({
                "text": word,
                "norm": norm,
                "lemma": casefold(lemma) if lemma else norm,
                "start": int(start),
                "end": int(end),
                "pos": pos,
            })
        return out


# ================================================================= pack rules, one record


class RecordRules:
    """A locale's pack rules, matched against one record at a time.

    Lexicon terms are cut into tokens once and looked up token by token; compound parts are
    searched inside every token; each pattern rule runs on its own; token-pattern rules go
    through spaCy's Matcher, one Doc per record.
    """

    def __init__(self, rules: Sequence[Any], segmenter: Any, tokens: RecordTokens) -> None:
        from locale_guard.packs.matching import _token_vocab
        from locale_guard.packs.regexes import compile_pattern
        from locale_guard.packs.tokenpatterns import TokenMatcher
        from locale_guard.text.lemmas import has_lemmas

        self.rules = list(rules)
        self.tokens = tokens
        self.continuous = segmenter.continuous
        with_lemmas = segmenter.gives_lemmas or has_lemmas(segmenter.language)
        self.surface: dict[str, list[tuple[tuple[str, ...], int, Any]]] = defaultdict(list)
        self.lemma: dict[str, list[tuple[tuple[str, ...], int, Any]]] = defaultdict(list)
        self.compound: list[tuple[str, int, Any]] = []
        self.allow: dict[str, list[tuple[tuple[str, ...], int, Any]]] = defaultdict(list)
        for index, rule in enumerate(self.rules):
            if rule.kind in ("lexicon", "substitution"):
                for term in rule.terms:
                    cut = tokens(term.term)
                    if not cut:
                        continue
                    norms = tuple(t["norm"] for t in cut)
                    self.surface[norms[0]].append((norms, index, term))
                    if with_lemmas and term.lemma:
                        lemmas = tuple(t["lemma"] for t in cut)
                        self.lemma[lemmas[0]].append((lemmas, index, term))
                        self.lemma[norms[0]].append((norms, index, term))
                    if term.compound and len(cut) == 1 and len(norms[0]) >= 2:
                        self.compound.append((norms[0], index, term))
            for word in rule.allow:
                cut = tokens(word)
                if cut:
                    norms = tuple(t["norm"] for t in cut)
                    self.allow[norms[0]].append((norms, index, None))
        self.patterns = [
            (index, compile_pattern(rule.pattern, rule.case_sensitive))
            for index, rule in enumerate(self.rules)
            if rule.kind == "pattern" and rule.pattern
        ]
        token_rules = [(i, r.patterns) for i, r in enumerate(self.rules) if r.kind == "token-pattern" and r.patterns]
        self.token_matcher = TokenMatcher(_token_vocab(segmenter), token_rules) if token_rules else None

    # -- lexicon ---------------------------------------------------------------------------
    def _sequences(self, toks: list[dict], field: str, table: dict[str, list]) -> Iterable[tuple[int, int, int, Any]]:
        """(rule, start, end, term) of every term whose tokens occur in a row."""
        values = [t[field] for t in toks]
        if self.continuous:
            # written without spaces: the term may span tokens cut differently; compare joined
            joined = "".join(values)
            starts, ends, at = {}, {}, 0
            for i, v in enumerate(values):
                starts[at] = i
                at += len(v)
                ends[at] = i
            for entries in table.values():
                for seq, index, term in entries:
                    needle = "".join(seq)
                    pos = joined.find(needle)
                    while pos >= 0:
                        if pos in starts and pos + len(needle) in ends:
                            yield index, toks[starts[pos]]["start"], toks[ends[pos + len(needle)]]["end"], term
                        pos = joined.find(needle, pos + 1)
            return
        for i, value in enumerate(values):
            for seq, index, term in table.get(value, ()):
                if tuple(values[i : i + len(seq)]) == seq:
                    yield index, toks[i]["start"], toks[i + len(seq) - 1]["end"], term

    def _compounds(self, toks: list[dict]) -> Iterable[tuple[int, int, int, Any]]:
        from locale_guard.packs.lexicon import _HYPHENS, MIN_COMPOUND_PART, _text_offset

        minimum = 1 if self.continuous else MIN_COMPOUND_PART
        for tok in toks:
            norm = tok["norm"]
            for part, index, term in self.compound:
                pos = norm.find(part)
                while pos >= 0:
                    before, after = pos, len(norm) - pos - len(part)
                    ok_before = before == 0 or before >= minimum or norm[pos - 1 : pos] in _HYPHENS
                    ok_after = after == 0 or after >= minimum or norm[pos + len(part) : pos + len(part) + 1] in _HYPHENS
                    if (before or after) and ok_before and ok_after:
                        if len(tok["text"]) == len(norm):
                            yield index, tok["start"] + pos, tok["start"] + pos + len(part), term
                        else:
                            yield (index, tok["start"] + _text_offset(tok["text"], pos),
                                   tok["start"] + _text_offset(tok["text"], pos + len(part)), term)
                    pos = norm.find(part, pos + 1)

    # -- one record ------------------------------------------------------------------------
    def match(self, text: str, toks: list[dict] | None = None, kind: str | None = None) -> list[dict[str, Any]]:
        """Every hit of these rules in ``text``: rule index, span, severity, category."""
        if not text:
            return []
        toks = self.tokens(text) if toks is None else toks
        hits: list[dict[str, Any]] = []

        def add(index: int, start: int, end: int, term: Any = None) -> None:
            rule = self.rules[index]
            if kind is not None and rule.scope not in ("both", kind):
                return
            hits.append({
                "rule": index,
                "start": start,
                "end": end,
                "severity": (term.severity if term is not None else None) or rule.severity,
                "category": (term.category if term is not None else None) or rule.category,
                "suggestion": term.suggestion if term is not None else None,
            })

        for index, start, end, term in self._sequences(toks, "norm", self.surface):
            add(index, start, end, term)
        if self.lemma:
            for index, start, end, term in self._sequences(toks, "lemma", self.lemma):
                add(index, start, end, term)
        for index, start, end, term in self._compounds(toks):
            add(index, start, end, term)
        for index, pattern in self.patterns:
            for m in pattern.finditer(text):
                if m.end() > m.start():
                    add(index, m.start(), m.end())
        if self.token_matcher is not None and toks:
            for _, index, start, end in zip(*self.token_matcher.spans([toks]), strict=True):
                add(index, start, end)
        if hits and self.allow:
            # a hit inside an allowlisted word or phrase of its own rule does not count
            allowed = [(index, start, end) for index, start, end, _ in self._sequences(toks, "norm", self.allow)]
            hits = [h for h in hits if not any(r == h["rule"] and s <= h["start"] and h["end"] <= e for r, s, e in allowed)]
        return _tidy(hits)


def _tidy(hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One hit per rule and span, none inside a longer hit of the same rule."""
    seen: set[tuple[int, int, int]] = set()
    out: list[dict[str, Any]] = []
    reach: dict[int, int] = {}
    for hit in sorted(hits, key=lambda h: (h["rule"], h["start"], -h["end"])):
        key = (hit["rule"], hit["start"], hit["end"])
        if key in seen:
            continue
        seen.add(key)
        if hit["end"] <= reach.get(hit["rule"], -1):
            continue
        reach[hit["rule"]] = max(reach.get(hit["rule"], -1), hit["end"])
        out.append(hit)
    return out


class Matchers:
    """Per-locale :class:`RecordRules`, built on first use (the baseline's only cache)."""

    def __init__(self, ctx: CheckContext, check: str) -> None:
        self.ctx = ctx
        self.check = check
        self._rules: dict[Any, RecordRules | None] = {}
        self._tokens: dict[str, RecordTokens] = {}

    def tokens_for(self, locale: str) -> RecordTokens:
        from locale_guard.text.tokens import segmenter_for_locale

        segmenter = segmenter_for_locale(locale, self.ctx)
        if segmenter.key not in self._tokens:
            self._tokens[segmenter.key] = RecordTokens(segmenter)
        return self._tokens[segmenter.key]

    def for_rules(self, locale: str, rules: Sequence[Any], key: Any) -> RecordRules | None:
        from locale_guard.text.tokens import segmenter_for_locale

        if key not in self._rules:
            tokens = self.tokens_for(locale)
            self._rules[key] = RecordRules(rules, segmenter_for_locale(locale, self.ctx), tokens) if rules else None
        return self._rules[key]

    def for_locale(self, locale: str) -> RecordRules | None:
        from locale_guard.packs import effective_rules

        if locale not in self._rules:
            rules = [e.rule for e in effective_rules(locale or "und", self.check, self.ctx)]
            return self.for_rules(locale, rules, locale)
        return self._rules[locale]


# ============================================================================== offensive


def offensive(rows: list[Row], ctx: CheckContext, cache: dict[str, Any] | None = None) -> list[Finding]:
    cache = {} if cache is None else cache
    from locale_guard.checks.offensive import (
        _EDGE_END_CLASS,
        _EDGE_START_CLASS,
        _options,
        _spaced_forms,
        evasion_forms,
    )
    from locale_guard.text.tokens import segmenter_for_locale

    evasion, _ = _options(ctx)
    matchers = cache.setdefault("offensive", Matchers(ctx, "offensive"))
    lead_re = re.compile(f"^{_EDGE_START_CLASS}*")
    trail_re = re.compile(f"{_EDGE_END_CLASS}*$")
    single = regex.compile(r"^\p{L}$")
    out: list[Finding] = []
    seen_ids: set[str] = set()
    for row in rows:
        text, locale = row["text"], row["locale"]
        if not text or not text.strip() or row["record_id"] in seen_ids:
            continue
        seen_ids.add(row["record_id"])
        matcher = matchers.for_locale(locale)
        if matcher is None:
            continue
        toks = matcher.tokens(text)
        found = [dict(h, form=None) for h in matcher.match(text, toks, row["kind"])]
        segmenter = segmenter_for_locale(locale, ctx)
        if evasion and not segmenter.continuous and toks:
            # words: adjacent tokens (no gap) joined again; runs of one-letter words spelled out
            words: list[tuple[int, int, bool]] = []
            for t in toks:
                if words and words[-1][1] == t["start"]:
                    words[-1] = (words[-1][0], t["end"], False)
                else:
                    words.append((t["start"], t["end"], False))
            # runs of three or more one-letter words, 1-3 spaces apart: "s h i t"
            runs: list[list[tuple[int, int]]] = []
            prev_end, prev_single = -1, False
            for start, end, _ in list(words):
                is_single = bool(single.match(text[start:end]))
                gap = text[prev_end:start] if prev_end >= 0 else ""
                if is_single and prev_single and 1 <= len(gap) <= 3 and gap.strip(" \t") == "":
                    runs[-1].append((start, end))
                elif is_single:
                    runs.append([(start, end)])
                prev_end, prev_single = end, is_single
            spelled = {r[0][0]: "".join(text[s:e] for s, e in r) for r in runs if len(r) >= 3}
            words += [(r[0][0], r[-1][1], True) for r in runs if len(r) >= 3]
            evasive = []
            for start, end, spaced in words:
                word = text[start:end]
                if spaced:
                    forms = _spaced_forms(spelled[start])
                    ws, we = start, end
                else:
                    forms = evasion_forms(word, segmenter.language)
                    ws = start + len(lead_re.match(word).group(0))
                    we = end - len(trail_re.search(word).group(0))
                if we <= ws:
                    continue
                for form in forms:
                    w0 = max(0, ws - 100)
                    pseudo = text[w0:ws] + form + text[we : we + 100]
                    ls, le = ws - w0, ws - w0 + len(form)
                    for h in matcher.match(pseudo, None, row["kind"]):
                        if h["start"] < le and h["end"] > ls:
                            s = ws if h["start"] >= ls else w0 + h["start"]
                            e = h["end"] + (we - le) if h["end"] > le else we
                            evasive.append(dict(h, start=s, end=e, form=form))
            found += [e for e in evasive if not any(d["start"] < e["end"] and e["start"] < d["end"] for d in found if d["form"] is None)]
        # strongest: one finding per span, none inside a longer one
        found.sort(key=lambda h: (h["start"], -h["end"], -SEVERITY_RANK.get(h["severity"], 0), matcher.rules[h["rule"]].id))
        reach, spans = -1, set()
        for h in found:
            if (h["start"], h["end"]) in spans or h["end"] <= reach:
                continue
            spans.add((h["start"], h["end"]))
            reach = max(reach, h["end"])
            out.append(_finding(matcher.rules[h["rule"]].id, row))
    return out


# =============================================================================== language


def language(rows: list[Row], ctx: CheckContext, cache: dict[str, Any] | None = None) -> list[Finding]:
    cache = {} if cache is None else cache
    from locale_guard import langid
    from locale_guard import scripts as sc
    from locale_guard.checks.language import (
        _MAX_ALPHABET,
        _STRIP_PATTERNS,
        Settings,
        _backend,
        _backend_for,
        _candidates,
        _distinctive_scripts,
        _head_to_head,
        _locale_info,
        _mixed_pattern,
        unit_symbols,
    )
    from locale_guard.records import KINDS

    settings = Settings.from_context(ctx)
    strip = [regex.compile(p, regex.V1) for p in _STRIP_PATTERNS]
    brands = sorted({b.strip() for b in settings.brand_names if b.strip()}, key=len, reverse=True)
    if brands:
        alternation = "|".join(re.escape(b) for b in brands)
        strip.append(regex.compile(rf"(?i)(?:^|\b|\s)(?:{alternation})(?:\b|\s|$)", regex.V1))
    spaces = regex.compile(r"\s+")
    letter, word = regex.compile(sc.LETTER), regex.compile(sc.WORD)
    unspaced = regex.compile("[" + sc.class_of(sc.UNSPACED_SCRIPTS) + "]", regex.V1)
    mixed = regex.compile(_mixed_pattern(), regex.V1)
    latin = regex.compile(sc.foreign_letter_pattern(("Latn",)), regex.V1)
    upper, lower = regex.compile(r"\p{Lu}"), regex.compile(r"\p{Ll}")
    usable = [r for r in rows if r["kind"] in KINDS and r["text"] and r["locale"] and r["text"].strip()]
    infos = {loc: _locale_info(ctx, loc) for loc in dict.fromkeys(r["locale"] for r in usable)}
    languages = {info.language for info in infos.values()}
    backend_of = _backend_for(languages, settings)
    per_language: dict[str, tuple] = cache.setdefault("language.detectors", {})
    foreign: dict[str, Any] = cache.setdefault("language.foreign", {})
    out: list[Finding] = []
    for row in usable:
        info = infos[row["locale"]]
        clean = row["text"]
        for pattern in strip:
            clean = pattern.sub(" ", clean)
        clean = spaces.sub(" ", clean).strip()
        lang = info.language
        wrong_language = False
        n_letters = len(letter.findall(clean))
        if (
            lang in backend_of
            and n_letters >= settings.min_chars
            and (len(word.findall(clean)) >= settings.min_words or unspaced.search(clean))
        ):
            if lang not in per_language:
                backend = _backend(backend_of[lang], settings)
                candidates = _candidates(lang, languages, backend.supported_languages(), settings, ctx)
                decide = [(regex.compile(f"[{sc.class_of([s])}]"), code) for s, code in sorted(_distinctive_scripts(candidates).items())]
                threshold = settings.min_confidence if settings.min_confidence is not None else langid.default_min_confidence(backend)
                per_language[lang] = (backend, candidates, decide, threshold)
            backend, candidates, decide, threshold = per_language[lang]
            detected, confidence = None, None
            by_script = {}
            for pattern, code in decide:
                by_script[code] = by_script.get(code, 0) + len(pattern.findall(clean))
            for code, count in sorted(by_script.items()):
                if count * 2 > n_letters:
                    detected, confidence = code, 1.0
                    break
            if detected is None:
                found = langid.screen_and_confirm(backend, [clean], candidates, lang)
                detected, confidence = _head_to_head(backend, [clean], found, candidates, lang)[0]
            if detected is not None and confidence is not None and confidence >= threshold and not langid.same_language(lang, detected):
                letters = langid.alphabet(detected)
                if letters is None or len(letters) > _MAX_ALPHABET or all(
                    ch in letters or ch.lower() in letters or not ch.isalpha() for ch in clean
                ):
                    wrong_language = True
                    out.append(_finding("language/wrong-language", row))
        # wrong-script and mixed-script
        if info.scripts and not wrong_language:
            if row["locale"] not in foreign:
                pattern = sc.foreign_letter_pattern(info.scripts)
                foreign[row["locale"]] = regex.compile(rf"{pattern}(?:{pattern}|\p{{M}}|['’.\-]{pattern})*", regex.V1)
            tokens = foreign[row["locale"]].findall(clean)
            if tokens and "Latn" not in info.scripts and settings.allowed_latin != "none":
                units = unit_symbols(info.locale)
                kept = []
                for tok in tokens:
                    only_latin = not latin.search(tok)
                    allowed = tok in units or (upper.search(tok) if settings.allowed_latin == "names" else not lower.search(tok))
                    if settings.latin_in_utterances and row["kind"] == "utterance":
                        allowed = True
                    if not (only_latin and allowed):
                        kept.append(tok)
                tokens = kept
            words = mixed.findall(row["text"])
            if tokens and not all(any(tok in w for w in words) for tok in tokens):
                out.append(_finding("language/wrong-script", row))
        if mixed.search(row["text"]):
            out.append(_finding("language/mixed-script", row))
    return out


# =============================================================================== holidays


def holidays(rows: list[Row], ctx: CheckContext, cache: dict[str, Any] | None = None) -> list[Finding]:
    cache = {} if cache is None else cache
    from locale_guard import formatting_cldr as cldr
    from locale_guard.checks.formatting import check_year
    from locale_guard.checks.holidays import PACKAGE_PREFIX, QUALIFIER, locale_state, response_hits

    year = check_year(ctx, "holidays")
    matchers = cache.setdefault("holidays", Matchers(ctx, "holidays"))
    states: dict[tuple[str, bool], Any] = cache.setdefault("holidays.states", {})
    mentions: dict[str, Counter] = defaultdict(Counter)
    first_seen: list[str] = []
    out: list[Finding] = []

    def state_of(locale: str, qualifiers: bool) -> Any:
        if (locale, qualifiers) not in states:
            states[(locale, qualifiers)] = locale_state(locale, ctx, year, qualifiers=qualifiers)
        return states[(locale, qualifiers)]

    for row in rows:
        locale, text = row["locale"], row["text"]
        if not locale or text is None or row["kind"] not in ("response", "utterance"):
            continue
        response = row["kind"] == "response"
        state = state_of(locale, response)
        if state is None:
            continue
        if not response and locale not in mentions:
            first_seen.append(locale)
            mentions[locale] = Counter()
        matcher = matchers.for_rules(locale, state.rules, (locale, response))
        if matcher is None:
            continue
        hits = matcher.match(cldr.masked(text, " "))
        found = [
            {"start": h["start"], "end": h["end"], "category": h["category"] or state.rules[h["rule"]].name}
            for h in hits
        ]
        if response:
            out += [_finding(h["rule"], row) for h in response_hits(row, found, state, year)]
        else:
            for category in {f["category"] for f in found if f["category"] != QUALIFIER}:
                mentions[locale][category] += 1
    # missing-coverage: the locale's holidays that no utterance mentions
    for locale in sorted(first_seen):
        state = state_of(locale, False)
        if state is None or state.calendar.country is None:
            continue
        keys: dict[str, str] = {}
        rank: dict[str, int] = {}
        for entry in state.calendar.own_holidays():
            found_id, index = state.calendar.holiday_id_of(entry.english)
            key = found_id or f"{PACKAGE_PREFIX}{entry.english}"
            if index < rank.get(key, 100):
                rank[key] = index
                keys[key] = entry.category
        for holiday_id, holiday in state.calendar.holidays.items():
            if holiday_id in keys or not state.calendar.keeps(holiday_id):
                continue
            if "*" not in holiday.kept_in and state.calendar.country not in holiday.kept_in and holiday_id not in state.calendar.policy.kept:
                continue
            if state.names.get(holiday_id):
                keys[holiday_id] = "observance"
        for key in keys:
            if mentions[locale][key] == 0:
                out.append(_finding("holidays/missing-coverage", None, locale))
    return out


# ============================================================================= formatting


def formatting(rows: list[Row], ctx: CheckContext, cache: dict[str, Any] | None = None) -> list[Finding]:
    cache = {} if cache is None else cache
    from locale_guard.checks.formatting import LocaleFormats, _profile, check_year, find_hits

    year = check_year(ctx, "formatting")
    formats: dict[str, Any] = cache.setdefault("formatting", {})
    out: list[Finding] = []
    for row in rows:
        if row["kind"] != "response" or row["text"] is None or row["locale"] is None:
            continue
        locale = row["locale"]
        if locale not in formats:
            formats[locale] = LocaleFormats(locale, _profile(ctx, locale))
        out += [_finding(hit.rule, row) for hit in find_hits(row["text"], formats[locale], year)]
    return out


# ============================================================================== formality


def formality(rows: list[Row], ctx: CheckContext, cache: dict[str, Any] | None = None) -> list[Finding]:
    cache = {} if cache is None else cache
    from locale_guard.checks.formality import _policies
    from locale_guard.formality.masking import mask_text
    from locale_guard.formality.settings import VETOES

    matchers = cache.setdefault("formality", Matchers(ctx, "formality"))
    judged: list[tuple[Row, str]] = []
    for row in rows:
        text, locale = row["text"], row["locale"]
        if row["kind"] == "utterance" or not text or not text.strip() or not locale:
            continue
        matcher = matchers.for_locale(locale)
        if matcher is None:
            judged.append((row, "none"))
            continue
        hits = matcher.match(mask_text(text))
        markers = [h for h in hits if h["category"] in ("formal", "informal", "plural")]
        for veto in (h for h in hits if h["category"] in VETOES):
            vetoed = VETOES[veto["category"]]
            markers = [
                m for m in markers
                if not (m["category"] in vetoed and m["start"] < veto["end"] and veto["start"] < m["end"]
                        and m["end"] - m["start"] <= veto["end"] - veto["start"])
            ]
        kinds = {m["category"] for m in markers}
        if "plural" in kinds:
            kinds.discard("formal")
        has_formal, has_informal = "formal" in kinds, "informal" in kinds
        register = "mixed" if has_formal and has_informal else "formal" if has_formal else "informal" if has_informal else "none"
        judged.append((row, register))
    policy = _policies(ctx, sorted({row["locale"] for row, _ in judged}))
    out: list[Finding] = []
    by_key: dict[tuple, list[tuple[Row, str]]] = defaultdict(list)
    by_catalog: dict[tuple, Counter] = defaultdict(Counter)
    for row, register in judged:
        if register == "mixed":
            out.append(_finding("formality/mixed-register", row))
            continue
        if register == "none":
            continue
        by_key[(row["locale"], row.get("catalog") or row.get("path"), row.get("key"))].append((row, register))
    odd: set[str] = set()
    for (_, _, key), members in by_key.items():
        registers = Counter(register for _, register in members)
        if key is None or len(registers) < 2:
            continue
        majority = registers.most_common(1)[0][0]
        for row, register in members:
            if register != majority:
                odd.add(row["record_id"])
                out.append(_finding("formality/mixed-register", row))
    for members in by_key.values():
        for row, register in members:
            if row["record_id"] in odd:
                continue
            wanted = policy.get(row["locale"], "any")
            if wanted in ("formal", "informal") and register != wanted:
                out.append(_finding("formality/register-mismatch", row))
            elif wanted == "any":
                by_catalog[(row["locale"], row.get("catalog") or row.get("path"))][register] += 1
    for members in by_key.values():
        for row, register in members:
            counts = by_catalog.get((row["locale"], row.get("catalog") or row.get("path")))
            if not counts or len(counts) < 2 or row["record_id"] in odd:
                continue
            if counts[register] < max(counts.values()):
                out.append(_finding("formality/catalog-inconsistent", row))
    return out


# =========================================================================== placeholders


def _token_key(raw: str) -> tuple[str, str | None] | None:
    """(kind, key) of one flat placeholder token, as :func:`placeholders_syntax.token_key`."""
    if raw == "%%":
        return None
    if raw.startswith("{{{"):
        return "triple-brace", re.sub(r"\s+", "", raw.strip("{}"))
    if raw.startswith("{{"):
        return "double-brace", re.sub(r"\s+", "", raw.strip("{}"))
    if raw.startswith("{%"):
        inner = raw.removeprefix("{%").removesuffix("%}").strip("-+ \t\r\n")
        return "template-tag", re.sub(r"\s+", " ", inner)
    if raw.startswith("{#"):
        return "template-comment", raw
    if raw.startswith("{"):
        m = re.match(r"^\{\s*([^,:!}]*?)\s*(?:[,:!][^}]*)?\}$", raw)
        return "brace", m.group(1) if m else None
    if raw.startswith("%"):
        conv = re.search(r"([A-Za-z@])$", raw)
        c = conv.group(1) if conv else ""
        if raw.startswith("%{"):
            return "printf", raw[1:]
        m = re.match(r"^%([0-9]+)\$", raw)
        if m and raw[1] != "0":
            return "printf", f"{m.group(1)}${c}"
        m = re.match(r"^%\(([^)]*)\)", raw)
        if m:
            return "printf", f"({m.group(1)}){c}"
        return "printf", None
    if raw.startswith("$"):
        m = re.match(r"^\$\{?([A-Za-z_][\w.]*)\}?$", raw)
        return "dollar", m.group(1) if m else None
    if raw.startswith("<"):
        name = re.match(r"^</?([A-Za-z][\w:.-]*)", raw)
        return "tag", f"<{'/' if raw.startswith('</') else ''}{name.group(1).lower() if name else ''}{'/' if raw.endswith('/>') else ''}>"
    return None


def _placeholders_of(text: str) -> tuple[list[tuple[str, str]], Any, list]:
    """A string's placeholders as (kind, key) in order, its ICU error, its plural arguments."""
    from locale_guard.placeholders_syntax import (
        _FLAT_BRACES,
        ICU_COMPLEX_PATTERN,
        LOGIC_KINDS,
        PLACEHOLDER_RE,
        parse_message,
    )

    if not re.search(r"[{}%$<]", text):
        return [], None, []
    plurals: list = []
    if re.search(ICU_COMPLEX_PATTERN, text) or re.search(r"[{}]", re.sub(_FLAT_BRACES, "", text)):
        parsed = parse_message(text)
        if parsed.error is not None:
            return [], parsed.error, []
        raw = [(t.raw, (t.kind, t.key) if t.kind else _token_key(t.raw)) for t in parsed.tokens]
        plurals = parsed.plurals
    else:
        raw = [(m.group(), _token_key(m.group())) for m in PLACEHOLDER_RE.finditer(text)]
    out: list[tuple[str, str]] = []
    implicit = 0
    for token, pair in raw:
        if pair is None or pair[0] in LOGIC_KINDS:
            continue
        kind, key = pair
        if kind == "printf" and key is None:
            # %s %d are positions 1$s 2$d, so a reordered %2$d %1$s compares equal
            implicit += 1
            conv = re.search(r"([A-Za-z@])$", token)
            key = f"{implicit}${conv.group(1) if conv else ''}"
        out.append((kind, key or ""))
    return out, None, plurals


def _surplus(tokens: list[tuple[str, str]], surplus: Counter) -> list[tuple[str, str]]:
    """The last ``surplus[p]`` occurrences of each placeholder ``p``, in string order."""
    out = []
    for token in reversed(tokens):
        if surplus[token] > 0:
            out.append(token)
            surplus[token] -= 1
    return out[::-1]


def placeholders(rows: list[Row], ctx: CheckContext, cache: dict[str, Any] | None = None) -> list[Finding]:
    from locale_guard.checks.placeholders import _judge_plural

    out: list[Finding] = []
    for row in rows:
        text = row["text"]
        if text is None:
            continue
        found, error, plurals = _placeholders_of(text)
        if error is not None:
            out.append(_finding("placeholders/icu-syntax", row))
            continue
        for plural in plurals:
            verdict = _judge_plural(row["locale"], plural.type, list(plural.selectors)) if row["locale"] else None
            if verdict and verdict["missing_msg"]:
                out.append(_finding("placeholders/plural-categories", row))
            if verdict and verdict["unused_msg"]:
                out.append(_finding("placeholders/plural-categories", row))
        source = row.get("source_text")
        if (
            source is None
            or not text.strip()
            or row["kind"] == "utterance"
            or row["locale"] == ctx.source_locale
            or "untranslated" in (row.get("flags") or [])
            or text == source
        ):
            continue
        wanted, source_error, _ = _placeholders_of(source)
        if source_error is not None:
            continue
        # surplus occurrences on each side, ordered by where their placeholder first appears
        missing = sorted(_surplus(wanted, Counter(wanted) - Counter(found)), key=wanted.index)
        extra = sorted(_surplus(found, Counter(found) - Counter(wanted)), key=found.index)
        # the n-th missing and the n-th extra placeholder of one kind: one renamed placeholder
        renamed = 0
        for kind in {k for k, _ in missing}:
            gone = [p for p in missing if p[0] == kind]
            new = [p for p in extra if p[0] == kind]
            pairs = min(len(gone), len(new))
            renamed += pairs
            missing = [p for p in missing if p[0] != kind] + gone[pairs:]
            extra = [p for p in extra if p[0] != kind] + new[pairs:]
        out += [_finding("placeholders/missing", row) for _ in set(missing)]
        out += [_finding("placeholders/extra", row) for _ in extra]
        out += [_finding("placeholders/renamed", row) for _ in range(renamed)]
    return out


# =============================================================================== coverage


def _normalised(text: str) -> str:
    return " ".join(regex.sub(r"[\p{P}\p{S}\s]+", " ", unicodedata.normalize("NFKC", text).lower()).split())


def _translatable(text: str, brands: list[str]) -> bool:
    """Something to translate besides placeholders, URLs, brand names or one acronym."""
    from locale_guard.checks.coverage import _URL
    from locale_guard.placeholders_syntax import PLACEHOLDER_RE

    rest = regex.sub(_URL, " ", PLACEHOLDER_RE.sub(" ", text))
    for brand in brands:
        rest = re.sub(re.escape(brand), " ", rest, flags=re.IGNORECASE)
    rest = rest.strip()
    single_acronym = " " not in rest and rest == rest.upper() and rest != rest.lower()
    return bool(regex.search(r"\p{L}", rest)) and not single_acronym


def coverage(rows: list[Row], ctx: CheckContext, cache: dict[str, Any] | None = None) -> list[Finding]:
    from locale_guard.checks.coverage import brand_names
    from locale_guard.coverage.options import coverage_options
    from locale_guard.coverage.schema import resolve_schema
    from locale_guard.coverage.slots import MALFORMED_FLAG
    from locale_guard.engine import resolve_source_locale

    opts = coverage_options(ctx.config, ctx.source_locale)
    brands = brand_names(ctx)
    out: list[Finding] = []
    # ---------------------------------------------------------------- catalog strings
    source = ctx.source_locale
    source_keys: dict[str, dict[str, Row]] = defaultdict(dict)
    target_keys: dict[tuple[str, str], set[str]] = defaultdict(set)
    target_rows: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        text = row["text"]
        flagged = "untranslated" in (row.get("flags") or [])
        if (text is None or not text.strip()) and not flagged:
            out.append(_finding("coverage/empty", row))
        if flagged and row["locale"] != source:
            out.append(_finding("coverage/untranslated", row))
        src = row.get("source_text")
        if (
            src is not None and text is not None and source is not None and not flagged and row["locale"]
            and row["locale"].split("-")[0] != source.split("-")[0]
            and text.strip() == src.strip() and _translatable(text, brands)
        ):
            out.append(_finding("coverage/untranslated", row))
        if row["key"] is None or row.get("partition") is not None or row["locale"] is None or row["kind"] == "utterance":
            continue
        catalog = row.get("catalog") or row["path"]
        if row["locale"] == source:
            source_keys[catalog].setdefault(row["key"], row)
        else:
            target_keys[(catalog, row["locale"])].add(row["key"])
            target_rows[(catalog, row["locale"])].append(row)
    for (catalog, locale), keys in target_keys.items():
        for key in source_keys.get(catalog, {}):
            if key not in keys:
                out.append(_finding("coverage/missing-key", None, locale))
        if catalog in source_keys:
            reported = set()
            for row in target_rows[(catalog, locale)]:
                if row["key"] not in source_keys[catalog] and row["key"] not in reported:
                    reported.add(row["key"])
                    out.append(_finding("coverage/extra-key", row))
    # ---------------------------------------------------------------- training data
    training = [r for r in rows if r["kind"] == "utterance" and r["intent"] and r["locale"] and r["text"] is not None]
    if not training:
        return out
    locales = sorted({r["locale"] for r in training})
    found = resolve_source_locale(locales, opts.pivot)
    pivot = found if found in locales else None
    intents: dict[str, Counter] = defaultdict(Counter)
    slots: dict[str, Counter] = defaultdict(Counter)
    all_intents: set[str] = set()
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    schema = resolve_schema(opts.schema, opts.base)
    massive_paths = {p for p in (ctx.files.filter(pl.col("format") == "massive")["path"].to_list() if "format" in ctx.files.columns else [])}
    for row in training:
        locale = row["locale"]
        intents[locale][row["intent"]] += 1
        all_intents.add(row["intent"])
        for slot in row.get("slots") or []:
            if slot["type"] is not None:
                slots[locale][(row["intent"], slot["type"])] += 1
            value = slot["value"] or ""
            if slot["start"] is None and value:
                out.append(_finding("coverage/slot-mismatch", row))
            if value == "":
                out.append(_finding("coverage/slot-mismatch", row))
            if schema is not None and (schema.everywhere or row["path"] in massive_paths) and slot["type"] not in schema.slot_types:
                out.append(_finding("coverage/slot-mismatch", row))
        if MALFORMED_FLAG in (row.get("flags") or []):
            out.append(_finding("coverage/slot-mismatch", row))
        groups[(locale, _normalised(row["text"]))].append(row)
    for locale in locales:
        mine = intents[locale]
        theirs = intents[pivot] if pivot else Counter()
        for intent in sorted(all_intents):
            count, pivot_count = mine[intent], theirs[intent]
            if pivot and locale != pivot and count == 0 and pivot_count > 0:
                out.append(_finding("coverage/missing-intent", None, locale))
            if count > 0 and (
                count < opts.min_examples
                or (pivot and locale != pivot and pivot_count > 0 and count / pivot_count < opts.thin_ratio)
            ):
                out.append(_finding("coverage/thin-intent", None, locale))
        if pivot and locale != pivot:
            for (intent, slot_type), pivot_count in slots[pivot].items():
                if mine[intent] and pivot_count >= opts.missing_slot_min and slots[locale][(intent, slot_type)] == 0:
                    out.append(_finding("coverage/missing-slot", None, locale))
            total, pivot_total = sum(mine.values()), sum(theirs.values())
            if total and pivot_total:
                jsd = 0.0
                for intent in all_intents:
                    p, q = mine[intent] / total, theirs[intent] / pivot_total
                    m = (p + q) / 2
                    jsd += (p * math.log2(p / m) if p else 0.0) / 2 + (q * math.log2(q / m) if q else 0.0) / 2
                if jsd > opts.imbalance_threshold:
                    out.append(_finding("coverage/imbalance", None, locale))
    train, test = set(opts.train_partitions), set(opts.test_partitions)
    for (locale, _), members in groups.items():
        if len(members) < 2:
            continue
        per_label: Counter = Counter((r.get("partition"), r["intent"]) for r in members)
        out += [_finding("coverage/duplicate", None, locale) for n in per_label.values() if n > 1]
        if len({r["intent"] for r in members}) > 1:
            out.append(_finding("coverage/conflict", None, locale))
        sides = {"train" if r.get("partition") in train else "test" for r in members if r.get("partition") in train | test}
        if len(sides) == 2:
            out.append(_finding("coverage/leak", None, locale))
    return out


# ================================================================================= running

BASELINES: dict[str, Callable[[list[Row], CheckContext, dict[str, Any] | None], list[Finding]]] = {
    "coverage": coverage,
    "formality": formality,
    "formatting": formatting,
    "holidays": holidays,
    "language": language,
    "offensive": offensive,
    "placeholders": placeholders,
}


def rows_of(records: pl.DataFrame) -> list[Row]:
    """The records as Python dicts: where a per-record implementation starts."""
    return list(records.iter_rows(named=True))


def run_baseline(
    name: str, records: pl.DataFrame, ctx: CheckContext, cache: dict[str, Any] | None = None
) -> list[Finding]:
    """The baseline of check ``name`` over ``records`` (rows converted inside, and timed with it).

    ``cache`` keeps what a baseline builds once per locale (its pack matchers, lemma dicts,
    detectors) between calls, so a runner can pay that set-up on a few records first and
    time the per-record loop on its own.
    """
    return BASELINES[name](rows_of(records), ctx, cache)


def counts_by_rule(findings: Iterable[Finding]) -> dict[str, int]:
    return dict(sorted(Counter(f["rule"] for f in findings).items()))


__all__ = ["BASELINES", "LIMITS", "counts_by_rule", "rows_of", "run_baseline"]
