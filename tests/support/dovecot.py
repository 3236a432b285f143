"""A throw-away Dovecot for the IMAP tests, and the IMAP ``MailboxHarness``.

Each ``DovecotServer`` runs in the foreground as ``nobody`` in its own temporary
directory, on a free loopback port, so the tests own the process and never touch a
system service.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Protocol

import pytest
from imapclient import IMAPClient

from followup.config import ImapAccount
from followup.mailbox.imap import ImapMailbox

DOVECOT = "/usr/sbin/dovecot"
DOVEADM = "/usr/bin/doveadm"
NOBODY_UID = 65534
NOBODY_GID = 65534


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_greeting(proc: subprocess.Popen[bytes], port: int, name: str, seconds: float) -> None:
    """Return once the server ``proc`` greets with ``* OK`` on ``port``; raise with its
    error output when it exits, or when it stays silent for ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise RuntimeError(f"{name} exited: {err}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                if sock.recv(100).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{name} did not start within {seconds:.0f} s")


def _descendants(pid: int) -> list[int]:
    """Process ids below ``pid``, read from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rpartition(")")[2].split()[1])
    found: list[int] = []
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        kids = [child for child, ppid in parents.items() if ppid == parent]
        found += kids
        frontier += kids
    return found


def _ensure_dovecot_installed() -> None:
    """Install Debian's dovecot-imapd when it is missing, as the README promises."""
    if Path(DOVECOT).exists():
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "dovecot-imapd"], check=True, env=env)


def make_self_signed_cert(directory: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """A self-signed certificate for ``host`` (IP and localhost names), as PEM files."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "followup test server")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(host))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass(frozen=True)
class Layout:
    """How the server names folders: namespace prefix, separator, special folders."""

    prefix: str = ""
    separator: str = "/"
    drafts: str = "Drafts"
    sent: str = "Sent"


class DovecotServer:
    """One Dovecot process with a plain listener and, with ``tls``, an imaps listener."""

    def __init__(self, layout: Layout = Layout(), *, tls: bool = False) -> None:
        _ensure_dovecot_installed()
        self.layout = layout
        self.dir = Path(tempfile.mkdtemp(prefix="followup-dovecot-"))
        self.port = _free_port()
        self.tls_port = _free_port() if tls else 0
        self.cert_file: Path | None = None
        self._users = itertools.count(1)
        self._proc: subprocess.Popen[bytes] | None = None
        for sub in ("run", "state", "mail", "home"):
            (self.dir / sub).mkdir()
        key_file = None
        if tls:
            self.cert_file, key_file = make_self_signed_cert(self.dir)
        self.config = self.dir / "dovecot.conf"
        self.config.write_text(self._config_text(key_file), encoding="utf-8")
        self._chown()
        self.start()

    def _config_text(self, key_file: Path | None) -> str:
        d, lay = self.dir, self.layout
        ssl = "ssl = no"
        if self.cert_file and key_file:
            ssl = f"ssl = yes\nssl_cert = <{self.cert_file}\nssl_key = <{key_file}"
        return f"""\
protocols = imap
listen = 127.0.0.1
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
{ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = nobody
default_internal_group = nogroup
default_login_user = nobody
mail_location = maildir:{d}/mail/%u
passdb {{
  driver = static
  args = password=pw-%n
}}
userdb {{
  driver = static
  args = uid={NOBODY_UID} gid={NOBODY_GID} home={d}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.tls_port}
  }}
}}
service anvil {{
  chroot =
}}
namespace inbox {{
  inbox = yes
  prefix = {lay.prefix}
  separator = {lay.separator}
  mailbox "{lay.drafts}" {{
    special_use = \\Drafts
    auto = subscribe
  }}
  mailbox "{lay.sent}" {{
    special_use = \\Sent
    auto = subscribe
  }}
}}
"""

    def _chown(self) -> None:
        for root, dirs, files in os.walk(self.dir):
            for name in (*dirs, *files):
                os.chown(Path(root) / name, NOBODY_UID, NOBODY_GID)
        os.chown(self.dir, NOBODY_UID, NOBODY_GID)

    def _as_nobody(self, *argv: str) -> list[str]:
        return [
            "setpriv",
            f"--reuid={NOBODY_UID}",
            f"--regid={NOBODY_GID}",
            "--clear-groups",
            *argv,
        ]

    def start(self) -> None:
        """Start the server and wait until it greets on its plain port."""
        self._proc = subprocess.Popen(
            self._as_nobody(DOVECOT, "-F", "-c", str(self.config)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_for_greeting(self._proc, self.port, "dovecot", 15)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}\n{self.log()}") from None

    def stop(self) -> None:
        """Stop the server and every session process it started (as a real restart does)."""
        if self._proc is None:
            return
        children = _descendants(self._proc.pid)
        self._proc.send_signal(signal.SIGTERM)
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        if self._proc.stderr:
            self._proc.stderr.close()
        self._proc = None
        for pid in children:  # session processes can outlive the master
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def restart(self) -> None:
        self.stop()
        self.start()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def log(self) -> str:
        path = self.dir / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # users and mail -----------------------------------------------------------------

    def add_user(self) -> str:
        """A new user with an empty mailbox; returns the login name.

        Passwords come from a static passdb (``pw-<local part>``): Dovecot's passwd-file
        is not reliably re-read when users are appended within the same second.
        """
        return f"user{next(self._users)}@example.test"

    @staticmethod
    def password(user: str) -> str:
        return "pw-" + user.partition("@")[0]

    def maildir(self, user: str) -> Path:
        return self.dir / "mail" / user

    def chown_mail(self) -> None:
        self._chown()

    def client(self, user: str) -> IMAPClient:
        """A plain IMAP session as the user's own mail client would open it."""
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        client.login(user, self.password(user))
        return client

    def folder(self, name: str) -> str:
        """The server's full name of ``INBOX``, ``Drafts``, ``Sent`` or another folder."""
        lay = self.layout
        special = {"Drafts": lay.drafts, "Sent": lay.sent}
        if name == "INBOX":
            return "INBOX"
        return lay.prefix + special.get(name, name).replace("/", lay.separator)

    def account(self, user: str, **overrides: object) -> ImapAccount:
        values: dict[str, object] = {
            "name": "test",
            "host": "127.0.0.1",
            "port": self.port,
            "security": "none",
            "username": user,
            "password_command": f"printf %s {self.password(user)}",
            "timeout": 10.0,
        }
        values.update(overrides)
        return ImapAccount(**values)  # type: ignore[arg-type]


_FLAG_TO_IMAP = {
    "seen": r"\Seen",
    "flagged": r"\Flagged",
    "draft": r"\Draft",
    "answered": r"\Answered",
}
_IMAP_TO_FLAG = {v.lower(): k for k, v in _FLAG_TO_IMAP.items()}


def _message_id(header_bytes: bytes) -> str:
    value = BytesHeaderParser().parsebytes(header_bytes).get("Message-ID", "")
    return str(value).strip().strip("<>")


class ImapServer(Protocol):
    """What ``ImapHarness`` needs of a server: Dovecot, pymap, or either behind a proxy."""

    def add_user(self) -> str: ...

    def password(self, user: str) -> str: ...

    def client(self, user: str) -> IMAPClient: ...

    def folder(self, name: str) -> str: ...

    def account(self, user: str, **overrides: object) -> ImapAccount: ...


class ImapHarness:
    """Drives one fresh user of an IMAP server from the outside, as the user's own client would."""

    def __init__(self, server: ImapServer) -> None:
        self.server = server
        self.user = server.add_user()
        self.mailboxes: list[ImapMailbox] = []

    def open(self) -> ImapMailbox:
        account = self.server.account(self.user, folders=("INBOX", "Sent", "Drafts"))
        mailbox = ImapMailbox(account)
        self.mailboxes.append(mailbox)
        return mailbox

    def deliver(self, folder: str, raw: bytes, flags: Sequence[str] = ()) -> None:
        """Delivered "when it was sent": the internal date follows the Date header."""
        date = BytesHeaderParser().parsebytes(raw).get("Date")
        when = parsedate_to_datetime(str(date)) if date else None
        with self.server.client(self.user) as client:
            imap_flags = [_FLAG_TO_IMAP[f] for f in flags]
            client.append(self.server.folder(folder), raw, flags=imap_flags, msg_time=when)

    def flags(self) -> dict[str, frozenset[str]]:
        out: dict[str, frozenset[str]] = {}
        with self.server.client(self.user) as client:
            for name in ("INBOX", "Sent", "Drafts"):
                client.select_folder(self.server.folder(name), readonly=True)
                fetched = client.fetch(
                    client.search(), ["FLAGS", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]
                )
                for data in fetched.values():
                    header = next(v for k, v in data.items() if k.startswith(b"BODY["))
                    names = {f.decode().lower() for f in data[b"FLAGS"]}
                    out[_message_id(header)] = frozenset(
                        _IMAP_TO_FLAG[n] for n in names if n in _IMAP_TO_FLAG
                    )
        return out

    def drafts(self) -> list[bytes]:
        with self.server.client(self.user) as client:
            client.select_folder(self.server.folder("Drafts"), readonly=True)
            fetched = client.fetch(client.search(), ["BODY.PEEK[]"])
            return [bytes(data[b"BODY[]"]) for _, data in sorted(fetched.items())]

    def delete(self, folder: str, message_id: str) -> None:
        with self.server.client(self.user) as client:
            client.select_folder(self.server.folder(folder))
            uids = client.search(["HEADER", "Message-ID", f"<{message_id}>"])
            if uids:
                client.add_flags(uids, [rb"\Deleted"])
                client.uid_expunge(uids)

    def edit_draft(self, message_id: str, raw: bytes) -> None:
        """IMAP has no "replace": a client appends the new version and expunges the old."""
        self.delete("Drafts", message_id)
        self.deliver("Drafts", raw, flags=["draft"])

    def close(self) -> None:
        for mailbox in self.mailboxes:
            mailbox.close()


# fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[DovecotServer]:
    """Dovecot with "/" separator, plain and TLS listeners (self-signed cert)."""
    server = DovecotServer(tls=True)
    yield server
    server.close()


@pytest.fixture(scope="session", name="dovecot_dotted")
def dovecot_dotted_fixture() -> Iterator[DovecotServer]:
    """Dovecot with an ``INBOX.`` prefix, "." separator and German special folders."""
    server = DovecotServer(
        Layout(prefix="INBOX.", separator=".", drafts="Entwürfe", sent="Gesendet")
    )
    yield server
    server.close()


@pytest.fixture
def imap_harness(dovecot_server: DovecotServer) -> Iterator[ImapHarness]:
    harness = ImapHarness(dovecot_server)
    yield harness
    harness.close()
