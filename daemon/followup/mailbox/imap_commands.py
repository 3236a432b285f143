"""IMAP commands on a live imapclient connection that imapclient does not offer as such.

Kept apart from the backend so the backend reads as what it does (sync, drafts), not how
each exchange is spelled on the wire.
"""

from __future__ import annotations

import imaplib
from collections.abc import Sequence
from typing import Any

from imapclient.exceptions import IMAPClientError
from imapclient.response_parser import parse_fetch_response

from followup.mailbox.imap_parse import DraftRef, content_digest, fetch_item, uidvalidity_in


def fetch_range(client: Any, seqset: str, items: Sequence[str]) -> dict[int, dict[bytes, Any]]:
    """``UID FETCH <seqset>`` for ranges such as ``41:*`` or ``3:90,95``.

    imapclient's ``fetch`` only keeps results for the UIDs it was given one by one, so
    compact and open ranges go through the underlying imaplib object.
    """
    imap = client._imap
    tag = imap._command("UID", "FETCH", seqset, "(" + " ".join(items) + ")")
    typ, data = imap._command_complete("FETCH", tag)
    if typ != "OK":
        raise IMAPClientError(f"FETCH failed: {data[0]!r}")
    typ, data = imap._untagged_response(typ, data, "FETCH")
    parsed: dict[int, dict[bytes, Any]] = parse_fetch_response(data, client.normalise_times, True)
    return parsed


def uidvalidity(client: Any, folder: str, state: Any) -> int | None:
    """The folder's UIDVALIDITY from its SELECT answer, else asked for with STATUS.

    RFC 3501 requires it in the SELECT answer, but a server that leaves it out must not
    crash a sync: None means "unknown", and the caller then trusts no stored UID.
    """
    found = uidvalidity_in(state)
    if found is not None:
        return found
    try:
        return uidvalidity_in(client.folder_status(folder, [b"UIDVALIDITY"]))
    except imaplib.IMAP4.abort:
        raise
    except IMAPClientError:
        return None


def search_message_id(client: Any, message_id: str) -> list[int]:
    return sorted(client.search(["HEADER", "Message-ID", f"<{message_id}>"]))


def find_selected(client: Any, validity: int | None, message_id: str) -> str | None:
    """Our draft in the selected Drafts folder, as a reference (UIDVALIDITY 0: unknown)."""
    uids = search_message_id(client, message_id)
    if not uids:
        return None
    uid = uids[0]
    raw = fetch_item(client.fetch([uid], ["BODY.PEEK[]"]).get(uid, {}), b"BODY[]")
    if raw is None:  # expunged between SEARCH and FETCH
        return None
    return DraftRef(validity or 0, uid, content_digest(raw), message_id).encode()


def fetch_draft(client: Any, uidvalidity: int | None, wanted: DraftRef) -> bytes | None:
    """The bytes of our draft in the selected Drafts: by its UID, else by its Message-ID."""
    uids = [wanted.uid] if uidvalidity == wanted.uidvalidity else []
    uids += [u for u in search_message_id(client, wanted.message_id) if u not in uids]
    for uid in uids:
        raw = fetch_item(client.fetch([uid], ["BODY.PEEK[]"]).get(uid, {}), b"BODY[]")
        if raw is not None:
            return raw
    return None
