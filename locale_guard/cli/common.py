"""Helpers shared by subcommands: config loading and the one way to fail with exit 2."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click


def error_exit(message: str, code: int = 2) -> NoReturn:
    """Print ``error: message`` on stderr and exit (2 = usage or input error)."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def comma_list(ctx: click.Context, param: click.Parameter, value: str | None) -> list[str]:
    """Parse ``a,b,c`` options into a list (empty when not given)."""
    if not value:
        return []
    return [v.strip() for v in value.split(",") if v.strip()]


def open_config(path: Path | None, inputs: tuple[Path, ...] | list[Path] = ()):
    """The config to use: ``--config``, else the nearest one above the inputs, else above cwd."""
    import os

    from locale_guard.config import ConfigError, load_config

    start = None
    if inputs:
        try:
            common = Path(os.path.commonpath([str(Path(p).resolve()) for p in inputs]))
            start = common if common.is_dir() else common.parent
        except ValueError:
            start = None
    try:
        return load_config(path, start=start)
    except ConfigError as exc:
        error_exit(str(exc))
