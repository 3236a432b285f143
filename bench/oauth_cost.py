"""What OAuth2 sign-in costs: import time of the provider libraries, and idle daemon memory.

    python bench/oauth_cost.py

``python -X importtime`` of ``msal`` and of what a Microsoft account loads, next to the
Google libraries the Gmail backend loads; then the idle ``followup run`` (READY, first
cycle done) with one IMAP account that signs in with a password, with ``token_command``,
and with Microsoft (the real msal against the local fake of Microsoft's sign-in,
tests/support/oauth_servers.py). Prints ``name value unit`` rows.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests"), str(REPO / "daemon"), str(REPO / "bench")]

from measure import Row, daemon_idle_rss  # noqa: E402

from support.configs import acme_interview, head, imap_account, imap_oauth_account  # noqa: E402
from support.dovecot_oauth import OAuthDovecot  # noqa: E402
from support.keyrings import keyring_env  # noqa: E402
from support.oauth_servers import FakeEntra, IntrospectionServer  # noqa: E402

IMPORTS = {
    "msal": "import msal",
    "microsoft_signin": "import followup.mailbox.oauth_microsoft",
    "google_signin": "import followup.mailbox.oauth_google",
    "gmail_backend": "import followup.mailbox.gmail",
    "imap_backend": "import followup.mailbox.imap",
}


def import_ms(statement: str) -> float:
    """Import time (ms) of everything ``statement`` loads at top level, median of 5 runs.

    The interpreter's own start-up imports are counted too; ``main`` subtracts them.
    """
    samples = []
    for _ in range(5):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", statement],
            capture_output=True,
            text=True,
            check=True,
        )
        # "import time: self | cumulative | name"; nested imports are indented under theirs.
        total = sum(
            int(line.split("|")[1])
            for line in done.stderr.splitlines()
            if line.startswith("import time:")
            and line.split("|")[1].strip().isdigit()
            and not line.split("|")[2].startswith("  ")
        )
        samples.append(total / 1000)
    return sorted(samples)[2]


def config(work: Path, name: str, account: str) -> Path:
    path = work / f"{name}.toml"
    path.write_text(
        head(work / f"state-{name}", stages=["check_in"], holidays=False)
        + account
        + acme_interview(account="mail"),
        encoding="utf-8",
    )
    return path


def main() -> int:
    startup = import_ms("pass")
    rows = [Row(f"import_{k}", round(import_ms(v) - startup, 1), "ms") for k, v in IMPORTS.items()]
    work = Path(tempfile.mkdtemp(prefix="followup-oauth-bench-"))
    introspection = IntrospectionServer()
    server = OAuthDovecot(introspection.url)
    try:
        user = server.add_user()
        entra = FakeEntra(introspection, user)
        os.environ.update(keyring_env(work / "keyring.json"))
        os.environ["REQUESTS_CA_BUNDLE"] = str(entra.cert_file)
        token = work / "token"
        token.write_text("bench-token\n")
        introspection.accept("bench-token", user)
        password = imap_account(server.port, user, f"printf %s {server.password(user)}")
        by_command = imap_oauth_account(server.port, user, token_command=f"cat {token}")
        microsoft = imap_oauth_account(server.port, user, microsoft_authority=entra.base)
        ms_config = config(work, "microsoft", microsoft)
        threading.Timer(0.5, entra.approve).start()
        subprocess.run(
            [sys.executable, "-m", "followup", "--config", str(ms_config), "auth", "mail"],
            check=True,
            capture_output=True,
        )
        for name, account in (("password", password), ("token_command", by_command)):
            rss, hwm = daemon_idle_rss(config(work, name, account))
            rows += [Row(f"daemon_idle_rss_imap_{name}", round(rss, 1), "MiB")]
            rows += [Row(f"daemon_peak_rss_imap_{name}", round(hwm, 1), "MiB")]
        rss, hwm = daemon_idle_rss(ms_config)
        rows += [Row("daemon_idle_rss_imap_microsoft", round(rss, 1), "MiB")]
        rows += [Row("daemon_peak_rss_imap_microsoft", round(hwm, 1), "MiB")]
        entra.stop()
    finally:
        server.close()
        introspection.stop()
        shutil.rmtree(work, ignore_errors=True)
    for r in rows:
        print(f"{r.name} {r.value:g} {r.unit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
