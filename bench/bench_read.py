"""How fast the MASSIVE reader turns JSON Lines into records, against a plain-Python reader.

Generates N records once (``bench/out/massive-<N>-seed<S>.jsonl``, git-ignored) with
``generate_massive.py``, then reads the file in this one process with

* the MASSIVE reader (``locale_guard.readers.massive``: polars, vectorised slot offsets), and
* a baseline written the straightforward way: ``json.loads`` per line, ``re`` over
  ``annot_utt`` per record, rows collected into the same record frame,

checks both give the same records, and prints a Markdown table with wall time, records/s, peak
resident memory (``getrusage``; the peak is reset between runs through
``/proc/self/clear_refs`` where Linux allows it), the ratio, the machine and the date::

    python bench/bench_read.py                 # 1,000,000 records
    python bench/bench_read.py --n 100000 --no-baseline
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa

from locale_guard.readers.base import ReadRequest
from locale_guard.readers.massive import READER, SLOT_PATTERN
from locale_guard.records import RECORD_SCHEMA, SLOT_DTYPE, conform

try:  # run as ``python -m bench.bench_read`` or as ``python bench/bench_read.py``
    from bench.measuring import load_average, peak_mb, reset_peak
except ImportError:  # pragma: no cover - depends on how it is started
    from measuring import load_average, peak_mb, reset_peak  # type: ignore[no-redef]

try:  # run as ``python -m bench.bench_read`` or as ``python bench/bench_read.py``
    from bench.generate_massive import generate
except ImportError:  # pragma: no cover - depends on how it is started
    from generate_massive import generate  # type: ignore[no-redef]

OUT = Path(__file__).resolve().parent / "out"
COMPARED = ["record_id", "locale", "kind", "text", "key", "intent", "scenario", "slots", "line", "partition"]

BASELINE_COLUMNS = ("record_id", "key", "locale", "text", "intent", "scenario", "partition", "line")

_SLOT_RE = re.compile(SLOT_PATTERN)


def baseline_read(path: Path, timings: dict[str, float] | None = None) -> pl.DataFrame:
    """The reader one would write first: a Python loop over lines and slot matches.

    The loop appends to flat Python lists (one per column, slots flattened with an offsets
    list), which become the frame in one go: polars 2.x builds list-of-struct columns from
    nested Python objects slowly (tens of seconds per million), and that cost would make the
    comparison about frame construction rather than parsing.
    """
    started = time.perf_counter()
    columns: dict[str, list[Any]] = {name: [] for name in BASELINE_COLUMNS}
    flat: dict[str, list[Any]] = {"type": [], "value": [], "start": [], "end": []}
    offsets = [0]
    annotated: list[bool] = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            obj = json.loads(line)
            utt = obj["utt"]
            annot = obj.get("annot_utt")
            annotated.append(annot is not None)
            removed = 0
            search_from = 0
            for m in _SLOT_RE.finditer(annot or ""):
                slot_type, _, value = m.group(0)[1:-1].partition(":")
                slot_type, value = slot_type.strip(), value.strip()
                start: int | None = m.start() - removed
                removed += len(m.group(0)) - len(value)
                if utt[start : start + len(value)] != value:
                    found = utt.find(value, search_from)
                    start = found if found >= 0 else None
                end = None if start is None else start + len(value)
                if end is not None:
                    search_from = end
                flat["type"].append(slot_type)
                flat["value"].append(value)
                flat["start"].append(start)
                flat["end"].append(end)
            offsets.append(len(flat["type"]))
            record_id = None if obj.get("id") is None else str(obj["id"])
            columns["record_id"].append(record_id)
            columns["key"].append(record_id)
            columns["locale"].append(obj.get("locale"))
            columns["text"].append(utt)
            columns["intent"].append(obj.get("intent"))
            columns["scenario"].append(obj.get("scenario"))
            columns["partition"].append(obj.get("partition"))
            columns["line"].append(number)
    parsed = time.perf_counter()
    values = pl.DataFrame(flat, schema=SLOT_DTYPE.to_schema()).to_struct("slot").to_arrow()
    slots = pa.ListArray.from_arrays(
        pa.array(offsets, pa.int64()), values, mask=pa.array([not a for a in annotated])
    )
    frame = pl.DataFrame(
        [pl.Series(name, values, dtype=RECORD_SCHEMA[name]) for name, values in columns.items()]
    ).with_columns(
        pl.Series("slots", slots).cast(pl.List(SLOT_DTYPE)),
        pl.lit("utterance").alias("kind"),
        pl.lit(str(path)).alias("path"),
    )
    frame = conform(frame)
    if timings is not None:
        timings["parse"] = parsed - started
        timings["frame"] = time.perf_counter() - parsed
    return frame






def measure(name: str, read: Callable[[], pl.DataFrame]) -> tuple[dict[str, Any], pl.DataFrame]:
    gc.collect()
    reset = reset_peak()
    started, cpu_started = time.perf_counter(), time.process_time()
    frame = read()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {
        "name": name,
        "records": frame.height,
        "seconds": seconds,
        "cpu": cpu,
        "per_second": frame.height / seconds if seconds else float("inf"),
        "peak_mb": peak_mb(),
        "peak_reset": reset,
    }, frame




def machine() -> str:
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    return (
        f"{platform.platform()}, {platform.machine()}, {cores} CPUs ({usable} usable), "
        f"Python {platform.python_version()}, polars {pl.__version__} ({pl.thread_pool_size()} threads)"
    )


def table(results: list[dict[str, Any]], path: Path, load: str) -> str:
    lines = [
        f"Reading {results[0]['records']:,} MASSIVE records ({path.stat().st_size / 1e6:.0f} MB, `{path.name}`)",
        "",
        "| reader | records | seconds | CPU seconds | records/s | peak RSS (MB) | time vs. massive |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    fastest = results[0]["seconds"]
    for r in results:
        lines.append(
            f"| {r['name']} | {r['records']:,} | {r['seconds']:.2f} | {r['cpu']:.2f} | {r['per_second']:,.0f} | "
            f"{r['peak_mb']:,.0f}{'' if r['peak_reset'] else ' (cumulative)'} | {r['seconds'] / fastest:.1f}x |"
        )
    notes = [f"{r['name']}: {r['note']}" for r in results if r.get("note")]
    lines += ["", *notes, "", f"Machine: {machine()}", f"Load average at start (1/5/15 min): {load}"]
    lines.append(f"Date: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="records to read (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--file", type=Path, help="read this MASSIVE file instead of a generated one")
    parser.add_argument("--no-baseline", action="store_true", help="time the MASSIVE reader only")
    args = parser.parse_args(argv)
    load = load_average()
    path = args.file or OUT / f"massive-{args.n}-seed{args.seed}.jsonl"
    if not path.exists():
        started = time.perf_counter()
        generate(args.n, path, args.seed)
        print(f"generated {path} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    fast, records = measure("massive (polars, vectorised)", lambda: READER.read(ReadRequest(path=path)))
    results = [fast]
    if not args.no_baseline:
        expected = records.select(COMPARED)
        del records
        split: dict[str, float] = {}
        slow, baseline = measure("baseline (json.loads + re per record)", lambda: baseline_read(path, split))
        slow["note"] = f"{split['parse']:.1f} s Python loop + {split['frame']:.1f} s building the frame"
        results.append(slow)
        if not baseline.select(COMPARED).equals(expected):
            print("error: the two readers disagree", file=sys.stderr)
            return 1
    print(table(results, path, load))
    return 0


if __name__ == "__main__":
    sys.exit(main())
