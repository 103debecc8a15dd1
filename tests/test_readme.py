"""The README's two commands are the ones CI and new users run."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text, flags=re.S)[:2]


def test_readme_opens_with_the_two_commands() -> None:
    main_job, tests = _commands()
    assert "torch==2.13.0" in main_job.split("-e")[0], "torch must be installed first"
    assert "locale-guard check examples/" in main_job
    assert "pytest" in tests and "torch==2.13.0" in tests.split("-e")[0]


def test_ci_runs_the_readme_test_command() -> None:
    _, tests = _commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests.strip() in ci


def test_every_subcommand_is_documented() -> None:
    import click

    from locale_guard.cli import cli

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.list_commands(click.Context(cli)):
        assert f"locale-guard {name}" in text, f"README lacks a section for 'locale-guard {name}'"
