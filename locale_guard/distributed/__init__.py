"""Running ``check`` and ``model predict`` on a Ray cluster (``--engine ray``).

The local engine does everything in one process. Here the driver (the machine running the
command) still reads the inputs, but the checks run per locale as Ray Data tasks
(:mod:`.ray_check`) and the classifier runs in a pool of Ray actors, one per GPU or per group of
CPU cores (:mod:`.ray_predict`). Results are the local engine's: same findings, same table.

Ray is optional (``pip install 'locale-guard[ray]'``) and imported only here, only when asked
for. Without ``--ray-address`` and ``RAY_ADDRESS``, a local Ray is started for the run and shut
down after it; with them, the run joins that cluster (``auto``, ``host:port`` or
``ray://host:10001``).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

#: how long to wait for a cluster address to answer before saying it cannot be reached
CONNECT_TIMEOUT_S = 5.0

#: Ray must never phone home from a CI job or an air-gapped cluster
_QUIET_ENV = {
    "RAY_USAGE_STATS_ENABLED": "0",
    "RAY_DISABLE_IMPORT_WARNING": "1",
    # `uv run` would otherwise make Ray rebuild the environment on every worker
    "RAY_ENABLE_UV_RUN_RUNTIME_ENV": "0",
}


class RayUnavailable(Exception):
    """Ray is not installed, or the cluster cannot be started or reached: one line, exit 2."""


def import_ray() -> Any:
    """The ``ray`` module, or :class:`RayUnavailable` saying how to install it."""
    for name, value in _QUIET_ENV.items():
        os.environ.setdefault(name, value)
    try:
        import ray
        import ray.data  # the ``data`` extra: pyarrow, pandas
    except ModuleNotFoundError as exc:
        raise RayUnavailable(
            f"--engine ray needs Ray Data ({exc.name} is not installed): pip install 'locale-guard[ray]'"
        ) from None
    return ray


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _check_reachable(address: str) -> None:
    """Fail in seconds, with the address in the message, when nothing listens there.

    ``ray.init`` would otherwise retry for a minute or more before raising an error that does
    not say which address it tried.
    """
    if address == "auto" or address.startswith("local"):
        return
    url = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        host, port = url.hostname, url.port
    except ValueError:
        raise RayUnavailable(f"bad Ray address '{address}': expected ray://HOST:PORT, HOST:PORT or auto") from None
    if not host or port is None:
        raise RayUnavailable(f"bad Ray address '{address}': expected ray://HOST:PORT, HOST:PORT or auto")
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S):
            pass
    except OSError as exc:
        reason = exc.strerror or _first_line(exc)
        raise RayUnavailable(f"cannot reach the Ray cluster at {address}: {reason}") from None


@contextmanager
def ray_session(address: str | None = None) -> Iterator[Any]:
    """A connected ``ray`` module for the duration of a command.

    Reuses a Ray the process already started (tests, notebooks) and leaves it running; otherwise
    connects to ``address`` (else ``RAY_ADDRESS``) or starts a local Ray, and disconnects after.
    """
    ray = import_ray()
    if address:  # even when reusing a running Ray: a wrong address on the command line is an error
        _check_reachable(address)
    if ray.is_initialized():
        yield ray
        return
    if not address and os.environ.get("RAY_ADDRESS"):
        address = os.environ["RAY_ADDRESS"]
        _check_reachable(address)
    kwargs: dict[str, Any] = {"logging_level": logging.ERROR}
    if not (address or "").startswith("ray://"):
        # worker output would interleave with the report; errors come back as exceptions
        kwargs["log_to_driver"] = False
    if not address:
        kwargs["include_dashboard"] = False
    try:
        ray.init(address=address, **kwargs)
    except Exception as exc:  # ConnectionError, RuntimeError, ValueError: one line for all
        where = f" at {address}" if address else ""
        raise RayUnavailable(f"cannot start or join Ray{where}: {_first_line(exc)}") from None
    try:
        yield ray
    finally:
        ray.shutdown()


@contextmanager
def quiet_data_context(ray: Any) -> Iterator[Any]:
    """Ray Data settings for one run (no progress bars or INFO lines on stderr, the sort-based
    shuffle, which needs no long-lived actors), restored afterwards."""
    from ray.data.context import ShuffleStrategy

    ctx = ray.data.DataContext.get_current()
    saved = (ctx.enable_progress_bars, ctx.shuffle_strategy, ctx.print_on_execution_start)
    logger = logging.getLogger("ray.data")
    level = logger.level
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    ctx.shuffle_strategy = ShuffleStrategy.SORT_SHUFFLE_PULL_BASED
    logger.setLevel(logging.ERROR)
    try:
        yield ctx
    finally:
        ctx.enable_progress_bars, ctx.shuffle_strategy, ctx.print_on_execution_start = saved
        logger.setLevel(level)
