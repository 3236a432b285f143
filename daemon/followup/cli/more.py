"""``followup calendar`` and ``followup completion``: commands kept out of ``main.py``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from followup.cli.common import CONFIG, STATE, Context, exit_codes, parse_now
from followup.core.errors import EXIT_CANTCREAT
from followup.store import Store

SHELLS = ("bash", "zsh", "fish")
COMPLETE_VAR = "_FOLLOWUP_COMPLETE"  # what Click's completion reads: _<PROG>_COMPLETE


@click.command(
    epilog=exit_codes(CONFIG, STATE, (EXIT_CANTCREAT, "the output file cannot be written"))
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the file here (atomically) instead of to standard output.",
)
@click.option("--now", "now_arg", metavar="T", help="What is upcoming as of T (ISO 8601).")
@click.pass_obj
def calendar(obj: Context, output: Path | None, now_arg: str | None) -> None:
    """An iCalendar file of the upcoming follow-ups and promised dates (stable UIDs)."""
    from followup.core.agenda import agenda
    from followup.derived import plan_from_store
    from followup.notify.calendar_file import render, write_atomically

    config = obj.load()
    now = parse_now(now_arg, config)
    store = Store.in_dir(config.daemon.state_dir)
    try:
        plans = plan_from_store(config, store, now)
    finally:
        store.close()
    items = agenda(plans, config.identity.email)
    data = render(items, dt.datetime.now(dt.UTC))
    if output is None or str(output) == "-":
        click.echo(data, nl=False)  # bytes: written as they are
        return
    write_atomically(output, data)
    click.echo(f"wrote {output}: {len(items)} event(s)")


@click.command(epilog=exit_codes())
@click.argument("shell", type=click.Choice(SHELLS))
@click.pass_context
def completion(ctx: click.Context, shell: str) -> None:
    """Print the completion script for bash, zsh or fish (see the README to install it)."""
    from click.shell_completion import get_completion_class

    cls = get_completion_class(shell)
    assert cls is not None  # every shell in SHELLS is one Click knows
    script = cls(ctx.find_root().command, {}, "followup", COMPLETE_VAR).source()
    click.echo(script, nl=not script.endswith("\n"))
