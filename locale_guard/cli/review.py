"""``locale-guard review``: the review store from the command line, and the console's launcher.

Every subcommand takes ``--db URL`` (default ``$LOCALE_GUARD_REVIEW_DB``, else the SQLite file
``locale-guard-review.db`` in the current folder). The command line acts as the operator: whoever
can reach the database can already read all of it, so locale scoping applies in the console,
where reviewers log in.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from locale_guard.cli.common import error_exit

F = TypeVar("F", bound=Callable[..., Any])
UI_APP = Path(__file__).resolve().parent.parent.parent / "ui" / "app.py"


def db_option(func: F) -> F:
    return click.option(
        "--db",
        "db_url",
        metavar="URL",
        help="Database: an SQLite path or URL, or postgresql+psycopg://user@host/db "
        "[default: $LOCALE_GUARD_REVIEW_DB, else ./locale-guard-review.db].",
    )(func)


def handle_errors(func: F) -> F:
    """Store and input errors become one ``error:`` line and exit 2, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from locale_guard.readers.base import InputError
        from locale_guard.review.errors import ReviewError

        try:
            return func(*args, **kwargs)
        except (ReviewError, InputError) as exc:
            error_exit(str(exc))
        except OSError as exc:
            error_exit(f"{exc.filename or ''}: {exc.strerror}" if exc.strerror else str(exc))

    return wrapper  # type: ignore[return-value]


def open_store(db_url: str | None):  # type: ignore[no-untyped-def]
    from locale_guard.review.store import ReviewStore

    return ReviewStore(db_url)


def _read_password(from_stdin: bool, confirm: bool = True) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            error_exit("no password on standard input")
        return password
    if not sys.stdin.isatty():
        error_exit("no terminal to ask for the password: pass --password-stdin and pipe it in")
    return click.prompt("Password", hide_input=True, confirmation_prompt=confirm)


@click.group()
def review() -> None:
    """Human review of findings: import, review in the console, export training data."""


@review.command("import")
@click.argument("reports", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--reviewers", "required", type=click.IntRange(1, 20), help="Reviewers each item needs (default 1; re-import with it to change existing items).")
@db_option
@handle_errors
def import_cmd(reports: tuple[Path, ...], required: int | None, db_url: str | None) -> None:
    """Import the JSON report(s) of `locale-guard check --format json`.

    Idempotent: items are keyed by fingerprint, so importing the same or a newer report again
    updates items and never duplicates them. Each file is one transaction.
    """
    from locale_guard.readers.base import read_bytes

    store = open_store(db_url)
    for path in reports:
        data = read_bytes(path, max_bytes=1024 * 1024 * 1024)
        result = store.import_report(
            data, source_name=str(path), imported_by=os.environ.get("USER"), required_reviews=required
        )
        click.echo(f"{path}: {result.findings} finding(s), {result.created} new, {result.updated} updated")


@review.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to FILE (required for parquet).")
@click.option("--locale", "locales", multiple=True, help="Only these locales or languages (repeatable).")
@click.option("--check", "checks", multiple=True, help="Only these checks (repeatable).")
@db_option
@handle_errors
def export_cmd(fmt: str, output: Path | None, locales: tuple[str, ...], checks: tuple[str, ...], db_url: str | None) -> None:
    """Export settled decisions in the training-data schema that `model train` reads."""
    from locale_guard.review.export import write_training

    if fmt == "parquet" and output is None:
        error_exit("parquet is binary: give an output file with -o")
    frame = open_store(db_url).training(locales=locales, checks=checks)
    text = write_training(frame, fmt, output)
    if text is not None:
        click.echo(text, nl=False)
    if output is not None:
        click.echo(f"wrote {frame.height} row(s) to {output}", err=True)


@review.command("stats")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@db_option
@handle_errors
def stats_cmd(fmt: str, db_url: str | None) -> None:
    """Progress per locale, check and reviewer, and agreement per locale and rule."""
    progress, agreement = open_store(db_url).stats()
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "totals": progress.totals,
                    "by_locale": progress.by_locale.to_dicts(),
                    "by_check": progress.by_check.to_dicts(),
                    "by_reviewer": progress.by_reviewer.to_dicts(),
                    "agreement": agreement.to_dicts(),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    totals = progress.totals
    click.echo(
        f"{totals['items']} item(s): {totals['pending']} pending, {totals['conflict']} conflicting, {totals['done']} done"
    )
    for title, frame in (
        ("by locale", progress.by_locale),
        ("by check", progress.by_check),
        ("by reviewer", progress.by_reviewer),
        ("agreement", agreement),
    ):
        click.echo(f"\n{title}:")
        click.echo(_table(frame.to_dicts(), frame.columns) if frame.height else "  (none)")


def _table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    def cell(value: Any) -> str:
        if value is None:
            return "n/a"
        if isinstance(value, float):
            return f"{value:.3f}"
        return str(value)

    cells = [[cell(r[c]) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  " + "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines += ["  " + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(line.rstrip() for line in lines)


@review.group("users")
def users() -> None:
    """Reviewer accounts: roles (reviewer, lead, admin) and the locales each may review."""


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(["reviewer", "lead", "admin"]), default="reviewer", show_default=True)
@click.option("--locale", "locales", multiple=True, help="Locale (de-DE), language (de: every de-*) or * (all); repeatable.")
@click.option("--email", help="E-mail the identity provider reports, for single sign-on (OIDC).")
@click.option("--name", "display_name", help="Name shown in the console.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--no-password", is_flag=True, help="No local password: the user logs in through OIDC only (needs --email).")
@db_option
@handle_errors
def users_add(
    username: str,
    role: str,
    locales: tuple[str, ...],
    email: str | None,
    display_name: str | None,
    password_stdin: bool,
    no_password: bool,
    db_url: str | None,
) -> None:
    """Add a user (asks for the password unless --password-stdin or --no-password)."""
    if no_password and not email:
        error_exit("--no-password needs --email (the user logs in through the identity provider)")
    password = None if no_password else _read_password(password_stdin)
    info = open_store(db_url).add_user(
        username, password=password, role=role, locales=locales, email=email, display_name=display_name
    )
    click.echo(f"added {info.username} ({info.role}; locales: {', '.join(info.locales) or 'none'})")


@users.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@db_option
@handle_errors
def users_list(fmt: str, db_url: str | None) -> None:
    """List users with their roles and locales (never their password hashes)."""
    people = open_store(db_url).list_users()
    rows = [
        {
            "username": p.username,
            "role": p.role,
            "locales": ",".join(p.locales),
            "email": p.email or "",
            "active": p.active,
            "last_login": p.last_login_at.isoformat(timespec="seconds") if p.last_login_at else "",
        }
        for p in people
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif rows:
        click.echo(_table(rows, list(rows[0])))
    else:
        click.echo("no users yet: add one with `locale-guard review users add NAME --role admin --locale '*'`")


@users.command("grant")
@click.argument("username")
@click.option("--locale", "locales", multiple=True, help="Locale to add (repeatable).")
@click.option("--role", type=click.Choice(["reviewer", "lead", "admin"]), help="New role.")
@db_option
@handle_errors
def users_grant(username: str, locales: tuple[str, ...], role: str | None, db_url: str | None) -> None:
    """Give a user more locales and/or another role."""
    if not locales and not role:
        error_exit("nothing to grant: give --locale and/or --role")
    info = open_store(db_url).grant(username, locales=locales, role=role)
    click.echo(f"{info.username}: {info.role}; locales: {', '.join(info.locales) or 'none'}")


@users.command("revoke")
@click.argument("username")
@click.option("--locale", "locales", multiple=True, required=True, help="Locale to take away (repeatable).")
@db_option
@handle_errors
def users_revoke(username: str, locales: tuple[str, ...], db_url: str | None) -> None:
    """Take locales away from a user (effective at once, also in open console sessions)."""
    info = open_store(db_url).revoke(username, locales)
    click.echo(f"{info.username}: {info.role}; locales: {', '.join(info.locales) or 'none'}")


@users.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@db_option
@handle_errors
def users_passwd(username: str, password_stdin: bool, db_url: str | None) -> None:
    """Set a user's password."""
    password = _read_password(password_stdin)
    open_store(db_url).set_password(username, password)
    click.echo(f"password of {username} changed")


@users.command("disable")
@click.argument("username")
@db_option
@handle_errors
def users_disable(username: str, db_url: str | None) -> None:
    """Disable an account (its history stays; open console sessions end at their next click)."""
    open_store(db_url).set_active(username, False)
    click.echo(f"{username} disabled")


@users.command("enable")
@click.argument("username")
@db_option
@handle_errors
def users_enable(username: str, db_url: str | None) -> None:
    """Enable a disabled account again."""
    open_store(db_url).set_active(username, True)
    click.echo(f"{username} enabled")


@review.group("guidelines")
def guidelines() -> None:
    """Reviewer guidelines per rule (or check) and locale, shown next to each item."""


@guidelines.command("set")
@click.argument("rule")
@click.argument("locale")
@click.option("--file", "file", type=click.Path(path_type=Path, dir_okay=False), help="Markdown file with the guideline.")
@click.option("--text", help="The guideline text (instead of --file); empty removes it.")
@db_option
@handle_errors
def guidelines_set(rule: str, locale: str, file: Path | None, text: str | None, db_url: str | None) -> None:
    """Set the guideline of RULE (offensive/vulgar, or a whole check: offensive) for LOCALE (de-DE, de or *)."""
    if (file is None) == (text is None):
        error_exit("give exactly one of --file and --text")
    body = file.read_text(encoding="utf-8") if file is not None else text or ""
    open_store(db_url).set_guideline_operator(rule, locale, body)
    click.echo(f"guideline for {rule} in {locale} {'saved' if body.strip() else 'removed'}")


@review.command("suggest-rules")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the YAML patch to FILE (default: stdout).")
@click.option("--training", type=click.Path(path_type=Path), help="Also write accepted and fixed items as training examples (jsonl, csv or parquet by extension).")
@click.option("--min-rejections", type=click.IntRange(1), default=2, show_default=True, help="Rejections of a term before it is proposed for the allowlist.")
@click.option("--min-reviewed", type=click.IntRange(1), default=5, show_default=True, help="Reviewed findings of a rule before its severity is questioned.")
@click.option("--reject-share", type=click.FloatRange(0, 1), default=0.6, show_default=True, help="Share of rejections that lowers a rule's severity.")
@click.option("--rules-dir", default="rules", show_default=True, help="Folder of the rule packs the patch names.")
@db_option
@handle_errors
def suggest_rules(
    output: Path | None,
    training: Path | None,
    min_rejections: int,
    min_reviewed: int,
    reject_share: float,
    rules_dir: str,
    db_url: str | None,
) -> None:
    """Turn reviews into rule-pack changes: allowlist entries and severity changes (YAML patch)."""
    import polars as pl

    from locale_guard.review.export import SETTLED_SCHEMA, training_rows, write_training
    from locale_guard.review.suggest import SuggestOptions, render_patch, suggestions

    store = open_store(db_url)
    settled = store.settled()
    entries = suggestions(
        settled,
        SuggestOptions(min_rejections=min_rejections, min_reviewed=min_reviewed, reject_share=reject_share, rules_dir=rules_dir),
    )
    examples = training_rows(settled.filter(pl.col("decision").is_in(["accept", "fix"])).select(list(SETTLED_SCHEMA)))
    patch = render_patch(entries, training_rows=examples.height)
    if output is None:
        click.echo(patch, nl=False)
    else:
        output.write_text(patch, encoding="utf-8")
        click.echo(f"wrote {len(entries)} pack change(s) to {output}", err=True)
    if training is not None:
        suffix = training.suffix.lower().lstrip(".")
        fmt = {"jsonl": "jsonl", "ndjson": "jsonl", "csv": "csv", "parquet": "parquet"}.get(suffix)
        if fmt is None:
            error_exit(f"cannot tell the format of {training}: use .jsonl, .csv or .parquet")
        write_training(examples, fmt, training)
        click.echo(f"wrote {examples.height} training example(s) to {training}", err=True)


@review.command("migrate")
@db_option
@handle_errors
def migrate_cmd(db_url: str | None) -> None:
    """Create or upgrade the database schema (every command also does this on first use)."""
    from locale_guard.review.db import Database, describe_url, head_revision, migrate

    db = Database(db_url)
    ran = migrate(db)
    click.echo(f"{describe_url(db.url)}: schema {'upgraded to' if ran else 'already at'} revision {head_revision()}")


@review.command("backup")
@click.argument("target", type=click.Path(path_type=Path, dir_okay=False))
@db_option
@handle_errors
def backup_cmd(target: Path, db_url: str | None) -> None:
    """Copy the SQLite store to TARGET while it is in use (PostgreSQL: use pg_dump)."""
    open_store(db_url).backup(target)
    click.echo(f"backed up to {target}")


@review.command("restore")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the store's content.")
@db_option
@handle_errors
def restore_cmd(source: Path, yes: bool, db_url: str | None) -> None:
    """Replace the SQLite store's content with a backup (stop the console first)."""
    from locale_guard.review.db import Database, describe_url

    target = describe_url(Database(db_url).url)
    if not yes and not click.confirm(f"replace everything in {target} with {source}?", default=False):
        error_exit("not restored")
    store = open_store(db_url)
    store.restore(source)
    click.echo(f"restored {target} from {source}")


def serve_command(
    db_url: str,
    *,
    host: str,
    port: int,
    max_upload_mb: int,
    app: Path = UI_APP,
) -> list[str]:
    """The ``streamlit run`` command line of the console (XSRF on, headless, upload limit)."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.headless=true",
        f"--server.address={host}",
        f"--server.port={port}",
        "--server.enableXsrfProtection=true",
        "--server.enableCORS=true",
        f"--server.maxUploadSize={max_upload_mb}",
        "--server.runOnSave=false",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
        "--global.developmentMode=false",
        "--client.toolbarMode=minimal",
    ]


@review.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for every interface: put TLS in front).")
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True)
@click.option("--session-minutes", type=click.IntRange(1), default=480, show_default=True, help="Log reviewers out after this long.")
@click.option("--claim-minutes", type=click.IntRange(1), default=30, show_default=True, help="How long an opened item stays reserved for its reviewer.")
@click.option("--max-upload-mb", type=click.IntRange(1, 2000), default=200, show_default=True, help="Largest findings report an admin can upload.")
@click.option("--oidc", is_flag=True, help="Offer single sign-on through st.login (configure [auth] in .streamlit/secrets.toml).")
@db_option
@handle_errors
def serve(
    host: str,
    port: int,
    session_minutes: int,
    claim_minutes: int,
    max_upload_mb: int,
    oidc: bool,
    db_url: str | None,
) -> None:
    """Start the review console (Streamlit) on http://HOST:PORT."""
    from locale_guard.review.db import DB_ENV, describe_url

    if not UI_APP.is_file():
        error_exit(f"the console is not installed next to the package: {UI_APP} is missing")
    try:
        import streamlit  # noqa: F401
    except ModuleNotFoundError:
        error_exit("the console needs Streamlit: pip install 'locale-guard[console]'")
    if oidc:
        try:
            import authlib  # noqa: F401
        except ModuleNotFoundError:
            error_exit("--oidc needs Authlib, which st.login uses: pip install 'Authlib>=1.3.2'")
    store = open_store(db_url)  # creates or upgrades the schema before the first page loads
    url = store.url
    store.close()
    env = {
        **os.environ,
        DB_ENV: url,
        "LOCALE_GUARD_REVIEW_SESSION_MINUTES": str(session_minutes),
        "LOCALE_GUARD_REVIEW_CLAIM_MINUTES": str(claim_minutes),
        "LOCALE_GUARD_REVIEW_OIDC": "1" if oidc else "0",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    click.echo(f"review console for {describe_url(url)} on http://{host}:{port} (Ctrl+C stops it)", err=True)
    command = serve_command(url, host=host, port=port, max_upload_mb=max_upload_mb)
    if os.name == "posix":
        # become Streamlit: signals (Ctrl+C, a service manager's SIGTERM) reach the server itself,
        # and no orphaned server is left behind when this process is stopped
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(command[0], command, env)
    import subprocess

    try:
        sys.exit(subprocess.call(command, env=env))
    except KeyboardInterrupt:
        sys.exit(130)
