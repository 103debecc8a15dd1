"""The formality check: does each string address the user in the register its market expects?

Register markers come from ``rules/<lang>/formality.yaml`` (see :mod:`locale_guard.formality`
and docs/FORMALITY.md): pronouns, possessives, verb and imperative forms, Japanese です/ます and
plain sentence endings, Korean speech-level endings, each with the register it signals. Each
response gets one verdict (``formal``, ``informal``, ``mixed`` or ``none``) and at most one
finding, the most specific that applies:

``formality/mixed-register``
    One string uses both registers ("Können Sie mir sagen, wie dein Hund heißt?"), or the
    variants of one key do (a response whose random variants switch between du and Sie). Always
    reported, whatever the policy: no policy makes a mix right.
``formality/register-mismatch``
    The string addresses the user in the register the locale's policy rules out: ``formal``
    or ``informal`` from the locale profile (locales/*.yaml), overridden per locale in the
    configuration (``[locales."de-DE"] register = "informal"``). Locales whose policy is
    ``any`` are not judged by this rule.
``formality/catalog-inconsistent``
    Where the policy is ``any``, a catalog (one project's files of one locale) whose strings
    split between registers: the minority is reported, with both counts, so a team without a
    written policy still learns that it has two voices.

Findings name the deciding words (``evidence``: the word and the pack rule that found it) and
point at the first of them (``span``). ``suggestion`` holds only substitutions that are right
whatever the sentence (``deine`` → ``Ihre``, Korean ``했어`` → ``했어요``); changing ``du`` to
``Sie`` also changes the verb, so none is offered there. Only responses are judged: what users
say in training utterances is not the product's voice.

When the classifier check ran first and left its register predictions in ``ctx.cache``
(``model.register``: ``record_id``, ``label``, ``score``), messages say whether the model agrees;
strings the rules find no marker in are left to the classifier's own ``formality/classifier``.
"""

from __future__ import annotations

import polars as pl

from locale_guard.checks import Check, CheckContext, Rule
from locale_guard.discovery import catalog_root
from locale_guard.findings import SPAN_DTYPE, empty_findings, findings_from_records, relpath
from locale_guard.formality import classify, find_markers, prepare

RULES = (
    Rule(
        "formality/register-mismatch",
        "warning",
        "The string addresses the user in the register the locale's policy does not use",
        "The policy comes from the locale profile (locales/<tag>.yaml) or the configuration "
        '([locales."de-DE"] register = "formal"|"informal"|"any"). The evidence lists the words '
        "that decided and the rule that found each; the suggestion is given only where a word "
        "can be swapped without touching the rest of the sentence.",
    ),
    Rule(
        "formality/mixed-register",
        "warning",
        "One string, or the variants of one key, use both the formal and the informal register",
        "Reported whatever the locale's policy: addressing the user with Sie in one clause and du "
        "in the next is wrong in every market. Variants of one key (random responses, .dialog lines) "
        "should also share one register.",
    ),
    Rule(
        "formality/catalog-inconsistent",
        "info",
        "The catalog's strings are split between registers; this string is in the minority",
        "Only where the locale's policy is 'any' (with a policy, register-mismatch says which "
        "strings are wrong). Set [locales.\"TAG\"] register in the configuration once the team has "
        "decided.",
    ),
)

#: register words used in messages
_WORDS = {"formal": "formally", "informal": "informally"}
_OTHER = {"formal": "informal", "informal": "formal"}

MODEL_CACHE_KEY = "model.register"

REGISTER_TABLE_SCHEMA: dict[str, pl.DataType] = {
    "record_id": pl.String(),
    "register": pl.String(),
    "formal": pl.List(pl.String()),
    "informal": pl.List(pl.String()),
}

_RECORD_COLUMNS = ("record_id", "locale", "kind", "text", "key", "path", "line", "variant")


def _policy_source(ctx: CheckContext, locale: str) -> str:
    """Where a locale's policy comes from, for messages: configuration, profile, or derived."""
    from locale_guard.profiles import UnknownLocaleError

    try:
        source = ctx.profile(locale).field_source("register")
    except (UnknownLocaleError, ValueError):
        return "derived"
    return {"config": "configuration", "curated": "locale profile"}.get(source, "derived")


def _policies(ctx: CheckContext, locales: list[str]) -> dict[str, str]:
    """Each locale's register policy; unknown tags have none (``any``)."""
    from locale_guard.profiles import UnknownLocaleError

    out: dict[str, str] = {}
    for locale in locales:
        try:
            out[locale] = ctx.profile(locale).register
        except (UnknownLocaleError, ValueError):
            out[locale] = "any"
    return out


def _evidence(markers: pl.Expr) -> pl.Expr:
    """``["du (formality/informal-pronoun)", ...]``: each deciding word and the rule that found it."""
    return markers.list.eval(
        pl.concat_str(
            [pl.element().struct.field("match"), pl.lit(" ("), pl.element().struct.field("rule"), pl.lit(")")]
        )
    ).list.unique(maintain_order=True)


def _words(markers: pl.Expr) -> pl.Expr:
    """The deciding words, quoted and de-duplicated: ``'du', 'deine'``."""
    return (
        markers.list.eval(pl.format("'{}'", pl.element().struct.field("match")))
        .list.unique(maintain_order=True)
        .list.join(", ")
    )


def _span(markers: pl.Expr) -> pl.Expr:
    first = markers.list.first()
    return pl.struct(first.struct.field("start"), first.struct.field("end")).cast(SPAN_DTYPE)


def _suggestion(markers: pl.Expr) -> pl.Expr:
    """``deine → Ihre; dein → Ihr`` for the markers that have a safe substitution, else null."""
    joined = (
        markers.list.eval(
            pl.concat_str([pl.element().struct.field("match"), pl.lit(" → "), pl.element().struct.field("suggestion")])
        )
        .list.drop_nulls()
        .list.unique(maintain_order=True)
        .list.join("; ")
    )
    return pl.when(joined == "").then(pl.lit(None, dtype=pl.String)).otherwise(joined)


def _model_note(ctx: CheckContext) -> pl.DataFrame | None:
    """The classifier's register predictions, when the classifier check ran first."""
    found = ctx.cache.get(MODEL_CACHE_KEY)
    if not isinstance(found, pl.DataFrame) or not {"record_id", "label", "score"} <= set(found.columns):
        return None
    return found.select(
        "record_id", pl.col("label").cast(pl.String).alias("_model"), pl.col("score").cast(pl.Float64).alias("_model_p")
    ).unique("record_id", keep="first")


def _with_model(frame: pl.DataFrame, ctx: CheckContext, register: pl.Expr) -> tuple[pl.DataFrame, pl.Expr]:
    """The frame with the model's prediction joined, and the message suffix that reports it."""
    model = _model_note(ctx)
    if model is None:
        return frame, pl.lit("")
    frame = frame.join(model, on="record_id", how="left")
    suffix = (
        pl.when(pl.col("_model").is_null())
        .then(pl.lit(""))
        .when(pl.col("_model") == register)
        .then(pl.format("; the register classifier agrees ({}, p={})", pl.col("_model"), pl.col("_model_p").round(2)))
        .otherwise(pl.format("; the register classifier reads it as {} (p={})", pl.col("_model"), pl.col("_model_p").round(2)))
    )
    return frame, suffix


def _mixed_in_string(judged: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    rows = judged.filter(pl.col("register") == "mixed")
    if rows.height == 0:
        return empty_findings()
    # point at the words the policy rules out; without a policy, at whichever register comes second
    first_formal = pl.col("formal").list.first().struct.field("start")
    first_informal = pl.col("informal").list.first().struct.field("start")
    odd = (
        pl.when(pl.col("_policy").is_in(["formal", "informal"]))
        .then(pl.col("_policy").replace_strict(_OTHER, default=None))
        .when(first_formal > first_informal)
        .then(pl.lit("formal"))
        .otherwise(pl.lit("informal"))
    )
    rows = rows.with_columns(odd.alias("_odd"))
    odd_markers = pl.when(pl.col("_odd") == "formal").then(pl.col("formal")).otherwise(pl.col("informal"))
    rows, model = _with_model(rows, ctx, pl.lit("mixed"))
    return findings_from_records(
        rows,
        rule="formality/mixed-register",
        severity="warning",
        message=pl.concat_str(
            [
                pl.format(
                    "mixes formal ({}) and informal ({}) address in one string",
                    _words(pl.col("formal")),
                    _words(pl.col("informal")),
                ),
                pl.when(pl.col("_policy").is_in(["formal", "informal"]))
                .then(pl.format("; {} speaks {}", pl.col("locale"), pl.col("_policy")))
                .otherwise(pl.lit("")),
                model,
            ]
        ),
        span=_span(odd_markers),
        evidence=pl.concat_list(_evidence(pl.col("formal")), _evidence(pl.col("informal"))),
        suggestion=pl.when(pl.col("_policy").is_in(["formal", "informal"])).then(_suggestion(odd_markers)),
    )


def _mixed_variants(single: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    """Variants of one key that use different registers; flags the odd ones out."""
    keyed = single.filter(pl.col("key").is_not_null() & pl.col("register").is_in(["formal", "informal"]))
    if keyed.height == 0:
        return keyed
    group = ["path", "locale", "key"]
    keyed = keyed.with_columns(
        (pl.col("register") == "formal").sum().over(group).alias("_nf"),
        (pl.col("register") == "informal").sum().over(group).alias("_ni"),
        pl.col("register").sort_by(pl.col("variant").fill_null(0)).first().over(group).alias("_first"),
    ).filter((pl.col("_nf") > 0) & (pl.col("_ni") > 0))
    if keyed.height == 0:
        return keyed
    majority = (
        pl.when(pl.col("_policy").is_in(["formal", "informal"]))
        .then(pl.col("_policy"))
        .when(pl.col("_nf") > pl.col("_ni"))
        .then(pl.lit("formal"))
        .when(pl.col("_ni") > pl.col("_nf"))
        .then(pl.lit("informal"))
        .otherwise(pl.col("_first"))
    )
    return keyed.filter(pl.col("register") != majority)


def _variant_findings(rows: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    if rows.height == 0:
        return empty_findings()
    markers = pl.when(pl.col("register") == "formal").then(pl.col("formal")).otherwise(pl.col("informal"))
    others = pl.when(pl.col("register") == "formal").then(pl.col("_ni")).otherwise(pl.col("_nf"))
    rows, model = _with_model(rows, ctx, pl.col("register"))
    return findings_from_records(
        rows,
        rule="formality/mixed-register",
        severity="warning",
        message=pl.concat_str(
            [
                pl.format(
                    "the variants of key '{}' use both registers: this one addresses the user {} ({}), {} other variant(s) {}",
                    pl.col("key"),
                    pl.col("register").replace_strict(_WORDS, default=None),
                    _words(markers),
                    others,
                    pl.col("register").replace_strict(_OTHER, default=None).replace_strict(_WORDS, default=None),
                ),
                model,
            ]
        ),
        span=_span(markers),
        evidence=_evidence(markers),
        suggestion=_suggestion(markers),
    )


def _mismatch(rows: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    wrong = rows.filter(
        pl.col("_policy").is_in(["formal", "informal"])
        & pl.col("register").is_in(["formal", "informal"])
        & (pl.col("register") != pl.col("_policy"))
    )
    if wrong.height == 0:
        return empty_findings()
    markers = pl.when(pl.col("register") == "formal").then(pl.col("formal")).otherwise(pl.col("informal"))
    wrong, model = _with_model(wrong, ctx, pl.col("register"))
    return findings_from_records(
        wrong,
        rule="formality/register-mismatch",
        severity="warning",
        message=pl.concat_str(
            [
                pl.format(
                    "addresses the user {} ({}) but {} speaks {} ({})",
                    pl.col("register").replace_strict(_WORDS, default=None),
                    _words(markers),
                    pl.col("locale"),
                    pl.col("_policy"),
                    pl.col("_policy_from"),
                ),
                model,
            ]
        ),
        span=_span(markers),
        evidence=_evidence(markers),
        suggestion=_suggestion(markers),
    )


def _inconsistent(rows: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    """Minority-register strings of catalogs whose locale has no policy."""
    open_policy = rows.filter((pl.col("_policy") == "any") & pl.col("register").is_in(["formal", "informal"]))
    if open_policy.height == 0:
        return empty_findings()
    group = ["_catalog", "locale"]
    counted = open_policy.with_columns(
        (pl.col("register") == "formal").sum().over(group).alias("_nf"),
        (pl.col("register") == "informal").sum().over(group).alias("_ni"),
    ).filter((pl.col("_nf") > 0) & (pl.col("_ni") > 0))
    minority = counted.filter(
        ((pl.col("register") == "formal") & (pl.col("_nf") <= pl.col("_ni")))
        | ((pl.col("register") == "informal") & (pl.col("_ni") <= pl.col("_nf")))
    )
    if minority.height == 0:
        return empty_findings()
    markers = pl.when(pl.col("register") == "formal").then(pl.col("formal")).otherwise(pl.col("informal"))
    minority, model = _with_model(minority, ctx, pl.col("register"))
    return findings_from_records(
        minority,
        rule="formality/catalog-inconsistent",
        severity="info",
        message=pl.concat_str(
            [
                pl.format(
                    "catalog '{}' mixes registers: {} formal and {} informal string(s); this one addresses the user {} ({})",
                    pl.col("_catalog").str.replace_all("{locale}", pl.col("locale"), literal=True),
                    pl.col("_nf"),
                    pl.col("_ni"),
                    pl.col("register").replace_strict(_WORDS, default=None),
                    _words(markers),
                ),
                pl.when(pl.col("_nf") == pl.col("_ni"))
                .then(pl.lit(" (an even split: decide on one)"))
                .otherwise(pl.lit("")),
                model,
            ]
        ),
        span=_span(markers),
        evidence=_evidence(markers),
    )


#: languages whose speech levels are read from a segmenter's part of speech, and that segmenter
_POS_SEGMENTERS = {"ja": "sudachi", "ko": "kiwi"}


def _segmenter_notices(ctx: CheckContext, locales: list[str]) -> None:
    """Say once when Japanese or Korean is cut without its segmenter (no speech levels then)."""
    from locale_guard.text.tokens import segmenter_for_locale

    notices: list[str] = ctx.artifacts.setdefault("notices", [])
    for locale in sorted(locales):
        wanted = _POS_SEGMENTERS.get(locale.split("-", 1)[0])
        if wanted is None or segmenter_for_locale(locale, ctx).name == wanted:
            continue
        notice = (
            f"formality: {locale} is cut without {wanted} (not installed), so its speech levels are "
            "not judged; pip install 'locale-guard[segmenters]'"
        )
        if notice not in notices:
            notices.append(notice)


def judged_records(records: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    """The responses of ``records`` with their register, markers and locale policy."""
    if records.height == 0:
        return pl.DataFrame()
    columns = [c for c in _RECORD_COLUMNS if c in records.columns]
    frame = records.select(columns).filter(
        (pl.col("kind").is_null() | (pl.col("kind") != "utterance"))
        & pl.col("text").is_not_null()
        & (pl.col("text").str.strip_chars() != "")
        & pl.col("locale").is_not_null()
    )
    for name in ("key", "path", "variant"):
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.Int32 if name == "variant" else pl.String).alias(name))
    if frame.height == 0:
        return frame
    _segmenter_notices(ctx, frame["locale"].unique().to_list())
    prepared = prepare(frame)
    markers = find_markers(frame, ctx, prepared=prepared)
    verdicts = classify(frame, ctx, markers=markers)
    locales = frame["locale"].unique().to_list()
    policy = _policies(ctx, locales)
    policy_from = {locale: _policy_source(ctx, locale) for locale in locales}
    out = frame.join(verdicts, on="record_id", how="left").with_columns(
        pl.col("locale").replace_strict(policy, default="any", return_dtype=pl.String).alias("_policy"),
        pl.col("locale").replace_strict(policy_from, default="derived", return_dtype=pl.String).alias("_policy_from"),
    )
    if "catalog" in records.columns:
        # one project's files of one locale are one catalog (responses/{locale}/*.yaml)
        catalogs = records.select("record_id", "catalog").unique("record_id", keep="first")
        roots = {c: relpath(catalog_root(c)) for c in catalogs["catalog"].drop_nulls().unique().to_list()}
        catalogs = catalogs.select(
            "record_id", pl.col("catalog").replace_strict(roots, default=None, return_dtype=pl.String).alias("_catalog")
        )
        out = out.join(catalogs, on="record_id", how="left")
    else:
        out = out.with_columns(pl.lit(None, dtype=pl.String).alias("_catalog"))
    # without a catalog name, a file is the catalog; without a file, all records are one
    return out.with_columns(pl.coalesce("_catalog", "path", pl.lit("(records)")).alias("_catalog"))


def run(records: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    judged = judged_records(records, ctx)
    if judged.height == 0:
        return empty_findings()
    parts = [_mixed_in_string(judged, ctx)]
    single = judged.filter(pl.col("register") != "mixed")
    odd_variants = _mixed_variants(single, ctx)
    parts.append(_variant_findings(odd_variants, ctx))
    rest = single.join(odd_variants.select("record_id"), on="record_id", how="anti") if odd_variants.height else single
    parts.append(_mismatch(rest, ctx))
    parts.append(_inconsistent(rest, ctx))
    parts = [p for p in parts if p.height]
    return pl.concat(parts, how="vertical") if parts else empty_findings()


def register_table(records: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    """``record_id``, ``register`` and the deciding words, for tools that want verdicts, not findings."""
    judged = judged_records(records, ctx)
    if judged.height == 0:
        return pl.DataFrame(schema=REGISTER_TABLE_SCHEMA)

    def words(column: str) -> pl.Expr:
        return pl.col(column).list.eval(pl.element().struct.field("match")).alias(column)

    return judged.select("record_id", "register", words("formal"), words("informal"))


CHECK = Check(
    name="formality",
    rules=RULES,
    run=run,
    description="register (formal/informal address) against the locale's policy, within strings, keys and catalogs",
)
