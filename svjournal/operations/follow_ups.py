"""Schedule, reschedule, cancel and mark missed a follow-up (Mark done: encounters)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from svjournal.core.i18n import tr
from svjournal.core.journal import Journal
from svjournal.core.records import FollowUpRecord
from svjournal.operations.changes import Changes
from svjournal.operations.recording import recorded
from svjournal.operations.result import OpResult


def _changed(follow_up: FollowUpRecord) -> Changes:
    return Changes.of(cases=[follow_up.case_id], follow_ups=[follow_up.id])


def _case_of(journal: Journal, follow_up_id: str) -> str:
    """The case a follow-up belongs to (its rows are what an undo puts back)."""
    return journal.case_of_record("follow_up", follow_up_id)


def schedule_follow_up(
    journal: Journal, case_id: str, due_on: date, method: str = "phone"
) -> OpResult[FollowUpRecord]:
    return recorded(
        journal,
        tr("Schedule follow-up"),
        lambda: journal.schedule_follow_up(case_id, due_on, method),
        _changed,
        case_ids=[case_id],
    )


def _on_follow_up(
    journal: Journal, label: str, follow_up_id: str, work: Callable[[], FollowUpRecord]
) -> OpResult[FollowUpRecord]:
    """An action on one existing follow-up; its case's rows are what an undo puts back."""
    return recorded(journal, label, work, _changed, case_ids=[_case_of(journal, follow_up_id)])


def reschedule_follow_up(
    journal: Journal, follow_up_id: str, due_on: date
) -> OpResult[FollowUpRecord]:
    return _on_follow_up(
        journal,
        tr("Reschedule follow-up"),
        follow_up_id,
        lambda: journal.reschedule_follow_up(follow_up_id, due_on),
    )


def cancel_follow_up(journal: Journal, follow_up_id: str) -> OpResult[FollowUpRecord]:
    return _on_follow_up(
        journal,
        tr("Cancel follow-up"),
        follow_up_id,
        lambda: journal.cancel_follow_up(follow_up_id),
    )


def mark_follow_up_missed(journal: Journal, follow_up_id: str) -> OpResult[FollowUpRecord]:
    return _on_follow_up(
        journal,
        tr("Mark follow-up missed"),
        follow_up_id,
        lambda: journal.mark_follow_up_missed(follow_up_id),
    )
