"""Follow-ups: schedule, complete, reschedule, cancel, mark missed, and read a case's;
part of `Journal` (the lists across cases are in `journal_queries`)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import col, select

from svjournal.core import validation as v
from svjournal.core.errors import InvalidState, ValidationError
from svjournal.core.i18n import N_, tr
from svjournal.core.inputs import FUTURE_SLACK, FollowUpInput
from svjournal.core.journal_base import JournalBase
from svjournal.core.models import Case, Encounter, FollowUp
from svjournal.core.records import FollowUpRecord, record_of

# Why a follow-up cannot be rescheduled, by its status.
_NOT_AGAIN = {
    "done": N_("A follow-up that is done cannot be rescheduled."),
    "cancelled": N_("A canceled follow-up cannot be rescheduled."),
}


class FollowUpsPart(JournalBase):
    """Plan the next contacts of a case and settle them."""

    def schedule_follow_up(
        self, case_id: str, due_on: date, method: str = "phone"
    ) -> FollowUpRecord:
        plan = FollowUpInput(due_on=due_on, method=method)
        plan.checked(referred_on=None)  # the values alone, before the case is looked up
        with self._session() as s:
            case = self._get(s, Case, case_id)
            if case.status == "closed":
                raise InvalidState(tr("This case is closed; reopen it to plan a follow-up."))
            follow_up = FollowUp(case_id=case_id, **plan.checked(referred_on=case.referred_on))
            s.add(follow_up)
            self._refresh(s, case)
            return record_of(FollowUpRecord, follow_up)

    def complete_follow_up(
        self, follow_up_id: str, *, done_at: datetime | None = None, encounter_id: str | None = None
    ) -> FollowUpRecord:
        done = v.a_datetime(
            "done_at", done_at or self._clock(), latest=self._clock() + FUTURE_SLACK
        )
        with self._session() as s:
            follow_up = self._planned(s, follow_up_id)
            if encounter_id is not None:
                encounter = self._get(s, Encounter, encounter_id)
                if encounter.case_id != follow_up.case_id:
                    raise ValidationError("encounter_id", tr("Belongs to another case."))
            follow_up.status, follow_up.done_at = "done", done
            follow_up.encounter_id = encounter_id
            follow_up.updated_at = self._clock()
            self._refresh_of(s, follow_up)
            return record_of(FollowUpRecord, follow_up)

    def reschedule_follow_up(self, follow_up_id: str, due_on: date) -> FollowUpRecord:
        due = v.a_date("due_on", due_on)
        with self._session() as s:
            follow_up = self._get(s, FollowUp, follow_up_id)
            case = self._get(s, Case, follow_up.case_id)
            if case.status == "closed":
                raise InvalidState(tr("This case is closed; reopen it to plan a follow-up."))
            if due is not None and due < case.referred_on:
                raise ValidationError("due_on", tr("Cannot be before the referral."))
            if follow_up.status not in ("planned", "missed"):
                refusal = _NOT_AGAIN.get(follow_up.status, _NOT_AGAIN["done"])
                raise InvalidState(tr(refusal))
            follow_up.due_on, follow_up.status = due, "planned"  # type: ignore[assignment]
            follow_up.updated_at = self._clock()
            self._refresh_of(s, follow_up)
            return record_of(FollowUpRecord, follow_up)

    def cancel_follow_up(self, follow_up_id: str) -> FollowUpRecord:
        return self._settle(follow_up_id, "cancelled")

    def mark_follow_up_missed(self, follow_up_id: str) -> FollowUpRecord:
        return self._settle(follow_up_id, "missed")

    def follow_up(self, follow_up_id: str) -> FollowUpRecord:
        with self._session() as s:
            return record_of(FollowUpRecord, self._get(s, FollowUp, follow_up_id))

    def case_of_record(self, kind: str, record_id: str) -> str:
        """The case an encounter or follow-up belongs to, in the trash or not."""
        with self._session() as s:
            if kind == "encounter":
                return self._get(s, Encounter, record_id, include_deleted=True).case_id
            return self._get(s, FollowUp, record_id, include_deleted=True).case_id

    def follow_ups(self, case_id: str) -> list[FollowUpRecord]:
        with self._session() as s:
            self._get(s, Case, case_id)
            query = (
                select(FollowUp)
                .where(FollowUp.case_id == case_id, col(FollowUp.deleted_at).is_(None))
                .order_by(col(FollowUp.due_on))
            )
            return [record_of(FollowUpRecord, f) for f in s.exec(query).all()]

    def _settle(self, follow_up_id: str, status: str) -> FollowUpRecord:
        with self._session() as s:
            follow_up = self._planned(s, follow_up_id)
            follow_up.status, follow_up.updated_at = status, self._clock()
            self._refresh_of(s, follow_up)
            return record_of(FollowUpRecord, follow_up)
