"""Knowledge about applicant-tracking systems and robot senders, shared by matching and drafts."""

from __future__ import annotations

import re
import unicodedata

# Applicant-tracking systems: the vendor's name (as it shows in display names such as
# "Greenhouse Recruiting") and the domains (with subdomains) its mail comes from.
ATS_VENDORS: dict[str, tuple[str, ...]] = {
    "greenhouse": ("greenhouse.io", "greenhouse-mail.io"),
    "lever": ("lever.co", "hire.lever.co"),
    "workday": ("myworkday.com", "myworkdayjobs.com", "workday.com", "myworkdaysite.com"),
    "ashby": ("ashbyhq.com",),
    "smartrecruiters": ("smartrecruiters.com", "smartrecruiters.net"),
    "icims": ("icims.com",),
    "jobvite": ("jobvite.com",),
    "workable": ("workablemail.com", "workable.com"),
    "bamboohr": ("bamboohr.com",),
    "recruitee": ("recruitee.com",),
    "teamtailor": ("teamtailor.com",),
    "breezy": ("breezy.hr",),
    "jazzhr": ("jazzhr.com", "applytojob.com"),
    "successfactors": ("successfactors.com", "jobs2web.com"),
    "taleo": ("taleo.net",),
    "personio": ("personio.de",),
    "pinpoint": ("pinpointhq.com",),
    "gem": ("gem.com",),
    "rippling": ("rippling.com",),
    "dover": ("dover.com",),
    "eightfold": ("eightfold.ai",),
    "avature": ("avature.net",),
    "ultipro": ("ultipro.com",),
    "paylocity": ("paylocity.com",),
    "comeet": ("comeet.co",),
    "homerun": ("homerun.co",),
    "join": ("join.com",),
    "phenom": ("phenompeople.com",),
    "beamery": ("beamery.com",),
    "fountain": ("fountain.com",),
    "hibob": ("hibob.com",),
    "zoho": ("zohorecruit.com",),
    "manatal": ("manatal.com",),
    "freshteam": ("freshteam.com",),
    "clearcompany": ("clearcompany.com",),
    "paradox": ("paradox.ai",),
    "cornerstone": ("csod.com",),
    "hirehive": ("hirehive.com",),
    "recruiterbox": ("recruiterbox.com",),
    "trakstar": ("trakstar.com",),
    "polymer": ("polymer.co",),
    "wellfound": ("wellfound.com",),
}
ATS_DOMAINS: frozenset[str] = frozenset(d for domains in ATS_VENDORS.values() for d in domains)

_NOREPLY = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|mailer-daemon|postmaster|bounces?|"
    r"notifications?|notify|alerts?|automated|auto[-_.]?confirm|system)([-+._].*)?$"
)


def domain_matches(domain: str, listed: str) -> bool:
    """True when ``domain`` is ``listed`` or one of its subdomains (case-insensitive)."""
    domain, listed = domain.lower().rstrip("."), listed.lower().rstrip(".")
    return domain == listed or domain.endswith("." + listed)


def is_ats_domain(domain: str) -> bool:
    """``domain`` or one of its parent domains is an ATS domain.

    A set lookup per label rather than ``domain_matches`` against every listed domain: it
    runs several times per message, and the scan was most of what matching cost.
    """
    name = domain.lower().rstrip(".")
    while True:
        if name in ATS_DOMAINS:
            return True
        _, dot, name = name.partition(".")
        if not dot:
            return False


def is_robot_address(email: str) -> bool:
    """No-reply, notification and bounce mailboxes: never a person to write to."""
    local = email.lower().partition("@")[0]
    return bool(_NOREPLY.match(local))


# Consumer mailbox providers: a contact there says nothing about the company's domain.
FREE_MAIL_DOMAINS: frozenset[str] = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "ymail.com",
        "rocketmail.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "tutanota.com",
        "tuta.io",
        "gmx.com",
        "gmx.net",
        "gmx.de",
        "gmx.at",
        "gmx.ch",
        "web.de",
        "t-online.de",
        "posteo.de",
        "posteo.net",
        "mailbox.org",
        "fastmail.com",
        "fastmail.fm",
        "hey.com",
        "mail.com",
        "zoho.com",
        "zohomail.com",
        "yandex.com",
        "yandex.ru",
        "mail.ru",
        "qq.com",
        "163.com",
        "126.com",
        "naver.com",
        "orange.fr",
        "free.fr",
        "laposte.net",
        "libero.it",
        "seznam.cz",
        "wp.pl",
        "o2.pl",
        "comcast.net",
        "verizon.net",
        "att.net",
        "btinternet.com",
    }
)
_FREE_MAIL_PREFIXES = ("yahoo.", "hotmail.", "outlook.", "live.", "gmx.", "yandex.")


def is_free_mail(domain: str) -> bool:
    d = domain.lower().rstrip(".")
    return d in FREE_MAIL_DOMAINS or d.startswith(_FREE_MAIL_PREFIXES)


# --- naming the company ---------------------------------------------------------------

_LEGAL_SUFFIXES = frozenset(
    {
        "inc",
        "incorporated",
        "llc",
        "llp",
        "ltd",
        "limited",
        "corp",
        "corporation",
        "co",
        "company",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "plc",
        "aps",
        "ab",
        "as",
        "asa",
        "oy",
        "oyj",
        "pty",
        "kg",
        "se",
        "ug",
        "lda",
        "group",
        "holdings",
    }
)
# Words that appear in ATS display names without naming any company (and every
# vendor's own name, below).
_GENERIC_WORDS = frozenset(
    {
        "recruiting",
        "recruitment",
        "recruiter",
        "recruiters",
        "team",
        "talent",
        "acquisition",
        "careers",
        "career",
        "jobs",
        "job",
        "hiring",
        "hr",
        "people",
        "ops",
        "operations",
        "human",
        "resources",
        "the",
        "at",
        "via",
        "from",
        "no",
        "reply",
        "noreply",
        "do",
        "not",
        "donotreply",
        "notifications",
        "notification",
        "candidate",
        "candidates",
        "experience",
        "application",
        "applications",
        "system",
        "mail",
        "email",
        "support",
        "admin",
        "portal",
        "and",
        "of",
        "for",
        "your",
        "on",
        "behalf",
        "services",
        "coordinator",
        "coordination",
        "scheduling",
    }
) | frozenset(ATS_VENDORS)
_NON_WORD = re.compile(r"[^0-9a-z]+")


def _fold(text: str) -> str:
    """Lower-case ASCII-ish words separated by single spaces (accents removed)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("&", " and ")
    return _NON_WORD.sub(" ", plain).strip()


def company_names(company: str) -> tuple[str, ...]:
    """Folded forms of a company name to look for: full, and without a legal suffix."""
    full = _fold(company)
    if not full:
        return ()
    words = full.split()
    while len(words) > 1 and words[-1] in _LEGAL_SUFFIXES:
        words = words[:-1]
    short = " ".join(words)
    names = [full]
    # A one-word short name must be distinctive enough not to be an ordinary word.
    if short != full and (len(words) > 1 or len(short) >= 5):
        names.append(short)
    return tuple(names)


def company_named_in(text: str, company: str) -> int | None:
    """Position of the first whole-word mention of ``company`` in ``text``, or None."""
    if not text:
        return None
    folded = f" {_fold(text[:20000])} "
    best: int | None = None
    for name in company_names(company):
        pos = folded.find(f" {name} ")
        if pos >= 0 and (best is None or pos < best):
            best = pos
    return best


def sender_names_company(sender_name: str, email: str, company: str) -> str:
    """How an ATS sender's display name or address relates to ``company``.

    ``"named"``: it names the company (display name or tenant in the address).
    ``"generic"``: only generic words (``Recruiting Team``, ``no-reply``), so the subject
    or body has to say which company it is about. ``"other"``: it shows some other name
    (another company, or a person).
    """
    names = company_names(company)
    compact = {n.replace(" ", "") for n in names}
    local, _, domain = email.lower().partition("@")
    tokens = {t for t in re.split(r"[^0-9a-z]+", local) if t} | {_NON_WORD.sub("", local)}
    labels = {_NON_WORD.sub("", label) for label in domain.split(".")[:-2]}
    if compact & (tokens | labels):
        return "named"
    folded = f" {_fold(sender_name)} "
    if any(f" {name} " in folded for name in names):
        return "named"
    words = [w for w in folded.split() if w not in _GENERIC_WORDS]
    if not words:
        return "generic"
    # "Jane from Acme": part of the name shows, not enough to be sure, not a contradiction.
    company_words = {w for name in names for w in name.split()}
    return "generic" if set(words) & company_words else "other"


def same_person_name(a: str, b: str) -> bool:
    """Two display names that fold to the same words (accents and case ignored)."""
    fa, fb = _fold(a), _fold(b)
    return bool(fa) and fa == fb


_ACK_RE = re.compile(
    r"\b(?:thanks?(?: you)? for (?:your )?(?:applying|application|submitting your application)"
    r"|(?:we(?: have|'ve|’ve)?|have) (?:successfully )?received your application"
    r"|application (?:has been )?(?:received|submitted|confirmation|complete)"
    r"|your application (?:to|for) .{1,80} (?:has been|was) (?:received|submitted))",
    re.IGNORECASE,
)
_DECISION_RE = re.compile(
    r"\b(?:unfortunately|not (?:be )?(?:moving|move) forward|other candidates|another candidate"
    r"|regret|decided|decision|offer|next round|invit(?:e|ation)|assessment|take-home"
    r"|availability|select (?:a )?times?|book (?:a )?time)",
    re.IGNORECASE,
)


def application_acknowledgement(subject: str, body: str) -> bool:
    """An automatic "thanks for applying" confirmation rather than news about the process."""
    if _ACK_RE.search(subject):
        return True
    opening = body[:1200]
    return bool(_ACK_RE.search(opening)) and not _DECISION_RE.search(opening)


_JOB_ALERT_RE = re.compile(
    r"\b(?:job alerts?|new jobs?\b|jobs? (?:you may|you might|that match|matching)"
    r"|recommended jobs?|is hiring|are hiring|similar jobs|open (?:roles|positions) at)",
    re.IGNORECASE,
)


def job_alert(subject: str, body: str) -> bool:
    """A job-board style alert or recommendation, not news about one application."""
    return bool(_JOB_ALERT_RE.search(subject) or _JOB_ALERT_RE.search(body[:600]))
