"""``followup check`` for one account: connect, find the folders, say what the server lacks.

With ``--write`` an IMAP account also stores a probe the way a real draft is stored and
removes it again, so a server that refuses drafts shows up before the first deadline.
"""

from __future__ import annotations

from collections.abc import Callable

from followup.cli.auth import signed_in_note
from followup.config import AccountConfig, Config
from followup.core.errors import CheckSkipped, UserError
from followup.mailbox import open_mailbox


def check_account(config: Config, account: AccountConfig, *, write: bool) -> tuple[bool, list[str]]:
    """(passed, the lines to print) for one account."""
    head = f"account {account.name} ({account.type})"
    try:
        box = open_mailbox(config, account)
        try:
            info = box.folders()
            # A real round trip to Drafts: proves the credentials and the folder work.
            box.find_draft("followup-check@invalid")
            notes_of: Callable[[], list[str]] | None = getattr(box, "server_notes", None)
            notes = notes_of() if notes_of is not None else []
            written = _probe(box) if write else None
        finally:
            box.close()
    except UserError as exc:
        return False, [f"{head}: FAILED: {exc}"]
    lines = [
        f"{head}: ok; {signed_in_note(account)}watching {', '.join(info.watched)}; "
        f"Sent: {info.sent or '(none found)'}; Drafts: {info.drafts}"
    ]
    lines += [f"  server has {note}" for note in notes]
    if written is not None:
        lines.append(f"  write: {written}")
    return True, lines


def _probe(box: object) -> str:
    probe: Callable[[], str] | None = getattr(box, "probe_write", None)
    if probe is None:
        return "not tested: the write probe is for IMAP accounts"
    try:
        return "ok, " + probe()
    except CheckSkipped as exc:
        return str(exc)
