"""IMAP commands on a live imapclient connection that imapclient does not offer as such.

Kept apart from the backend so the backend reads as what it does (sync, drafts), not how
each exchange is spelled on the wire.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from imapclient.exceptions import IMAPClientError
from imapclient.response_parser import parse_fetch_response

from followup.mailbox.imap_parse import DraftRef, content_digest, fetch_item


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


def search_message_id(client: Any, message_id: str) -> list[int]:
    return sorted(client.search(["HEADER", "Message-ID", f"<{message_id}>"]))


def find_selected(client: Any, state: Any, message_id: str) -> str | None:
    uids = search_message_id(client, message_id)
    if not uids:
        return None
    uid = uids[0]
    raw = fetch_item(client.fetch([uid], ["BODY.PEEK[]"]).get(uid, {}), b"BODY[]")
    if raw is None:  # expunged between SEARCH and FETCH
        return None
    return DraftRef(int(state[b"UIDVALIDITY"]), uid, content_digest(raw), message_id).encode()


def fetch_draft(client: Any, uidvalidity: int, wanted: DraftRef) -> bytes | None:
    """The bytes of our draft in the selected Drafts: by its UID, else by its Message-ID."""
    uids = [wanted.uid] if uidvalidity == wanted.uidvalidity else []
    uids += [u for u in search_message_id(client, wanted.message_id) if u not in uids]
    for uid in uids:
        raw = fetch_item(client.fetch([uid], ["BODY.PEEK[]"]).get(uid, {}), b"BODY[]")
        if raw is not None:
            return raw
    return None
