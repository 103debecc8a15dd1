"""Accuracy of the language-identification backends and of the language check, on real data.

    python bench/eval_langid.py [--sample 300] [--out FILE]

1. Backend accuracy: MASSIVE en-US and pl-PL utterances, home-assistant/intents test sentences
   and responses (Jinja stripped the way the check strips it) for all 62 languages; every
   backend chooses among the same candidates (the 62 HA languages it supports), so the figures
   compare discrimination, not candidate lists. ``judged`` rows keep only strings the check
   would judge (>= 20 letters and >= 3 words).
2. The language check on every HA response and sentence (one run, locale = folder language):
   findings per 200 strings per language, at several ``min-confidence`` thresholds, with every
   wrong-language finding listed for review.
3. Recall on planted English: MASSIVE en-US utterances put into each HA language's catalog.
4. The check on MASSIVE en-US and pl-PL (false alarms on clean NLU data).

Needs ../shared/corpora (or LOCALE_GUARD_CORPORA); exits with a message without it. The
corpus loaders here are shared with bench_langid.py. Results: bench/LANGID.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import polars as pl
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from locale_guard import langid
from locale_guard.checks import CheckContext
from locale_guard.checks.language import clean_expr, run
from locale_guard.config import Config
from locale_guard.engine import FILE_SCHEMA
from locale_guard.records import records_from_rows
from locale_guard.tags import normalise_tag

# ------------------------------------------------------------------ corpora (shared with bench_langid)

CORPORA = Path(os.environ.get("LOCALE_GUARD_CORPORA", Path(__file__).resolve().parents[2] / "shared" / "corpora"))
MASSIVE_FILES = {
    "en-US": CORPORA / "massive" / "agarimojs-massive" / "data" / "en-US.jsonl",
    "pl-PL": CORPORA / "massive" / "derived" / "pl-PL.jsonl",
}
HA = CORPORA / "ha-intents"


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}


def require(path: Path, what: str) -> None:
    if not path.exists():
        sys.exit(f"{what} not found at {path}; set LOCALE_GUARD_CORPORA to the corpora folder")


def massive_utterances(locale: str) -> list[str]:
    path = MASSIVE_FILES[locale]
    require(path, f"MASSIVE {locale}")
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line)["utt"] for line in fh if line.strip()]


def ha_locale(folder: str) -> str:
    """``pt-br`` → ``pt-BR``, ``zh-cn`` → ``zh-CN``, ``sr-Latn`` stays."""
    return normalise_tag(folder).tag


def ha_languages() -> list[str]:
    require(HA / "responses", "home-assistant intents")
    return sorted(p.name for p in (HA / "responses").iterdir() if p.is_dir())


def ha_sentences(folder: str) -> list[str]:
    """Concrete test sentences (``tests/<lang>/*.yaml`` → ``tests[].sentences``)."""
    out: list[str] = []
    for path in sorted((HA / "tests" / folder).glob("*.yaml")):
        data = _load(path)
        for test in data.get("tests") or []:
            out.extend(str(s) for s in test.get("sentences") or [] if s is not None)
    return out


def ha_responses(folder: str) -> list[str]:
    """Response templates (``responses/<lang>/*.yaml``), Jinja and all, as a catalog holds them."""
    out: list[str] = []
    for path in sorted((HA / "responses" / folder).glob("*.yaml")):
        data = _load(path)
        intents = (data.get("responses") or {}).get("intents") or {}
        for responses in intents.values():
            out.extend(str(v) for v in (responses or {}).values() if v is not None)
    return out


def ha_records(folders: list[str] | None = None) -> pl.DataFrame:
    """Record frame of every HA response and test sentence, locale from the folder name."""
    rows = []
    for folder in folders or ha_languages():
        locale = ha_locale(folder)
        for kind, texts in (("response", ha_responses(folder)), ("utterance", ha_sentences(folder))):
            for i, text in enumerate(texts):
                rows.append(
                    {"locale": locale, "kind": kind, "text": text, "key": f"{kind}-{i}", "path": f"ha/{folder}"}
                )
    return records_from_rows(rows)


THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.99)
MIN_CHARS, MIN_WORDS = 20, 3


def clean(texts: list[str]) -> list[str]:
    return pl.select(clean_expr(pl.Series(texts, dtype=pl.String))).to_series().to_list() if texts else []


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|")


def judged(text: str) -> bool:
    letters = sum(ch.isalpha() for ch in text)
    return letters >= MIN_CHARS and len(text.split()) >= MIN_WORDS


def backend_variants(names: list[str]) -> list[tuple[str, str, dict]]:
    out = []
    for name in names:
        if name == "lingua":
            out += [(f"lingua-{m}", "lingua", {"accuracy": m}) for m in ("low", "high", "auto")]
        else:
            out.append((name, name, {}))
    return out


def accuracy_section(sample: int, names: list[str], rng: random.Random) -> list[str]:
    folders = ha_languages()
    languages = {langid.canonical_language(ha_locale(f)) for f in folders}
    sets: list[tuple[str, str, list[str]]] = []
    for locale in ("en-US", "pl-PL"):
        utts = massive_utterances(locale)
        sets.append((f"MASSIVE {locale}", langid.canonical_language(locale), rng.sample(utts, min(sample * 5, len(utts)))))
    for folder in folders:
        lang = langid.canonical_language(ha_locale(folder))
        for kind, texts in (("sentences", ha_sentences(folder)), ("responses", ha_responses(folder))):
            texts = [t for t in clean(texts) if any(ch.isalpha() for ch in t)]
            if texts:
                sets.append((f"HA {kind} {folder}", lang, rng.sample(texts, min(sample, len(texts)))))
    lines = ["## Backend accuracy", ""]
    results: dict[str, dict[str, tuple[int, int, int, int]]] = defaultdict(dict)
    speed: dict[str, tuple[int, float]] = {}
    for label, name, options in backend_variants(names):
        backend = langid.get_backend(name, **options)
        supported = backend.supported_languages()
        candidates = {c for lang in languages | {"en", "pl"} for c in langid.supported_as(lang, supported)}
        backend.detect_batch(["warm up the models please"], candidates)
        n_total, seconds = 0, 0.0
        for set_name, truth, texts in sets:
            if not langid.supported_as(truth, supported):
                continue
            started = time.perf_counter()
            found = backend.detect_batch(texts, candidates)
            seconds += time.perf_counter() - started
            n_total += len(texts)
            ok = sum(langid.same_language(truth, d) for d, _ in found)
            long = [(t, d) for t, (d, _) in zip(texts, found, strict=True) if judged(t)]
            ok_long = sum(langid.same_language(truth, d) for _, d in long)
            results[set_name][label] = (ok, len(texts), ok_long, len(long))
        speed[label] = (n_total, seconds)
        print(f"{label}: {n_total} texts in {seconds:.1f}s", file=sys.stderr)
    labels = [v[0] for v in backend_variants(names)]

    def pct(ok: int, n: int) -> str:
        return f"{100 * ok / n:.1f}" if n else "–"

    groups = {
        "MASSIVE en-US": lambda s: s == "MASSIVE en-US",
        "MASSIVE pl-PL": lambda s: s == "MASSIVE pl-PL",
        "HA sentences (62 langs)": lambda s: s.startswith("HA sentences"),
        "HA responses (62 langs)": lambda s: s.startswith("HA responses"),
    }
    lines += [
        f"Accuracy (%) choosing among the {len(languages)} HA languages each backend supports "
        f"(+en, pl); up to {sample} strings per HA language and kind, {sample * 5} per MASSIVE locale; "
        "a language a backend does not support is left out of its figures. `judged` = strings of "
        f">= {MIN_CHARS} letters and >= {MIN_WORDS} words, the only ones the check judges.",
        "",
        "| data | " + " | ".join(labels) + " |",
        "|---|" + "---:|" * len(labels),
    ]
    for group, match in groups.items():
        for part, idx in (("all", (0, 1)), ("judged", (2, 3))):
            row = []
            for label in labels:
                ok = sum(results[s][label][idx[0]] for s in results if match(s) and label in results[s])
                n = sum(results[s][label][idx[1]] for s in results if match(s) and label in results[s])
                row.append(pct(ok, n))
            lines.append(f"| {group}, {part} | " + " | ".join(row) + " |")
    row = [f"{speed[label][0] / speed[label][1]:,.0f}" if speed[label][1] else "–" for label in labels]
    lines += ["| throughput (strings/s, this run, 2 cores) | " + " | ".join(row) + " |", ""]
    lines += ["Per HA language (all strings, sentences and responses together):", ""]
    lines += ["| lang | n | " + " | ".join(labels) + " |", "|---|---:|" + "---:|" * len(labels)]
    for folder in folders:
        keys = [s for s in results if s.endswith(f" {folder}") and s.startswith("HA")]
        n = max((sum(results[k][lab][1] for k in keys if lab in results[k]) for lab in labels), default=0)
        row = []
        for label in labels:
            have = [k for k in keys if label in results[k]]
            ok = sum(results[k][label][0] for k in have)
            tot = sum(results[k][label][1] for k in have)
            row.append(pct(ok, tot))
        lines.append(f"| {folder} | {n} | " + " | ".join(row) + " |")
    return [*lines, ""]


def check_findings(records: pl.DataFrame, options: dict | None = None) -> tuple[pl.DataFrame, CheckContext, float]:
    config = Config(checks={"language": {"min-confidence": 0.0, **(options or {})}})
    ctx = CheckContext(config=config, source_locale="en", files=pl.DataFrame(schema=FILE_SCHEMA))
    started = time.perf_counter()
    found = run(records, ctx)
    return found, ctx, time.perf_counter() - started


def check_section(records: pl.DataFrame) -> tuple[list[str], pl.DataFrame]:
    found, ctx, seconds = check_findings(records)
    wrong = found.filter(pl.col("rule") == "language/wrong-language")
    per_locale = records.group_by("locale").agg(
        pl.len().alias("strings"),
        (pl.col("kind") == "response").sum().alias("responses"),
    )
    lines = [
        "## The check on home-assistant/intents (all responses and test sentences)",
        "",
        f"{records.height:,} strings in {per_locale.height} locales, one run, {seconds:.1f} s "
        "(language models already loaded when part 1 ran; bench_langid.py times cold runs). Notices: "
        + "; ".join(ctx.artifacts.get("notices", ["none"])),
        "",
        "Wrong-language findings per 200 strings, by `min-confidence` (max over languages / all):",
        "",
        "| min-confidence | findings | per 200, all | per 200, worst language | languages over 1 per 200 |",
        "|---:|---:|---:|---:|---|",
    ]
    for threshold in THRESHOLDS:
        kept = wrong.filter(pl.col("score") >= threshold)
        rate = per_locale.join(kept.group_by("locale").len(), on="locale", how="left").with_columns(
            (pl.col("len").fill_null(0) * 200 / pl.col("strings")).alias("rate")
        )
        over = rate.filter(pl.col("rate") > 1).sort("rate", descending=True)
        lines.append(
            f"| {threshold} | {kept.height} | {kept.height * 200 / records.height:.2f} | {rate['rate'].max():.2f} | "
            + (", ".join(f"{loc} {r:.1f}" for loc, r in over.select("locale", "rate").iter_rows()) or "none")
            + " |"
        )
    return lines, found


def per_language_table(records: pl.DataFrame, found: pl.DataFrame, threshold: float) -> list[str]:
    kept = found.filter((pl.col("rule") != "language/wrong-language") | (pl.col("score") >= threshold))
    counts = kept.group_by("locale", "rule").len().pivot(on="rule", index="locale", values="len")
    table = (
        records.group_by("locale")
        .agg(pl.len().alias("strings"))
        .join(counts, on="locale", how="left")
        .fill_null(0)
        .sort("locale")
    )
    rules = ("language/wrong-language", "language/wrong-script", "language/mixed-script")
    for rule in rules:
        if rule not in table.columns:
            table = table.with_columns(pl.lit(0).alias(rule))
    lines = [
        f"Per language at min-confidence {threshold} (rates are findings per 200 strings):",
        "",
        "| locale | strings | wrong-language | per 200 | wrong-script | per 200 | mixed-script |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in table.iter_rows(named=True):
        n = row["strings"]
        wl, ws, ms = (row[r] for r in rules)
        lines.append(f"| {row['locale']} | {n} | {wl} | {wl * 200 / n:.2f} | {ws} | {ws * 200 / n:.2f} | {ms} |")
    return [*lines, ""]


def examples(found: pl.DataFrame, threshold: float, limit: int = 200) -> list[str]:
    wrong = found.filter((pl.col("rule") == "language/wrong-language") & (pl.col("score") >= threshold))
    lines = [f"Every wrong-language finding at min-confidence {threshold} (text shortened):", ""]
    lines += ["| locale | score | detected | text |", "|---|---:|---|---|"]
    for row in wrong.sort("locale", "text").head(limit).iter_rows(named=True):
        text = " ".join(row["text"].split())
        text = (text[:110] + "…") if len(text) > 110 else text
        lines.append(f"| {row['locale']} | {row['score']:.3f} | {row['evidence'][0]} | {cell(text)} |")
    script = found.filter(pl.col("rule") == "language/wrong-script")
    lines += ["", f"Wrong-script examples ({script.height} in all; 3 per locale):", ""]
    lines += ["| locale | words | text |", "|---|---|---|"]
    for row in script.sort("locale").group_by("locale", maintain_order=True).head(3).iter_rows(named=True):
        text = " ".join(row["text"].split())
        text = (text[:90] + "…") if len(text) > 90 else text
        lines.append(f"| {row['locale']} | {', '.join(row['evidence'][:4])} | {cell(text)} |")
    mixed = found.filter(pl.col("rule") == "language/mixed-script")
    lines += ["", f"Mixed-script findings ({mixed.height}):", ""]
    for row in mixed.head(20).iter_rows(named=True):
        lines.append(f"- {row['locale']}: {', '.join(row['evidence'])} in “{' '.join(row['text'].split())[:100]}”")
    return [*lines, ""]


def planted_section(real: pl.DataFrame, rng: random.Random, per_locale: int, threshold_default: float) -> list[str]:
    english = [u for u in massive_utterances("en-US") if judged(u)]
    rows = []
    for locale in sorted(real["locale"].unique().to_list()):
        if langid.canonical_language(locale) == "en":
            continue
        for i, text in enumerate(rng.sample(english, per_locale)):
            rows.append({"locale": locale, "kind": "response", "text": text, "key": f"planted-{i}", "path": "planted"})
    planted = records_from_rows(rows)
    found, ctx, _ = check_findings(pl.concat([real, planted], how="diagonal_relaxed"))
    hits = found.filter((pl.col("rule") == "language/wrong-language") & (pl.col("path") == "planted"))
    lines = [
        "## Recall on planted English",
        "",
        f"{per_locale} MASSIVE en-US utterances of >= {MIN_CHARS} letters and >= {MIN_WORDS} words "
        "planted as responses into every non-English HA catalog, checked together with the real strings.",
        "",
        "Recall counts only locales some backend knows; the others are listed below.",
        "",
        "| min-confidence | recall, judged locales | de | fr | ja | ru | ar | hi | worst locale |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    notices = " ".join(ctx.artifacts.get("notices", []))
    unjudged = [loc for loc in planted["locale"].unique().to_list() if loc in re.split(r"[\s,;]+", notices)]
    totals = planted.filter(~pl.col("locale").is_in(unjudged)).group_by("locale").len()
    for threshold in THRESHOLDS:
        kept = hits.filter(pl.col("score") >= threshold).group_by("locale").len().rename({"len": "hit"})
        table = totals.join(kept, on="locale", how="left").with_columns(pl.col("hit").fill_null(0))
        rate = dict(zip(table["locale"], (table["hit"] / table["len"] * 100).to_list(), strict=True))
        worst = min(rate.items(), key=lambda kv: kv[1])
        cells = [f"{rate.get(loc, float('nan')):.0f}" for loc in ("de", "fr", "ja", "ru", "ar", "hi")]
        lines.append(
            f"| {threshold} | {100 * table['hit'].sum() / table['len'].sum():.1f} | "
            + " | ".join(cells)
            + f" | {worst[0]} {worst[1]:.0f} |"
        )
    missed_at = threshold_default
    missed = planted.join(
        hits.filter(pl.col("score") >= missed_at).select("record_id"), on="record_id", how="anti"
    )
    missed = missed.filter(~pl.col("locale").is_in(unjudged))
    lines += ["", f"Not judged (no backend knows the language): {', '.join(sorted(unjudged)) or 'none'}."]
    lines += ["", f"Planted strings missed at {missed_at}, by locale: "]
    lines.append(
        ", ".join(f"{loc} {n}" for loc, n in missed.group_by("locale").len().sort("len", descending=True).iter_rows())
        or "none"
    )
    return [*lines, ""]


def massive_section(threshold_default: float) -> list[str]:
    rows = [
        {"locale": loc, "kind": "utterance", "text": t, "key": f"m{i}", "path": f"massive/{loc}"}
        for loc in ("en-US", "pl-PL")
        for i, t in enumerate(massive_utterances(loc))
    ]
    records = records_from_rows(rows)
    found, _, seconds = check_findings(records)
    lines = ["## The check on MASSIVE en-US + pl-PL", "", f"{records.height:,} utterances, {seconds:.1f} s.", ""]
    lines += ["| min-confidence | en-US findings | pl-PL findings | per 200 |", "|---:|---:|---:|---:|"]
    wrong = found.filter(pl.col("rule") == "language/wrong-language")
    for threshold in THRESHOLDS:
        kept = wrong.filter(pl.col("score") >= threshold)
        en = kept.filter(pl.col("locale") == "en-US").height
        pl_ = kept.filter(pl.col("locale") == "pl-PL").height
        lines.append(f"| {threshold} | {en} | {pl_} | {kept.height * 200 / records.height:.2f} |")
    kept = wrong.filter(pl.col("score") >= threshold_default)
    lines += ["", f"Findings at {threshold_default}:", ""]
    lines += [f"- {r['locale']} ({r['score']:.3f}, {r['evidence'][0]}): {r['text']}" for r in kept.head(40).iter_rows(named=True)]
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=int, default=300, help="strings per HA language and kind for part 1")
    parser.add_argument("--planted", type=int, default=50, help="English strings planted per locale")
    parser.add_argument("--backends", default=",".join(langid.available_backends()))
    parser.add_argument("--threshold", type=float, default=0.7, help="min-confidence for the detailed tables (lingua's default)")
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--out", type=Path, help="write the report here instead of to standard output")
    args = parser.parse_args()
    rng = random.Random(0)
    require(HA, "home-assistant intents")
    lines = ["# Language identification: evaluation", "", "Generated by `python bench/eval_langid.py`.", ""]
    if not args.skip_accuracy:
        lines += accuracy_section(args.sample, [b.strip() for b in args.backends.split(",") if b.strip()], rng)
    real = ha_records()
    part, found = check_section(real)
    lines += part + per_language_table(real, found, args.threshold) + examples(found, args.threshold)
    lines += planted_section(real, rng, args.planted, args.threshold)
    lines += massive_section(args.threshold)
    report = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(report, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        print(report)


if __name__ == "__main__":
    main()
