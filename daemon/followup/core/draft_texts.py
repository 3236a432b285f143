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
        "promised_date",  # only when the company promised a date at the interview
        "promised_by",  # the date named for an answer in the draft's round
        "thanked",  # set when the user already thanked them in that round
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


def format_day_near(d: dt.date, today: dt.date) -> str:
    """``format_day``, with the year when it is not the current one."""
    text = format_day(d)
    return text if d.year == today.year else f"{text}, {d.year}"


def variables_for(
    interview: Interview,
    identity: Identity,
    recipient: Address | None,
    *,
    today: dt.date | None = None,
    promised_by: dt.date | None = None,
    thanked: bool = False,
) -> dict[str, str]:
    """Template variables for one draft; a variable without a value is left out.

    ``today`` decides whether dates carry their year; ``promised_by`` is the date the
    company named for its answer in the draft's round; ``thanked`` says the user already
    thanked them in that round (only then does a draft thank them "again")."""
    now = today or interview.interviewed_on
    values: dict[str, str] = {
        "company": interview.company,
        "role": interview.role,
        "my_name": identity.name,
        "my_first_name": first_name(identity.name),
        "my_email": identity.email,
        "interview_date": format_day_near(interview.interviewed_on, now),
        "interview_day": _WEEKDAYS[interview.interviewed_on.weekday()],
    }
    if recipient is not None and one_line(recipient.name):
        values["interviewer_name"] = one_line(recipient.name)
        values["interviewer"] = first_name(one_line(recipient.name))
    if interview.highlight and interview.highlight.strip():
        values["highlight"] = one_line(interview.highlight)
    if interview.reply_promised_by is not None:
        values["promised_date"] = format_day_near(interview.reply_promised_by, now)
    if promised_by is not None:
        values["promised_by"] = format_day_near(promised_by, now)
    if thanked:
        values["thanked"] = "yes"
    return {k: v for k, v in values.items() if v.strip()}


_GREETING = "{% if interviewer %}Hi {{ interviewer }},{% else %}Hello,{% endif %}\n"

_THANK_YOU_BODY = (
    _GREETING
    + """
Thank you for taking the time to talk with me about the {{ role }} role. I enjoyed our \
conversation, and I'm even more excited about the chance to join {{ company }}.
{% if highlight %}

I've kept thinking about {{ highlight }} since we spoke, and I'd love to hear what you \
think of it.
{% endif %}

Best,
{{ my_name }}
"""
)

_CHECK_IN_BODY = (
    _GREETING
    + """
I hope you're doing well. I'm following up on my interview for the {{ role }} role on \
{{ interview_date }}{% if promised_by %}: you mentioned you hoped to have an update by \
{{ promised_by }}{% endif %}. I'm still very interested in joining {{ company }}.
{% if highlight %}

Since we talked, I've kept thinking about {{ highlight }}, and I'd be glad to hear your \
view on it.
{% endif %}

Is there any news on the next steps? I'm happy to send anything else you need.
{% if thanked %}

Thanks again for your time.
{% endif %}

Best,
{{ my_name }}
"""
)

_CLOSURE_BODY = (
    _GREETING
    + """
I'm writing one last time about the {{ role }} role at {{ company }}. I know hiring keeps \
everyone busy.

If you've decided to go with someone else, I completely understand; a short note would \
help me plan.

Either way, I enjoyed getting to know {{ company }}, and I'd be glad to stay in touch.

All the best,
{{ my_name }}
"""
)

DEFAULT_TEMPLATES: dict[StageName, tuple[str, str]] = {
    "thank_you": ("Thank you for the {{ role }} interview", _THANK_YOU_BODY),
    "check_in": ("Following up on the {{ role }} interview", _CHECK_IN_BODY),
    "closure": ("The {{ role }} role at {{ company }}", _CLOSURE_BODY),
}
