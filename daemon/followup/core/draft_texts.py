"""What the built-in drafts say, and the variables every draft template may use.

The default texts follow the advice the program encodes: short, warm, specific, never
accusatory; the check-in offers the user's own idea and asks for a view on it.
"""

from __future__ import annotations

import datetime as dt

from followup.core.model import Address, Identity, Interview, StageName
from followup.core.templating import check_template
from followup.core.text import one_line

KNOWN_VARIABLES: frozenset[str] = frozenset(
    {
        "company",
        "role",
        "interviewer",  # first name of the person written to
        "interviewer_name",  # their full display name
        "my_name",
        "my_first_name",
        "my_email",
        "highlight",
        "interview_date",  # "Monday, November 16"
        "interview_day",  # "Monday"
        "promised_date",  # only when the company promised a date
    }
)


def check_draft_template(text: str) -> list[str]:
    """Every problem in a draft template, unknown variables included."""
    return check_template(text, KNOWN_VARIABLES)


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_TITLES = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "sir", "dame"})


def format_day(d: dt.date) -> str:
    """``Monday, November 16``: English regardless of the process locale."""
    return f"{_WEEKDAYS[d.weekday()]}, {_MONTHS[d.month - 1]} {d.day}"


def first_name(display_name: str) -> str:
    """The given name in a display name ("Whitfield, Dana" and "Dr. Dana Whitfield" → Dana)."""
    name = display_name.strip().strip("\"'").strip()
    if "," in name:
        family, _, given = name.partition(",")
        name = given.strip() or family.strip()
    words = [w for w in name.split() if w.rstrip(".").lower() not in _TITLES]
    return words[0] if words else ""


def variables_for(
    interview: Interview, identity: Identity, recipient: Address | None
) -> dict[str, str]:
    """Template variables for one interview; a variable without a value is left out."""
    values: dict[str, str] = {
        "company": interview.company,
        "role": interview.role,
        "my_name": identity.name,
        "my_first_name": first_name(identity.name),
        "my_email": identity.email,
        "interview_date": format_day(interview.interviewed_on),
        "interview_day": _WEEKDAYS[interview.interviewed_on.weekday()],
    }
    if recipient is not None and one_line(recipient.name):
        values["interviewer_name"] = one_line(recipient.name)
        values["interviewer"] = first_name(one_line(recipient.name))
    if interview.highlight and interview.highlight.strip():
        values["highlight"] = interview.highlight.strip()
    if interview.reply_promised_by is not None:
        values["promised_date"] = format_day(interview.reply_promised_by)
    return {k: v for k, v in values.items() if v.strip()}


_GREETING = "{% if interviewer %}Hi {{ interviewer }},{% else %}Hello,{% endif %}\n"

_THANK_YOU_BODY = (
    _GREETING
    + """
Thank you for taking the time to speak with me about the {{ role }} role at \
{{ company }}. I really enjoyed our conversation, and it left me even more excited about \
the team and the work ahead.
{% if highlight %}

I have been thinking more about {{ highlight }} since we talked, and I would be glad to \
share a few more thoughts on it whenever that is useful.
{% endif %}

If there is anything else I can send you, please let me know. I look forward to hearing \
about the next steps.

Best regards,
{{ my_name }}
"""
)

_CHECK_IN_BODY = (
    _GREETING
    + """
I hope your week is going well. I wanted to follow up on our conversation on \
{{ interview_date }} about the {{ role }} role at {{ company }}. I am still very \
enthusiastic about the opportunity.
{% if highlight %}

Since we spoke, I have kept thinking about {{ highlight }} and have a few further ideas I \
did not get the chance to mention. I would love to hear your view on them, and I am happy \
to walk you through them if that would help.
{% endif %}

Could you let me know where things stand and what the next steps might be? If there is \
anything else I can provide, I will gladly send it.

Thank you again for your time.

Best regards,
{{ my_name }}
"""
)

_CLOSURE_BODY = (
    _GREETING
    + """
I am reaching out one last time about the {{ role }} role at {{ company }}. I know how \
busy hiring can be, and I do not want to crowd your inbox.

If the position has been filled or you have decided to go in another direction, I \
completely understand; a short note would help me plan, and I would be grateful for it.

Either way, thank you for the time you and the team spent with me. I enjoyed learning \
about {{ company }}, and I would be happy to stay in touch for future opportunities.

All the best,
{{ my_name }}
"""
)

DEFAULT_TEMPLATES: dict[StageName, tuple[str, str]] = {
    "thank_you": ("Thank you for the {{ role }} interview", _THANK_YOU_BODY),
    "check_in": ("Following up on the {{ role }} interview", _CHECK_IN_BODY),
    "closure": ("The {{ role }} role at {{ company }}", _CLOSURE_BODY),
}
