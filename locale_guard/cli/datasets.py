"""``locale-guard datasets``: read public datasets as published, validate them, convert them.

``locale-guard datasets massive PATH`` takes the official MASSIVE 1.1 tarball (streamed, never
unpacked) or its folder, checks every record, prints what it holds next to the published
figures, and with ``--out`` writes it as Parquet or JSON Lines that ``check`` and ``coverage``
read directly. Exit status: 0 read and (if asked) written; 2 unreadable or not MASSIVE.
"""

from __future__ import annotations

from pathlib import Path

import click

from locale_guard.cli.common import error_exit


def _locales(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> list[str] | None:
    """``--locales de-DE,fr-FR`` or ``--locales de-DE --locales fr-FR``; None when not given."""
    found = [part.strip() for item in value for part in item.split(",") if part.strip()]
    return list(dict.fromkeys(found)) or None


@click.group()
def datasets() -> None:
    """Public datasets: read the official releases, validate them, convert them."""


@datasets.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Write the records: FILE.parquet or FILE.jsonl (one file), or a folder (one file per locale).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["parquet", "jsonl"]),
    help="File format in an --out folder [default: parquet].",
)
@click.option(
    "--locales",
    multiple=True,
    callback=_locales,
    help="Only these MASSIVE locales (comma-separated or repeated), spelled as MASSIVE does (sl-SL).",
)
def massive(path: Path, out: Path | None, fmt: str | None, locales: list[str] | None) -> None:
    """Read the MASSIVE 1.1 release at PATH and summarise it.

    PATH is amazon-massive-dataset-1.1.tar.gz, a folder with <locale>.jsonl files (directly or
    under data/ or 1.1/data/), or one <locale>.jsonl. Parquet is read by the table reader
    (text, intent, scenario, partition; slot brackets are not parsed from it); JSON Lines by the
    MASSIVE reader, slots included: use --format jsonl for slot coverage.
    """
    from locale_guard.datasets.massive import (
        DatasetError,
        output_kind,
        read_release,
        summarise,
        summary_lines,
        write_release,
    )

    try:
        if out is not None:
            fmt = output_kind(out, fmt)[0]  # a bad --out fails before the release is read
        records = read_release(path, locales)
    except DatasetError as exc:
        error_exit(str(exc))
    summary = summarise(records)
    for line in summary_lines(summary, str(path), subset=locales is not None):
        click.echo(line)
    if out is None:
        return
    try:
        written = write_release(records, out, fmt)
    except DatasetError as exc:
        error_exit(str(exc))
    size = sum(p.stat().st_size for p in written)
    where = str(out) if len(written) == 1 else f"{out}/ ({len(written)} files)"
    click.echo(f"wrote {records.height:,} records as {fmt} to {where}, {size / 1e6:.1f} MB", err=True)
    if fmt == "parquet":
        click.echo(
            "note: the slot annotations (annot_utt) are kept as a column but only the MASSIVE JSON Lines "
            "reader parses them; write --format jsonl for slot coverage",
            err=True,
        )
