"""The ``locale-guard`` command line.

Subcommands live one per module in this package and are imported only when invoked, so
``locale-guard --help`` and ``check`` never pay for torch or Streamlit.
"""

from __future__ import annotations

import importlib
import sys

import click

from locale_guard import __version__

#: subcommand name → "module:attribute" inside this package
SUBCOMMANDS: dict[str, str] = {
    "check": "check:check",
    "locales": "locales:locales",
    "rules": "rules:rules",
    "review": "review:review",
    "model": "model:model",
    "coverage": "coverage:coverage",
    "datasets": "datasets:datasets",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx)) | set(SUBCOMMANDS)
        return sorted(n for n in names if self.get_command(ctx, n) is not None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in SUBCOMMANDS:
            module_name, attr = SUBCOMMANDS[cmd_name].split(":")
            try:
                module = importlib.import_module(f"{__name__}.{module_name}")
            except ModuleNotFoundError as exc:
                if exc.name == f"{__name__}.{module_name}":
                    return None  # not part of this installation
                raise
            return getattr(module, attr)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="locale-guard")
def cli() -> None:
    """Check assistant responses and training data for every locale they ship in."""


def main() -> None:
    try:
        cli.main(prog_name="locale-guard")
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
