"""``followup run``: the long-running daemon and what it needs from systemd and APScheduler."""
