"""The classifier check: a trained transformer's view of offensiveness and register.

Runs only when a model is configured, so a plain ``locale-guard check`` never imports torch::

    [checks.classifier]
    model = "models/guard"        # a folder written by `locale-guard model train`
    device = "auto"               # auto | cpu | cuda
    batch-tokens = 8192           # padded tokens per batch (default: 8192 CPU, 32768 CUDA)
    register-confidence = 0.6     # report a register only this sure (default: the model's, 0.5)

or ``LOCALE_GUARD_MODEL=models/guard`` (and ``LOCALE_GUARD_DEVICE``) in the environment.

``offensive/classifier``
    The offensive head's probability is at or above the threshold chosen for the string's
    locale when the model was trained (its language's, else the global one). The finding's
    ``score`` is that probability.
``formality/classifier``
    A response reads as formal where the locale's policy is informal, or the reverse (policy
    from the locale profile or ``[locales."TAG"] register``; locales whose policy is ``any``
    are not judged). Only responses: what users say in training data is not the brand's voice.
    The ``score`` is the probability of the register the model read.

Identical strings are scored once. Both rules' findings have ``source = "model"``.
"""

from __future__ import annotations

import os
from typing import Any

import polars as pl

from locale_guard.checks import Check, CheckContext, Rule
from locale_guard.config import ConfigError
from locale_guard.findings import empty_findings, findings_from_records

RULES = (
    Rule(
        "offensive/classifier",
        "warning",
        "The classifier scores the string as offensive",
        "Scored by the configured model ([checks.classifier] model); the threshold is the one chosen "
        "for the locale on validation data when the model was trained. Review the string, and label it "
        "in the review console so the next model learns from the decision.",
    ),
    Rule(
        "formality/classifier",
        "warning",
        "The classifier reads the response in the register the locale's policy does not use",
        "A formal response (Sie, vous, usted) where the locale speaks informally, or the reverse. The "
        "policy comes from the locale profile or [locales.\"TAG\"] register; locales with register "
        "'any' are not judged.",
    ),
)

_COLUMNS = ("record_id", "locale", "kind", "path", "line", "key", "text")
_PREDICTORS: dict[tuple[str, str, int | None], Any] = {}


def _setting(ctx: CheckContext, name: str, env: str | None = None) -> Any:
    value = ctx.option("classifier", name)
    if value in (None, "") and env:
        value = os.environ.get(env) or None
    return value


def _predictor(source: str, device: str, batch_tokens: int | None) -> Any:
    """A loaded predictor, kept for the process so repeated runs (watch mode, the console) reuse it."""
    key = (source, device, batch_tokens)
    if key not in _PREDICTORS:
        from locale_guard.model.inference import Predictor
        from locale_guard.model.network import load_model

        _PREDICTORS.clear()  # one model in memory at a time
        _PREDICTORS[key] = Predictor(load_model(source), device=device, batch_tokens=batch_tokens)
    return _PREDICTORS[key]


def _policies(ctx: CheckContext, locales: list[str]) -> dict[str, str]:
    """Each locale's register policy; locales without a profile are treated as ``any``."""
    from locale_guard.profiles import UnknownLocaleError
    from locale_guard.readers.base import InputError

    out = {}
    for locale in locales:
        try:
            out[locale] = ctx.profile(locale).register
        except (UnknownLocaleError, InputError, ValueError):
            # unknown tags, and broken curated profiles (the engine reports those itself)
            out[locale] = "any"
    return out


def _options(ctx: CheckContext) -> tuple[str | None, str, int | None, float | None]:
    from locale_guard.model import DEVICE_ENV, DEVICES, MODEL_ENV

    source = _setting(ctx, "model", MODEL_ENV)
    device = str(_setting(ctx, "device", DEVICE_ENV) or "auto")
    if device.split(":", 1)[0] not in DEVICES:
        raise ConfigError(f"[checks.classifier] device must be one of {', '.join(DEVICES)}, not {device!r}")
    batch_tokens = ctx.option("classifier", "batch-tokens")
    if batch_tokens is not None and (not isinstance(batch_tokens, int) or batch_tokens < 16):
        raise ConfigError("[checks.classifier] batch-tokens must be a whole number of at least 16")
    confidence = ctx.option("classifier", "register-confidence")
    if confidence is not None and (not isinstance(confidence, int | float) or not 0 <= confidence <= 1):
        raise ConfigError("[checks.classifier] register-confidence must be a number from 0 to 1")
    return (str(source) if source else None), device, batch_tokens, confidence


def run(records: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    source, device, batch_tokens, confidence = _options(ctx)
    if not source or records.height == 0:
        return empty_findings()
    texts = records.select(_COLUMNS).filter(pl.col("text").is_not_null() & (pl.col("text").str.strip_chars() != ""))
    if texts.height == 0:
        return empty_findings()
    from locale_guard.model import ModelError

    try:
        predictor = _predictor(source, device, batch_tokens)
        scored = predictor.predict(texts)
        ctx.cache["model.register"] = scored.select(
            "record_id", pl.col("register").alias("label"), pl.col("register_score").alias("score")
        )
    except ModelError as exc:
        raise ConfigError(f"[checks.classifier] model: {exc}") from None
    except ModuleNotFoundError as exc:
        raise ConfigError(
            f"[checks.classifier] a model is configured but {exc.name} is not installed: pip install 'locale-guard[model]'"
        ) from None
    stats = predictor.stats
    ctx.artifacts["classifier"] = {
        "model": predictor.loaded.path,
        "device": predictor.device.type,
        "texts": stats.texts,
        "seconds": stats.seconds,
    }
    min_conf = float(confidence if confidence is not None else predictor.meta.register_min_confidence)
    policy = _policies(ctx, scored["locale"].drop_nulls().unique().to_list())
    parts = []
    offensive = scored.filter(pl.col("offensive"))
    if offensive.height:
        parts.append(
            findings_from_records(
                offensive,
                rule="offensive/classifier",
                severity="warning",
                message=pl.format(
                    "offensive-content classifier: probability {} ≥ threshold {} for {}",
                    pl.col("offensive_score").round(3),
                    pl.col("offensive_threshold").round(3),
                    pl.col("locale"),
                ),
                score=pl.col("offensive_score"),
                evidence=pl.concat_list(pl.format("offensive={}", pl.col("offensive_score").round(3))),
                source="model",
            )
        )
    with_policy = scored.with_columns(
        pl.col("locale").replace_strict(policy, default="any", return_dtype=pl.String).alias("_policy")
    )
    wrong = with_policy.filter(
        (pl.col("kind").is_null() | (pl.col("kind") == "response"))
        & pl.col("_policy").is_in(["formal", "informal"])
        & pl.col("register").is_in(["formal", "informal"])
        & (pl.col("register") != pl.col("_policy"))
        & (pl.col("register_score") >= min_conf)
    )
    if wrong.height:
        parts.append(
            findings_from_records(
                wrong,
                rule="formality/classifier",
                severity="warning",
                message=pl.format(
                    "register classifier: reads as {} (probability {}) but {} speaks {}",
                    pl.col("register"),
                    pl.col("register_score").round(3),
                    pl.col("locale"),
                    pl.col("_policy"),
                ),
                score=pl.col("register_score"),
                # register=… first: `review export` reads the label of an accepted finding from it
                evidence=pl.concat_list(
                    pl.format("register={}", pl.col("register")),
                    pl.format("formal={}", pl.col("p_formal").round(3)),
                    pl.format("informal={}", pl.col("p_informal").round(3)),
                    pl.format("none={}", pl.col("p_none").round(3)),
                ),
                source="model",
            )
        )
    return pl.concat(parts, how="vertical") if parts else empty_findings()


CHECK = Check(
    name="classifier",
    rules=RULES,
    run=run,
    description="transformer classifier for offensive content and register (needs a model)",
    requires=("model",),
)
