"""Mail that relays a person's words: a Google Group, a LinkedIn message notice.

DESIGN §2a: such a message is judged by the person's words, not by the list headers of
the relay, so the reader reads what the person wrote and nothing of the relay's chrome.
"""

from __future__ import annotations

import re

from followup.core.reading.text import compiled, norm, own_text

_GROUP_FOOTER = (
    r"you received this message because you are subscribed to the google groups"
    r"|sie erhalten diese nachricht, weil sie .{0,40}google groups"
    r"|vous recevez ce message,? car vous etes abonne"
    r"|recibiste este mensaje porque estas suscrito"
)
_NOTIFICATION = (
    r"^.{0,80}\b(?:just messaged you|sent you a (?:new )?message|has sent you a message"
    r"|new message from|hat ihnen (?:eine|eine neue) nachricht (?:gesendet|geschickt)"
    r"|vous a envoye un (?:nouveau )?message|te ha enviado un (?:nuevo )?mensaje"
    r"|te envio un mensaje)\b.{0,80}$"
)
_CHROME = (
    r"^\s*(?:view (?:message|conversation|profile)|reply|reply to|see (?:all|the) messages?"
    r"|unsubscribe|you are receiving|this (?:e-?mail|message) was (?:intended|sent)"
    r"|nachricht anzeigen|antworten|voir le message|repondre|ver (?:el )?mensaje|responder"
    r"|©|\(c\))"
)


def relayed_words(subject: str, body: str) -> str | None:
    """The words of the person a relay (a Google Group, a LinkedIn message notice) passes
    on, or None when ``body`` is no such relay."""
    folded = norm(body)
    footer = compiled(_GROUP_FOOTER).search(folded)
    if footer is not None:
        return own_text(body[: footer.start()])
    lines = body.replace("\r\n", "\n").split("\n")
    notice = re.search(_NOTIFICATION, folded.replace("\r\n", "\n"), re.MULTILINE)
    if notice is not None:
        first = folded.replace("\r\n", "\n").count("\n", 0, notice.start()) + 1
    elif compiled(_NOTIFICATION).match(norm(subject)):
        first = 0
    else:
        return None
    words: list[str] = []
    for line in lines[first:]:
        if compiled(_CHROME).match(norm(line)):
            break
        words.append(line.strip().strip('"'))
    return own_text("\n".join(words))
