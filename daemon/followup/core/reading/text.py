"""A message's own words: quoted mail, forwarded headers and signatures cut away.

Everything here keeps character positions stable (`norm` maps one character to one),
so that a rule matched on the folded text can quote the original words in its reason.
"""

from __future__ import annotations

import re
from functools import cache

_PUNCT = {
    "\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'", "\u201c": '"', "\u201d": '"',
    "\u201e": '"', "\u00ab": '"', "\u00bb": '"', "\u00a0": " ", "\u202f": " ", "\u2009": " ",
    "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u2010": "-", "\u00ad": " ", "\u200b": " ",
    "\ufeff": " ", "\t": " ",
}  # fmt: skip


@cache
def _fold_table() -> dict[int, str]:
    import unicodedata  # only on the first message, not at import

    table = {ord(k): v for k, v in _PUNCT.items()}
    for cp in range(0xC0, 0x250):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0].lower()
        if base != ch and len(base) == 1 and base.isascii():
            table[cp] = base
    return table


def norm(text: str) -> str:
    """Lower-cased, accents folded, quotes and dashes unified; same length as ``text``."""
    low = text.lower()
    if len(low) != len(text):  # a rare letter whose lower case is two characters
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low.translate(_fold_table())


# --- subjects -------------------------------------------------------------------------

_PREFIX = (
    r"^\s*(?:(?:re|aw|antw|sv|vs|ref|rif|res|rv|r|odp|ynt|wg|fw|fwd|tr|enc|doorst)\s*"
    r"(?:\[\d+\]|\(\d+\))?\s*:|\[[^\]]{0,40}\])\s*"
)


@cache
def _prefix_re() -> re.Pattern[str]:
    return re.compile(_PREFIX, re.IGNORECASE)


def split_subject(subject: str) -> tuple[str, bool]:
    """The subject without Re:/AW:/Fwd: prefixes, and whether it had one (then its words
    are usually the user's own, or the thread's, not the sender's news)."""
    had = False
    previous = None
    while previous != subject:
        previous = subject
        stripped = _prefix_re().sub("", subject, count=1)
        if stripped != subject and not subject.lstrip().startswith("["):
            had = True
        subject = stripped
    return subject.strip(), had


# --- quotes -------------------------------------------------------------------------------

_ATTRIBUTION = (
    r"^\s*(?:on|am|le|el|op|il|den|em|w dniu)\b.{0,300}?\b(?:wrote|schrieb|a ecrit|escribio"
    r"|schreef|ha scritto|skrev|escreveu|napisal)\b.{0,160}?:\s*$"
    r"|^.{0,300}\b(?:wrote|schrieb|a ecrit|escribio)\s*:\s*$"
)
_SEPARATOR = (
    r"^\s*-{2,}\s*(?:original message|ursprungliche nachricht|originalnachricht"
    r"|message d'origine|message original|mensaje original|messaggio originale"
    r"|forwarded message|weitergeleitete nachricht|message transfere|mensaje reenviado)"
    r"\s*-*\s*$"
    r"|^\s*(?:begin forwarded message|anfang der weitergeleiteten nachricht"
    r"|debut du message reexpedie|inicio del mensaje reenviado)\s*:"
)
_HEADER_FROM = r"^\s*\*?(?:from|von|de|da|van|fra)\s*\*?\s*:\s*\*?\s*\S"
_HEADER_OTHER = (
    r"^\s*\*?(?:sent|date|gesendet|datum|envoye|enviado|enviado el|fecha|inviato|to|an|a|para"
    r"|cc|subject|betreff|objet|asunto|oggetto)\s*\*?\s*:"
)
_HEADER_INLINE = r"\s(?:sent|gesendet|envoye|enviado(?: el)?|date|datum|fecha)\s*\*?\s*:\s*\S"
_SIGNATURE_DELIMITER = r"^(?:--|-- |__)\s*$"
_MOBILE = (
    r"^\s*(?:sent from my|von meinem .{0,30} gesendet|envoye de mon|enviado desde mi"
    r"|get outlook for|sent from (?:outlook|mail) for)"
)
_CLOSING = (
    r"^\s*(?:(?:best|kind|warm|warmest|many|with best|with kind)\s+(?:regards|wishes)|best"
    r"|regards|cheers|sincerely(?: yours)?|yours(?: sincerely| truly)?|all the best"
    r"|best of luck|take care|talk soon|many thanks|thanks(?: again| so much)?"
    r"|thank you(?: again| so much)?|happy holidays|have a (?:great|good|nice) (?:day|weekend"
    r"|week|evening)|(?:mit )?(?:freundlichen|besten|herzlichen|lieben|viele|beste|schone"
    r"|sonnige|liebe)?\s*gru(?:ss|ß)(?:e|en)?|mfg|lg|vg|bis bald|schones wochenende"
    r"|(?:bien |tres )?cordialement|bien a (?:vous|toi)|(?:bien )?amicalement"
    r"|salutations(?: distinguees)?|a (?:tres )?(?:bientot|vite)|bonne (?:journee|soiree"
    r"|fin de journee|semaine|continuation)|belle journee|merci(?: encore| beaucoup)?"
    r"|(?:un |muchos )?saludos?(?: cordiales)?|atentamente|cordialmente|un abrazo|abrazos"
    r"|gracias(?: de nuevo)?|mucho exito|hasta pronto|buen fin de semana)"
    r"[\s,.!]*(?:[a-z][\w'.-]*)?[\s,.!]*$"
)
_GREETING = (
    r"^\s*(?:hi|hello|hey|dear|hallo|liebe[r]?|sehr geehrte[r]?|bonjour|cher|chere|hola)\b.{0,40}$"
)
_DISCLAIMER = (
    r"confidential|intended (?:only )?for|disclaimer|environment before printing|vertraulich"
    r"|confidentiel|confidencial|geschaftsfuhrer|amtsgericht|registered (?:office|in)"
)
# A paragraph that is only legal or environmental boilerplate.
_BOILERPLATE = (
    r"this (?:e-?mail|message|communication)\b[^.]{0,80}\b(?:confidential|intended)"
    r"|intended (?:solely |only )?for the (?:use|addressee|recipient)|if you (?:are not|have"
    r" received this)|environment before printing|geschaftsfuhrer|amtsgericht|handelsregister"
    r"|registered (?:office|in england)|diese (?:e-mail|nachricht) (?:ist|enthalt)|ce (?:message"
    r"|courriel|e-mail) (?:est|et|peut) |este (?:correo|mensaje) (?:es|y|contiene|puede)"
    r"|ne pas imprimer|antes de imprimir"
)


@cache
def compiled(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled once, case-insensitive (the rules compile on first use)."""
    return re.compile(pattern, re.IGNORECASE)


def _is_quote_line(line: str) -> bool:
    return line.lstrip().startswith(">")


def _outlook_block(folded: list[str], i: int) -> bool:
    """A "From: … / Sent: …" (Von:/Gesendet:, De :/Envoyé :) header of quoted mail."""
    if not compiled(_HEADER_FROM).match(folded[i]):
        return False
    following = [ln for ln in folded[i + 1 : i + 6] if ln.strip()][:4]
    return any(compiled(_HEADER_OTHER).match(ln) for ln in following)


def _quote_start(folded: list[str], i: int) -> bool:
    line = folded[i]
    if compiled(_SEPARATOR).match(line) or _outlook_block(folded, i):
        return True
    if compiled(_HEADER_FROM).match(line) and compiled(_HEADER_INLINE).search(line):
        return True  # the whole header block run into one line by an HTML conversion
    if re.match(r"^\s*_{8,}\s*$", line):  # Outlook's rule above its header block
        nxt = next((j for j in range(i + 1, min(i + 4, len(folded))) if folded[j].strip()), None)
        return nxt is not None and _outlook_block(folded, nxt)
    return False


def _attribution(folded: list[str], i: int) -> int:
    """How many lines an "On … wrote:" attribution at ``i`` spans (0: none)."""
    if compiled(_ATTRIBUTION).match(folded[i]):
        return 1
    if i + 1 < len(folded) and re.match(r"^\s*(?:on|am|le|el)\s", folded[i]):
        joined = folded[i].rstrip() + " " + folded[i + 1].strip()
        if len(joined) < 320 and compiled(_ATTRIBUTION).match(joined):
            return 2
    return 0


def _cut_quotes(lines: list[str]) -> list[str]:
    folded = ["" if _is_quote_line(line) else norm(line) for line in lines]
    out: list[str] = []
    i = 0
    while i < len(lines):
        if _is_quote_line(lines[i]):  # the cheap case first: long threads are mostly this
            i += 1
            continue
        span = _attribution(folded, i)
        if span:
            rest = [ln for ln in lines[i + span :] if ln.strip()]
            if not rest or not _is_quote_line(rest[0]):
                break  # top-posted reply: everything below is the earlier mail
            i += span  # interleaved answers: keep the unquoted lines below
            continue
        if _quote_start(folded, i):
            break
        out.append(lines[i])
        i += 1
    return out


def _tail_is_signature(tail: list[str]) -> bool:
    filled = [ln for ln in tail if ln.strip()]
    if len(filled) > 9:
        return False
    return all(
        not (len(line) > 90 and not compiled(_DISCLAIMER).search(norm(line))) for line in filled
    )


def _cut_signature(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        if i and (re.match(_SIGNATURE_DELIMITER, line) or compiled(_MOBILE).match(norm(line))):
            lines = lines[:i]
            break
    content = [i for i, ln in enumerate(lines) if ln.strip()]
    for i in reversed(content[1:]):
        if len(content) - content.index(i) > 10:
            break
        closing = norm(lines[i]).split(" / ")[0]  # "Kind regards / Viele Grüße"
        if compiled(_CLOSING).match(closing) and _tail_is_signature(lines[i + 1 :]):
            if any(ln.strip() and not compiled(_GREETING).match(norm(ln)) for ln in lines[:i]):
                lines = lines[:i]  # never leave only "Hi Marcus," behind
            break
    return _drop_name_block(lines)


def _last_paragraph(lines: list[str]) -> int:
    start = len(lines)
    while start > 0 and lines[start - 1].strip():
        start -= 1
    return start


def _is_name_block(block: list[str]) -> bool:
    """Short lines without sentence punctuation: a name, a title, a phone number."""
    if not 1 <= len(block) <= 5:
        return False
    for line in block:
        text = line.strip()
        limit = 80 if re.search(r"[|·@]|\+?\d[\d ()-]{6,}", text) else 60
        if len(text) > limit or text[-1] in ".!?:" or "http" in text or len(text.split()) > 9:
            return False
    return True


def _drop_name_block(lines: list[str]) -> list[str]:
    """Trailing paragraphs that are a name and title, or a legal disclaimer."""
    for _ in range(3):
        while lines and not lines[-1].strip():
            lines = lines[:-1]
        start = _last_paragraph(lines)
        block = lines[start:]
        if start == 0:
            break
        disclaimer = compiled(_BOILERPLATE).search(norm(" ".join(block)))
        if not (disclaimer or _is_name_block(block)):
            break
        lines = lines[:start]
    return lines


def split_body(body: str) -> tuple[str, str]:
    """(own words, the body without quoted mail but with its signature and footer)."""
    lines = _cut_quotes(body.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    own = "\n".join(line.rstrip() for line in _cut_signature(lines)).strip()
    return own, "\n".join(lines).strip()


def own_text(body: str) -> str:
    """The message's own words: quoted earlier mail, forwarded headers and the signature
    removed (see the package docstring for the styles recognised)."""
    return split_body(body)[0]


# --- sentences -------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "vs",
        "etc",
        "eg",
        "ie",
        "zb",
        "bzw",
        "ca",
        "nr",
        "usw",
        "inc",
        "ltd",
        "co",
        "jr",
        "sr",
        "no",
        "approx",
        "dept",
        "mme",
        "mlle",
        "sra",
        "srta",
        "hr",
        "fr",
        "hrn",
        "frau",
        "herr",
        "u.a",
        "z.b",
        "e.g",
        "i.e",
        "tel",
    ]
)


def sentences(original: str, ntext: str, protected: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of the sentences (and ";" clauses) of ``original``, matched on its folded form
    ``ntext``; never splits inside a protected span (a date: "27.11.", "10. Dezember")."""
    cuts: list[int] = []
    shielded = {p for start, end in protected for p in range(start, end)}
    lines = ntext.split("\n")
    pos = 0
    for k, line in enumerate(lines):
        end = pos + len(line)
        wrapped = len(line) >= 60 and not line.rstrip().endswith((".", "!", "?", ":"))
        if k < len(lines) - 1 and not (wrapped and lines[k + 1].strip()):
            cuts.append(end)
        pos = end + 1
    for m in re.finditer(r"[.!?\u2026]+(?=\s)|[;]", ntext):
        p = m.end()
        if m.start() in shielded:
            continue
        if m.group().startswith("."):
            word = re.search(r"([\w.]+)$", ntext[: m.start()])
            token = word.group(1).replace(".", "") if word else ""
            nxt = original[p:].lstrip()[:1]
            if token in _ABBREVIATIONS or (token.isdigit() and len(token) <= 2):
                continue
            if nxt and nxt.islower():
                continue
        cuts.append(p)
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in [*sorted(set(cuts)), len(ntext)]:
        if ntext[start:cut].strip():
            lead = len(ntext[start:cut]) - len(ntext[start:cut].lstrip())
            spans.append((start + lead, cut))
        start = cut
    return spans
