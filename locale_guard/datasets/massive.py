"""The official MASSIVE 1.1 release: read it from the tarball or its folder, validate, convert.

Amazon publishes MASSIVE as ``amazon-massive-dataset-1.1.tar.gz``: one JSON Lines file per
locale (``1.1/data/<locale>.jsonl``), ~16,500 utterances each, 52 locales, about 1M in all. This
module reads that tarball as a stream (no unpacking to disk), or an unpacked folder with the
``<locale>.jsonl`` files directly in it or under ``data/`` or ``1.1/data/``, or one such file;
checks every line (a JSON object with ``utt``, ``intent``, ``scenario`` and a ``partition`` of
train/dev/test, in the locale its file is named after); summarises it against the published
figures (52 locales, 18 scenarios, 60 intents, 55 slot types); and writes it as Parquet or JSON
Lines that ``locale-guard check`` and ``coverage`` read directly.

Problems are :class:`DatasetError`: one line naming the file (and line), never a traceback.
"""

from __future__ import annotations

import json
import re
import tarfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from locale_guard.readers.tabular import json_line_problem

#: the 52 locales of MASSIVE 1.1, as MASSIVE spells them (``sl-SL`` included)
LOCALES = (
    "af-ZA", "am-ET", "ar-SA", "az-AZ", "bn-BD", "ca-ES", "cy-GB", "da-DK", "de-DE",
    "el-GR", "en-US", "es-ES", "fa-IR", "fi-FI", "fr-FR", "he-IL", "hi-IN", "hu-HU",
    "hy-AM", "id-ID", "is-IS", "it-IT", "ja-JP", "jv-ID", "ka-GE", "km-KH", "kn-IN",
    "ko-KR", "lv-LV", "ml-IN", "mn-MN", "ms-MY", "my-MM", "nb-NO", "nl-NL", "pl-PL",
    "pt-PT", "ro-RO", "ru-RU", "sl-SL", "sq-AL", "sv-SE", "sw-KE", "ta-IN", "te-IN",
    "th-TH", "tl-PH", "tr-TR", "ur-PK", "vi-VN", "zh-CN", "zh-TW",
)

#: what the MASSIVE paper and the 1.1 release notes state (FitzGerald et al., 2022)
PUBLISHED = {"locales": 52, "scenarios": 18, "intents": 60, "slot types": 55}

#: the flat columns of a MASSIVE record; 1.1 also has ``slot_method`` and ``judgments``
#: (annotation provenance), which no check reads and which are not carried over
COLUMNS = ("id", "locale", "partition", "scenario", "intent", "utt", "annot_utt", "worker_id")
REQUIRED = ("utt", "intent", "scenario", "partition")
PARTITIONS = ("train", "dev", "test")

TARBALL_NAME = "amazon-massive-dataset-1.1.tar.gz"
#: folders of an unpacked release that may hold the ``<locale>.jsonl`` files
DATA_FOLDERS = (".", "data", "1.1/data")
FORMATS = ("parquet", "jsonl")

_LOCALE_FILE = re.compile(r"^[A-Za-z]{2,3}[-_][A-Za-z0-9]{2,8}\.jsonl$")
#: ``[slot_type : value]``, as in :mod:`locale_guard.readers.massive`
_SLOT_TYPE = r"\[\s*([^\[\]:\s][^\[\]:]*?)\s*:[^\[\]]*\]"


class DatasetError(ValueError):
    """A release that cannot be read or is not MASSIVE; ``str()`` is one line for the user."""


# ------------------------------------------------------------------------------- locating


@dataclass(frozen=True)
class LocaleSource:
    """One ``<locale>.jsonl`` of the release: where it is (for messages) and its bytes or path."""

    locale: str
    where: str
    data: bytes | Path


def _wanted(name: str, locales: set[str] | None) -> str | None:
    """The locale a member or file named ``name`` holds, or None when it is not wanted."""
    base = name.rsplit("/", 1)[-1]
    if not _LOCALE_FILE.match(base):
        return None
    locale = base[: -len(".jsonl")]
    return locale if locales is None or locale in locales else None


def _folder_sources(path: Path, locales: set[str] | None) -> list[LocaleSource]:
    found: dict[str, LocaleSource] = {}
    for sub in DATA_FOLDERS:
        folder = path / sub
        if not folder.is_dir():
            continue
        for file in sorted(folder.glob("*.jsonl")):
            locale = _wanted(file.name, locales)
            if locale and locale not in found and file.is_file():
                found[locale] = LocaleSource(locale, str(file), file)
    if not found:
        looked = ", ".join(str(path / sub) if sub != "." else str(path) for sub in DATA_FOLDERS)
        what = "<locale>.jsonl files" if locales is None else f"<locale>.jsonl files of {', '.join(sorted(locales))}"
        raise DatasetError(f"{path}: no {what} (looked in {looked})")
    return list(found.values())


def _tar_sources(path: Path, locales: set[str] | None) -> Iterator[LocaleSource]:
    """Members of the tarball, read one at a time as the stream passes them."""
    seen = False
    try:
        with tarfile.open(path, "r|*") as tar:
            for member in tar:
                locale = _wanted(member.name, locales) if member.isfile() else None
                if locale is None:
                    continue
                handle = tar.extractfile(member)
                if handle is None:
                    continue
                seen = True
                yield LocaleSource(locale, f"{path}!{member.name}", handle.read())
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        reason = str(exc).strip() or type(exc).__name__
        raise DatasetError(f"{path}: not a readable tar archive ({reason})") from None
    if not seen:
        what = "<locale>.jsonl members" if locales is None else f"members for {', '.join(sorted(locales))}"
        raise DatasetError(f"{path}: the archive has no {what}; is it the MASSIVE release ({TARBALL_NAME})?")


def locale_sources(path: Path | str, locales: Iterable[str] | None = None) -> Iterator[LocaleSource]:
    """The release's locale files, from a tarball, a folder or one ``<locale>.jsonl``."""
    path = Path(path)
    wanted = set(locales) if locales is not None else None
    if not path.exists():
        raise DatasetError(f"{path}: no such file or folder")
    if path.is_dir():
        yield from _folder_sources(path, wanted)
        return
    if path.name.endswith(".jsonl"):
        locale = _wanted(path.name, wanted)
        if locale is None:
            raise DatasetError(f"{path}: expected a file named <locale>.jsonl (such as de-DE.jsonl)")
        yield LocaleSource(locale, str(path), path)
        return
    if not path.is_file():
        raise DatasetError(f"{path}: not a regular file or folder")
    yield from _tar_sources(path, wanted)


# -------------------------------------------------------------------------------- reading


def _line_problem(raw: bytes, number: int) -> str | None:
    """What is wrong with one physical line, or None if it is a good JSON object."""
    if not raw.strip():
        return None
    try:
        text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        return f"not valid UTF-8 at byte {exc.start}"
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"invalid JSON: {exc.msg} (column {exc.colno})"
    return json_line_problem(value, COLUMNS)


def _locate(data: bytes, where: str, fallback: str) -> DatasetError:
    for number, raw in enumerate(data.split(b"\n"), start=1):
        problem = _line_problem(raw, number)
        if problem:
            return DatasetError(f"{where}:{number}: {problem}")
    return DatasetError(f"{where}: cannot read as JSON Lines ({fallback.splitlines()[0] if fallback else 'unreadable'})")


def read_locale(source: LocaleSource) -> pl.DataFrame:
    """One locale file as a frame of :data:`COLUMNS` (all text) plus ``line``, validated."""
    data = source.data.read_bytes() if isinstance(source.data, Path) else source.data
    data = data.removeprefix(b"\xef\xbb\xbf")
    if not data.strip():
        raise DatasetError(f"{source.where}: empty file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _locate(data, source.where, "not valid UTF-8") from None
    frame = (
        pl.DataFrame({"raw": text.split("\n")})
        .with_row_index("line", offset=1)
        .filter(pl.col("raw").str.strip_chars().str.len_bytes() > 0)
    )
    dtype = pl.Struct({name: pl.String for name in COLUMNS})
    try:
        frame = frame.select(
            pl.col("line").cast(pl.Int64), pl.col("raw").str.json_decode(dtype).alias("_obj")
        )
    except pl.exceptions.PolarsError as exc:
        raise _locate(data, source.where, str(exc)) from None
    if frame["_obj"].null_count():
        bad = frame.filter(pl.col("_obj").is_null())["line"][0]
        raise DatasetError(f"{source.where}:{bad}: each line must be a JSON object, this one is null")
    frame = frame.unnest("_obj").select(*COLUMNS, "line")
    _validate(frame, source)
    return frame


def _validate(frame: pl.DataFrame, source: LocaleSource) -> None:
    for name in REQUIRED:
        missing = frame.filter(pl.col(name).is_null())
        if missing.height:
            raise DatasetError(
                f"{source.where}:{missing['line'][0]}: record has no '{name}'"
                + (" (the utterance text)" if name == "utt" else "")
                + f"; {missing.height:,} record(s) lack it"
            )
    odd = frame.filter(~pl.col("partition").is_in(PARTITIONS))
    if odd.height:
        raise DatasetError(
            f"{source.where}:{odd['line'][0]}: partition '{odd['partition'][0]}' is not one of {', '.join(PARTITIONS)}"
        )
    other = frame.filter(pl.col("locale").is_not_null() & (pl.col("locale") != source.locale))
    if other.height:
        raise DatasetError(
            f"{source.where}:{other['line'][0]}: record of locale '{other['locale'][0]}' in the file of {source.locale}"
        )


def read_release(
    path: Path | str, locales: Iterable[str] | None = None, *, keep_line: bool = False
) -> pl.DataFrame:
    """Every record of the release (or of ``locales``), in file order, as :data:`COLUMNS`.

    A locale asked for and not found is an error, so a typo in ``--locales`` is not silently
    an empty result.
    """
    wanted = list(dict.fromkeys(locales)) if locales is not None else None
    parts: list[pl.DataFrame] = []
    for source in locale_sources(path, wanted):
        part = read_locale(source).with_columns(pl.col("locale").fill_null(source.locale))
        parts.append(part if keep_line else part.drop("line"))
    found = {p["locale"][0] for p in parts if p.height}
    missing = [loc for loc in wanted or () if loc not in found]
    if missing:
        raise DatasetError(f"{path}: no records for {', '.join(missing)}")
    return pl.concat(parts, how="vertical")


# -------------------------------------------------------------------------------- summary


@dataclass
class Summary:
    """What a release holds, next to what MASSIVE published."""

    records: int
    #: one row per locale: train, dev, test and total record counts
    per_locale: pl.DataFrame
    scenarios: list[str]
    intents: list[str]
    slot_types: list[str]
    #: records whose ``annot_utt`` has brackets that are not ``[type : value]`` slots
    malformed_annotations: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {
            "locales": self.per_locale.height,
            "scenarios": len(self.scenarios),
            "intents": len(self.intents),
            "slot types": len(self.slot_types),
        }


def summarise(records: pl.DataFrame) -> Summary:
    """Locales, partitions, scenarios, intents and slot types of ``records``, vectorised."""
    counts = (
        records.group_by("locale", "partition")
        .len()
        .pivot(on="partition", index="locale", values="len")
        .fill_null(0)
    )
    for name in PARTITIONS:
        if name not in counts.columns:
            counts = counts.with_columns(pl.lit(0, dtype=pl.UInt32).alias(name))
    per_locale = (
        counts.select("locale", *PARTITIONS)
        .with_columns(pl.sum_horizontal(*PARTITIONS).alias("total"))
        .sort("locale")
    )
    annot = pl.col("annot_utt").fill_null("")
    slot_types = (
        records.select(annot.str.extract_all(_SLOT_TYPE).alias("s"))
        .explode("s")
        .drop_nulls()
        .select(pl.col("s").str.extract(_SLOT_TYPE, 1))
        .unique()
        .to_series()
        .drop_nulls()
        .sort()
        .to_list()
    )
    residue = annot.str.replace_all(_SLOT_TYPE, "")
    malformed = records.select(
        (residue.str.count_matches(r"[\[\]]") != pl.col("utt").str.count_matches(r"[\[\]]")).sum()
    ).item()
    return Summary(
        records=records.height,
        per_locale=per_locale,
        scenarios=records["scenario"].drop_nulls().unique().sort().to_list(),
        intents=records["intent"].drop_nulls().unique().sort().to_list(),
        slot_types=slot_types,
        malformed_annotations=int(malformed or 0),
    )


def summary_lines(summary: Summary, source: str, *, subset: bool = False) -> list[str]:
    """The summary as plain text: published vs. found, then one line per locale."""
    counts = summary.counts
    published = ", ".join(f"{n} {what}" for what, n in PUBLISHED.items())
    found = ", ".join(f"{counts[what]} {what}" for what in PUBLISHED)
    lines = [
        f"MASSIVE release {source}: {summary.records:,} records",
        f"  published: {published}",
        f"  found:     {found}",
    ]
    differ = [what for what, n in PUBLISHED.items() if counts[what] != n and not (subset and what == "locales")]
    if differ:
        lines.append(f"  differs from the published release in: {', '.join(differ)}" + (
            " (expected for a subset of locales)" if subset else ""
        ))
    else:
        lines.append("  matches the published figures" + (" (a subset of locales)" if subset else ""))
    unknown = sorted(set(summary.per_locale["locale"].to_list()) - set(LOCALES))
    if unknown:
        lines.append(f"  locales not in MASSIVE 1.1: {', '.join(unknown)}")
    if summary.malformed_annotations:
        lines.append(
            f"  {summary.malformed_annotations:,} record(s) with brackets in annot_utt that are not [type : value] slots"
        )
    width = max(6, *(len(loc) for loc in summary.per_locale["locale"].to_list()))
    lines.append("")
    lines.append(f"  {'locale':<{width}} {'train':>8} {'dev':>8} {'test':>8} {'total':>9}")
    for locale, train, dev, test, total in summary.per_locale.iter_rows():
        lines.append(f"  {locale:<{width}} {train:>8,} {dev:>8,} {test:>8,} {total:>9,}")
    totals = summary.per_locale.select(*PARTITIONS, "total").sum().row(0)
    lines.append(f"  {'all':<{width}} {totals[0]:>8,} {totals[1]:>8,} {totals[2]:>8,} {totals[3]:>9,}")
    return lines


# -------------------------------------------------------------------------------- writing


def output_kind(out: Path, fmt: str | None) -> tuple[str, bool]:
    """(format, one file?) for ``--out``: a ``.parquet``/``.jsonl`` name is one file, else a folder."""
    name = out.name.lower()
    if name.endswith(".parquet") or name.endswith(".jsonl"):
        single = "parquet" if name.endswith(".parquet") else "jsonl"
        if fmt is not None and fmt != single:
            raise DatasetError(f"--out {out} names a .{single} file but --format is {fmt}")
        return single, True
    if out.exists() and not out.is_dir():
        raise DatasetError(f"--out {out}: exists and is not a folder; name a .parquet or .jsonl file, or a folder")
    return fmt or "parquet", False


def _write_one(frame: pl.DataFrame, target: Path, fmt: str) -> None:
    if fmt == "parquet":
        frame.write_parquet(target, compression="zstd", statistics=True)
    else:
        frame.write_ndjson(target)


def write_release(records: pl.DataFrame, out: Path | str, fmt: str | None = None) -> list[Path]:
    """Write ``records`` to one file or one file per locale (``<out>/<locale>.<ext>``)."""
    out = Path(out)
    fmt, single = output_kind(out, fmt)
    if fmt not in FORMATS:
        raise DatasetError(f"unknown format '{fmt}'; known: {', '.join(FORMATS)}")
    frame = records.select(COLUMNS)
    try:
        if single:
            out.parent.mkdir(parents=True, exist_ok=True)
            _write_one(frame, out, fmt)
            return [out]
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for (locale,), part in frame.group_by("locale", maintain_order=True):
            target = out / f"{locale}.{fmt}"
            _write_one(part, target, fmt)
            written.append(target)
        return written
    except OSError as exc:
        raise DatasetError(f"cannot write {out}: {exc.strerror or exc}") from None


def pools(path: Path | str, locales: Sequence[str]) -> dict[str, pl.DataFrame]:
    """Per-locale frames of the release's records for ``locales`` that it has (for resampling)."""
    wanted = set(locales)
    out: dict[str, pl.DataFrame] = {}
    for source in locale_sources(path, wanted):
        out[source.locale] = read_locale(source).drop("line")
    if not out:
        raise DatasetError(f"{path}: no <locale>.jsonl files of the requested locales")
    return out


__all__ = [
    "COLUMNS",
    "FORMATS",
    "LOCALES",
    "PUBLISHED",
    "DatasetError",
    "LocaleSource",
    "Summary",
    "locale_sources",
    "pools",
    "read_locale",
    "read_release",
    "summarise",
    "summary_lines",
    "write_release",
]

