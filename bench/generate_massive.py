"""Write N MASSIVE-format JSON Lines records in the 52 MASSIVE locales, resampled from real text.

The full MASSIVE 1.1 release (1M records) is a download users fetch from Amazon; benchmarks and
load tests need files of that shape and size without it. This script builds one pool of real
utterances per locale and resamples it (with replacement, vectorised with polars):

* ``en-US``: MASSIVE 1.0 en-US (``massive/agarimojs-massive/data/en-US.jsonl``);
* ``pl-PL``: MASSIVE pl-PL via JointBERT (``massive/derived/pl-PL.jsonl``);
* other locales: home-assistant/intents test sentences of the language
  (``ha-intents/tests/<lang>/<domain>_<Intent>.yaml``), given the nearest MASSIVE intent and
  scenario, a train/dev/test partition drawn with MASSIVE's proportions, and ``annot_utt``
  brackets around the slot values the test names (areas, device names, amounts, colours...);
* locales with no sentences anywhere fall back to the en-US pool, relabelled.

``--massive`` points at an official MASSIVE 1.1 folder (``<locale>.jsonl`` files, directly or
under ``data/`` or ``1.1/data/``) or the ``amazon-massive-dataset-1.1.tar.gz`` tarball, whose
records are then resampled instead. Usage::

    python bench/generate_massive.py --n 1000000 --out bench/out/massive-1m.jsonl
    python bench/generate_massive.py --n 52000 --out bench/out/massive --per-locale

or ``from bench.generate_massive import generate``.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import polars as pl
import yaml

from locale_guard.datasets import massive as massive_release
from locale_guard.datasets.massive import COLUMNS, LOCALES

POOL_COLUMNS = ("partition", "scenario", "intent", "utt", "annot_utt", "worker_id")

#: MASSIVE's split proportions (11,514 / 2,033 / 2,974 records per locale)
PARTITIONS = (("train", 0.695), ("dev", 0.123), ("test", 0.182))

DEFAULT_CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"

#: home-assistant intent → nearest MASSIVE intent (light and vacuum domains refine it below)
HA_INTENTS = {
    "HassTurnOn": "iot_wemo_on",
    "HassTurnOff": "iot_wemo_off",
    "HassLightSet": "iot_hue_lightchange",
    "HassGetState": "qa_factoid",
    "HassGetWeather": "weather_query",
    "HassClimateGetTemperature": "weather_query",
    "HassClimateSetTemperature": "iot_wemo_on",
    "HassSetPosition": "iot_wemo_on",
    "HassStartTimer": "alarm_set",
    "HassIncreaseTimer": "alarm_set",
    "HassDecreaseTimer": "alarm_set",
    "HassPauseTimer": "alarm_set",
    "HassUnpauseTimer": "alarm_set",
    "HassTimerStatus": "alarm_query",
    "HassCancelTimer": "alarm_remove",
    "HassCancelAllTimers": "alarm_remove",
    "HassMediaNext": "play_music",
    "HassMediaPrevious": "play_music",
    "HassMediaPause": "play_music",
    "HassMediaUnpause": "play_music",
    "HassMediaSearchAndPlay": "play_music",
    "HassSetVolume": "audio_volume_other",
    "HassGetCurrentDate": "datetime_query",
    "HassGetCurrentTime": "datetime_query",
    "HassShoppingListAddItem": "lists_createoradd",
    "HassListAddItem": "lists_createoradd",
    "HassShoppingListCompleteItem": "lists_remove",
    "HassListCompleteItem": "lists_remove",
    "HassBroadcast": "social_post",
    "HassVacuumStart": "iot_cleaning",
    "HassVacuumReturnToBase": "iot_cleaning",
}
LIGHT_INTENTS = {"HassTurnOn": "iot_hue_lighton", "HassTurnOff": "iot_hue_lightoff"}

#: home-assistant slot → MASSIVE slot type, for slots whose value is spoken in the sentence
HA_SLOTS = {
    "area": "house_place",
    "floor": "house_place",
    "name": "device_type",
    "brightness": "change_amount",
    "volume_level": "change_amount",
    "position": "change_amount",
    "temperature": "change_amount",
    "color": "color_type",
    "item": "list_name",
    "search_query": "song_name",
    "media_class": "media_type",
    "minutes": "time",
    "hours": "time",
    "seconds": "time",
}

_HA_FILE = re.compile(r"^(?P<domain>[a-z_]+?)_(?P<intent>Hass[A-Za-z]+)\.yaml$")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# ------------------------------------------------------------------------------------- pools


def _read_massive_jsonl(source: Path | bytes) -> pl.DataFrame:
    data = io.BytesIO(source) if isinstance(source, bytes) else source
    frame = pl.read_ndjson(data, schema={c: pl.String for c in ("id", "locale", *POOL_COLUMNS)})
    return frame.select(POOL_COLUMNS).filter(pl.col("utt").is_not_null())


def official_pools(path: Path, locales: Sequence[str]) -> dict[str, pl.DataFrame]:
    """Per-locale pools from a MASSIVE 1.1 folder or tarball (read by ``locale_guard.datasets``)."""
    try:
        found = massive_release.pools(path, locales)
    except massive_release.DatasetError as exc:
        raise SystemExit(f"--massive {exc}") from None
    return {locale: frame.select(POOL_COLUMNS) for locale, frame in found.items()}


def _annotate(sentence: str, slots: dict) -> str:
    """Bracket the slot values that occur in the sentence, MASSIVE style, left to right."""
    spans: list[tuple[int, int, str]] = []
    lowered = sentence.lower()
    for name, value in slots.items():
        slot_type = HA_SLOTS.get(name)
        if slot_type is None or not isinstance(value, str | int | float) or isinstance(value, bool):
            continue
        needle = str(value).lower()
        at = lowered.find(needle) if needle else -1
        if at < 0 or any(at < end and at + len(needle) > start for start, end, _ in spans):
            continue
        spans.append((at, at + len(needle), slot_type))
    out, pos = [], 0
    for start, end, slot_type in sorted(spans):
        out.append(sentence[pos:start])
        out.append(f"[{slot_type} : {sentence[start:end]}]")
        pos = end
    out.append(sentence[pos:])
    return "".join(out)


def _ha_dir(tests: Path, locale: str) -> Path | None:
    for name in (locale.lower(), locale.split("-")[0]):
        if (tests / name).is_dir():
            return tests / name
    return None


def ha_pool(tests: Path, locale: str, rng: np.random.Generator) -> pl.DataFrame | None:
    """Sentences of one language from home-assistant/intents tests, MASSIVE-labelled."""
    folder = _ha_dir(tests, locale)
    if folder is None:
        return None
    rows: dict[str, list] = {c: [] for c in POOL_COLUMNS}
    for path in sorted(folder.glob("*.yaml")):
        m = _HA_FILE.match(path.name)
        if not m:
            continue
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
        for test in data.get("tests") or []:
            intent_info = test.get("intent") or {}
            ha_intent = intent_info.get("name") or m.group("intent")
            intent = HA_INTENTS.get(ha_intent, "general_quirky")
            if m.group("domain") == "light":
                intent = LIGHT_INTENTS.get(ha_intent, intent)
            slots = intent_info.get("slots") or {}
            for sentence in test.get("sentences") or []:
                if not isinstance(sentence, str) or not sentence.strip():
                    continue
                rows["utt"].append(sentence)
                rows["annot_utt"].append(_annotate(sentence, slots if isinstance(slots, dict) else {}))
                rows["intent"].append(intent)
                rows["scenario"].append(intent.split("_", 1)[0])
    if not rows["utt"]:
        return None
    n = len(rows["utt"])
    names, weights = zip(*PARTITIONS, strict=True)
    rows["partition"] = list(rng.choice(names, size=n, p=np.array(weights) / sum(weights)))
    rows["worker_id"] = [str(w) for w in rng.integers(0, 100, size=n)]
    return pl.DataFrame(rows).select(POOL_COLUMNS)


def corpus_pools(corpora: Path, locales: Sequence[str], seed: int) -> dict[str, pl.DataFrame]:
    """Per-locale pools from the corpora folder (see the module docstring)."""
    english_path = corpora / "massive" / "agarimojs-massive" / "data" / "en-US.jsonl"
    if not english_path.is_file():
        raise SystemExit(f"{english_path} not found: pass --corpora or --massive")
    english = _read_massive_jsonl(english_path)
    rng = np.random.default_rng(seed)
    pools: dict[str, pl.DataFrame] = {}
    polish_path = corpora / "massive" / "derived" / "pl-PL.jsonl"
    for locale in locales:
        if locale == "en-US":
            pools[locale] = english
        elif locale == "pl-PL" and polish_path.is_file():
            pools[locale] = _read_massive_jsonl(polish_path).with_columns(
                pl.col("worker_id").fill_null(pl.lit("0"))
            )
        else:
            pool = ha_pool(corpora / "ha-intents" / "tests", locale, rng)
            pools[locale] = english if pool is None else pool
    return pools


# ---------------------------------------------------------------------------------- sampling


def sample_records(pools: dict[str, pl.DataFrame], n: int, locales: Sequence[str], seed: int) -> pl.DataFrame:
    """``n`` records spread evenly over ``locales``; ids count from 0 within each locale."""
    base, extra = divmod(n, len(locales))
    parts = []
    for i, locale in enumerate(locales):
        count = base + (1 if i < extra else 0)
        if count == 0:
            continue
        pool = pools.get(locale)
        if pool is None or pool.height == 0:
            pool = pools["en-US"] if "en-US" in pools else next(iter(pools.values()))
        sampled = pool.sample(n=count, with_replacement=True, seed=seed * 1000 + i)
        parts.append(
            sampled.with_columns(
                pl.int_range(0, count).cast(pl.String).alias("id"), pl.lit(locale).alias("locale")
            )
        )
    return pl.concat(parts).select(COLUMNS) if parts else pl.DataFrame(schema={c: pl.String for c in COLUMNS})


def generate(
    n: int,
    out: Path | str,
    seed: int = 0,
    *,
    locales: Iterable[str] = LOCALES,
    massive: Path | str | None = None,
    corpora: Path | str = DEFAULT_CORPORA,
    per_locale: bool = False,
) -> list[Path]:
    """Write the records; returns the files written (one, or one per locale)."""
    chosen = list(dict.fromkeys(locales))
    if not chosen:
        raise SystemExit("no locales to generate")
    pools = official_pools(Path(massive), chosen) if massive else corpus_pools(Path(corpora), chosen, seed)
    missing = [locale for locale in chosen if locale not in pools]
    if missing:
        print(f"no data for {', '.join(missing)}: their records reuse another locale's text", file=sys.stderr)
    records = sample_records(pools, n, chosen, seed)
    out = Path(out)
    if per_locale:
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for (locale,), part in records.group_by("locale", maintain_order=True):
            target = out / f"{locale}.jsonl"
            part.write_ndjson(target)
            written.append(target)
        return written
    out.parent.mkdir(parents=True, exist_ok=True)
    records.write_ndjson(out)
    return [out]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="number of records (default 1,000,000)")
    parser.add_argument("--out", type=Path, required=True, help="output .jsonl file (or folder with --per-locale)")
    parser.add_argument("--locales", nargs="+", default=list(LOCALES), help="MASSIVE locales (default: all 52)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--massive", type=Path, help="official MASSIVE 1.1 folder or tarball to resample")
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help="folder of the public corpora")
    parser.add_argument("--per-locale", action="store_true", help="write <out>/<locale>.jsonl files")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("--n must be >= 0")
    unknown = sorted(set(args.locales) - set(LOCALES))
    if unknown and not args.massive:
        parser.error(f"not MASSIVE locales: {', '.join(unknown)}")
    started = time.perf_counter()
    written = generate(
        args.n, args.out, args.seed, locales=args.locales, massive=args.massive,
        corpora=args.corpora, per_locale=args.per_locale,
    )
    size = sum(p.stat().st_size for p in written)
    print(
        f"wrote {args.n:,} records in {len(args.locales)} locales to {args.out} "
        f"({size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
