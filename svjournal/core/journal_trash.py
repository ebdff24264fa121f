"""The trash: move cases and encounters there and back, list it, purge it; part of
`Journal`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from svjournal.core.errors import InvalidState
from svjournal.core.i18n import tr
from svjournal.core.journal_base import JournalBase
from svjournal.core.models import Case, Encounter
from svjournal.core.records import CaseRecord, EncounterRecord, record_of


@dataclass(frozen=True)
class Trash:
    cases: list[CaseRecord]
    encounters: list[EncounterRecord]


class TrashPart(JournalBase):
    """Soft deletion (a case or an encounter kept until purged) and its undoing."""

    def delete_case(self, case_id: str) -> None:
        with self._session() as s:
            case = self._get(s, Case, case_id)
            case.deleted_at = self._clock()

    def restore_case(self, case_id: str) -> None:
        with self._session() as s:
            case = self._get(s, Case, case_id, include_deleted=True)
            case.deleted_at = None

    def delete_encounter(self, encounter_id: str) -> None:
        with self._session() as s:
            encounter = self._get(s, Encounter, encounter_id)
            encounter.deleted_at = self._clock()
            s.flush()
            self._refresh(s, self._get(s, Case, encounter.case_id))

    def restore_encounter(self, encounter_id: str) -> None:
        with self._session() as s:
            encounter = self._get(s, Encounter, encounter_id, include_deleted=True)
            encounter.deleted_at = None
            s.flush()
            self._refresh(s, self._get(s, Case, encounter.case_id, include_deleted=True))

    def trash(self) -> Trash:
        with self._session() as s:
            cases = s.exec(select(Case).where(col(Case.deleted_at).is_not(None))).all()
            encounters = s.exec(
                select(Encounter)
                .join(Case, col(Case.id) == Encounter.case_id)
                .where(col(Encounter.deleted_at).is_not(None), col(Case.deleted_at).is_(None))
            ).all()
            return Trash(
                [record_of(CaseRecord, c) for c in cases],
                [record_of(EncounterRecord, e) for e in encounters],
            )

    def purge_case(self, case_id: str) -> None:
        """Delete for good a case that is in the trash (with everything it holds)."""
        with self._session() as s:
            case = self._get(s, Case, case_id, include_deleted=True)
            if case.deleted_at is None:
                raise InvalidState(tr("Only a case in the trash can be purged."))
            s.delete(case)

    def purge_encounter(self, encounter_id: str) -> None:
        with self._session() as s:
            encounter = self._get(s, Encounter, encounter_id, include_deleted=True)
            if encounter.deleted_at is None:
                raise InvalidState(tr("Only an encounter in the trash can be purged."))
            s.delete(encounter)

    def empty_trash(self) -> int:
        trash = self.trash()
        for encounter in trash.encounters:
            self.purge_encounter(encounter.id)
        for case in trash.cases:
            self.purge_case(case.id)
        return len(trash.cases) + len(trash.encounters)
