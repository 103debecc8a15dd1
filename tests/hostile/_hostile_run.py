"""Run ``locale-guard`` in a subprocess with bounded address space and wall time.

``resource.setrlimit(RLIMIT_AS)`` is ``ulimit -v``: past it, allocations fail (MemoryError or
an abort) instead of the machine swapping, so a reader that reads a bomb into memory fails the
test. The limit was measured: a normal run of the CLI reserves about 2 GB of address space
(polars' and torch's thread pools map large arenas up front) and aborts at start-up under
1.5 GB, so 3 GiB leaves room for the work and none for a blow-up. Reading a real 200 MB
table needs more (its records alone are ~0.7 GB), so callers may pass a larger ``limit``.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

ADDRESS_SPACE_LIMIT = 3 * 1024**3


@dataclass(frozen=True)
class LimitedRun:
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def _limiter(limit: int) -> Callable[[], None]:
    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return limit_memory


def run_python_limited(
    args: Sequence[str],
    *,
    timeout: float,
    env: dict[str, str] | None = None,
    limit: int = ADDRESS_SPACE_LIMIT,
) -> LimitedRun:
    """``python args...`` under the address-space limit; a timeout fails the calling test."""
    full_env = {**os.environ, "NO_COLOR": "1", "CI": "1", **(env or {})}
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        preexec_fn=_limiter(limit),
        env=full_env,
        check=False,
    )
    return LimitedRun(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started)


def run_cli_limited(args: Sequence[str], *, timeout: float, env: dict[str, str] | None = None) -> LimitedRun:
    """``locale-guard args...`` (as ``python -m locale_guard``) under the limits."""
    return run_python_limited(["-m", "locale_guard", *args], timeout=timeout, env=env)
