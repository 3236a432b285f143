"""What reading a message costs: import, the first call (patterns compile), each message.

    python bench/reading_cost.py [--repeat N]

Prints ``name value unit`` rows. The messages are this file's own (every kind, four
languages, quoted threads, a long thread); nothing is read from outside the repository.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "daemon")]

TZ = ZoneInfo("America/Chicago")
SENT = dt.datetime(2026, 11, 18, 10, 0, tzinfo=TZ)
QUOTE = (
    "\n\nOn Mon, Nov 16, 2026 at 9:00 AM Priya Raman <priya@example.org> wrote:\n\n"
    "> Hi Dana,\n>\n> Thank you for your time today. Could you let me know by Friday?\n>\n"
    "> Best,\n> Priya\n"
)
OUTLOOK = (
    "\n\n________________________________\nVon: Priya Raman <priya@example.org>\n"
    "Gesendet: Montag, 16. November 2026 09:00\nAn: Dana Lee <dana@acme.test>\n"
    "Betreff: Nachfrage\n\nHallo Frau Lee,\nkönnten Sie mir bis Freitag Bescheid geben?\n"
)
MESSAGES: list[tuple[str, str]] = [
    ("Re: Thank you", "Hi Priya,\n\nThanks for the note! We'll be in touch by the end of next week."
     "\n\nDana Lee\nTalent Partner | Acme" + QUOTE),
    ("Re: Thank you", "Thanks for the kind words, it was great meeting you too.\n\nDana" + QUOTE),
    ("Your application", "Dear Priya,\n\nAfter careful consideration we have decided to move "
     "forward with another candidate.\n\nKind regards,\nAcme Talent"),
    ("AW: Nachfrage", "Hallo Frau Raman,\n\nwir benötigen leider noch etwas Zeit und melden uns "
     "bis Ende nächster Woche.\n\nViele Grüße\nDana Lee" + OUTLOOK),
    ("Suite à votre entretien", "Bonjour Priya,\n\nL'équipe souhaite poursuivre avec une étude "
     "de cas. Je vous envoie les créneaux d'ici le mercredi 25 novembre.\n\nBien cordialement,"
     "\nClaire"),
    ("Actualización", "Hola Priya,\n\nTodavía no tenemos una decisión; te escribiremos en los "
     "próximos tres días hábiles.\n\nSaludos,\nFernanda"),
    ("Automatic reply: Update", "I am out of the office from November 23 until November 30 "
     "with limited access to email."),
    ("Your offer", "Hi Priya,\n\nI'm thrilled to extend you an offer for the Staff Engineer role."
     "\n\nCongratulations!\nDana"),
    ("Re: Question", "Good question! We deploy twice a day with Argo CD, and on-call rotates "
     "weekly between six people." + QUOTE),
    ("Your order has shipped", "Good news: your order #5521 is on its way. Track your package."),
]  # fmt: skip
LONG = "\n".join(
    [MESSAGES[0][1].split(QUOTE)[0], *(f"> {line}" for line in (MESSAGES[8][1] * 40).split("\n"))]
)


def _importtime(prelude: str) -> float:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"{prelude}import followup.core.reading"],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(REPO / "daemon")},
    )
    for line in done.stderr.splitlines():
        found = re.match(r"import time:\s+\d+ \|\s+(\d+) \| followup\.core\.reading$", line)
        if found:
            return int(found.group(1)) / 1000
    raise RuntimeError("no importtime line for followup.core.reading")


def import_cost(repeat: int) -> list[tuple[str, float, str]]:
    """``python -X importtime``: from a bare interpreter (stdlib modules it pulls in
    included), and after the stdlib modules any followup process has loaded anyway."""
    stdlib = "import datetime, zoneinfo, dataclasses, typing, collections.abc, re, functools; "
    cold = [_importtime("") for _ in range(repeat)]
    own = [_importtime(stdlib) for _ in range(repeat)]
    return [
        ("reading_import_cumulative", statistics.median(cold), "ms"),
        ("reading_import_own", statistics.median(own), "ms"),
    ]


def first_call(repeat: int) -> list[tuple[str, float, str]]:
    code = (
        "import time, datetime as dt\nfrom zoneinfo import ZoneInfo\n"
        "import followup.core.reading as r\nt = time.perf_counter()\n"
        "r.read_message(subject='Re: Thanks', body='No decision yet, by Friday.', "
        "sent_at=dt.datetime(2026, 11, 18, tzinfo=ZoneInfo('UTC')), tz=ZoneInfo('UTC'), "
        "is_workday=lambda d: d.weekday() < 5)\nprint(time.perf_counter() - t)"
    )
    samples = [
        float(
            subprocess.run(
                [sys.executable, "-c", code],
                capture_output=True,
                text=True,
                check=True,
                env={"PYTHONPATH": str(REPO / "daemon")},
            ).stdout
        )
        for _ in range(repeat)
    ]
    return [("reading_first_call", statistics.median(samples) * 1000, "ms")]


def per_message(repeat: int) -> list[tuple[str, float, str]]:
    from followup.core.reading import read_message

    def once(subject: str, body: str) -> float:
        t0 = time.perf_counter()
        read_message(subject=subject, body=body, sent_at=SENT, tz=TZ,
                     is_workday=lambda d: d.weekday() < 5)  # fmt: skip
        return time.perf_counter() - t0

    once(*MESSAGES[0])  # compile the patterns outside the measurement
    typical = [once(s, b) for _ in range(repeat) for s, b in MESSAGES]
    long = [once("Re: Question", LONG) for _ in range(max(1, repeat // 5))]
    return [
        ("reading_per_message_median", statistics.median(typical) * 1e6, "us"),
        ("reading_per_message_p95", sorted(typical)[int(len(typical) * 0.95)] * 1e6, "us"),
        ("reading_long_thread_median", statistics.median(long) * 1e6, "us"),
        ("reading_long_thread_chars", float(len(LONG)), "chars"),
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    rows = [
        *import_cost(max(3, args.repeat // 4)),
        *first_call(max(3, args.repeat // 4)),
        *per_message(args.repeat),
    ]
    for name, value, unit in rows:
        print(f"{name} {value:.1f} {unit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
