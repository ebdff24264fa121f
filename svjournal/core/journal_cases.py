"""Cases and their contact details: open, check, edit, close (cancelling its plans, purging
contact details, deleting notes on request) and reopen; part of `Journal`."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, select

from svjournal.core import validation as v
from svjournal.core import vocab
from svjournal.core.errors import InvalidState, ValidationError
from svjournal.core.i18n import tr
from svjournal.core.inputs import CaseInput, ContactInput
from svjournal.core.journal_base import JournalBase
from svjournal.core.models import Case, ContactDetail, FollowUp
from svjournal.core.records import CaseRecord, ContactRecord, record_of


class CasesPart(JournalBase):
    """Open, edit, close and reopen cases; read and write their contact details."""

    def check_case(self, data: CaseInput, case_id: str | None = None) -> None:
        """Raise every problem `open_case` (or `update_case` of `case_id`) finds in `data`."""
        departments = self.department_codes()
        if case_id is not None:
            departments.append(self.get_case(case_id).department)  # a retired one may stay
        data.checked(departments, self._today())

    def open_case(self, data: CaseInput, contact: ContactInput | None = None) -> CaseRecord:
        """A new case, with its contact details when given, in one transaction."""
        return self._save_case(None, data, contact)

    def update_case(
        self, case_id: str, data: CaseInput, contact: ContactInput | None = None
    ) -> CaseRecord:
        """Change a case; `contact` (when given) replaces its contact details, all empty
        fields deleting them; both in one transaction."""
        return self._save_case(case_id, data, contact)

    def _save_case(
        self, case_id: str | None, data: CaseInput, contact: ContactInput | None
    ) -> CaseRecord:
        # Every problem of the case and of its contact details at once, before any write.
        problems = v.Problems()
        problems.check(self.check_case, data, case_id)
        contact_values = problems.check(contact.checked) if contact is not None else None
        problems.raise_any()
        with self._session() as s:
            if case_id is None:
                case = Case(**data.checked(self.department_codes(), self._today()))
                s.add(case)
                s.flush()
            else:
                case = self._update_case(s, case_id, data)
            if contact_values is not None:
                self._write_contact(s, case.id, contact_values)
            return record_of(CaseRecord, case)

    def _update_case(self, s: Session, case_id: str, data: CaseInput) -> Case:
        case = self._get(s, Case, case_id)
        departments = self.department_codes()
        if case.department not in departments:
            departments.append(case.department)  # a retired department may stay
        values = data.checked(departments, self._today())
        if values["kind"] != case.kind and self._live_encounters(s, case_id):
            raise ValidationError("kind", tr("Cannot change once encounters are logged."))
        first = self._first_encounter_time(s, case_id)
        if first is not None:
            if values["event_date"] and first.date() < values["event_date"]:
                raise ValidationError("event_date", tr("After an encounter already logged."))
            if first.date() < values["referred_on"]:
                raise ValidationError("referred_on", tr("After an encounter already logged."))
        for key, value in values.items():
            setattr(case, key, value)
        case.updated_at = self._clock()
        return case

    def get_case(self, case_id: str) -> CaseRecord:
        with self._session() as s:
            return record_of(CaseRecord, self._get(s, Case, case_id))

    def close_case(
        self,
        case_id: str,
        *,
        outcome: str | None = None,
        closed_on: date | None = None,
        delete_notes: bool = False,
    ) -> CaseRecord:
        """Close the case; `delete_notes` also deletes every note of its encounters (and any
        draft of it) in the same transaction, for a supporter who keeps nothing once done."""
        closed_on = v.a_date("closed_on", closed_on or self._today(), latest=self._today())
        outcome = v.code("outcome", outcome, vocab.OUTCOMES, required=False)
        purge = bool(self.setting("purge_contacts_on_close"))
        with self._session() as s:
            case = self._get(s, Case, case_id)
            if case.status == "closed":
                raise InvalidState(tr("This case is already closed."))
            if closed_on is not None and closed_on < case.referred_on:
                raise ValidationError("closed_on", tr("Cannot be before the referral."))
            case.status, case.closed_on = "closed", closed_on
            if outcome is not None:
                case.outcome = outcome
            case.updated_at = self._clock()
            for planned in s.exec(
                select(FollowUp).where(FollowUp.case_id == case_id, FollowUp.status == "planned")
            ):
                planned.status, planned.updated_at = "cancelled", self._clock()
            if purge:
                for contact in s.exec(
                    select(ContactDetail).where(ContactDetail.case_id == case_id)
                ):
                    s.delete(contact)
            if delete_notes:
                self._delete_notes(s, case_id)
            self._refresh(s, case)
            return record_of(CaseRecord, case)

    def _delete_notes(self, s: Session, case_id: str) -> None:
        # Trashed encounters too: their notes are as much the case's as the others'.
        s.execute(
            text(
                "UPDATE encounters SET note = NULL, updated_at = :now "
                "WHERE case_id = :case AND note IS NOT NULL"
            ),
            {"now": self._clock().replace(microsecond=0).isoformat(sep=" "), "case": case_id},
        )
        s.execute(
            text(
                "DELETE FROM drafts WHERE json_valid(payload) "
                "AND json_extract(payload, '$.case_id') = :case"
            ),
            {"case": case_id},
        )

    def reopen_case(self, case_id: str) -> CaseRecord:
        with self._session() as s:
            case = self._get(s, Case, case_id)
            if case.status != "closed":
                raise InvalidState(tr("This case is open already."))
            case.status, case.closed_on = "open", None
            case.updated_at = self._clock()
            self._refresh(s, case)
            return record_of(CaseRecord, case)

    def set_contact(self, case_id: str, data: ContactInput) -> ContactRecord | None:
        values = data.checked()
        with self._session() as s:
            self._get(s, Case, case_id)
            contact = self._write_contact(s, case_id, values)
            return None if contact is None else record_of(ContactRecord, contact)

    def _write_contact(
        self, s: Session, case_id: str, values: dict[str, Any]
    ) -> ContactDetail | None:
        contact = s.exec(select(ContactDetail).where(ContactDetail.case_id == case_id)).first()
        if not any(values.values()):
            if contact is not None:
                s.delete(contact)
            return None
        if contact is None:
            contact = ContactDetail(case_id=case_id, **values)
            s.add(contact)
        else:
            for key, value in values.items():
                setattr(contact, key, value)
            contact.updated_at = self._clock()
        return contact

    def contact(self, case_id: str) -> ContactRecord | None:
        with self._session() as s:
            query = select(ContactDetail).where(ContactDetail.case_id == case_id)
            contact = s.exec(query).first()
            return None if contact is None else record_of(ContactRecord, contact)
