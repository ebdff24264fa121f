"""Encounters: log (with the follow-up it plans and the one it completes), edit, tag a
stage, and read; part of `Journal`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlmodel import col, select

from svjournal.core import validation as v
from svjournal.core.errors import InvalidState, ValidationError
from svjournal.core.i18n import tr
from svjournal.core.inputs import EncounterInput, FollowUpInput, check_stage
from svjournal.core.journal_base import JournalBase
from svjournal.core.models import Case, Encounter, FollowUp
from svjournal.core.records import EncounterRecord, record_of

# The newest live encounters of live cases. CROSS JOIN fixes the join order (SQLite keeps it
# as written): walk ix_encounters_time backwards and stop after :n, instead of the order the
# planner otherwise picks (cases first, then every encounter sorted in a temporary B-tree,
# 0.8 s at 100,000 encounters just after unlock, when no page is decrypted yet).
RECENT_ENCOUNTERS_SQL = (
    "SELECT e.id, c.alias FROM encounters AS e CROSS JOIN cases AS c ON c.id = e.case_id "
    "WHERE e.deleted_at IS NULL AND c.deleted_at IS NULL "
    "ORDER BY e.occurred_at DESC LIMIT :n"
)


class EncountersPart(JournalBase):
    """Log, edit and read the encounters of a case."""

    def log_encounter(
        self,
        case_id: str,
        data: EncounterInput,
        *,
        next_follow_up: FollowUpInput | None = None,
        completes: str | None = None,
    ) -> EncounterRecord:
        """Log an encounter and, if given, the follow-up it plans, and mark the planned
        follow-up `completes` done by it: all of it or nothing is saved.

        Every problem of the encounter and the plan is raised at once (the plan's last).
        """
        with self._session() as s:
            case = self._get(s, Case, case_id)
            if case.status == "closed":
                raise InvalidState(tr("This case is closed; reopen it to log an encounter."))
            done = self._planned(s, completes) if completes is not None else None
            if done is not None and done.case_id != case_id:
                raise ValidationError("completes", tr("A follow-up of another case."))
            problems = v.Problems()
            values = problems.check(self._check_encounter, case, data)
            planned = None
            if next_follow_up is not None:
                occurred = values["occurred_at"].date() if values else None
                planned = problems.check(
                    next_follow_up.checked, referred_on=case.referred_on, not_before=occurred
                )
            problems.raise_any()
            assert values is not None
            encounter = Encounter(case_id=case_id, **values)
            s.add(encounter)
            if planned is not None:
                s.add(FollowUp(case_id=case_id, **planned))
            s.flush()
            if done is not None:
                done.status, done.done_at = "done", self._clock().replace(microsecond=0)
                done.encounter_id, done.updated_at = encounter.id, self._clock()
            self._refresh(s, case)
            case.updated_at = self._clock()
            return record_of(EncounterRecord, encounter)

    def edit_encounter(self, encounter_id: str, data: EncounterInput) -> EncounterRecord:
        with self._session() as s:
            encounter = self._get(s, Encounter, encounter_id)
            case = self._get(s, Case, encounter.case_id)
            for key, value in self._check_encounter(case, data).items():
                setattr(encounter, key, value)
            encounter.updated_at = self._clock()
            s.flush()
            self._refresh(s, case)
            return record_of(EncounterRecord, encounter)

    def tag_stage(
        self, encounter_id: str, stage: int | None, outcome: str | None = None
    ) -> EncounterRecord:
        values = check_stage(stage, outcome)
        with self._session() as s:
            encounter = self._get(s, Encounter, encounter_id)
            encounter.stage, encounter.outcome = values["stage"], values["outcome"]
            encounter.updated_at = self._clock()
            s.flush()
            self._refresh(s, self._get(s, Case, encounter.case_id))
            return record_of(EncounterRecord, encounter)

    def get_encounter(self, encounter_id: str) -> EncounterRecord:
        with self._session() as s:
            return record_of(EncounterRecord, self._get(s, Encounter, encounter_id))

    def encounters(self, case_id: str) -> list[EncounterRecord]:
        """The case's encounters, oldest first: its stage history is this sequence."""
        with self._session() as s:
            self._get(s, Case, case_id)
            query = (
                select(Encounter)
                .where(Encounter.case_id == case_id, col(Encounter.deleted_at).is_(None))
                .order_by(col(Encounter.occurred_at), col(Encounter.created_at))
            )
            return [record_of(EncounterRecord, e) for e in s.exec(query).all()]

    def recent_encounters(self, limit: int = 10) -> list[tuple[EncounterRecord, str]]:
        """The newest `limit` encounters (live, of live cases), newest first, with aliases."""
        with self._session() as s:
            newest = s.connection().execute(text(RECENT_ENCOUNTERS_SQL), {"n": limit}).all()
            ids = [encounter_id for encounter_id, _alias in newest]
            loaded = s.exec(select(Encounter).where(col(Encounter.id).in_(ids))).all()
            by_id = {e.id: e for e in loaded}
            return [
                (record_of(EncounterRecord, by_id[encounter_id]), alias)
                for encounter_id, alias in newest
            ]

    def _check_encounter(self, case: Case, data: EncounterInput) -> dict[str, Any]:
        if not isinstance(data, EncounterInput):
            raise ValidationError("encounter", "must be an EncounterInput.")
        return data.checked(
            case_kind=case.kind,
            event_date=case.event_date,
            referred_on=case.referred_on,
            now=self._clock(),
        )
