"""Detection and false alarms of the offensive check (the lexicon packs) on real data.

    python bench/eval_offensive.py [--per-term 2] [--seed 7] [--out bench/out/offensive.md]

1. **Planted words.** For every language with a pack (``rules/<lang>/offensive.yaml``), each
   word of the pack (lexicon terms, and the words that pattern rules catch in their examples)
   is put into real strings of that language, at a word boundary (a token boundary in Chinese,
   Japanese, Thai, Khmer and Burmese). The carriers are the language's home-assistant/intents
   responses and test sentences, OVOS weather dialogs and MASSIVE utterances (en-US, pl-PL);
   languages none of these has get CLDR strings from Babel (day, month and field names),
   which are real text too and say so in the table. A plant counts as found when an
   ``offensive/*`` finding overlaps it. Rules limited to other locales (``locales:``) and
   context rules (token patterns) are not planted.
2. **Evasive spellings.** In languages written in Latin, Cyrillic or Greek letters, each
   single-word term of four letters or more is planted again as leetspeak (a vowel as a
   digit), stretched (a vowel three times), spaced out (``s h i t``) and dotted (``s.h.i.t``).
3. **Clean data.** The check on every home-assistant response (``responses/<lang>/*.yaml``,
   62 languages, read by the engine's HA reader) and, as a second and larger clean set, the
   HA test sentences and the OVOS dialogs: findings per 200 strings per language, and every
   finding listed, to be read.
4. **Training data.** The check on MASSIVE en-US and pl-PL utterances: what real users say to
   an assistant, swearing included; every finding listed.

Needs ../shared/corpora (or LOCALE_GUARD_CORPORA); exits with a message without it. Results
are summarised in docs/OFFENSIVE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import polars as pl
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from locale_guard.checks import CheckContext
from locale_guard.checks.offensive import run as run_offensive
from locale_guard.config import Config
from locale_guard.engine import FILE_SCHEMA, RunOptions, read_inputs
from locale_guard.packs import PackSet, pack_roots
from locale_guard.packs.matching import CompiledRules
from locale_guard.readers.base import InputError
from locale_guard.records import records_from_rows
from locale_guard.tags import normalise_tag
from locale_guard.text import Segmenter, segment_texts, segmenter_for_locale

ROOT = Path(__file__).resolve().parents[1]
CORPORA = Path(os.environ.get("LOCALE_GUARD_CORPORA", ROOT.parent / "shared" / "corpora"))
HA = CORPORA / "ha-intents"
OVOS = CORPORA / "ovos-skill-weather" / "locale"
MASSIVE_FILES = {
    "en": CORPORA / "massive" / "agarimojs-massive" / "data" / "en-US.jsonl",
    "pl": CORPORA / "massive" / "derived" / "pl-PL.jsonl",
}
#: the market each pack is measured in: the MASSIVE locale of the language (tl-PH is fil-PH)
MARKETS = {
    "af": "af-ZA", "am": "am-ET", "ar": "ar-SA", "az": "az-AZ", "bn": "bn-BD", "ca": "ca-ES",
    "cy": "cy-GB", "da": "da-DK", "de": "de-DE", "el": "el-GR", "en": "en-US", "es": "es-ES",
    "fa": "fa-IR", "fi": "fi-FI", "fr": "fr-FR", "he": "he-IL", "hi": "hi-IN", "hu": "hu-HU",
    "hy": "hy-AM", "id": "id-ID", "is": "is-IS", "it": "it-IT", "ja": "ja-JP", "jv": "jv-ID",
    "ka": "ka-GE", "km": "km-KH", "kn": "kn-IN", "ko": "ko-KR", "lv": "lv-LV", "ml": "ml-IN",
    "mn": "mn-MN", "ms": "ms-MY", "my": "my-MM", "nb": "nb-NO", "nl": "nl-NL", "pl": "pl-PL",
    "pt": "pt-PT", "ro": "ro-RO", "ru": "ru-RU", "sl": "sl-SI", "sq": "sq-AL", "sv": "sv-SE",
    "sw": "sw-KE", "ta": "ta-IN", "te": "te-IN", "th": "th-TH", "fil": "fil-PH", "tr": "tr-TR",
    "ur": "ur-PK", "vi": "vi-VN", "zh": "zh-CN",
}
#: HA folder names that are not the language code
HA_FOLDERS = {"zh": ["zh-cn", "zh-tw", "zh-hk"], "pt": ["pt", "pt-br"], "fil": []}
SPACED_SCRIPTS = ("Latn", "Cyrl", "Grek")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CARRIERS_PER_LANGUAGE = 400


def require(path: Path, what: str) -> None:
    if not path.exists():
        sys.exit(f"{what} not found at {path}; set LOCALE_GUARD_CORPORA to the corpora folder")


# ------------------------------------------------------------------------------- carriers


def _yaml(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}


def ha_folders(language: str) -> list[str]:
    if language in HA_FOLDERS:
        return [f for f in HA_FOLDERS[language] if (HA / "responses" / f).is_dir()]
    return [language] if (HA / "responses" / language).is_dir() else []


def ha_test_strings(folder: str) -> list[str]:
    """Concrete sentences and rendered responses of ``tests/<lang>/*.yaml``."""
    out: list[str] = []
    for path in sorted((HA / "tests" / folder).glob("*.yaml")):
        for test in _yaml(path).get("tests") or []:
            out.extend(str(s) for s in test.get("sentences") or [] if s)
            if isinstance(test.get("response"), str):
                out.append(test["response"])
    return out


def ha_response_strings(folder: str) -> list[str]:
    out: list[str] = []
    for path in sorted((HA / "responses" / folder).glob("*.yaml")):
        intents = (_yaml(path).get("responses") or {}).get("intents") or {}
        for responses in intents.values():
            out.extend(str(v) for v in (responses or {}).values() if isinstance(v, str))
    return out


def ovos_strings(language: str) -> list[str]:
    out: list[str] = []
    for folder in sorted(OVOS.glob("*")):
        if folder.name.split("-")[0] != language:
            continue
        for path in sorted((folder / "dialog").rglob("*.dialog")):
            out.extend(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return out


def massive_strings(language: str) -> list[str]:
    path = MASSIVE_FILES.get(language)
    if path is None or not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line)["utt"] for line in fh if line.strip()]


def cldr_strings(language: str) -> list[str]:
    """Real strings of the language from CLDR: day, month, relative-time and field names."""
    from babel import Locale, UnknownLocaleError

    try:
        loc = Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return []
    out: list[str] = []
    for width in ("wide", "abbreviated"):
        out.extend(loc.days["format"][width].values())
        out.extend(loc.months["format"][width].values())
    # Babel has no public accessor for CLDR's date field names ("yesterday", "next week")
    for forms in loc._data.get("date_fields", {}).values():
        for value in forms.values() if isinstance(forms, dict) else []:
            if isinstance(value, str):
                out.append(value)
            elif isinstance(value, dict):
                out.extend(v for v in value.values() if isinstance(v, str))
    out.extend(v for v in loc.territories.values() if isinstance(v, str))
    return [s for s in dict.fromkeys(out) if len(s) > 1]


def carriers(language: str) -> tuple[list[str], str]:
    """Real strings of ``language`` and where they come from."""
    found: list[str] = []
    sources: list[str] = []
    for folder in ha_folders(language):
        texts = ha_response_strings(folder) + ha_test_strings(folder)
        if texts:
            found += texts
            sources.append(f"HA {folder}")
    for name, texts in (("OVOS", ovos_strings(language)), ("MASSIVE", massive_strings(language))):
        if texts:
            found += texts
            sources.append(name)
    if not found:
        found = cldr_strings(language)
        sources.append("CLDR (no corpus)")
    return list(dict.fromkeys(found)), ", ".join(sources)


# ------------------------------------------------------------------------------ plantables


def plantable_words(packs: PackSet, language: str) -> list[tuple[str, str]]:
    """(word, rule id) for every word the pack of ``language`` should find in its market."""
    market = MARKETS[language]
    words: dict[str, str] = {}
    for pack in packs.packs_for(language, "offensive"):
        for rule in pack.rules:
            if not rule.applies_to_locale(market):
                continue
            if rule.kind == "lexicon":
                for term in rule.terms:
                    words.setdefault(term.term, rule.id)
            elif rule.kind == "pattern":
                compiled = CompiledRules([rule], segmenter_for_locale(market, CTX))
                texts = list(rule.examples_match)
                hits = compiled.match(texts, compiled.tokens_for(texts)["tokens"])
                for row, start, end in hits.select("_row", "start", "end").iter_rows():
                    word = texts[row][start:end].strip(" ,.!?;:«»\"'()")
                    if word:
                        words.setdefault(word, rule.id)
    return sorted(words.items())


def plant(carrier: str, word: str, seg: Segmenter, rng: random.Random) -> tuple[str, int, int]:
    """``carrier`` with ``word`` inserted at a word (or token) boundary; returns text and span."""
    if seg.continuous:
        toks = segment_texts([carrier], seg)["tokens"][0]
        cuts = sorted({0, len(carrier), *(t["end"] for t in toks)})
        at = rng.choice(cuts)
        return carrier[:at] + word + carrier[at:], at, at + len(word)
    gaps = [i for i, ch in enumerate(carrier) if ch == " "]
    if not gaps:
        return f"{carrier} {word}", len(carrier) + 1, len(carrier) + 1 + len(word)
    at = rng.choice(gaps)
    return carrier[:at] + " " + word + carrier[at:], at + 1, at + 1 + len(word)


_LEET = {"a": "4", "e": "3", "i": "1", "o": "0"}


def evasions(word: str) -> dict[str, str]:
    """Evasive spellings of a single word: leetspeak, stretched, spaced out, dotted."""
    out: dict[str, str] = {}
    for i, ch in enumerate(word):
        if ch.lower() in _LEET:
            out["leet"] = word[:i] + _LEET[ch.lower()] + word[i + 1 :]
            break
    vowels = [i for i, ch in enumerate(word) if ch.lower() in "aeiouyаеиоуыэюяёαεηιουω"]
    if vowels:
        i = vowels[-1]
        out["stretched"] = word[:i] + word[i] * 3 + word[i + 1 :]
    if len(word) <= 8:
        out["spaced"] = " ".join(word)
        out["dotted"] = ".".join(word)
    return out


# ---------------------------------------------------------------------------------- running


#: the context the bench's own segmenting goes through: locale profiles pick the segmenter
#: (Vietnamese uses the Unicode word splitter, as in a real run)
CTX = CheckContext(config=Config(), source_locale=None, files=pl.DataFrame(schema=FILE_SCHEMA))
#: locales the check could not run on, and why (a broken tokenizer, reported as InputError)
FAILED: dict[str, str] = {}


def check(frame: pl.DataFrame) -> pl.DataFrame:
    """The check over ``frame``, one locale at a time so one failing locale spoils nothing else."""
    ctx = CheckContext(config=Config(), source_locale=None, files=pl.DataFrame(schema=FILE_SCHEMA))
    parts = []
    for locale in frame["locale"].unique(maintain_order=True).to_list():
        subset = frame.filter(pl.col("locale").is_null() if locale is None else pl.col("locale") == locale)
        try:
            parts.append(run_offensive(subset, ctx))
        except InputError as exc:
            FAILED[str(locale)] = exc.message
    return pl.concat(parts, how="vertical") if parts else run_offensive(frame.head(0), ctx)


def found_plants(plants: list[dict]) -> list[bool]:
    records = records_from_rows(
        [{"text": p["text"], "key": f"p{i}", "line": i + 1, "locale": p["locale"]} for i, p in enumerate(plants)],
        path="planted",
        kind="response",
    )
    findings = check(records)
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for rid, span in findings.select("record_id", "span").iter_rows():
        spans[rid].append((span["start"], span["end"]))
    ids = records["record_id"].to_list()
    return [
        any(s < p["end"] and p["start"] < e for s, e in spans.get(rid, []))
        for rid, p in zip(ids, plants, strict=True)
    ]


def planted_eval(languages: list[str], per_term: int, seed: int) -> tuple[list[dict], list[str]]:
    packs = PackSet.load(pack_roots(Config()))
    rows: list[dict] = []
    misses: list[str] = []
    for language in languages:
        rng = random.Random(f"{seed}-{language}")
        texts, source = carriers(language)
        try:
            seg = segmenter_for_locale(MARKETS[language], CTX)
        except Exception as exc:  # a broken tokenizer: say so in the table instead of stopping
            FAILED[language] = f"{type(exc).__name__}: {exc}"
            rows.append({"language": language, "source": source, "words": 0, "carriers": len(texts)})
            continue
        words = plantable_words(packs, language)
        if not texts or not words:
            rows.append({"language": language, "source": source, "words": len(words), "carriers": len(texts)})
            continue
        pool = rng.sample(texts, min(CARRIERS_PER_LANGUAGE, len(texts)))
        market = MARKETS[language]
        plants: list[dict] = []
        for word, rule in words:
            for _ in range(per_term):
                text, start, end = plant(rng.choice(pool), word, seg, rng)
                plants.append({"text": text, "start": start, "end": end, "word": word, "rule": rule,
                               "variant": "as written", "locale": market})
            script_ok = not seg.continuous and " " not in word and len(word) >= 4 and word.isalpha()
            if script_ok and _script(word) in SPACED_SCRIPTS:
                for variant, spelled in evasions(word).items():
                    text, start, end = plant(rng.choice(pool), spelled, seg, rng)
                    plants.append({"text": text, "start": start, "end": end, "word": word, "rule": rule,
                                   "variant": variant, "locale": market})
        hits = found_plants(plants)
        by_variant: dict[str, list[bool]] = defaultdict(list)
        for p, hit in zip(plants, hits, strict=True):
            by_variant[p["variant"]].append(hit)
            if not hit:
                misses.append(f"{language} [{p['variant']}] {p['word']!r} in {p['text']!r}")
        row = {"language": language, "source": source, "words": len(words), "carriers": len(texts)}
        for variant, got in by_variant.items():
            row[variant] = (sum(got), len(got))
        rows.append(row)
    return rows, misses


def _script(word: str) -> str:
    from locale_guard.text import script_of

    return script_of(word) or ""


def clean_eval(paths: list[Path]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The check on clean catalogs read by the engine: per-locale counts and every finding."""
    records, _files, errors, _ = read_inputs(RunOptions(paths=paths), Config())
    if errors:
        sys.exit("; ".join(e.describe() for e in errors[:3]))
    records = records.filter(pl.col("text").is_not_null() & (pl.col("text").str.strip_chars() != ""))
    findings = check(records)
    counts = records.group_by("locale").len("strings").join(
        findings.group_by("locale").len("findings"), on="locale", how="left"
    ).with_columns(pl.col("findings").fill_null(0)).with_columns(
        (pl.col("findings") / pl.col("strings") * 200).round(2).alias("per_200")
    ).sort("locale")
    return counts, findings


def clean_extra(languages: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The check on HA test sentences (utterances) and OVOS dialogs of every packed language."""
    rows = []
    for language in languages:
        locale = MARKETS[language]
        for folder in ha_folders(language):
            for i, text in enumerate(dict.fromkeys(ha_test_strings(folder))):
                rows.append({"text": text, "locale": normalise_tag(folder).tag if language != "fil" else locale,
                             "kind": "utterance", "key": f"ha-tests/{folder}/{i}", "path": f"ha-tests/{folder}"})
        for i, text in enumerate(dict.fromkeys(ovos_strings(language))):
            rows.append({"text": text, "locale": locale, "kind": "response", "key": f"ovos/{language}/{i}",
                         "path": f"ovos/{language}"})
    records = records_from_rows(rows)
    findings = check(records)
    counts = records.group_by("locale").len("strings").join(
        findings.group_by("locale").len("findings"), on="locale", how="left"
    ).with_columns(pl.col("findings").fill_null(0)).with_columns(
        (pl.col("findings") / pl.col("strings") * 200).round(2).alias("per_200")
    ).sort("locale")
    return counts, findings


def massive_eval() -> tuple[pl.DataFrame, pl.DataFrame]:
    """The check on MASSIVE utterances (en-US, pl-PL), as training data (kind utterance)."""
    rows = []
    for language, locale in (("en", "en-US"), ("pl", "pl-PL")):
        for i, text in enumerate(massive_strings(language)):
            rows.append({"text": text, "locale": locale, "kind": "utterance", "key": f"massive/{locale}/{i}",
                         "path": f"massive/{locale}"})
    records = records_from_rows(rows)
    findings = check(records)
    counts = records.group_by("locale").len("strings").join(
        findings.group_by("locale").len("findings"), on="locale", how="left"
    ).with_columns(pl.col("findings").fill_null(0)).sort("locale")
    return counts, findings


# ---------------------------------------------------------------------------------- report


def _pct(cell: tuple[int, int] | None) -> str:
    if not cell:
        return "–"
    got, total = cell
    return f"{100 * got / total:.0f}% ({got}/{total})"


def report(planted: list[dict], misses: list[str], counts: pl.DataFrame, findings: pl.DataFrame,
           extra_counts: pl.DataFrame, extra_findings: pl.DataFrame, packed: set[str]) -> str:
    out = ["## Planted words found, per language", "",
           "| language | carriers | words | as written | leet | stretched | spaced | dotted |",
           "|---|---|---|---|---|---|---|---|"]
    for r in planted:
        out.append(
            f"| {r['language']} | {r['carriers']} ({r['source']}) | {r['words']} | {_pct(r.get('as written'))} | "
            f"{_pct(r.get('leet'))} | {_pct(r.get('stretched'))} | {_pct(r.get('spaced'))} | {_pct(r.get('dotted'))} |"
        )
    out += ["", f"Misses: {len(misses)}", ""]
    out += [f"- {m}" for m in misses[:200]]
    if FAILED:
        out += ["", "Locales the check could not run on:", ""]
        out += [f"- {loc}: {why}" for loc, why in sorted(FAILED.items())]
    out += ["", "## Clean home-assistant responses: findings per 200 strings", "",
            "| locale | pack | strings | findings | per 200 |", "|---|---|---|---|---|"]
    for locale, strings, found, per in counts.select("locale", "strings", "findings", "per_200").iter_rows():
        lang = locale.split("-")[0]
        out.append(f"| {locale} | {'yes' if lang in packed else 'no'} | {strings} | {found} | {per} |")
    total = int(counts["strings"].sum())
    flagged = int(counts["findings"].sum())
    out += ["", f"All: {flagged} finding(s) in {total} strings = {200 * flagged / max(total, 1):.2f} per 200.", ""]
    out += ["Every finding:", ""]
    out += [f"- {loc} `{key}`: {rule} {msg}" for loc, key, rule, msg in
            findings.select("locale", "key", "rule", "message").iter_rows()] or ["- none"]
    out += ["", "## Second clean set: HA test sentences and rendered responses, OVOS dialogs", "",
            "| locale | strings | findings | per 200 |", "|---|---|---|---|"]
    for locale, strings, found, per in extra_counts.select("locale", "strings", "findings", "per_200").iter_rows():
        out.append(f"| {locale} | {strings} | {found} | {per} |")
    total = int(extra_counts["strings"].sum())
    flagged = int(extra_counts["findings"].sum())
    out += ["", f"All: {flagged} finding(s) in {total} strings = {200 * flagged / max(total, 1):.2f} per 200.", ""]
    out += [f"- {loc} `{key}`: {rule} {msg} — {text!r}" for loc, key, rule, msg, text in
            extra_findings.select("locale", "key", "rule", "message", "text").iter_rows()] or ["- none"]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-term", type=int, default=2, help="carriers each word is planted into")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--languages", nargs="*", help="only these pack languages")
    parser.add_argument("--out", type=Path, help="also write the report (Markdown) here")
    args = parser.parse_args()
    require(HA / "responses", "home-assistant intents")
    packed = sorted(p.parent.name for p in (ROOT / "rules").glob("*/offensive.yaml"))
    languages = [lang for lang in (args.languages or packed) if lang in MARKETS]
    started = time.perf_counter()
    planted, misses = planted_eval(languages, args.per_term, args.seed)
    counts, findings = clean_eval([HA / "responses"])
    extra_counts, extra_findings = clean_extra(languages)
    text = report(planted, misses, counts, findings, extra_counts, extra_findings, set(packed))
    if not args.languages or {"en", "pl"} & set(languages):
        m_counts, m_findings = massive_eval()
        text += "\n## MASSIVE utterances (training data)\n\n| locale | strings | findings |\n|---|---|---|\n"
        text += "".join(f"| {loc} | {n} | {f} |\n" for loc, n, f in m_counts.iter_rows())
        text += "\n" + "".join(
            f"- {loc} {rule} ({sev}): {text!r}\n"
            for loc, rule, sev, text in m_findings.select("locale", "rule", "severity", "text").iter_rows()
        )
    text += f"\n({time.perf_counter() - started:.0f} s)\n"
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
