"""Secrets come from a command, systemd credentials or the keyring, and never reach a log."""

from __future__ import annotations

import getpass
import logging
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backends import fail

from followup import credentials
from followup import logs as redact
from followup.core.errors import CredentialsUnavailable
from support.keyrings import MemoryKeyring


class LockedKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


@pytest.fixture(autouse=True)
def no_real_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]


@pytest.fixture
def memory() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


def test_password_command_output_is_stripped() -> None:
    assert credentials.get_secret("mail", "printf '  s3cret-pass\\n\\n'") == "s3cret-pass"


def test_a_failing_password_command_reports_its_stderr() -> None:
    with pytest.raises(CredentialsUnavailable) as info:
        credentials.get_secret("mail", "echo 'gpg: decryption failed' >&2; exit 2")
    assert str(info.value) == (
        "password_command of account mail failed with exit status 2: gpg: decryption failed"
    )


def test_a_password_command_that_prints_nothing_is_an_error() -> None:
    with pytest.raises(CredentialsUnavailable, match="printed nothing"):
        credentials.get_secret("mail", "true")


def test_password_command_wins_over_keyring_and_credentials_directory(
    memory: MemoryKeyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory.set_password("followup", "mail", "from-keyring")
    (tmp_path / "mail").write_text("from-systemd\n")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
    assert credentials.get_secret("mail", "printf from-command") == "from-command"
    assert credentials.get_secret("mail", None) == "from-systemd"


def test_systemd_credentials_directory_is_used_before_the_keyring(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "work").write_text("loaded-credential\n")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
    assert credentials.get_secret("work") == "loaded-credential"


def test_keyring_entry_is_service_followup_user_account(memory: MemoryKeyring) -> None:
    credentials.store_secret("mail", "kept-in-keyring")
    assert memory.entries == {("followup", "mail"): "kept-in-keyring"}
    assert credentials.get_secret("mail") == "kept-in-keyring"


def test_a_missing_keyring_entry_says_how_to_add_one(memory: MemoryKeyring) -> None:
    with pytest.raises(CredentialsUnavailable) as info:
        credentials.get_secret("mail")
    assert "run `followup auth mail` or set password_command" in str(info.value)


def test_no_keyring_backend_says_to_use_password_command() -> None:
    with pytest.raises(CredentialsUnavailable) as info:
        credentials.get_secret("mail")
    assert "no usable keyring" in str(info.value)
    assert "set password_command for account mail" in str(info.value)
    with pytest.raises(CredentialsUnavailable, match="no usable keyring"):
        credentials.store_secret("mail", "x1234")


def test_a_locked_keyring_says_to_unlock_it() -> None:
    keyring.set_keyring(LockedKeyring())
    with pytest.raises(CredentialsUnavailable, match="the keyring is locked; unlock"):
        credentials.get_secret("mail")
    with pytest.raises(CredentialsUnavailable, match="the keyring is locked; unlock"):
        credentials.store_secret("mail", "x1234")


def test_followup_auth_prompts_twice_without_echo_and_stores(
    memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["typed-pass", "typed-pass"])
    prompts: list[str] = []

    def typed(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(getpass, "getpass", typed)
    credentials.prompt_and_store_password("mail")
    assert memory.entries[("followup", "mail")] == "typed-pass"
    assert prompts == ["Password for account mail: ", "Repeat the password: "]


def test_followup_auth_stores_nothing_when_the_passwords_differ(
    memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["one-pass", "other-pass"])
    monkeypatch.setattr(getpass, "getpass", lambda _p: next(answers))
    with pytest.raises(CredentialsUnavailable, match="differ"):
        credentials.prompt_and_store_password("mail")
    assert memory.entries == {}


# redaction --------------------------------------------------------------------------


def test_secrets_handed_out_are_masked_in_every_log_record(
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = credentials.get_secret("mail", "printf hunter2-xyz")
    handler_filter = redact.RedactingFilter()
    caplog.handler.addFilter(handler_filter)
    try:
        logging.getLogger("some.library").warning("login with %s failed", secret)
        try:
            raise RuntimeError(f"bad password {secret}")
        except RuntimeError:
            logging.getLogger("followup.x").exception("boom")
    finally:
        caplog.handler.removeFilter(handler_filter)
    assert "hunter2-xyz" not in caplog.text
    assert "login with **REDACTED** failed" in caplog.text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("> b'KDJE1 LOGIN alice \"pa ss\"'", "> b'KDJE1 LOGIN **REDACTED**"),
        ("> b'A2 AUTHENTICATE PLAIN AGFsaWNl'", "> b'A2 AUTHENTICATE **REDACTED**"),
        (
            "token refresh: access_token=ya29.abc&x=1",
            "token refresh: access_token=**REDACTED**&x=1",
        ),
        ('{"refresh_token": "1//0g-secret"}', '{"refresh_token": **REDACTED**}'),
        ("Authorization: Bearer ya29.a0AfH6", "Authorization: **REDACTED**"),
        (
            "the server at h refused the login for u; check the password",
            "the server at h refused the login for u; check the password",
        ),
    ],
)
def test_credential_looking_text_is_masked(line: str, expected: str) -> None:
    assert redact.redact(line) == expected


def test_install_puts_one_filter_on_the_imap_loggers() -> None:
    redact.install_redaction()
    redact.install_redaction()
    filters = logging.getLogger("imapclient.imaplib").filters
    assert sum(isinstance(f, redact.RedactingFilter) for f in filters) == 1


# where a secret came from (issue 11) ------------------------------------------------


def test_a_secret_knows_its_source_so_a_refusal_names_the_place_to_fix(
    memory: MemoryKeyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_command = credentials.lookup("mail", "printf s3cret-a")
    assert from_command.hint() == "check what password_command of account mail prints"
    memory.set_password("followup", "mail", "s3cret-b")
    assert credentials.lookup("mail").hint() == "store the right one with `followup auth mail`"
    (tmp_path / "mail").write_text("s3cret-c\n")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
    found = credentials.lookup("mail")
    assert (found.value, found.source) == ("s3cret-c", "credentials_directory")
    assert found.hint() == "check the credential file $CREDENTIALS_DIRECTORY/mail"


def test_followup_auth_without_a_keyring_says_so_before_asking_for_anything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def typed(prompt: str) -> str:
        asked.append(prompt)
        return "typed-pass"

    monkeypatch.setattr(getpass, "getpass", typed)
    with pytest.raises(CredentialsUnavailable) as info:
        credentials.prompt_and_store_password("mail")
    assert asked == []
    assert "no usable keyring" in str(info.value)
    assert "set password_command for account mail" in str(info.value)


def test_a_failing_token_command_is_called_by_its_own_name() -> None:
    with pytest.raises(CredentialsUnavailable) as info:
        credentials.get_secret(
            "work", "echo 'oama: not authorized' >&2; exit 1", key="token_command"
        )
    assert str(info.value) == (
        "token_command of account work failed with exit status 1: oama: not authorized"
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "grant_type=device_code&device_code=GAAB-secret&client_id=x",
            "grant_type=device_code&device_code=**REDACTED**&client_id=x",
        ),
        ('{"id_token": "eyJ0eXAi.eyJhdWQi.sig"}', '{"id_token": **REDACTED**}'),
        (
            "user=j@outlook.com\x01auth=Bearer EwA-abc.def\x01",
            "user=j@outlook.com\x01auth=Bearer **REDACTED**\x01",
        ),
    ],
)
def test_oauth2_looking_text_is_masked(line: str, expected: str) -> None:
    assert redact.redact(line) == expected
