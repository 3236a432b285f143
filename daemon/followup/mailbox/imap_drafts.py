"""The IMAP writes: store a draft, take one back, and the probe of ``followup check --write``.

Every write checks what the server advertised first (``imap_caps``) and what it did after:
Drafts is left before APPEND (Courier refuses APPEND to a folder open read-only), the
flags of the appended message are read back and ``\\Draft`` is set on that one message if
the server dropped it, and a draft is removed only by ``UID EXPUNGE`` of its own UID, so
without UIDPLUS it is kept and said so, never expunged with a bare EXPUNGE.
"""

from __future__ import annotations

import datetime as dt
import imaplib
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from imapclient.exceptions import IMAPClientError

from followup.core.errors import CheckSkipped, MailboxUnreachable, WriteRefused
from followup.core.model import WithdrawOutcome
from followup.mailbox.imap_commands import find_selected, search_message_id, uidvalidity
from followup.mailbox.imap_parse import (
    DraftRef,
    content_digest,
    fetch_item,
    has_flag,
    parse_appenduid,
    server_words,
)

log = logging.getLogger(__name__)

DELETED = rb"\Deleted"
DRAFT = rb"\Draft"

Select = Callable[[Any, str, bool], Any]  # (client, folder, readonly) → SELECT answer
Leave = Callable[[Any], None]  # close the selected folder without expunging anything


@dataclass(frozen=True)
class DraftOps:
    """Draft writes on a live connection; the backend passes how it selects and leaves."""

    account: str
    host: str
    select: Select
    leave: Leave

    def find(self, client: Any, drafts: str, message_id: str) -> str | None:
        state = self.select(client, drafts, True)
        return find_selected(client, uidvalidity(client, drafts, state), message_id)

    def store(
        self,
        client: Any,
        drafts: str,
        raw: bytes,
        when: dt.datetime | None,
        message_id: str,
        flags: Sequence[bytes] = (DRAFT,),
    ) -> DraftRef:
        """APPEND ``raw`` to Drafts, then make sure the stored copy has ``flags``."""
        self.leave(client)  # no APPEND into a folder we hold read-only (Courier refuses it)
        try:
            response = client.append(drafts, raw, flags=list(flags), msg_time=when)
        except imaplib.IMAP4.abort:
            raise  # the connection broke: retried on a new one
        except IMAPClientError as exc:
            raise WriteRefused(
                f"the server {self.host} refused to store the draft in {drafts} for account "
                f'{self.account}: "{server_words(exc)}"'
            ) from exc
        state = self.select(client, drafts, True)
        validity = uidvalidity(client, drafts, state)
        placed = parse_appenduid(response)
        if placed is not None and validity in (None, placed[0]):
            # Without a UIDVALIDITY to check it against later, the UID is only good now.
            ref = DraftRef(validity or 0, placed[1], content_digest(raw), message_id)
        else:
            found = find_selected(client, validity, message_id)
            if found is None:
                raise MailboxUnreachable(
                    f"the draft {message_id} was appended to {drafts} on {self.host} but "
                    f"could not be found there again"
                )
            ref = DraftRef.decode(found)
        self._restore_flags(client, drafts, ref.uid, flags)
        return ref

    def _restore_flags(self, client: Any, drafts: str, uid: int, flags: Sequence[bytes]) -> None:
        """Set the flags the server dropped on APPEND (Mailutils keeps none) on that one UID."""
        have = client.fetch([uid], ["FLAGS"]).get(uid, {}).get(b"FLAGS", ())
        missing = [flag for flag in flags if not has_flag(have, flag)]
        if not missing:
            return
        log.info(
            "%s: the server dropped %s on APPEND; setting it on the new draft (UID %d)",
            self.account,
            " ".join(f.decode() for f in missing),
            uid,
        )
        self.select(client, drafts, False)
        client.add_flags([uid], missing, silent=True)

    def withdraw(
        self, client: Any, drafts: str, wanted: DraftRef, tried: list[bool]
    ) -> WithdrawOutcome:
        """Remove our draft if unchanged; without UIDPLUS only look (read-only) and keep it."""
        removable = client.has_capability("UIDPLUS")
        state = self.select(client, drafts, not removable)
        candidates: list[int] = []
        if uidvalidity(client, drafts, state) == wanted.uidvalidity:
            candidates.append(wanted.uid)
        candidates += [
            u for u in search_message_id(client, wanted.message_id) if u not in candidates
        ]
        contents = client.fetch(candidates, ["BODY.PEEK[]"]) if candidates else {}
        present = {uid: fetch_item(data, b"BODY[]") for uid, data in contents.items()}
        same = [
            uid
            for uid, raw in sorted(present.items())
            if raw is not None and content_digest(raw) == wanted.digest
        ]
        if not present:
            return "withdrawn" if tried else "gone"
        if not same:
            return "changed"
        if not removable:
            log.warning(
                "%s: the server lacks UIDPLUS, so draft %s cannot be removed without risking "
                "other deleted mail; it was left in place",
                self.account,
                wanted.message_id,
            )
            return "unsupported"
        tried.append(True)
        client.add_flags(same[:1], [DELETED], silent=True)
        client.uid_expunge(same[:1])
        return "withdrawn"

    def probe(self, client: Any, drafts: str) -> str:
        """Store a probe flagged ``\\Draft \\Deleted`` the way a draft is stored, then remove it."""
        if not client.has_capability("UIDPLUS"):
            raise CheckSkipped(
                f"not tested: the server {self.host} lacks UIDPLUS, so a probe could not be "
                "removed again without risking other mail marked deleted; nothing was written"
            )
        message = probe_message()
        message_id = str(message["Message-ID"]).strip("<>")
        raw = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
        ref = self.store(client, drafts, raw, None, message_id, flags=(DRAFT, DELETED))
        self.select(client, drafts, False)
        client.add_flags([ref.uid], [DELETED], silent=True)
        client.uid_expunge([ref.uid])
        if search_message_id(client, message_id):
            raise WriteRefused(
                f"a probe draft ({message_id}) was stored in {drafts} on {self.host} but could "
                "not be removed again; delete it by hand"
            )
        return f"a probe draft was stored in {drafts} (UID {ref.uid}) and removed again"


def probe_message() -> EmailMessage:
    """A small message that says what it is, should anyone ever see it."""
    message = EmailMessage()
    message["From"] = "followup check <followup-check@invalid>"
    message["Subject"] = "followup check --write: a test draft, removed at once"
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    message["Message-ID"] = f"<followup-probe.{uuid.uuid4().hex}@invalid>"
    message.set_content("followup stored this to prove it can write drafts, then removed it.\n")
    return message
