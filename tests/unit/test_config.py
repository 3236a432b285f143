"""The config loader: every kind of problem, reported all at once with its key path."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followup.config import (
    Config,
    GmailAccount,
    ImapAccount,
    MaildirAccount,
    find_config_path,
    load_config,
    parse_config,
    schema,
    starter,
    system_timezone,
)
from followup.config.keys import REQUIRED
from followup.core.errors import EXIT_CONFIG, ConfigError
from followup.core.model import Address
from support.paths import REPO

EXAMPLE = REPO / "config.example.toml"

IDENTITY = """
[identity]
name = "Jordan Rivera"
email = "jordan@example.com"
"""
MAILDIR = """
[[accounts]]
name = "mail"
type = "maildir"
path = "/srv/mail/jordan"
"""
BASE = IDENTITY + '\n[schedule]\ntimezone = "America/New_York"\n' + MAILDIR


def imap_at(config: Config, i: int = 0) -> ImapAccount:
    account = config.accounts[i]
    assert isinstance(account, ImapAccount), account
    return account


def gmail_at(config: Config, i: int = 0) -> GmailAccount:
    account = config.accounts[i]
    assert isinstance(account, GmailAccount), account
    return account


def load(text: str) -> Config:
    return parse_config(text, Path("/etc/followup/test.toml"))


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load(text)
    return info.value.problems


def only_problem(text: str) -> str:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


def interview(extra: str = "", *, id: str = "acme-backend") -> str:
    return f"""
[[interviews]]
id = "{id}"
company = "Acme Corp"
role = "Backend Engineer"
interviewed_on = 2026-11-16
{extra}
"""


# ---------------------------------------------------------------- the example and starter


def test_example_config_loads() -> None:
    config = load_config(EXAMPLE)
    assert config.identity.email == "jordan@example.com"
    assert [a.type for a in config.accounts] == ["maildir"]
    assert [i.id for i in config.interviews] == ["acme-backend", "globex-platform"]
    assert config.interviews[1].domains == ("globex.io",)
    assert "check_in" in config.templates


def _documented_keys(text: str) -> set[str]:
    """``section.key`` for every key assigned (or shown commented out) with a comment."""
    found: set[str] = set()
    section = ""
    in_string = False
    previous_is_comment = False
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if in_string:
            in_string = line.count('"""') % 2 == 0
            continue
        body = line.removeprefix("#").strip()
        header = re.match(r"^\[\[?([a-z_.]+)\]\]?", body)
        if header:
            section = re.sub(r"^templates\.[a-z_]+$", "templates.*", header[1])
        else:
            key = re.match(r"^([a-z0-9_]+)\s*=", body)
            if key and section:
                commented = "#" in body[key.end() :] or previous_is_comment
                if commented:
                    found.add(f"{section}.{key[1]}")
        if line.count('"""') % 2 == 1 and not line.startswith("#"):
            in_string = True
        previous_is_comment = line.startswith("#") and not re.match(r"^#\s*[a-z0-9_]+\s*=", line)
    return found


def test_example_config_documents_every_schema_key() -> None:
    documented = _documented_keys(EXAMPLE.read_text(encoding="utf-8"))
    missing = [k for k in schema.all_key_paths() if k not in documented]
    assert missing == []


def test_documentation_check_notices_an_undocumented_key() -> None:
    documented = _documented_keys("[daemon]\npoll_interval = '5m'\n# where\nstate_dir = 'x'\n")
    assert documented == {"daemon.state_dir"}


def test_example_config_shows_every_contract_key_from_the_design() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    keys = ("aliases", "password_command", "sent_folder", "drafts_folder", "highlight")
    oauth2 = ("auth", "token_command", "oauth2_provider", "client_id", "client_secrets_file")
    for key in keys + oauth2:
        assert re.search(rf"^#?\s*{key} =", text, re.MULTILINE), key


@pytest.mark.parametrize("account_type", ["imap", "maildir", "gmail"])
def test_starter_config_loads_for_each_account_type(account_type: str) -> None:
    text = starter.starter_config(
        name="Sam Lee", email="sam@example.net", timezone="Europe/Berlin", account_type=account_type
    )
    config = load(text)
    assert config.identity.name == "Sam Lee"
    assert config.schedule.timezone == "Europe/Berlin"
    assert config.accounts[0].type == account_type
    assert config.interviews == ()


def test_starter_config_mentions_every_schema_key() -> None:
    text = starter.starter_config() + starter.starter_config(account_type="gmail")
    text += starter.starter_config(account_type="maildir")
    for path in schema.all_key_paths():
        assert re.search(rf"^(# )?{path.rpartition('.')[2]} =", text, re.MULTILINE), path


def test_schema_defaults_match_the_loaded_defaults() -> None:
    explicit = ["[schedule]", 'timezone = "America/New_York"']
    for section in (schema.SCHEDULE, schema.DAEMON):
        if section is schema.DAEMON:
            explicit.append("[daemon]")
        for key in section.keys:
            if key.default is not None and key.default is not REQUIRED:
                explicit.append(f"{key.name} = {schema.toml_value(key.default)}")
    written = load(IDENTITY + "\n".join(explicit) + "\n" + MAILDIR)
    assert written == load(BASE)


# ---------------------------------------------------------------- whole-file problems


def test_toml_syntax_error_reports_line_and_column() -> None:
    problem = only_problem(IDENTITY + "\n[schedule\n")
    assert problem.startswith("TOML syntax error")
    assert "line 6" in problem
    assert "column" in problem


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ("interviewed_on = 2026-13-01", "2026-13-01 is not a day on the calendar"),
        ("interviewed_on = 2026-02-30", "2026-02-30 is not a day on the calendar"),
        ("interviewed_on = 2026-1-5", "e.g. 2026-01-05"),
        ("company = Acme Corp", 'text needs quotes: company = "Acme Corp"'),
    ],
)
def test_a_toml_syntax_error_says_what_the_line_most_likely_meant(line: str, hint: str) -> None:
    problem = only_problem(IDENTITY + MAILDIR + '[[interviews]]\nid = "acme"\n' + line + "\n")
    assert problem.startswith("TOML syntax error"), problem
    assert hint in problem, problem


def test_a_toml_syntax_error_on_a_line_without_a_likely_cause_has_no_guess() -> None:
    problem = only_problem(IDENTITY + "\n[schedule\n")
    assert "; " not in problem.partition("(at line")[2], problem


def test_config_error_carries_path_and_exit_code() -> None:
    with pytest.raises(ConfigError) as info:
        load("")
    assert info.value.path == "/etc/followup/test.toml"
    assert info.value.exit_code == EXIT_CONFIG
    assert "/etc/followup/test.toml" in str(info.value)


def test_empty_file_asks_for_identity_and_an_account() -> None:
    assert problems("") == [
        "at 'identity': the [identity] table with name and email is required",
        "at 'accounts': at least one [[accounts]] table is required",
    ]


def test_an_empty_account_list_is_rejected() -> None:
    text = "accounts = []\n" + IDENTITY
    assert only_problem(text) == "at 'accounts': at least one [[accounts]] table is required"


def test_several_problems_are_reported_at_once_with_their_paths() -> None:
    text = (
        BASE.replace("jordan@example.com", "jordan-at-example")
        + '[daemon]\npoll_interval = "soon"\n'
        + interview('reply_promised_by = "soon"')
        + interview('reply_promised_by = "next friday"', id="b")
        + interview('contacts = ["Dana"]', id="Bad Id")
    )
    found = problems(text)
    paths = [re.match(r"at '([^']+)'", p)[1] for p in found]  # type: ignore[index]
    assert paths == [
        "identity.email",
        "daemon.poll_interval",
        "interviews[0].reply_promised_by",
        "interviews[1].reply_promised_by",
        "interviews[2].id",
        "interviews[2].contacts[0]",
    ]
    assert (
        "at 'interviews[1].reply_promised_by': expected a date like 2026-11-20, "
        'got "next friday"' in found
    )


def test_unknown_key_is_rejected_with_a_did_you_mean_hint() -> None:
    problem = only_problem(BASE.replace("[schedule]", "[schedule]\ngrace_buisness_days = 3"))
    assert problem == (
        "at 'schedule.grace_buisness_days': unknown key (did you mean \"grace_business_days\"?)"
    )


def test_unknown_section_is_rejected_with_a_hint() -> None:
    problem = only_problem(BASE + "[[interview]]\nid = 'x'\n")
    assert problem == "at 'interview': unknown key (did you mean \"interviews\"?)"


def test_unknown_key_far_from_any_name_gets_no_hint() -> None:
    assert only_problem(BASE + "[daemon]\nzzz = 1\n") == "at 'daemon.zzz': unknown key"


def test_loading_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(BASE + interview(), encoding="utf-8")
    before = {p: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    load_config(path)
    assert {p: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == before


def test_missing_file_is_a_config_error_pointing_at_init(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "nope.toml")
    assert "followup init" in info.value.problems[0]


def test_non_utf8_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"[identity]\nname = '\xff'\n")
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config(path)


# ---------------------------------------------------------------- secrets


def test_password_key_says_where_the_password_belongs() -> None:
    problem = only_problem(BASE + 'password = "hunter2-secret-value"\n')
    assert problem.startswith("at 'accounts[0].password': ")
    assert "`followup auth mail`" in problem
    assert "password_command" in problem
    assert "$CREDENTIALS_DIRECTORY" in problem
    assert "hunter2" not in problem


@pytest.mark.parametrize(
    ("snippet", "path"),
    [
        ('[identity]\nname = "J"\nemail = "j@x.org"\npassword = "pw"\n', "identity.password"),
        ('oauth_token = "abc"\n', "oauth_token"),
        ('[extra]\nclient_secret = "abc"\n', "extra.client_secret"),
        (
            '[[accounts]]\nname = "g"\ntype = "gmail"\nrefresh_token = "x"\n',
            "accounts[0].refresh_token",
        ),
        ('[[accounts]]\nname = "i"\nAPI_KEY = "x"\n', "accounts[0].API_KEY"),
    ],
)
def test_secret_looking_keys_are_rejected_anywhere(snippet: str, path: str) -> None:
    found = problems(snippet)
    secret = [p for p in found if p.startswith(f"at '{path}': secrets never go")]
    assert len(secret) == 1, found
    assert not any("did you mean" in p and path in p for p in found)


def test_secret_problem_names_the_account_to_authenticate() -> None:
    text = IDENTITY + MAILDIR.replace('"mail"', '"work"') + 'passwd = "x"\n'
    assert "`followup auth work`" in only_problem(text)


def test_commands_and_secret_file_paths_are_not_mistaken_for_secrets() -> None:
    text = (
        IDENTITY
        + """
[[accounts]]
name = "imap"
type = "imap"
host = "imap.example.com"
username = "jordan"
password_command = "pass show mail"

[[accounts]]
name = "gmail"
type = "gmail"
client_secrets_file = "~/secrets.json"
token_command = "pass show token"
"""
    )
    config = load(text + interview('account = "gmail"'))
    assert imap_at(config).password_command == "pass show mail"
    assert gmail_at(config, 1).client_secrets_file == Path("~/secrets.json").expanduser()


# ---------------------------------------------------------------- identity and schedule


@pytest.mark.parametrize("email", ["jordan", "jordan@", "@example.com", "a b@example.com", 7])
def test_identity_email_must_be_an_address(email: object) -> None:
    value = f'"{email}"' if isinstance(email, str) else str(email)
    text = BASE.replace('"jordan@example.com"', value)
    assert only_problem(text).startswith("at 'identity.email': expected an email address")


def test_alias_problems_point_at_the_item() -> None:
    text = BASE.replace("[schedule]", 'aliases = ["ok@example.com", "nope"]\n[schedule]')
    assert only_problem(text).startswith("at 'identity.aliases[1]': expected an email address")


def test_identity_name_is_required() -> None:
    text = BASE.replace('name = "Jordan Rivera"\n', "")
    assert only_problem(text) == "at 'identity.name': required key is missing"


def test_unknown_timezone_is_rejected() -> None:
    problem = only_problem(BASE.replace("America/New_York", "Mars/Olympus"))
    assert problem == (
        "at 'schedule.timezone': expected an IANA time zone like \"Europe/Berlin\", "
        'got "Mars/Olympus"'
    )


def test_timezone_defaults_to_tz_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert load(IDENTITY + MAILDIR).schedule.timezone == "Asia/Tokyo"


def test_system_timezone_accepts_a_zoneinfo_path_in_tz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", ":/usr/share/zoneinfo/Europe/Paris")
    assert system_timezone() == "Europe/Paris"


def test_system_timezone_ignores_a_bogus_tz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Not/AZone")
    ZoneInfo(system_timezone())  # always a loadable zone, UTC at worst


def test_workdays_become_weekday_numbers() -> None:
    text = BASE.replace("[schedule]", '[schedule]\nworkdays = ["sun", "Monday", "tue", "mon"]')
    assert load(text).schedule.workdays == (0, 1, 6)


def test_unknown_workday_is_reported_at_its_index() -> None:
    text = BASE.replace("[schedule]", '[schedule]\nworkdays = ["mon", "fry"]')
    assert only_problem(text).startswith("at 'schedule.workdays[1]': expected a day name")


def test_empty_workdays_are_rejected() -> None:
    text = BASE.replace("[schedule]", "[schedule]\nworkdays = []")
    assert only_problem(text) == "at 'schedule.workdays': needs at least one day"


def test_holidays_with_a_region_are_accepted() -> None:
    text = BASE.replace("[schedule]", '[schedule]\nholidays = "DE-BY"')
    assert load(text).schedule.holidays == "DE-BY"


def test_unknown_holiday_country_is_reported() -> None:
    text = BASE.replace("[schedule]", '[schedule]\nholidays = "XX"')
    problem = only_problem(text)
    assert problem.startswith("at 'schedule.holidays': ")
    assert "XX" in problem


@pytest.mark.parametrize("value", ['"25:00"', '"9am"', '"09:60"', "9"])
def test_times_must_be_hh_mm(value: str) -> None:
    text = BASE.replace("[schedule]", f"[schedule]\ndraft_time = {value}")
    assert only_problem(text).startswith("at 'schedule.draft_time': expected a time like")


def test_times_accept_strings_and_toml_local_times() -> None:
    text = BASE.replace("[schedule]", '[schedule]\ndraft_time = "8:30"\nthank_you_time = 18:15:00')
    schedule = load(text).schedule
    assert (schedule.draft_time, schedule.thank_you_time) == (dt.time(8, 30), dt.time(18, 15))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("30s", dt.timedelta(seconds=30)),
        ("5m", dt.timedelta(minutes=5)),
        ("1h", dt.timedelta(hours=1)),
        ("2h30m", dt.timedelta(hours=2, minutes=30)),
    ],
)
def test_durations_are_parsed(value: str, expected: dt.timedelta) -> None:
    config = load(BASE + f'[daemon]\npoll_interval = "{value}"\n')
    assert config.daemon.poll_interval == expected


@pytest.mark.parametrize("value", ['"0m"', '"5 minutes"', '""', "300", '"m"'])
def test_bad_durations_are_rejected(value: str) -> None:
    problem = only_problem(BASE + f"[daemon]\npoll_interval = {value}\n")
    assert problem.startswith("at 'daemon.poll_interval': expected a duration like")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "must be at least 0, got -1"),
        ("1.5", "expected a whole number, got 1.5"),
        ("true", "expected a whole number, got true"),
        ('"4"', 'expected a whole number, got "4"'),
        ("1000", "must be at most 60, got 1000"),
    ],
)
def test_business_day_counts_must_be_sensible_integers(value: str, message: str) -> None:
    text = BASE.replace("[schedule]", f"[schedule]\ngrace_business_days = {value}")
    assert only_problem(text) == f"at 'schedule.grace_business_days': {message}"


def test_unknown_stage_is_rejected_with_a_hint() -> None:
    text = BASE.replace("[schedule]", '[schedule]\nstages = ["checkin"]')
    assert only_problem(text) == (
        "at 'schedule.stages[0]': expected thank_you, check_in or closure, "
        'got "checkin" (did you mean "check_in"?)'
    )


def test_stages_keep_their_canonical_order() -> None:
    text = BASE.replace("[schedule]", '[schedule]\nstages = ["closure", "thank_you"]')
    assert load(text).schedule.stages == ("thank_you", "closure")


def test_state_dir_expands_the_home_directory() -> None:
    config = load(BASE + '[daemon]\nstate_dir = "~/state"\n')
    assert config.daemon.state_dir == Path.home() / "state"


def test_a_section_that_is_not_a_table_is_reported() -> None:
    assert only_problem("daemon = 5\n" + BASE) == "at 'daemon': expected a table, got 5"


# ---------------------------------------------------------------- accounts


def imap(extra: str = "", host: str = "imap.example.com") -> str:
    return (
        f'\n[[accounts]]\nname = "work"\ntype = "imap"\nhost = "{host}"\nusername = "j"\n{extra}\n'
    )


def test_imap_port_defaults_follow_security() -> None:
    assert imap_at(load(IDENTITY + imap())).port == 993
    assert imap_at(load(IDENTITY + imap('security = "starttls"'))).port == 143
    assert imap_at(load(IDENTITY + imap("port = 1993"))).port == 1993


def test_imap_needs_host_and_username() -> None:
    text = IDENTITY + '[[accounts]]\nname = "work"\ntype = "imap"\n'
    assert problems(text) == [
        "at 'accounts[0].host': required key is missing for imap accounts",
        "at 'accounts[0].username': required key is missing for imap accounts",
    ]


def test_maildir_needs_a_path_but_it_need_not_exist_yet() -> None:
    text = IDENTITY + '[[accounts]]\nname = "m"\ntype = "maildir"\n'
    assert (
        only_problem(text) == "at 'accounts[0].path': required key is missing for maildir accounts"
    )
    config = load(IDENTITY + MAILDIR.replace("/srv/mail/jordan", "~/no/such/maildir"))
    account = config.accounts[0]
    assert isinstance(account, MaildirAccount)
    assert account.path == Path.home() / "no/such/maildir"


def test_gmail_needs_a_client_secrets_file() -> None:
    text = (
        IDENTITY
        + '[[accounts]]\nname = "g"\ntype = "gmail"\napi_endpoint = "http://127.0.0.1:9/"\n'
    )
    assert only_problem(text) == (
        "at 'accounts[0].client_secrets_file': required key is missing for gmail accounts"
    )


def test_key_of_another_account_type_is_reported() -> None:
    assert only_problem(BASE + 'host = "imap.example.com"\n') == (
        "at 'accounts[0].host': only used by imap accounts, not maildir"
    )


def test_unknown_account_type_gets_a_hint() -> None:
    text = IDENTITY + MAILDIR.replace('"maildir"', '"mbox"')
    assert only_problem(text).startswith(
        "at 'accounts[0].type': expected one of imap, gmail, maildir, got \"mbox\""
    )


def test_account_names_must_be_unique() -> None:
    text = IDENTITY + MAILDIR + MAILDIR + interview('account = "mail"')
    assert only_problem(text) == "at 'accounts[1].name': \"mail\" is already used by accounts[0]"


def test_security_none_to_a_remote_host_explains_why() -> None:
    problem = only_problem(IDENTITY + imap('security = "none"'))
    assert problem.startswith("at 'accounts[0].security': \"none\" would send your password")
    assert "loopback" in problem


@pytest.mark.parametrize("host", ["127.0.0.1", "127.5.6.7", "::1", "localhost", "LOCALHOST"])
def test_security_none_is_allowed_to_loopback_hosts(host: str) -> None:
    account = imap_at(load(IDENTITY + imap('security = "none"', host=host)))
    assert (account.security, account.port) == ("none", 143)


def test_imap_optional_keys_are_typed() -> None:
    extra = 'tls_ca_file = "~/ca.pem"\ntimeout = 12.5\nfolders = ["INBOX", "Jobs"]'
    account = imap_at(load(IDENTITY + imap(extra)))
    assert account.tls_ca_file == Path.home() / "ca.pem"
    assert account.timeout == 12.5
    assert account.folders == ("INBOX", "Jobs")


def test_folders_default_to_inbox_and_may_not_be_empty() -> None:
    assert load(BASE).accounts[0].folders == ("INBOX",)
    assert (
        only_problem(BASE + "folders = []\n")
        == "at 'accounts[0].folders': needs at least one entry"
    )


def test_api_endpoint_must_be_a_url() -> None:
    text = IDENTITY + '[[accounts]]\nname = "g"\ntype = "gmail"\nclient_secrets_file = "c.json"\n'
    assert only_problem(text + 'api_endpoint = "localhost:9"\n').startswith(
        "at 'accounts[0].api_endpoint': expected an http(s) URL"
    )


# ---------------------------------------------------------------- templates


def test_template_problems_are_reported_at_the_template_key() -> None:
    text = BASE + '[templates.check_in]\nbody = "Hi {{ recruiter_name }}"\n'
    problem = only_problem(text)
    assert problem.startswith("at 'templates.check_in.body': ")
    assert "recruiter_name" in problem


def test_valid_template_override_is_kept() -> None:
    text = BASE + '[templates.thank_you]\nsubject = "Thanks, {{ company }}"\n'
    override = load(text).templates["thank_you"]
    assert (override.subject, override.body) == ("Thanks, {{ company }}", None)


def test_unknown_template_stage_gets_a_hint() -> None:
    text = BASE + '[templates.thankyou]\nsubject = "x"\n'
    assert only_problem(text) == (
        "at 'templates.thankyou': unknown stage; expected thank_you, check_in or closure "
        '(did you mean "thank_you"?)'
    )


# ---------------------------------------------------------------- interviews


def test_bare_interview_date_starts_at_local_midnight() -> None:
    item = load(BASE + interview()).interviews[0]
    assert item.interviewed_on == dt.date(2026, 11, 16)
    assert item.started_at == dt.datetime(2026, 11, 16, tzinfo=ZoneInfo("America/New_York"))
    assert item.stages is None and item.closed is False


def test_local_interview_datetime_is_read_in_the_configured_zone() -> None:
    text = BASE + interview().replace("2026-11-16", "2026-11-16T14:30:00")
    item = load(text).interviews[0]
    assert item.started_at == dt.datetime(2026, 11, 16, 14, 30, tzinfo=ZoneInfo("America/New_York"))


def test_offset_interview_datetime_is_kept_and_dated_in_the_configured_zone() -> None:
    text = BASE + interview().replace("2026-11-16", "2026-11-17T02:00:00+01:00")
    item = load(text).interviews[0]
    assert item.started_at == dt.datetime(2026, 11, 17, 1, 0, tzinfo=dt.UTC)
    assert item.started_at.utcoffset() == dt.timedelta(hours=1)
    assert item.interviewed_on == dt.date(2026, 11, 16)  # 20:00 in New York


def test_interview_date_must_be_a_date() -> None:
    text = BASE + interview().replace("2026-11-16", '"last tuesday"')
    assert only_problem(text).startswith("at 'interviews[0].interviewed_on': expected a date")


def test_reply_promise_before_the_interview_is_rejected() -> None:
    text = BASE + interview("reply_promised_by = 2026-11-10")
    assert only_problem(text) == (
        "at 'interviews[0].reply_promised_by': 2026-11-10 is before interviewed_on (2026-11-16)"
    )


def test_reply_promise_accepts_an_iso_string() -> None:
    text = BASE + interview('reply_promised_by = "2026-11-20"')
    assert load(text).interviews[0].reply_promised_by == dt.date(2026, 11, 20)


def test_reply_promise_must_be_a_date_not_a_datetime() -> None:
    text = BASE + interview("reply_promised_by = 2026-11-20T10:00:00")
    assert only_problem(text).startswith("at 'interviews[0].reply_promised_by': expected a date")


def test_interview_needs_id_company_and_role() -> None:
    assert problems(BASE + "[[interviews]]\ninterviewed_on = 2026-11-16\n") == [
        "at 'interviews[0].id': required key is missing",
        "at 'interviews[0].company': required key is missing",
        "at 'interviews[0].role': required key is missing",
    ]


@pytest.mark.parametrize("bad", ["Acme", "-acme", "acme corp", "acmé", ""])
def test_interview_id_must_be_a_slug(bad: str) -> None:
    assert only_problem(BASE + interview(id=bad)).startswith("at 'interviews[0].id': expected")


def test_interview_ids_must_be_unique() -> None:
    text = BASE + interview() + interview()
    assert only_problem(text) == (
        "at 'interviews[1].id': \"acme-backend\" is already used by interviews[0]"
    )


def test_contacts_are_parsed_and_lower_cased() -> None:
    text = BASE + interview('contacts = ["Dana Whitfield <Dana@ACME.com>", "sam@acme.com"]')
    assert load(text).interviews[0].contacts == (
        Address("Dana Whitfield", "dana@acme.com"),
        Address("", "sam@acme.com"),
    )


def test_domains_default_to_contact_domains_without_free_mail() -> None:
    contacts = '["A <a@acme.com>", "B <b@Gmail.com>", "C <c@eu.acme.com>", "D <d@acme.com>"]'
    item = load(BASE + interview(f"contacts = {contacts}")).interviews[0]
    assert item.domains == ("acme.com", "eu.acme.com")


def test_explicit_domains_are_normalised() -> None:
    item = load(BASE + interview('domains = ["@Acme.COM", "acme.io."]')).interviews[0]
    assert item.domains == ("acme.com", "acme.io")


def test_bad_domain_is_reported_at_its_index() -> None:
    text = BASE + interview('domains = ["acme.com", "acme"]')
    assert only_problem(text).startswith("at 'interviews[0].domains[1]': expected a mail domain")


def test_interview_account_is_required_with_several_accounts() -> None:
    text = BASE + imap() + interview()
    assert only_problem(text) == (
        "at 'interviews[0].account': required because there are several accounts (mail, work)"
    )


def test_interview_account_must_exist() -> None:
    text = BASE + imap() + interview('account = "wrok"')
    assert only_problem(text) == (
        "at 'interviews[0].account': no account named \"wrok\" "
        '(did you mean "work"?); accounts: mail, work'
    )


def test_interview_account_picks_the_account() -> None:
    config = load(BASE + imap() + interview('account = "work"'))
    assert config.account_for(config.interviews[0]).type == "imap"


def test_interview_optional_fields_are_typed() -> None:
    extra = 'highlight = "the cache"\nstages = ["check_in"]\nclosed = true'
    item = load(BASE + interview(extra)).interviews[0]
    assert (item.highlight, item.stages, item.closed) == ("the cache", ("check_in",), True)


def test_closed_must_be_a_boolean() -> None:
    text = BASE + interview('closed = "yes"')
    assert only_problem(text) == "at 'interviews[0].closed': expected true or false, got \"yes\""


def test_interviews_as_a_plain_table_are_rejected() -> None:
    text = BASE + '[interviews]\nid = "x"\n'
    assert only_problem(text).startswith("at 'interviews': expected [[interviews]] tables")


# ---------------------------------------------------------------- where the file is


def test_explicit_config_path_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOLLOWUP_CONFIG", "/env/config.toml")
    assert find_config_path("/cli/config.toml") == Path("/cli/config.toml")


def test_environment_config_path_comes_next(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOLLOWUP_CONFIG", "/env/config.toml")
    monkeypatch.setenv("XDG_CONFIG_HOME", "/xdg")
    assert find_config_path(None) == Path("/env/config.toml")


def test_xdg_config_home_is_used_then_dot_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FOLLOWUP_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", "/xdg")
    assert find_config_path(None) == Path("/xdg/followup/config.toml")
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert find_config_path(None) == Path.home() / ".config/followup/config.toml"
