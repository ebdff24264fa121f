"""The journal service: what the UI and the command line call (Qt-free, one transaction a call).

Every method validates its input first (raising ValidationError, RecordNotFound or
InvalidState) and returns detached records or small row dataclasses, never live sessions.

`Journal` is put together from one part per purpose, each a mixin over `JournalBase`
(engine, clock, policy, record look-up, settings reads):

- `journal_cases`: open, edit, close and reopen cases; contact details
- `journal_encounters`: log, edit, tag and read encounters
- `journal_follow_ups`: schedule and settle follow-ups; a case's follow-ups
- `journal_trash`: move to the trash and back, purge
- `journal_store`: settings changes, drafts, the export log
- `journal_queries`: the case list and the follow-up lists across cases
"""

from __future__ import annotations

from svjournal.core.journal_base import JournalBase
from svjournal.core.journal_cases import CasesPart
from svjournal.core.journal_encounters import EncountersPart
from svjournal.core.journal_follow_ups import FollowUpsPart
from svjournal.core.journal_queries import (
    RED_FLAG_ATTENTION_DAYS,
    CaseFilter,
    CaseRow,
    FollowUpRow,
    QueriesPart,
)
from svjournal.core.journal_store import LOGGED_EXPORT_KINDS, StorePart
from svjournal.core.journal_trash import Trash, TrashPart

__all__ = [
    "LOGGED_EXPORT_KINDS",
    "RED_FLAG_ATTENTION_DAYS",
    "CaseFilter",
    "CaseRow",
    "FollowUpRow",
    "Journal",
    "JournalBase",
    "Trash",
]


class Journal(CasesPart, EncountersPart, FollowUpsPart, TrashPart, StorePart, QueriesPart):
    """Cases, encounters, follow-ups, contact details, settings and drafts of one vault."""
