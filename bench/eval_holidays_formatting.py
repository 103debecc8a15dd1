"""Run the holidays and formatting checks over real corpora and print every finding for review.

Usage (from the repository root, with ../shared/corpora present)::

    python bench/eval_holidays_formatting.py                      # HA responses + OVOS dialogs
    python bench/eval_holidays_formatting.py --coverage           # + MASSIVE en-US/pl-PL coverage
    python bench/eval_holidays_formatting.py --year 2026 --corpora ../shared/corpora

Besides the response templates it reads the expected responses of Home Assistant's intent
tests, which are the same templates rendered with values (``--no-rendered`` leaves them out).
It prints, per check and rule, every finding (locale, file, the flagged text, the message and
the suggestion) so a reviewer can judge each one, then the number of response strings read and
the findings per 200 strings. With ``--coverage`` it prints the holiday coverage table of the
MASSIVE en-US and pl-PL utterances and the holidays they never mention.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

import polars as pl

from locale_guard.checks import CheckContext
from locale_guard.checks import formatting as formatting_check
from locale_guard.checks import holidays as holidays_check
from locale_guard.config import parse_config
from locale_guard.engine import RunOptions, read_inputs


def _context(year: int) -> CheckContext:
    config = parse_config({"checks": {"holidays": {"year": year}, "formatting": {"year": year}}})
    return CheckContext(config=config, source_locale=None, files=pl.DataFrame())


def _read(paths: list[Path]) -> pl.DataFrame:
    records, _, errors, _ = read_inputs(RunOptions(paths=paths), parse_config({}))
    for problem in errors:
        print(f"input error: {problem.describe()}", file=sys.stderr)
    return records


def _show(findings: pl.DataFrame, root: Path) -> None:
    for row in findings.sort(["rule", "locale", "path"]).iter_rows(named=True):
        span = row["span"]
        flagged = row["text"][span["start"] : span["end"]] if span and row["text"] else ""
        path = Path(row["path"] or "")
        with contextlib.suppress(ValueError):
            path = path.resolve().relative_to(root.resolve())
        text = (row["text"] or "").replace("\n", " ")
        print(f"  [{row['rule']}] {row['locale']} {path}#{row['key']}")
        print(f"      text:       {text[:160]}")
        print(f"      flagged:    {flagged!r}")
        print(f"      message:    {row['message']}")
        if row["suggestion"]:
            print(f"      suggestion: {row['suggestion']!r}")


def rendered_ha_responses(corpora: Path) -> pl.DataFrame:
    """The expected responses of Home Assistant's intent tests (``tests/<lang>/*.yaml``): the
    response templates rendered with real values ("22 °C", "15:30"), so numbers, times and units
    that the templates leave to placeholders are there to be judged."""
    import yaml

    from locale_guard.records import records_from_rows
    from locale_guard.tags import LocaleTagError, normalise_tag

    rows = []
    for path in sorted((corpora / "ha-intents" / "tests").glob("*/*.yaml")):
        if path.name.startswith("_"):
            continue
        try:
            locale = normalise_tag(path.parent.name).tag
        except LocaleTagError:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for i, test in enumerate(data.get("tests") or []):
            text = test.get("response") if isinstance(test, dict) else None
            if isinstance(text, str) and text.strip():
                rows.append({"locale": locale, "kind": "response", "text": text, "key": f"tests[{i}]", "path": str(path)})
    return records_from_rows(rows).unique(["locale", "text"], keep="first")


def responses(corpora: Path, year: int, with_tests: bool) -> None:
    paths = [corpora / "ha-intents" / "responses", corpora / "ovos-skill-weather" / "locale"]
    started = time.perf_counter()
    records = _read(paths)
    responses = records.filter(pl.col("kind") == "response")
    if with_tests:
        rendered = rendered_ha_responses(corpora)
        print(f"+ {rendered.height} distinct rendered responses from ha-intents/tests")
        missing = [pl.lit(None, dtype=responses.schema[c]).alias(c) for c in responses.columns if c not in rendered.columns]
        responses = pl.concat([responses, rendered.with_columns(missing).select(responses.columns)], how="vertical_relaxed")
    print(f"read {responses.height} response strings in {responses['locale'].n_unique()} locales "
          f"({time.perf_counter() - started:.1f} s)")
    ctx = _context(year)
    for check in (formatting_check, holidays_check):
        started = time.perf_counter()
        found = check.run(responses, ctx)
        seconds = time.perf_counter() - started
        print(f"\n== {check.CHECK.name}: {found.height} finding(s) in {seconds:.1f} s, "
              f"{200 * found.height / max(responses.height, 1):.2f} per 200 strings")
        for rule, count in sorted(found.group_by("rule").len().iter_rows()):
            print(f"   {rule}: {count}")
        _show(found, corpora)


def coverage(corpora: Path, year: int) -> None:
    massive = corpora / "massive"
    paths = [massive / "agarimojs-massive" / "data" / "en-US.jsonl", massive / "derived" / "pl-PL.jsonl"]
    paths = [p for p in paths if p.exists()]
    records = _read(paths)
    utterances = records.filter(pl.col("kind") == "utterance")
    print(f"\nread {utterances.height} utterances: {dict(utterances.group_by('locale').len().iter_rows())}")
    ctx = _context(year)
    started = time.perf_counter()
    found = holidays_check.run(utterances, ctx)
    print(f"holidays over utterances: {time.perf_counter() - started:.1f} s")
    table = ctx.artifacts.get("holiday_coverage")
    if table is None:
        print("no coverage table (no locale with a holiday calendar)")
        return
    with pl.Config(tbl_rows=200, fmt_str_lengths=60, tbl_width_chars=200, fmt_table_cell_list_len=4):
        for locale in table["locale"].unique().sort().to_list():
            part = table.filter(pl.col("locale") == locale)
            print(f"\n== holiday coverage {locale} ({year}): {part.filter(pl.col('mentions') > 0).height}/{part.height} mentioned")
            print(part.select("holiday", "category", "date", "mentions", "aliases"))
            never = part.filter(pl.col("mentions") == 0)["holiday"].to_list()
            print(f"never mentioned in {locale}: {', '.join(never) or 'none'}")
    print(f"\nholidays/missing-coverage findings: {found.filter(pl.col('rule') == 'holidays/missing-coverage').height}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpora")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--coverage", action="store_true", help="also run holiday coverage over MASSIVE en-US and pl-PL")
    parser.add_argument("--no-responses", action="store_true", help="skip the response corpora")
    parser.add_argument(
        "--no-rendered", action="store_true", help="leave out the rendered responses of ha-intents/tests"
    )
    args = parser.parse_args(argv)
    if not args.corpora.is_dir():
        print(f"no corpora at {args.corpora}; pass --corpora", file=sys.stderr)
        return 2
    if not args.no_responses:
        responses(args.corpora, args.year, not args.no_rendered)
    if args.coverage:
        coverage(args.corpora, args.year)
    return 0


if __name__ == "__main__":
    sys.exit(main())
