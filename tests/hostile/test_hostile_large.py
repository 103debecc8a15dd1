"""A real 200 MB table, made on the fly: it streams within the memory limit and in bounded time.

The sparse 200 MB files of the format table test the size-limit path (refused without being
read); this one is 200 MB of actual CSV rows, which the CSV reader streams through polars, so
it must be *read* (not refused) without holding more than a few times its size, under
``ulimit -v`` (4 GiB here), on a small CI machine.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _hostile_run import run_python_limited

SIZE = 200 * 1024 * 1024
ROW = "greeting_{:07d},\"Guten Morgen, wie geht es Ihnen heute? Das Wetter ist schön.\"\n"

_READ_AND_MEASURE = """
import json, resource, sys, time
from pathlib import Path
from locale_guard.readers import detect
from locale_guard.readers.base import InputError, ReadRequest
path = Path(sys.argv[1])
started = time.monotonic()
try:
    frame = detect(path).read(ReadRequest(path=path, locale="de-DE"))
    out = {"records": frame.height, "last_key": frame["key"][-1], "last_line": frame["line"][-1]}
except InputError as exc:
    out = {"error": exc.describe()}
out["seconds"] = time.monotonic() - started
out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def _write_big_csv(path: Path) -> int:
    """Write >= 200 MB of distinct rows quickly (blocks of 10k formatted rows); return rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    with path.open("w", encoding="utf-8") as fh:
        fh.write("key,text\n")
        written = 0
        while written < SIZE:
            block = "".join(ROW.format(rows + i) for i in range(20_000))
            fh.write(block)
            written += len(block.encode("utf-8"))
            rows += 20_000
    return rows


@pytest.mark.slow
def test_a_real_200_mb_csv_streams_within_memory_and_time(tmp_path: Path) -> None:
    path = tmp_path / "de-DE" / "big.csv"
    rows = _write_big_csv(path)
    assert path.stat().st_size >= SIZE
    run = run_python_limited(["-c", _READ_AND_MEASURE, str(path)], timeout=120, limit=4 * 1024**3)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.output
    out = json.loads(run.stdout)
    assert out.get("error") is None
    assert out["records"] == rows
    assert out["last_key"] == f"greeting_{rows - 1:07d}" and out["last_line"] == rows + 1
    # measured 1.6 GB (the record frame is ~0.7 GB); a Python object per row would not fit
    assert out["peak_rss_mb"] < 2560
    assert out["seconds"] < 60
