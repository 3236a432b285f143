"""Validation of a parsed TOML document against ``followup.config.schema``.

Every problem is collected with its key path (``interviews[2].reply_promised_by``) so a
user fixes the whole file in one go; only a clean document becomes a ``Config``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

from followup.config import schema
from followup.config.check_imap import imap_auth_problems
from followup.config.keys import Section
from followup.config.kinds import Bad, hint, show, valid_zone
from followup.config.model import (
    DEFAULT_STATE_DIR,
    IMAP_PORTS,
    AccountConfig,
    Config,
    DaemonConfig,
    GmailAccount,
    ImapAccount,
    MaildirAccount,
    NotifyConfig,
)
from followup.core.ats import is_free_mail
from followup.core.errors import ConfigError
from followup.core.model import (
    STAGES,
    Identity,
    Interview,
    ScheduleConfig,
    StageName,
    TemplateOverride,
)

_SECRET_WORDS = ("password", "passwd", "passphrase", "secret", "token", "api_key", "apikey")
_NOT_SECRET = frozenset({"password_command", "token_command", "client_secrets_file"})


# ---------------------------------------------------------------- the document


def _is_secret(name: str) -> bool:
    lowered = name.lower()
    return lowered not in _NOT_SECRET and any(w in lowered for w in _SECRET_WORDS)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"at '{path}': {message}")

    def strip_secrets(self, node: object, path: str, account: str) -> None:
        """Report and drop every secret-looking key, wherever it is; never echo its value."""
        if isinstance(node, list):
            for i, item in enumerate(node):
                self.strip_secrets(item, f"{path}[{i}]", account)
            return
        if not isinstance(node, dict):
            return
        name = node.get("name")
        if path.startswith("accounts[") and isinstance(name, str) and name:
            account = name
        for key in list(node):
            sub = f"{path}.{key}" if path else key
            if _is_secret(key):
                del node[key]
                self.add(
                    sub,
                    "secrets never go in the config file: store it in the keyring with "
                    f"`followup auth {account}`, or set password_command (token_command for "
                    "OAuth2 tokens), or put it in a file under $CREDENTIALS_DIRECTORY",
                )
            else:
                self.strip_secrets(node[key], sub, account)

    def table(
        self, raw: object, section: Section, path: str, account_type: str | None = None
    ) -> dict[str, Any]:
        """Convert one table's keys; unknown, misplaced and missing keys are problems."""
        if not isinstance(raw, dict):
            self.add(path, f"expected a table, got {show(raw)}")
            return {}
        out: dict[str, Any] = {}
        for name, value in raw.items():
            key = section.key(name)
            if key is None:
                used_by = schema.account_types_with(name) if account_type else []
                if used_by:
                    users = " and ".join(used_by)
                    self.add(f"{path}.{name}", f"only used by {users} accounts, not {account_type}")
                else:
                    self.add(f"{path}.{name}", "unknown key" + hint(name, section.key_names))
                continue
            try:
                out[name] = key.convert(value, key)
            except Bad as exc:
                for suffix, message in exc.problems:
                    self.add(f"{path}.{name}{suffix}", message)
        for key in section.keys:
            if key.required and key.name not in raw:
                common = schema.ACCOUNTS.key(key.name) is not None
                why = f" for {account_type} accounts" if account_type and not common else ""
                self.add(f"{path}.{key.name}", f"required key is missing{why}")
        return out

    def array(self, raw: object, section: Section) -> list[object]:
        if raw is None:
            return []
        if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
            self.add(section.name, f"expected [[{section.name}]] tables, got {show(raw)}")
            return []
        return list(raw)


def _is_loopback(host: str) -> bool:
    name = host.strip().strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _accounts(check: _Checker, raw: object) -> list[AccountConfig]:
    tables = check.array(raw, schema.ACCOUNTS)
    if raw is None or raw == []:
        check.add("accounts", "at least one [[accounts]] table is required")
    out: list[AccountConfig] = []
    seen: dict[str, int] = {}
    for i, table in enumerate(tables):
        path = f"accounts[{i}]"
        kind = table.get("type") if isinstance(table, dict) else None
        known = kind if isinstance(kind, str) and kind in schema.ACCOUNT_KINDS else None
        section = schema.ACCOUNT_KINDS[known] if known else schema.ANY_ACCOUNT
        before = len(check.problems)
        values = check.table(table, section, path, known)
        name = values.get("name")
        if name in seen:
            check.add(f"{path}.name", f'"{name}" is already used by accounts[{seen[name]}]')
        elif isinstance(name, str):
            seen[name] = i
        if known == "imap":
            security = values.get("security", "tls")
            host = values.get("host")
            if security == "none" and isinstance(host, str) and not _is_loopback(host):
                check.add(
                    f"{path}.security",
                    f'"none" would send your password unencrypted to {host}; it is only '
                    "allowed to a loopback host (localhost, 127.0.0.1, ::1). "
                    'Use "tls" or "starttls"',
                )
            raw_table = table if isinstance(table, dict) else {}
            for key, message in imap_auth_problems(values, raw_table):
                check.add(f"{path}.{key}", message)
            values.setdefault("port", IMAP_PORTS[security])
        if len(check.problems) == before and known is not None:
            out.append(_account(known, values))
    return out


def _account(kind: str, values: dict[str, Any]) -> AccountConfig:
    fields = {k: v for k, v in values.items() if k != "type"}
    if kind == "imap":
        return ImapAccount(**fields)
    if kind == "gmail":
        return GmailAccount(**fields)
    return MaildirAccount(**fields)


def _templates(check: _Checker, raw: object) -> dict[StageName, TemplateOverride]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        check.add("templates", f"expected a table, got {show(raw)}")
        return {}
    out: dict[StageName, TemplateOverride] = {}
    for stage, table in raw.items():
        path = f"templates.{stage}"
        if stage not in STAGES:
            suggestion = hint(stage, STAGES)
            check.add(path, f"unknown stage; expected thank_you, check_in or closure{suggestion}")
            continue
        values = check.table(table, schema.TEMPLATES, path)
        out[cast(StageName, stage)] = TemplateOverride(**values)
    return out


def _interviews(
    check: _Checker, raw: object, zone: ZoneInfo, accounts: Mapping[str, AccountConfig]
) -> list[Interview]:
    out: list[Interview] = []
    seen: dict[str, int] = {}
    for i, table in enumerate(check.array(raw, schema.INTERVIEWS)):
        path = f"interviews[{i}]"
        before = len(check.problems)
        v = check.table(table, schema.INTERVIEWS, path)
        ident = v.get("id")
        if ident in seen:
            check.add(f"{path}.id", f'"{ident}" is already used by interviews[{seen[ident]}]')
        elif isinstance(ident, str):
            seen[ident] = i
        when = v.get("interviewed_on")
        if isinstance(when, dt.datetime):
            started = when if when.tzinfo else when.replace(tzinfo=zone)
            v["started_at"], v["interviewed_on"] = started, started.astimezone(zone).date()
        elif isinstance(when, dt.date):
            v["started_at"] = dt.datetime.combine(when, dt.time(0), tzinfo=zone)
        promised = v.get("reply_promised_by")
        if promised and "started_at" in v and promised < v["interviewed_on"]:
            check.add(
                f"{path}.reply_promised_by",
                f"{promised.isoformat()} is before interviewed_on "
                f"({v['interviewed_on'].isoformat()})",
            )
        if "domains" not in v:
            domains = (c.domain for c in v.get("contacts", ()))
            v["domains"] = tuple(dict.fromkeys(d for d in domains if not is_free_mail(d)))
        account = v.get("account")
        if account is None and len(accounts) > 1:
            names = ", ".join(accounts)
            check.add(f"{path}.account", f"required because there are several accounts ({names})")
        elif account is not None and accounts and account not in accounts:
            check.add(
                f"{path}.account",
                f'no account named "{account}"{hint(account, accounts)}; '
                f"accounts: {', '.join(accounts)}",
            )
        if len(check.problems) == before:
            out.append(Interview(**v))
    return out


def build_config(raw: dict[str, Any], path: Path, default_zone: str) -> Config:
    """Turn a parsed TOML document into a ``Config`` or raise ``ConfigError``.

    ``default_zone`` is the IANA zone used when ``[schedule] timezone`` is not set.
    """
    check = _Checker()
    check.strip_secrets(raw, "", "NAME")
    names = [s.name for s in schema.SECTIONS]
    for key in raw:
        if key not in names:
            check.add(key, "unknown key" + hint(key, names))
    identity: dict[str, Any] = {}
    if "identity" in raw:
        identity = check.table(raw["identity"], schema.IDENTITY, "identity")
    else:
        check.add("identity", "the [identity] table with name and email is required")
    schedule = check.table(raw.get("schedule", {}), schema.SCHEDULE, "schedule")
    schedule.setdefault("timezone", default_zone)
    daemon = check.table(raw.get("daemon", {}), schema.DAEMON, "daemon")
    daemon.setdefault("state_dir", Path(DEFAULT_STATE_DIR).expanduser())
    notify = check.table(raw.get("notify", {}), schema.NOTIFY, "notify")
    before = len(check.problems)
    accounts = _accounts(check, raw.get("accounts"))
    # With a broken account, references to it would only add noise.
    by_name = {a.name: a for a in accounts} if len(check.problems) == before else {}
    templates = _templates(check, raw.get("templates"))
    zone = ZoneInfo(schedule["timezone"]) if valid_zone(schedule["timezone"]) else ZoneInfo("UTC")
    interviews = _interviews(check, raw.get("interviews"), zone, by_name)
    if check.problems:
        raise ConfigError(str(path), check.problems)
    return Config(
        path=path,
        identity=Identity(**identity),
        schedule=ScheduleConfig(**schedule),
        daemon=DaemonConfig(**daemon),
        accounts=tuple(accounts),
        interviews=tuple(interviews),
        templates=templates,
        notify=NotifyConfig(**notify),
    )
