"""Contacts in the config are read exactly as ``email.utils.parseaddr`` reads them.

``config.kinds.split_contact`` reads the common forms itself (so no command pays for
importing the email package) and hands everything else to ``parseaddr``.
"""

from __future__ import annotations

from email.utils import parseaddr

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.config.kinds import split_contact

_atom = st.text("abZ09'-", min_size=1, max_size=5)
_local = st.text("aZ9._%+-", min_size=1, max_size=6)
_domain = st.text("ab9.-", min_size=1, max_size=6)
_spaces = st.text(" ", max_size=2)


@st.composite
def contact_like(draw: st.DrawFn) -> str:
    """Strings shaped like "Name <a@b>" or "a@b", with odd spacing, dots and dashes."""
    atoms = draw(st.lists(_atom, max_size=3))
    name = "".join(a + draw(st.text(" ", min_size=1, max_size=3)) for a in atoms).rstrip(" ")
    address = f"{draw(_local)}@{draw(_domain)}"
    if draw(st.booleans()):
        address = f"<{address}>"
    return draw(_spaces) + name + draw(_spaces) + address + draw(_spaces)


@given(st.one_of(contact_like(), st.text("ab9'-.%+@<>(),\" \n\t", max_size=16)))
def test_a_contact_is_split_exactly_as_parseaddr_splits_it(text: str) -> None:
    assert split_contact(text) == parseaddr(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dana Whitfield <dana@acme.com>", ("Dana Whitfield", "dana@acme.com")),
        ("  Dana   Whitfield  <dana@acme.com> ", ("Dana Whitfield", "dana@acme.com")),
        ("dana@acme.com", ("", "dana@acme.com")),
        ('"Whitfield, Dana" <dana@acme.com>', ("Whitfield, Dana", "dana@acme.com")),
        ("José Núñez <jose@acme.com>", ("José Núñez", "jose@acme.com")),
        ("Dana <dana@acme.com> (work)", ("Dana", "dana@acme.com")),
    ],
)
def test_common_and_unusual_contacts_are_read_as_written(
    text: str, expected: tuple[str, str]
) -> None:
    assert split_contact(text) == expected == parseaddr(text)
