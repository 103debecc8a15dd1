"""How long the coverage analysis takes on a million MASSIVE records, and how much memory.

Generates N MASSIVE-format records once with ``generate_massive.py`` (resampled from the shared
corpora, 52 locales; ``bench/out/massive-<N>-seed<S>.jsonl``, git-ignored), then measures

1. the analysis alone, in this process (after the commands below, so they start small): the records are read first (not timed), then
   :func:`locale_guard.coverage.analyse` builds every table and the gap table, and the report
   model is built (what ``locale-guard check`` and ``locale-guard coverage`` both pay);
2. the whole ``locale-guard coverage FILE --html … --format parquet --table all -o …`` command
   in a child process (reading, analysis, HTML page, every table as Parquet), once with the
   holidays check (when this installation has it) and once with ``--no-holidays``;

and prints a Markdown table of wall seconds, CPU seconds (all threads: steadier than wall time
on a shared machine), peak resident memory and records/s, with the machine, its load and the
date. The child processes get at most ``--cores`` CPUs (``sched_setaffinity``) and as many
polars threads, so "2 cores" means 2 even on a bigger machine::

    python bench/bench_coverage.py                  # 1,000,000 records, 2 cores
    python bench/bench_coverage.py --n 100000 --cores 4
    python bench/bench_coverage.py --file path/to/massive.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

try:  # run as ``python -m bench.bench_coverage`` or as ``python bench/bench_coverage.py``
    from bench.measuring import load_average, peak_mb, pin, reset_peak
except ImportError:  # pragma: no cover - depends on how it is started
    from measuring import load_average, peak_mb, pin, reset_peak  # type: ignore[no-redef]

OUT = Path(__file__).resolve().parent / "out"
ROOT = Path(__file__).resolve().parents[1]
LIMIT_SECONDS = 20.0
LIMIT_MB = 2048.0








def measure_analysis(path: Path) -> dict[str, Any]:
    """Read (untimed), then time the analysis, its gaps and the report model in this process."""
    from locale_guard.config import Config
    from locale_guard.coverage import analyse, coverage_options
    from locale_guard.coverage.report import build_report
    from locale_guard.engine import RunOptions, read_inputs

    records, files, errors, _ = read_inputs(RunOptions(paths=[path]), Config())
    if errors:
        raise SystemExit(f"cannot read {path}: {errors[0].describe()}")
    gc.collect()
    reset = reset_peak()
    started, cpu = time.perf_counter(), time.process_time()
    analysis = analyse(records, coverage_options(Config()), files=files, source_locale="en-US")
    gaps = analysis.gaps
    build_report(analysis)
    return {
        "name": "analysis alone (tables, gaps, report model)",
        "records": records.height,
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "peak_mb": peak_mb(),
        "peak_note": "" if reset else " (process peak, incl. reading)",
        "gaps": gaps.height,
        "rules": dict(sorted(gaps.group_by("rule").len().iter_rows())),
    }


#: runs the CLI in a child and prints that process's own peak RSS last: ``RUSAGE_CHILDREN``
#: would also count the pages the child shared with this (large) process between fork and exec
_LAUNCHER = """
import resource, sys
from locale_guard.cli import main
try:
    main()
finally:
    print(f"peak-rss-kb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
"""


def measure_command(path: Path, records: int, holidays: bool, work: Path) -> dict[str, Any]:
    """The whole command in a child process, which reports its own peak RSS."""
    html = work / "coverage.html"
    tables = work / "coverage.parquet"
    command = [
        sys.executable, "-c", _LAUNCHER, "coverage", str(path), "--html", str(html),
        "--format", "parquet", "--table", "all", "-o", str(tables), "--fail-on", "never",
        *([] if holidays else ["--no-holidays"]),
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"coverage command failed ({done.returncode}):\n{done.stderr[-2000:]}")
    peak_kb = int(done.stderr.rsplit("peak-rss-kb ", 1)[1].split()[0])
    return {
        "name": "`locale-guard coverage` " + ("with the holidays check" if holidays else "--no-holidays"),
        "records": records,
        "seconds": seconds,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "peak_mb": peak_kb / (1024 * 1024) if sys.platform == "darwin" else peak_kb / 1024,
        "peak_note": "",
        "html_mb": html.stat().st_size / 1e6,
        "summary": done.stdout.splitlines()[:3],
    }




def table(results: list[dict[str, Any]], path: Path, cores: int, load: str) -> str:
    import polars as pl

    lines = [
        f"Coverage of {results[0]['records']:,} MASSIVE-format records ({path.stat().st_size / 1e6:.0f} MB, "
        f"`{path.name}`), {cores} cores",
        "",
        "| what | seconds | CPU seconds | records/s | peak RSS (MB) | within 20 s / 2 GB |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        ok = "yes" if r["seconds"] <= LIMIT_SECONDS and r["peak_mb"] <= LIMIT_MB else "no"
        lines.append(
            f"| {r['name']} | {r['seconds']:.2f} | {r['cpu']:.2f} | {r['records'] / r['seconds']:,.0f} | "
            f"{r['peak_mb']:,.0f}{r['peak_note']} | {ok} |"
        )
    analysis = results[0]
    lines += ["", f"Gaps: {analysis['gaps']:,} ({', '.join(f'{k} {v:,}' for k, v in analysis['rules'].items())})"]
    for r in results[1:]:
        lines.append(f"{r['name']}: HTML page {r['html_mb']:.1f} MB")
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    lines += [
        "",
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs ({usable} used), Python {platform.python_version()}, "
        f"polars {pl.__version__} ({pl.thread_pool_size()} threads)",
        f"Load average at start (1/5/15 min): {load}",
        f"Date: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="records (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cores", type=int, default=2, help="CPUs to use (default 2)")
    parser.add_argument("--file", type=Path, help="analyse this MASSIVE file instead of a generated one")
    parser.add_argument("--no-command", action="store_true", help="time the analysis only")
    parser.add_argument("--json", action="store_true", help="print the measurements as JSON too")
    args = parser.parse_args(argv)
    pin(args.cores)
    load = load_average()
    path = args.file or OUT / f"massive-{args.n}-seed{args.seed}.jsonl"
    if not path.exists():
        try:  # run as ``python -m bench.bench_coverage`` or as ``python bench/bench_coverage.py``
            from bench.generate_massive import generate
        except ImportError:  # pragma: no cover - depends on how it is started
            from generate_massive import generate  # type: ignore[no-redef]
        started = time.perf_counter()
        generate(args.n, path, args.seed)
        print(f"generated {path} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    commands = []
    if not args.no_command:  # first, while this process is small
        with tempfile.TemporaryDirectory() as tmp:
            commands.append(measure_command(path, 0, False, Path(tmp)))
            commands.append(measure_command(path, 0, True, Path(tmp)))
    results = [measure_analysis(path), *commands]
    for result in commands:
        result["records"] = results[0]["records"]
    print(table(results, path, args.cores, load))
    if args.json:
        print(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
