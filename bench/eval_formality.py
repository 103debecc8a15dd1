"""Precision, recall and F1 of the formality check per language, under both policies.

The labelled set is ``tests/data/formality/<lang>.tsv`` (columns ``locale``, ``split``,
``label``, ``text``; labels ``formal``, ``informal``, ``mixed``, ``none``). Each sentence is a
response of its own key, so only the string-level rules can fire. The check runs twice, once
with every locale's policy set to ``formal`` and once to ``informal`` (``[locales."TAG"]
register`` in the configuration, exactly as a user sets it), and a sentence counts as flagged
when it gets ``formality/register-mismatch`` or ``formality/mixed-register``:

* policy formal: the sentences that should be flagged are those labelled informal or mixed;
* policy informal: those labelled formal or mixed.

Rules were written against the ``dev`` split; report the ``test`` split (the default)::

    python bench/eval_formality.py                 # test split, every language
    python bench/eval_formality.py --split dev --errors
    python bench/eval_formality.py --lang de,fr --markdown
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from locale_guard.checks import CheckContext  # noqa: E402
from locale_guard.checks.formality import register_table, run  # noqa: E402
from locale_guard.config import Config  # noqa: E402
from locale_guard.engine import FILE_SCHEMA  # noqa: E402
from locale_guard.records import records_from_rows  # noqa: E402

DATA = ROOT / "tests" / "data" / "formality"
LABELS = ("formal", "informal", "mixed", "none")
#: under each policy, the labels that must be flagged
SHOULD_FLAG = {"formal": ("informal", "mixed"), "informal": ("formal", "mixed")}
FLAG_RULES = ("formality/register-mismatch", "formality/mixed-register")


def load(languages: list[str] | None, split: str) -> pl.DataFrame:
    """Every labelled sentence of the chosen languages and split, with a ``lang`` column."""
    frames = []
    for path in sorted(DATA.glob("*.tsv")):
        lang = path.stem
        if languages and lang not in languages:
            continue
        frame = pl.read_csv(path, separator="\t", quote_char=None, schema_overrides={"text": pl.String})
        bad = frame.filter(~pl.col("label").is_in(LABELS) | ~pl.col("split").is_in(["dev", "test"]))
        if bad.height:
            raise SystemExit(f"{path}: bad label or split in row {bad.row(0)}")
        frames.append(frame.with_columns(pl.lit(lang).alias("lang")).with_row_index("n"))
    if not frames:
        raise SystemExit(f"no labelled data for {languages} in {DATA}")
    data = pl.concat(frames, how="vertical")
    if split != "all":
        data = data.filter(pl.col("split") == split)
    return data.with_columns(pl.format("{}:{}", pl.col("lang"), pl.col("n")).alias("record_id"))


def records(data: pl.DataFrame) -> pl.DataFrame:
    rows = [
        {"record_id": rid, "locale": loc, "text": text, "kind": "response", "key": rid, "path": f"{lang}.tsv"}
        for rid, loc, text, lang in data.select("record_id", "locale", "text", "lang").iter_rows()
    ]
    return records_from_rows(rows)


def flagged(recs: pl.DataFrame, policy: str, cache: dict) -> set[str]:
    locales = recs["locale"].unique().to_list()
    config = Config(locales={loc: {"register": policy} for loc in locales})
    ctx = CheckContext(config=config, source_locale=None, files=pl.DataFrame(schema=FILE_SCHEMA), cache=cache)
    found = run(recs, ctx)
    return set(found.filter(pl.col("rule").is_in(FLAG_RULES))["record_id"].to_list())


def prf(gold: set[str], pred: set[str]) -> tuple[float, float, float]:
    tp = len(gold & pred)
    p = tp / len(pred) if pred else (1.0 if not gold else 0.0)
    r = tp / len(gold) if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["dev", "test", "all"], default="test")
    parser.add_argument("--lang", help="comma-separated languages (file stems), default all")
    parser.add_argument("--errors", action="store_true", help="print every sentence whose verdict is wrong")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args(argv)
    data = load(args.lang.split(",") if args.lang else None, args.split)
    recs = records(data)
    cache: dict = {}
    started = time.perf_counter()
    flags = {policy: flagged(recs, policy, cache) for policy in SHOULD_FLAG}
    ctx = CheckContext(config=Config(), source_locale=None, files=pl.DataFrame(schema=FILE_SCHEMA), cache=cache)
    verdicts = register_table(recs, ctx)
    seconds = time.perf_counter() - started
    joined = data.join(verdicts, on="record_id", how="left")

    rows = []
    totals: dict[str, list[set[str]]] = {p: [set(), set()] for p in SHOULD_FLAG}
    for lang in sorted(joined["lang"].unique().to_list()):
        part = joined.filter(pl.col("lang") == lang)
        ids = set(part["record_id"].to_list())
        row = {"lang": lang, "n": part.height, "accuracy": (part["label"] == part["register"]).mean()}
        for policy, labels in SHOULD_FLAG.items():
            gold = set(part.filter(pl.col("label").is_in(labels))["record_id"].to_list())
            pred = flags[policy] & ids
            totals[policy][0] |= gold
            totals[policy][1] |= pred
            row[policy] = prf(gold, pred)
        rows.append(row)
    overall = {"lang": "all", "n": joined.height, "accuracy": (joined["label"] == joined["register"]).mean()}
    for policy in SHOULD_FLAG:
        overall[policy] = prf(*totals[policy])
    rows.append(overall)

    if args.markdown:
        print("| language | n | formal policy P / R / F1 | informal policy P / R / F1 | 4-way accuracy |")
        print("|---|---:|---|---|---:|")
        for row in rows:
            cells = [" / ".join(f"{v:.2f}" for v in row[p]) for p in SHOULD_FLAG]
            name = f"**{row['lang']}**" if row["lang"] == "all" else row["lang"]
            print(f"| {name} | {row['n']} | {cells[0]} | {cells[1]} | {row['accuracy']:.2f} |")
    else:
        print(f"split: {args.split}   ({joined.height} sentences, {seconds:.1f}s)")
        print(f"{'lang':<6}{'n':>4}   {'formal policy P/R/F1':<22}{'informal policy P/R/F1':<24}{'acc':>5}")
        for row in rows:
            cells = ["/".join(f"{v:.2f}" for v in row[p]) for p in SHOULD_FLAG]
            print(f"{row['lang']:<6}{row['n']:>4}   {cells[0]:<22}{cells[1]:<24}{row['accuracy']:>5.2f}")
    if args.errors:
        wrong = joined.filter(pl.col("label") != pl.col("register"))
        for lang, label, register, text, formal, informal in wrong.select(
            "lang", "label", "register", "text", "formal", "informal"
        ).iter_rows():
            print(f"  {lang}: gold {label:<8} got {register:<8} {text}   formal={formal} informal={informal}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
