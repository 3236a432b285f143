"""The order in which the kind rules are asked, and the phrase each decision quotes.

Decisive news first (a rejection or an offer beats anything else said in passing), then
mail that is not about the candidacy, then steps, then the wait (delay), and last the
two kinds that would let a follow-up go out: `courtesy` only when every sentence is
thanks or pleasantries, otherwise `reply` -- DESIGN §2a: when in doubt, a reply.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from followup.core.reading import talk as t
from followup.core.reading import vocabulary as v
from followup.core.reading.model import Invite, Kind
from followup.core.reading.promises import Promise, promised_by

Family = tuple[str, ...]


@cache
def _union(family: Family) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in family), re.MULTILINE)


def find(family: Family, ntext: str) -> re.Match[str] | None:
    return _union(family).search(ntext)


class View(NamedTuple):
    """One message as the rules see it: own words (``text``, folded ``ntext``), the subject
    without prefixes, sentence/clause spans and the promises found in them."""

    text: str
    ntext: str
    subject: str
    nsubject: str
    reply_subject: bool
    unquoted: str  # the body without quotes but with its footer (marketing lives there)
    nunquoted: str
    clauses: tuple[tuple[int, int], ...]
    promises: tuple[Promise, ...]
    automatic: str | None
    relayed: bool
    invite: Invite | None
    thanks_reply: bool


class Decision(NamedTuple):
    kind: Kind | None
    reason: str
    promise: Promise | None = None


def quote(text: str, start: int, end: int) -> str:
    phrase = " ".join(text[start:end].split())
    return phrase if len(phrase) <= 90 else phrase[:87].rstrip() + "…"


def _said(view: View, m: re.Match[str], in_subject: bool = False) -> str:
    """The matched phrase in the sender's own spelling, widened to whole words."""
    return _span(view.subject if in_subject else view.text, m.start(), m.end())


def _span(source: str, start: int, end: int) -> str:
    """``source[start:end]`` widened to whole words and on to the end of its phrase (a
    comma or the sentence's end, at most 40 characters more), quoted."""
    while start > 0 and source[start - 1].isalnum():
        start -= 1
    tail = source[end : end + 40]
    stop = re.search(r"[,.;:!?\n]", tail)
    if stop:
        end += stop.start()
    elif len(tail) == 40 and " " in tail:
        end += tail.rindex(" ")  # a long sentence: stop at a word
    while end < len(source) and (source[end].isalnum() or source[end] in "'’"):
        end += 1
    return f'"{quote(source, start, end)}"'


def _clause_at(view: View, pos: int) -> tuple[int, int]:
    for start, end in view.clauses:
        if start <= pos < end:
            return start, end
    return pos, pos


def _next_step(view: View) -> re.Match[str] | None:
    strong = find(v.NEXT_STEP_STRONG, view.ntext)
    if strong:
        return strong
    for m in _union(v.NEXT_STEP_WEAK).finditer(view.ntext):
        start, end = _clause_at(view, m.start())
        if not find(v.NOT_A_STEP_CONTEXT, view.ntext[start:end]):
            return m
    return None


def _automatic(view: View) -> Decision | None:
    what = view.automatic
    if what is None or view.relayed:
        return None
    if re.search(r"bulk|list|newsletter|marketing|promotion|job alert|digest", what, re.I):
        return Decision(None, f"not about the candidacy: automatic mail ({what})")
    if view.invite is not None and view.invite.method == "REQUEST":
        return None  # an invitation is never an out-of-office
    if what.lower().startswith("auto-generated"):  # a system's decision is still news
        if m := find(v.REJECTION, view.ntext):
            return Decision("rejection", f"rejection: {_said(view, m)} (automatic: {what})")
        if m := find(v.OFFER, view.ntext):
            return Decision("offer", f"offer: {_said(view, m)} (automatic: {what})")
        if m := find(v.NEXT_STEP_STRONG, view.ntext):
            return Decision("next_step", f"next_step: {_said(view, m)} (automatic: {what})")
    return Decision("auto_reply", f"auto_reply: automatic mail ({what})")


_SOFT = (t.THANKS, t.ACKNOWLEDGE, t.IN_TOUCH, t.PLEASANTRY, t.GREETING)


def _soft(view: View, start: int, end: int) -> bool:
    """Whether a clause says nothing new: each comma-separated part is thanks, a
    pleasantry, an acknowledgement, a greeting, a bare name, or an undated promise."""
    if any(p.clause == (start, end) and p.hit is None for p in view.promises):
        return True
    for part in re.split(r",\s|\s[-–]\s", view.ntext[start:end]):
        if len(re.findall(r"\w+", part)) <= 3 and not re.search(r"[.!?]", part.strip()[:-1]):
            continue  # a name, "Thanks" or "Ok."
        if not any(find(f, part) for f in _SOFT):
            return False
    return True


def _courtesy(view: View) -> Decision | None:
    if find(t.ANSWER, view.ntext):
        return None
    phrase = find(t.THANKS, view.ntext) or find(t.ACKNOWLEDGE, view.ntext)
    phrase = phrase or find(t.IN_TOUCH, view.ntext)
    if any(not _soft(view, *c) for c in view.clauses):
        return None
    if phrase:
        return Decision("courtesy", f"courtesy: thanks with no news ({_said(view, phrase)})")
    if view.thanks_reply:
        return Decision("courtesy", "courtesy: only pleasantries, in answer to the thank-you note")
    return None


# A promise only to send something (a document, the slots) is no word on the decision.
_ONLY_SENDING = (
    r"^(?:\S+\s+){0,3}?(?:send|share|schick|sende|envoi|envoy|enverr|envi|mand|compart)",
)


def _delay(view: View) -> Decision | None:
    dated = promised_by(list(view.promises))
    hold = find(v.HOLD_UP, view.ntext)
    if dated is not None:
        cue_words = view.ntext[dated.cue[0] : dated.cue[1]]
        if hold or not find(t.ANSWER, view.ntext) or not find(_ONLY_SENDING, cue_words):
            said = _said(view, hold) if hold else _span(view.text, *dated.cue)
            return Decision("delay", f"delay: {said}", dated)
    if hold:
        return Decision("delay", f"delay: {_said(view, hold)}")
    weak = find(v.HOLD_UP_WEAK, view.ntext)
    if weak and view.promises and not find(t.ANSWER, view.ntext):
        return Decision("delay", f"delay: {_said(view, weak)}")
    return None


def decide(view: View) -> Decision:
    """The kind of one message and the phrase that decided it."""
    auto = _automatic(view)
    if auto is not None:
        return auto
    if not (view.automatic or view.reply_subject) and (
        m := find(t.OUT_OF_OFFICE_SUBJECT, view.nsubject)
    ):
        return Decision("auto_reply", f"auto_reply: subject {_said(view, m, True)}")
    if view.reply_subject and (m := find(t.FEEDBACK_GIVEN, view.ntext)):
        return Decision("reply", f"reply: feedback after the decision ({_said(view, m)})")
    if m := find(v.REJECTION, view.ntext):
        return Decision("rejection", f"rejection: {_said(view, m)}")
    if m := find(v.OFFER, view.ntext):
        return Decision("offer", f"offer: {_said(view, m)}")
    if not view.reply_subject and (m := find(v.OFFER_SUBJECT, view.nsubject)):
        return Decision("offer", f"offer: subject {_said(view, m, True)}")
    if view.reply_subject and find(v.OFFER_WORD, view.nsubject):
        return Decision("reply", "reply: an answer in the conversation about the offer")
    if m := find(v.NOT_ABOUT, view.ntext):
        return Decision(None, f"not about the candidacy: {_said(view, m)}")
    if view.invite is not None and view.invite.method == "REQUEST":
        what = f' "{view.invite.summary}"' if view.invite.summary else ""
        return Decision("next_step", f"next_step: calendar invitation (METHOD:REQUEST){what}",
                        promised_by(list(view.promises)))  # fmt: skip
    step = find(v.NEXT_STEP_STRONG, view.ntext)
    if step is None and (m := find(v.MARKETING, view.nunquoted)):
        return Decision(None, f"not about the candidacy: {_span(view.unquoted, *m.span())}")
    if step is None and not view.reply_subject and (m := find(v.MARKETING, view.nsubject)):
        return Decision(None, f"not about the candidacy: subject {_said(view, m, True)}")
    if step is None and (m := find(v.APPLICATION_RECEIPT, view.ntext)):
        return Decision(None, f"not about the candidacy: an application receipt ({_said(view, m)})")
    step = step or _next_step(view)
    if step is not None:
        return Decision(
            "next_step", f"next_step: {_said(view, step)}", promised_by(list(view.promises))
        )
    if (m := find(t.OUT_OF_OFFICE, view.ntext)) and m.start() < 300 and len(view.ntext) < 800:
        return Decision("auto_reply", f"auto_reply: {_said(view, m)}")  # a short notice of absence
    delay = _delay(view)
    if delay is not None:
        return delay
    if not view.reply_subject and (m := find(v.NEXT_STEP_WEAK, view.nsubject)):
        return Decision("next_step", f"next_step: subject {_said(view, m, True)}")
    courtesy = _courtesy(view)
    if courtesy is not None:
        return courtesy
    first = next((quote(view.text, s, e) for s, e in view.clauses if not _soft(view, s, e)), "")
    said = f' ("{first}")' if first else ""
    return Decision("reply", f"reply: a person's answer with no decision, step or promise{said}")
