"""Scale: a 100,000-term lexicon must load and match 10,000 records in seconds, and agree
with a brute-force oracle. One regular expression per term would take minutes here."""

from __future__ import annotations

import random
import string
import time
from pathlib import Path

import polars as pl
from _pack_helpers import context, records

from locale_guard.packs import match_records, pack_set
from locale_guard.text import tokenize
from locale_guard.text.segmenters import spacy_blank


def test_100k_term_lexicon_loads_and_matches_10k_records(tmp_path: Path) -> None:
    rng = random.Random(7)
    terms = sorted({"".join(rng.choices(string.ascii_lowercase, k=rng.randint(5, 10))) for _ in range(100_000)})
    folder = tmp_path / "en"
    folder.mkdir()
    body = "".join(f"      - {t}\n" for t in terms)
    (folder / "offensive.yaml").write_text(
        "version: '1'\nlanguage: en\ncheck: offensive\nrules:\n"
        "  - id: big\n    kind: lexicon\n    severity: warning\n    message: 'found {match}'\n"
        f"    terms:\n{body}    examples: {{match: ['a {terms[0]} b']}}\n",
        encoding="utf-8",
    )
    vocab = terms[:2000] + ["the", "weather", "is", "nice", "today", "set", "an", "alarm"] * 400
    texts = [" ".join(rng.choices(vocab, k=10)).capitalize() + "." for _ in range(10_000)]
    recs = records([{"text": t, "locale": "en-US", "kind": "utterance"} for t in texts])
    ctx = context(tmp_path)
    spacy_blank("en")  # importing spaCy (and torch through thinc) is a one-off cost per process

    started = time.perf_counter()
    pack_set(ctx)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    found = match_records(recs, ctx, "offensive")
    matched = time.perf_counter() - started

    # oracle: every token whose normal form or lemma is a term
    term_set = set(terms)
    tokens = tokenize(recs, ctx).explode("tokens").unnest("tokens").drop_nulls("norm")
    expected = tokens.filter(pl.col("norm").is_in(term_set) | pl.col("lemma").is_in(term_set))
    assert found.height == expected.height > 10_000
    assert sorted(zip(found["record_id"], found["start"], strict=True)) == sorted(
        zip(expected["record_id"], expected["start"], strict=True)
    )
    # hang guards only (speed is measured in bench/): a per-term regex scan would take far longer
    assert loaded < 120, f"loading took {loaded:.1f}s"
    assert matched < 120, f"matching took {matched:.1f}s"
