"""The sign-in keys of an IMAP account: ``auth``, and what each way of signing in needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from followup.config import Config, ImapAccount, parse_config
from followup.core.errors import ConfigError

HEAD = """
[identity]
name = "Jordan Rivera"
email = "jordan@example.com"

[[accounts]]
name = "outlook"
type = "imap"
host = "outlook.office365.com"
username = "jordan@outlook.com"
"""


def load(extra: str) -> Config:
    return parse_config(HEAD + extra, Path("/etc/followup/test.toml"), "UTC")


def account(extra: str) -> ImapAccount:
    found = load(extra).accounts[0]
    assert isinstance(found, ImapAccount)
    return found


def problems(extra: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load(extra)
    return info.value.problems


def test_an_imap_account_signs_in_with_a_password_by_default() -> None:
    acct = account("")
    assert (acct.auth, acct.token_command, acct.oauth2_provider) == ("password", None, None)


def test_a_microsoft_account_needs_only_its_client_id_and_defaults_to_the_common_tenant() -> None:
    acct = account('auth = "oauth2"\noauth2_provider = "microsoft"\nclient_id = "abc-123"\n')
    assert (acct.auth, acct.oauth2_provider, acct.client_id) == ("oauth2", "microsoft", "abc-123")
    assert acct.tenant == "common"
    assert acct.oauth2_authority is None


def test_a_token_command_is_enough_for_oauth2() -> None:
    acct = account('auth = "oauth2"\ntoken_command = "oama access jordan@outlook.com"\n')
    assert acct.token_command == "oama access jordan@outlook.com"


def test_oauth2_without_a_token_source_says_what_it_needs() -> None:
    assert problems('auth = "oauth2"\n') == [
        "at 'accounts[0].auth': auth = \"oauth2\" needs token_command (a command that prints "
        'an access token) or oauth2_provider = "microsoft" | "google"'
    ]


def test_microsoft_needs_a_client_id() -> None:
    (problem,) = problems('auth = "oauth2"\noauth2_provider = "microsoft"\n')
    assert problem.startswith(
        "at 'accounts[0].client_id': required for oauth2_provider = \"microsoft\""
    )


def test_google_needs_a_client_secrets_file() -> None:
    (problem,) = problems('auth = "oauth2"\noauth2_provider = "google"\n')
    assert problem.startswith(
        "at 'accounts[0].client_secrets_file': required for oauth2_provider = \"google\""
    )


def test_token_command_and_a_provider_together_are_one_too_many() -> None:
    (problem,) = problems(
        'auth = "oauth2"\ntoken_command = "x"\noauth2_provider = "microsoft"\nclient_id = "c"\n'
    )
    assert problem.startswith("at 'accounts[0].token_command': set either token_command or")


def test_oauth2_keys_on_a_password_account_are_reported_where_they_are() -> None:
    assert problems('token_command = "x"\nclient_id = "c"\n') == [
        "at 'accounts[0].token_command': only used with auth = \"oauth2\"",
        "at 'accounts[0].client_id': only used with auth = \"oauth2\"",
    ]


def test_a_password_command_left_over_after_switching_to_oauth2_is_reported() -> None:
    (problem,) = problems('auth = "oauth2"\ntoken_command = "x"\npassword_command = "pass mail"\n')
    assert problem.startswith("at 'accounts[0].password_command': not used with auth = \"oauth2\"")


def test_a_key_of_the_other_provider_is_reported() -> None:
    (problem,) = problems(
        'auth = "oauth2"\noauth2_provider = "google"\nclient_secrets_file = "c.json"\n'
        'tenant = "consumers"\n'
    )
    assert problem == "at 'accounts[0].tenant': only used with oauth2_provider = \"microsoft\""


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            'auth = "oauth"',
            "at 'accounts[0].auth': expected one of password, oauth2, got \"oauth\" "
            '(did you mean "oauth2"?)',
        ),
        (
            'oauth2_provider = "microsft"',
            "at 'accounts[0].oauth2_provider': expected one of microsoft, google, got "
            '"microsft" (did you mean "microsoft"?)',
        ),
        (
            'tenant = "my tenant"',
            'at \'accounts[0].tenant\': expected a tenant like "common", "consumers" or '
            '"contoso.onmicrosoft.com", got "my tenant"',
        ),
    ],
)
def test_bad_values_get_a_message_with_a_hint(line: str, expected: str) -> None:
    extra = 'auth = "oauth2"\noauth2_provider = "microsoft"\nclient_id = "c"\n'
    extra = "\n".join(x for x in extra.splitlines() if not x.startswith(line.split(" ")[0] + " "))
    assert problems(extra + "\n" + line + "\n") == [expected]


def test_the_microsoft_authority_must_be_https() -> None:
    (problem,) = problems(
        'auth = "oauth2"\noauth2_provider = "microsoft"\nclient_id = "c"\n'
        'oauth2_authority = "http://login.example"\n'
    )
    assert problem == "at 'accounts[0].oauth2_authority': Microsoft sign-in needs an https:// URL"


def test_an_access_token_in_the_config_is_refused_without_echoing_it() -> None:
    found = problems('auth = "oauth2"\ntoken_command = "x"\naccess_token = "EwA-very-secret"\n')
    assert len(found) == 1
    assert found[0].startswith("at 'accounts[0].access_token': secrets never go in the config")
    assert "EwA-very-secret" not in found[0]


def test_a_path_under_the_home_of_an_unknown_user_is_a_problem_not_a_crash() -> None:
    (problem,) = problems(
        'auth = "oauth2"\noauth2_provider = "google"\n'
        'client_secrets_file = "~no-such-user-here/c.json"\n'
    )
    assert problem == (
        "at 'accounts[0].client_secrets_file': cannot expand \"~no-such-user-here/c.json\": "
        "no such user's home directory"
    )
