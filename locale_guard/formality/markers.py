r"""Register markers of every record: pack matches, placed in their sentences, vetoes applied.

The pipeline, all locales at once:

1. mask placeholders, markup and quoted speech (:mod:`locale_guard.formality.masking`);
2. run the locale's formality pack rules (:func:`locale_guard.packs.match_records`);
3. trim each match to the word(s) it found: a ``pattern`` rule matches the boundary
   characters around a word too (``(?:^|[^\pL])Sie(?:[^\pL]|$)``);
4. drop matches whose rule asks for a sentence position they are not in
   (:mod:`locale_guard.formality.positions`, only for records that have such matches);
5. resolve overlaps: where two markers overlap, the longer wins, and a veto wins a tie
   against the categories it vetoes (``Sie schließt`` beats ``Sie``);
6. drop the formal markers of records with ``plural`` evidence (a group is addressed).

The result has one row per surviving formal or informal marker, and :func:`classify` turns it
into one register per record: ``formal``, ``informal``, ``mixed`` or ``none``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from locale_guard.formality.masking import masked_texts
from locale_guard.formality.positions import place
from locale_guard.formality.settings import CHECK, VETOES, LocaleSettings, locale_settings
from locale_guard.packs import match_records
from locale_guard.text.tokens import tokenize

if TYPE_CHECKING:
    from locale_guard.checks import CheckContext

MARKERS_SCHEMA: dict[str, pl.DataType] = {
    "record_id": pl.String(),
    "rule": pl.String(),
    "category": pl.String(),
    "start": pl.Int32(),
    "end": pl.Int32(),
    "match": pl.String(),
    "suggestion": pl.String(),
}

MARKER_DTYPE = pl.Struct(
    {"match": pl.String, "rule": pl.String, "start": pl.Int32, "end": pl.Int32, "suggestion": pl.String}
)

REGISTERS_SCHEMA: dict[str, pl.DataType] = {
    "record_id": pl.String(),
    "register": pl.String(),
    "formal": pl.List(MARKER_DTYPE),
    "informal": pl.List(MARKER_DTYPE),
}


def prepare(records: pl.DataFrame) -> pl.DataFrame:
    """``record_id``, ``locale``, ``kind`` and the masked ``text`` the markers are read from."""
    frame = records.select("record_id", "locale", "kind", pl.col("text").fill_null(""))
    return frame.with_columns(masked_texts(frame["text"]).alias("text"))


def _settings_table(locales: list[str | None], ctx: CheckContext | None) -> tuple[pl.DataFrame, dict[str | None, LocaleSettings]]:
    settings = {loc: locale_settings(loc, ctx) for loc in locales}
    rows = [
        (loc, rule_id, s.position, s.question, s.whole_sentence, s.append_suggestion, list(s.vetoes) or None)
        for loc, found in settings.items()
        for rule_id, s in found.rules.items()
    ]
    table = pl.DataFrame(
        rows,
        schema={
            "locale": pl.String,
            "rule": pl.String,
            "position": pl.String,
            "question": pl.Boolean,
            "whole": pl.Boolean,
            "append": pl.String,
            "targets": pl.List(pl.String),
        },
        orient="row",
    )
    return table, settings


_APOSTROPHES = "'’"


def _trim(matches: pl.DataFrame, texts: dict[str, str]) -> pl.DataFrame:
    """Shrink spans that start or end on non-word characters to the word characters inside.

    Only matches whose text starts or ends on such a character are touched (pattern rules
    with boundary groups); an apostrophe at the end is kept (French ``t'``).
    """
    first = pl.col("match").str.slice(0, 1)
    last = pl.col("match").str.slice(-1, 1)
    ragged = matches.filter(first.str.contains(r"^[^\p{L}\p{N}]") | last.str.contains(r"^[^\p{L}\p{N}'’]"))
    if ragged.height == 0:
        return matches
    starts: list[int] = []
    ends: list[int] = []
    for record_id, start, end in ragged.select("record_id", "start", "end").iter_rows():
        text = texts[record_id]
        while start < end and not text[start].isalnum():
            start += 1
        while end > start and not (text[end - 1].isalnum() or text[end - 1] in _APOSTROPHES):
            end -= 1
        starts.append(start)
        ends.append(end)
    trimmed = ragged.with_columns(
        pl.Series("start", starts, dtype=pl.Int32),
        pl.Series("end", ends, dtype=pl.Int32),
    ).filter(pl.col("end") > pl.col("start"))
    trimmed = trimmed.with_columns(
        pl.Series("match", [texts[r][s:e] for r, s, e in trimmed.select("record_id", "start", "end").iter_rows()], dtype=pl.String)
    )
    rest = matches.join(ragged.select("record_id", "rule", "start", "end"), on=["record_id", "rule", "start", "end"], how="anti")
    return pl.concat([rest, trimmed.select(rest.columns)], how="vertical")


def _word_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The whitespace-delimited word containing ``[start, end)``, without edge punctuation."""
    left = start
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace():
        right += 1
    while right > end and not text[right - 1].isalnum():
        right -= 1
    while left < start and not text[left].isalnum():
        left += 1
    return left, right


def _place(
    constrained: pl.DataFrame, prepared: pl.DataFrame, ctx: CheckContext | None, settings: dict[str | None, LocaleSettings]
) -> pl.DataFrame:
    """Keep the constrained matches that stand where their rule wants them."""
    subset = prepared.join(constrained.select("record_id").unique(), on="record_id", how="semi")
    tokens = tokenize(subset, ctx)
    ok = place(
        constrained,
        subset,
        tokens,
        openers={loc: s.openers for loc, s in settings.items()},
        closers={loc: s.closers for loc, s in settings.items()},
        boundaries={loc: s.boundaries for loc, s in settings.items()},
    )
    return constrained.filter(ok)


def _vetoes(veto: pl.Expr, target: pl.Expr) -> pl.Expr:
    """True where a marker of category ``veto`` vetoes one of category ``target``."""
    out = pl.lit(False)
    for category, targets in VETOES.items():
        out = out | ((veto == category) & target.is_in(list(targets)))
    return out


def _resolve_overlaps(markers: pl.DataFrame) -> pl.DataFrame:
    """Where markers of different categories overlap, the longer one wins; a veto wins ties
    against the categories it vetoes (only against its ``targets`` rules where it names some)."""
    m = markers.with_row_index("_m").with_columns((pl.col("end") - pl.col("start")).alias("_len"))
    other = m.select(
        "record_id",
        pl.col("_m").alias("_m_o"),
        pl.col("start").alias("_s_o"),
        pl.col("end").alias("_e_o"),
        pl.col("_len").alias("_len_o"),
        pl.col("category").alias("_cat_o"),
        pl.col("targets").alias("_targets_o"),
    )
    pairs = m.join(other, on="record_id", how="inner").filter(
        (pl.col("_m") != pl.col("_m_o"))
        & (pl.col("start") < pl.col("_e_o"))
        & (pl.col("_s_o") < pl.col("end"))
        & (pl.col("_cat_o") != pl.col("category"))
    )
    own_veto = pl.col("category").is_in(list(VETOES))
    other_veto = pl.col("_cat_o").is_in(list(VETOES))
    # a veto only ever removes what it vetoes; between two markers, length decides
    targeted = pl.col("_targets_o").is_null() | pl.col("_targets_o").list.contains(pl.col("rule"))
    beaten = pairs.filter(
        (other_veto & _vetoes(pl.col("_cat_o"), pl.col("category")) & targeted & (pl.col("_len_o") >= pl.col("_len")))
        | (~other_veto & ~own_veto & (pl.col("_len_o") > pl.col("_len")))
    ).select("_m").unique()
    return m.join(beaten, on="_m", how="anti").drop("_m", "_len")


def find_markers(records: pl.DataFrame, ctx: CheckContext | None, *, prepared: pl.DataFrame | None = None) -> pl.DataFrame:
    """Every formal and informal marker in ``records`` (:data:`MARKERS_SCHEMA`), sorted."""
    if records.height == 0:
        return pl.DataFrame(schema=MARKERS_SCHEMA)
    prepared = prepared if prepared is not None else prepare(records)
    matches = match_records(prepared, ctx, CHECK)
    if matches.height == 0:
        return pl.DataFrame(schema=MARKERS_SCHEMA)
    locales = prepared.select("record_id", "locale").unique("record_id", keep="first")
    matches = matches.join(locales, on="record_id", how="left")
    texts = dict(prepared.select("record_id", "text").unique("record_id").iter_rows())
    matches = _trim(matches, texts)
    table, settings = _settings_table(matches["locale"].unique().to_list(), ctx)
    matches = matches.join(table, on=["locale", "rule"], how="left").with_columns(
        pl.col("position").fill_null("any"), pl.col("question").fill_null(False), pl.col("whole").fill_null(True)
    )
    needs_place = (pl.col("position") != "any") | pl.col("question") | ~pl.col("whole")
    constrained = matches.filter(needs_place)
    if constrained.height:
        matches = pl.concat([matches.filter(~needs_place), _place(constrained, prepared, ctx, settings)], how="vertical")
    extra = {"targets": pl.List(pl.String), "append": pl.String}
    markers = matches.select(*MARKERS_SCHEMA, *extra).cast({**MARKERS_SCHEMA, **extra})  # type: ignore[arg-type]
    markers = _resolve_overlaps(markers).drop("targets")
    plural = markers.filter(pl.col("category") == "plural").select("record_id").unique()
    markers = markers.filter(
        pl.col("category").is_in(["formal", "informal"])
        & ~((pl.col("category") == "formal") & pl.col("record_id").is_in(plural["record_id"].implode()))
    )
    markers = _widen_appended(markers, texts)
    return markers.select(list(MARKERS_SCHEMA)).sort(["record_id", "start", "end"])


def _widen_appended(markers: pl.DataFrame, texts: dict[str, str]) -> pl.DataFrame:
    """Markers of ``append-suggestion`` rules become their whole word, with the suggestion
    ``word + append`` (Korean ``했어`` → ``했어요``). Done after overlaps are resolved, on the
    morpheme spans that decided."""
    appended = markers.filter(pl.col("append").is_not_null())
    if appended.height == 0:
        return markers
    bounds = [
        _word_around(texts[record_id], start, end)
        for record_id, start, end in appended.select("record_id", "start", "end").iter_rows()
    ]
    words = [texts[r][a:b] for r, (a, b) in zip(appended["record_id"].to_list(), bounds, strict=True)]
    appended = appended.with_columns(
        pl.Series("start", [a for a, _ in bounds], dtype=pl.Int32),
        pl.Series("end", [b for _, b in bounds], dtype=pl.Int32),
        pl.Series("match", words, dtype=pl.String),
        pl.Series("suggestion", [w + x for w, x in zip(words, appended["append"].to_list(), strict=True)], dtype=pl.String),
    )
    return pl.concat([markers.filter(pl.col("append").is_null()), appended.select(markers.columns)], how="vertical")


def classify(records: pl.DataFrame, ctx: CheckContext | None, *, markers: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per record (:data:`REGISTERS_SCHEMA`): its register and the markers that decided."""
    if records.height == 0:
        return pl.DataFrame(schema=REGISTERS_SCHEMA)
    markers = markers if markers is not None else find_markers(records, ctx)
    item = pl.struct("match", "rule", "start", "end", "suggestion")
    grouped = markers.group_by("record_id").agg(
        item.filter(pl.col("category") == "formal").alias("formal"),
        item.filter(pl.col("category") == "informal").alias("informal"),
    )
    empty = pl.lit([], dtype=pl.List(MARKER_DTYPE))
    out = (
        records.select("record_id")
        .join(grouped, on="record_id", how="left", maintain_order="left")
        .with_columns(pl.col("formal").fill_null(empty), pl.col("informal").fill_null(empty))
    )
    has_f = pl.col("formal").list.len() > 0
    has_i = pl.col("informal").list.len() > 0
    register = (
        pl.when(has_f & has_i)
        .then(pl.lit("mixed"))
        .when(has_f)
        .then(pl.lit("formal"))
        .when(has_i)
        .then(pl.lit("informal"))
        .otherwise(pl.lit("none"))
    )
    return out.select("record_id", register.alias("register"), "formal", "informal").cast(REGISTERS_SCHEMA)  # type: ignore[arg-type]
