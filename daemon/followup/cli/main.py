"""The command line: argument parsing, output and exit codes only.

Every command's errors go through ``_Group.invoke``: a ``UserError`` prints one line and
exits with its code, never a traceback. Each command lists its exit codes in ``--help``.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from followup import __version__
from followup.cli.common import CONFIG as _CONFIG
from followup.cli.common import STATE as _STATE
from followup.cli.common import UNREACHABLE as _UNREACHABLE
from followup.cli.common import Context, exit_codes, parse_now
from followup.cli.more import calendar, completion
from followup.config import Config, ImapAccount, system_timezone
from followup.config.starter import placeholder_host, placeholder_warnings, starter_config
from followup.core.errors import (
    EXIT_CANTCREAT,
    EXIT_NOINPUT,
    EXIT_STATE,
    EXIT_UNREACHABLE,
    CannotCreate,
    FollowupError,
    UsageError,
    UserError,
)
from followup.locks import writing
from followup.logs import setup_logging
from followup.mailbox import Mailbox, open_mailbox
from followup.store import Store

log = logging.getLogger(__name__)


class _Group(click.Group):
    """Runs every command with one error policy: a user error is one line and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            click.echo(f"followup: {exc}", err=True)
            sys.exit(exc.exit_code)
        except FollowupError as exc:  # a bug-class error that still deserves a clean message
            click.echo(f"followup: {exc}", err=True)
            sys.exit(1)


@contextmanager
def open_mailboxes(config: Config) -> Iterator[dict[str, Mailbox]]:
    boxes: dict[str, Mailbox] = {}
    try:
        for account in config.accounts:
            boxes[account.name] = open_mailbox(config, account)
        yield boxes
    finally:
        for box in boxes.values():
            box.close()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_arg",
    metavar="PATH",
    help="Config file (default: $FOLLOWUP_CONFIG or ~/.config/followup/config.toml).",
)
@click.option(
    "-v", "--verbose", count=True, help="More log output (-v info, -vv debug, -vvv protocol)."
)
@click.version_option(__version__, prog_name="followup")
@click.pass_context
def main(ctx: click.Context, config_arg: str | None, verbose: int) -> None:
    """Draft polite interview follow-ups when employers go silent. Never sends mail."""
    setup_logging(verbose)
    ctx.obj = Context(config_arg, verbose)


@main.command(epilog=exit_codes((EXIT_CANTCREAT, "the config file already exists")))
@click.pass_obj
def init(obj: Context) -> None:
    """Write a starter config; never overwrites an existing file."""
    path = obj.config_path()
    if path.exists():
        raise CannotCreate(f"{path} already exists; not overwriting it")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as fh:
        fh.write(starter_config(timezone=system_timezone()))
    path.chmod(0o600)
    click.echo(f"wrote {path}\nedit it, then run: followup check")


@main.command(epilog=exit_codes(_CONFIG, (EXIT_UNREACHABLE, "an account failed its check")))
@click.option(
    "--write",
    is_flag=True,
    help="Also prove each IMAP account can store a draft: append a probe and remove it at once.",
)
@click.pass_obj
def check(obj: Context, write: bool) -> None:
    """Validate config, templates and credentials; connect to each account and show its folders.

    Says what each IMAP server lacks and what that means. With --write, stores a small
    probe flagged \\Draft \\Deleted the way a draft is stored, and removes it by UID EXPUNGE.
    """
    from followup.cli.check import check_account

    config = obj.load()
    click.echo(
        f"config {config.path}: ok ({len(config.interviews)} interviews, "
        f"{len(config.accounts)} accounts)"
    )
    for warning in placeholder_warnings(config.identity.name, config.identity.email):
        click.echo(f"warning: {warning}")
    failed = False
    for account in config.accounts:
        starter_host = placeholder_host(account.host) if isinstance(account, ImapAccount) else None
        if starter_host is not None:  # not worth four DNS attempts
            click.echo(f"account {account.name} ({account.type}): FAILED: {starter_host}")
            failed = True
            continue
        ok, lines = check_account(config, account, write=write)
        failed = failed or not ok
        for line in lines:
            click.echo(line)
    if failed:
        sys.exit(EXIT_UNREACHABLE)


@main.command(
    epilog=exit_codes(
        _CONFIG,
        (EXIT_STATE, "the state database cannot be used, or another followup kept it busy"),
        _UNREACHABLE,
    )
)
@click.option("--once", is_flag=True, help="Run one cycle, then exit.")
@click.option("--now", "now_arg", metavar="T", help="Act as if it were T (ISO 8601).")
@click.option("--dry-run", is_flag=True, help="Write no draft; show what would be written.")
@click.option(
    "--wait",
    type=click.FloatRange(0, 3600),
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="With --once: how long to wait while another followup is writing.",
)
@click.pass_obj
def run(obj: Context, once: bool, now_arg: str | None, dry_run: bool, wait: float) -> None:
    """Run the daemon (foreground, systemd-friendly), or one cycle with --once."""
    if not once:  # the daemon loads (and reloads) the config itself
        from followup.service.daemon import run_service

        sys.exit(run_service(obj.config_path(), now_arg=now_arg, dry_run=dry_run))
    config = obj.load()
    from followup.cli.render import render_cycle, render_drafts
    from followup.engine import run_once
    from followup.notify.announce import Announcer

    now = parse_now(now_arg, config)
    with writing(config.daemon.state_dir, wait):
        store = Store.in_dir(config.daemon.state_dir)
        try:
            with open_mailboxes(config) as boxes:
                report = run_once(config, boxes, store, now, dry_run=dry_run)
            announcer = Announcer(config, quiet=dry_run)
            announcer.after_cycle(config, store, report)
        finally:
            store.close()
    announcer.finish(config)  # the notify command may take its time: not while holding the lock
    click.echo(render_cycle(report), nl=False)
    if dry_run:
        click.echo(render_drafts(report), nl=False)
    every_account_failed = len(report.account_errors) == len(config.accounts)
    if report.blocked or (report.account_errors and every_account_failed):
        sys.exit(EXIT_UNREACHABLE)


@main.command(epilog=exit_codes(_CONFIG, _STATE))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--now", "now_arg", metavar="T", help="Show states as of T (ISO 8601).")
@click.pass_obj
def status(obj: Context, as_json: bool, now_arg: str | None) -> None:
    """Every interview, its reply, and each stage's due time and state."""
    from followup.cli.render import render_status, status_json
    from followup.derived import plan_from_store

    config = obj.load()
    now = parse_now(now_arg, config)
    store = Store.in_dir(config.daemon.state_dir)
    try:
        plans = plan_from_store(config, store, now)
        health = store.account_health()
    finally:
        store.close()
    names = [a.name for a in config.accounts]
    if as_json:
        click.echo(json.dumps(status_json(now, plans, health, names), ensure_ascii=False))
    else:
        click.echo(render_status(now, plans, health, names), nl=False)


@main.command(
    epilog=exit_codes(
        _CONFIG, _STATE, (EXIT_NOINPUT, "a file could not be read (the rest are explained)")
    )
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="One JSON object per line: file, interview, reason, kind, concerns, promised_by, "
    "away_until.",
)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def explain(obj: Context, as_json: bool, files: tuple[Path, ...]) -> None:
    """How these messages are classified with the current config and state, and why."""
    from followup.cli.explain import explain_files

    config = obj.load()
    store = Store.in_dir(config.daemon.state_dir)
    try:
        verdicts = explain_files(config, store, files)
    finally:
        store.close()
    for v in verdicts:
        if not v.readable:
            click.echo(f"followup: {v.reason}", err=True)
        elif as_json:
            click.echo(json.dumps(v.as_json(), ensure_ascii=False))
        else:
            click.echo(v.as_text())
    if any(not v.readable for v in verdicts):
        sys.exit(EXIT_NOINPUT)


@main.command(epilog=exit_codes(_CONFIG, _UNREACHABLE))
@click.argument("account_name", metavar="ACCOUNT")
@click.pass_obj
def auth(obj: Context, account_name: str) -> None:
    """Store an IMAP password in keyring, or sign in (Microsoft, Google, Gmail API)."""
    from followup.cli.auth import run_auth

    config = obj.load()
    account = next((a for a in config.accounts if a.name == account_name), None)
    if account is None:
        names = ", ".join(a.name for a in config.accounts)
        raise UsageError(f"no account named {account_name!r} in {config.path}; accounts: {names}")
    run_auth(account, click.echo)


@main.command(epilog=exit_codes(_CONFIG))
@click.option("--id", "iid", required=True, help="Stable slug, e.g. acme-backend.")
@click.option("--company", required=True)
@click.option("--role", required=True)
@click.option("--interviewed-on", required=True, help="Date (2026-11-16) or datetime.")
@click.option("--reply-promised-by", help="Date they promised an answer by.")
@click.option("--contact", "contacts", multiple=True, help='"Name <email>"; repeatable.')
@click.option("--domain", "domains", multiple=True, help="Company mail domain; repeatable.")
@click.option("--account", help="Account name (only with several accounts).")
@click.option("--highlight", help="An idea you want to mention in the follow-up.")
@click.pass_obj
def add(
    obj: Context,
    iid: str,
    company: str,
    role: str,
    interviewed_on: str,
    reply_promised_by: str | None,
    contacts: tuple[str, ...],
    domains: tuple[str, ...],
    account: str | None,
    highlight: str | None,
) -> None:
    """Append an interview to the config, keeping its comments."""
    from followup.cli.add import NewInterview, add_interview

    new = NewInterview(
        iid, company, role, interviewed_on, reply_promised_by, contacts, domains, account, highlight
    )
    for warning in add_interview(obj.config_path(), new):
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"added interview {iid}")


@main.command("install-service", epilog=exit_codes(_CONFIG))
@click.pass_obj
def install_service(obj: Context) -> None:
    """Install the systemd user unit and print how to enable it."""
    from followup.service.unit import install_unit

    path = install_unit(obj.config_arg)
    click.echo(
        f"wrote {path}\nnow run:\n  systemctl --user daemon-reload\n"
        "  systemctl --user enable --now followup"
    )
    click.echo("to keep it running while you are logged out:\n  loginctl enable-linger $USER")


@main.command(
    epilog=exit_codes(
        (EXIT_CANTCREAT, "--keep names a directory that is not empty or cannot be made")
    )
)
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    help="Build the demo here and keep it.",
)
def demo(keep: Path | None) -> None:
    """A self-contained run on a throw-away Maildir with sample interviews."""
    from followup.cli.demo import run_demo

    click.echo(run_demo(keep), nl=False)


main.add_command(calendar)
main.add_command(completion)
