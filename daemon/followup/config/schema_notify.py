"""The ``[notify]`` part of the schema: how the user is told about drafts and answers."""

from __future__ import annotations

from followup.config import kinds as k
from followup.config.keys import Key, Section

NOTIFY = Section(
    "notify",
    "How you are told when a draft is ready or an answer arrived. Every key is optional.",
    (
        Key(
            "desktop",
            k.boolean,
            "desktop notifications on the session D-Bus (used only when a session bus is found)",
            True,
            True,
        ),
        Key(
            "command",
            k.string,
            "run through /bin/sh -c for each event, with FOLLOWUP_* variables in its environment",
            'ntfy publish my-followup-topic "$FOLLOWUP_TEXT"',
            None,
            default_doc="none",
        ),
        Key(
            "command_timeout",
            k.duration,
            "how long the command may run before it is killed",
            "30s",
            "30s",
        ),
    ),
)
