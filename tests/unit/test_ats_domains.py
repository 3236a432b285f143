"""Which sender domains belong to an applicant-tracking system: the listed ones and below."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.core.ats import ATS_DOMAINS, domain_matches, is_ats_domain

_listed = st.sampled_from(sorted(ATS_DOMAINS))
_label = st.sampled_from(["us", "mail", "hire", "io", "greenhouse", "lever", "co", "", "x-y"])


@st.composite
def sender_domains(draw: st.DrawFn) -> str:
    """Listed domains with labels before and after, odd case and dots; and plain noise."""
    before = ".".join(draw(st.lists(_label, max_size=3)))
    after = ".".join(draw(st.lists(_label, max_size=2)))
    core = draw(st.one_of(_listed, _label))
    name = ".".join(p for p in (before, core, after) if p or draw(st.booleans()))
    name = "".join(c.upper() if draw(st.booleans()) else c for c in name)
    return name + ("." if draw(st.booleans()) else "")


@given(st.one_of(sender_domains(), st.text("aei.-", max_size=12)))
def test_a_domain_is_an_ats_domain_exactly_when_it_matches_a_listed_one(domain: str) -> None:
    assert is_ats_domain(domain) == any(domain_matches(domain, d) for d in ATS_DOMAINS)


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("greenhouse.io", True),
        ("us.greenhouse-mail.io", True),
        ("Hire.Lever.CO.", True),
        ("notgreenhouse.io", False),
        ("greenhouse.io.example", False),
        ("acme.example", False),
        ("", False),
    ],
)
def test_subdomains_count_and_lookalikes_do_not(domain: str, expected: bool) -> None:
    assert is_ats_domain(domain) is expected
