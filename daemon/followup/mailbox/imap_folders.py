"""Which IMAP folders play which role: configured names first, else SPECIAL-USE, else names.

Servers differ in namespaces (``INBOX.`` prefixes), separators (``.`` or ``/``) and in
whether they announce SPECIAL-USE at all; the pure rules are in ``imap_parse``.
"""

from __future__ import annotations

from typing import Any

from followup.config import ImapAccount
from followup.core.errors import MailboxUnreachable
from followup.core.model import FolderInfo
from followup.mailbox.imap_parse import (
    DRAFTS_FLAG,
    DRAFTS_NAMES,
    SENT_FLAG,
    SENT_NAMES,
    ListRow,
    find_special,
    resolve_name,
)


def resolve_folders(client: Any, account: ImapAccount, host: str) -> FolderInfo:
    rows: list[ListRow] = list(client.list_folders())
    prefix = ""
    if client.has_capability("NAMESPACE"):
        personal = client.namespace().personal or ()
        if personal:
            prefix = str(personal[0][0])
    name = account.name

    def configured(key: str, value: str) -> str:
        found = resolve_name(rows, value, prefix)
        if found is None:
            raise MailboxUnreachable(
                f"the folder {value!r} ({key} of account {name}) does not exist on {host}"
            )
        return found

    watched = tuple(dict.fromkeys(configured("folders", f) for f in account.folders))
    if account.drafts_folder:
        drafts = configured("drafts_folder", account.drafts_folder)
    else:
        found = find_special(rows, DRAFTS_FLAG, DRAFTS_NAMES, prefix)
        if found is None:
            raise MailboxUnreachable(
                f"no Drafts folder was found on {host} (none is marked \\Drafts); set "
                f"drafts_folder for account {name}"
            )
        drafts = found
    if account.sent_folder:
        sent: str | None = configured("sent_folder", account.sent_folder)
    else:
        sent = find_special(rows, SENT_FLAG, SENT_NAMES, prefix)
    return FolderInfo(watched=watched, sent=sent, drafts=drafts)
