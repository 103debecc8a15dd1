"""What the benchmark scripts share: CPU pinning, peak RSS and the load average.

Imports nothing heavy: :func:`pin` must run before polars is imported.
"""

from __future__ import annotations

import os
import resource
import sys


def pin(cores: int) -> None:
    """At most ``cores`` CPUs for this process and its children, and as many polars threads;
    must run before polars is imported."""
    os.environ["POLARS_MAX_THREADS"] = str(cores)
    if hasattr(os, "sched_setaffinity"):
        available = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, available[:cores])


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (Linux); False where that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def peak_mb() -> float:
    """Peak RSS of this process in MB (since the last :func:`reset_peak`, where it worked)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def load_average(separator: str = " ") -> str:
    """The 1/5/15-minute load averages, or ``n/a``."""
    return separator.join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
