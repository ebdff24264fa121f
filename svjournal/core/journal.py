"""The journal service: what the UI and the command line call (Qt-free, one transaction a call).

Every method validates its input first (raising ValidationError, RecordNotFound or
InvalidState) and returns detached records or small row dataclasses, never live sessions.
"""

from __future__ import annotations

import gc
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Engine, func, text
from sqlmodel import Session, col, select

from svjournal.core import logsafe, snapshots, summaries, vocab
from svjournal.core import validation as v
from svjournal.core.errors import InvalidState, RecordNotFound, ValidationError
from svjournal.core.inputs import (
    FUTURE_SLACK,
    CaseInput,
    ContactInput,
    EncounterInput,
    FollowUpInput,
    check_stage,
)
from svjournal.core.models import (
    Case,
    ContactDetail,
    Draft,
    Encounter,
    ExportLogEntry,
    FollowUp,
    Setting,
    now,
)
from svjournal.core.policy import Effective, Policy, current_policy
from svjournal.core.settings import SETTINGS, check_setting
from svjournal.core.snapshots import Snapshot

T = TypeVar("T", Case, Encounter, FollowUp)

log = logging.getLogger(__name__)

# Export kinds the log may name (any other kind is written as <withheld>).
LOGGED_EXPORT_KINDS = (
    "backup",
    "personal-export",
    "calendar",
    "chart",
    "team_bundle",
    "report-pdf",
    "report-xlsx",
    "report-csv",
)
logsafe.allow_words(*LOGGED_EXPORT_KINDS)


class CaseRow(NamedTuple):
    """One line of the case list."""

    id: str
    alias: str
    kind: str
    role: str
    department: str
    event_category: str
    status: str
    current_stage: int | None
    outcome: str | None
    referred_on: date
    last_contact: datetime | None
    next_follow_up: date | None
    # When an encounter last recorded a red flag; the best Tier 3 referral response.
    last_red_flag: datetime | None = None
    tier3_referral: str | None = None

    @property
    def needs_tier3(self) -> bool:
        """A red flag was recorded and no Tier 3 referral has been accepted (yet)."""
        return self.last_red_flag is not None and self.tier3_referral != "accepted"


class FollowUpRow(NamedTuple):
    """A follow-up with the alias of its case, for Today and the follow-up list."""

    id: str
    case_id: str
    alias: str
    due_on: date
    method: str
    status: str
    done_at: datetime | None
    # The case's red-flag summary, so a follow-up list can mark it (see CaseRow).
    last_red_flag: datetime | None = None
    tier3_referral: str | None = None


@dataclass(frozen=True)
class CaseFilter:
    text: str = ""
    status: str | None = None
    stage: int | None = None
    role: str | None = None
    department: str | None = None
    kind: str | None = None
    # Only cases where an encounter recorded a red flag.
    red_flag: bool = False


@dataclass(frozen=True)
class Trash:
    cases: list[Case]
    encounters: list[Encounter]


_CASE_ROW_COLUMNS = (
    "id, alias, kind, role, department, event_category, status, current_stage, outcome, "
    "referred_on, last_contact_at, next_follow_up_on, last_red_flag_at, tier3_referral"
)
# "Needs attention": a red flag recorded within this many days, no Tier 3 referral accepted.
RED_FLAG_ATTENTION_DAYS = 14


def _case_row(row: Any) -> CaseRow:
    (case_id, alias, kind, role, dept, category, status, stage, outcome, *dates, tier3) = row
    referred, last, nxt, flagged = dates
    return CaseRow(
        case_id,
        alias,
        kind,
        role,
        dept,
        category,
        status,
        stage,
        outcome,
        date.fromisoformat(referred),
        datetime.fromisoformat(last) if last else None,
        date.fromisoformat(nxt) if nxt else None,
        datetime.fromisoformat(flagged) if flagged else None,
        tier3,
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Build a large list of plain tuples without the cyclic GC stepping in.

    Ten thousand rows allocate enough objects to trigger full collections, which scan every
    module object SQLAlchemy holds and double the time of the case list now and then. The
    rows form no cycles, so nothing is left for the collector to find afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Journal:
    """Cases, encounters, follow-ups, contact details, settings and drafts of one vault."""

    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime] = now,
        policy: Policy | None = None,
    ) -> None:
        self._engine = engine
        self._clock = clock
        # Read once per service: every setting read below goes through it, so the CLI and
        # the app obey the same IT policy.
        self.policy = current_policy() if policy is None else policy

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with Session(self._engine, expire_on_commit=False) as session, session.begin():
            yield session

    def _today(self) -> date:
        return self._clock().date()

    # --- settings --------------------------------------------------------------------

    def setting(self, key: str) -> Any:
        """The value that applies: the user's (or the default) under the IT policy."""
        return self.effective_setting(key).value

    def effective_setting(self, key: str) -> Effective:
        if not isinstance(key, str) or key not in SETTINGS:
            raise ValidationError("setting", f"{key!r} is not a known setting.")
        with self._session() as s:
            row = s.get(Setting, key)
            if row is None:
                return self.policy.apply(key, SETTINGS[key].default, stored=False)
            return self.policy.apply(key, row.value, stored=True)

    def set_setting(self, key: str, value: Any) -> None:
        check_setting(key, value)  # a key that is not a name (a list) is refused here
        self.set_settings({key: value})

    def set_settings(self, values: dict[str, Any]) -> None:
        """Change several settings in one transaction, after checking every one of them."""
        problems = v.Problems()
        checked: dict[str, Any] = {}
        for key, value in values.items():
            checked[key] = problems.check(check_setting, key, value)
        problems.raise_any()
        for key, value in checked.items():
            self.policy.check_change(key, value)
        with self._session() as s:
            for key, value in checked.items():
                row = s.get(Setting, key)
                if row is None:
                    s.add(Setting(key=key, value=value))
                else:
                    row.value = value
                    row.updated_at = self._clock()

    def department_codes(self) -> list[str]:
        return [d["code"] for d in self.setting("departments")]

    # --- cases -----------------------------------------------------------------------

    def check_case(self, data: CaseInput, case_id: str | None = None) -> None:
        """Raise every problem `open_case` (or `update_case` of `case_id`) finds in `data`."""
        departments = self.department_codes()
        if case_id is not None:
            departments.append(self.get_case(case_id).department)  # a retired one may stay
        data.checked(departments, self._today())

    def open_case(self, data: CaseInput, contact: ContactInput | None = None) -> Case:
        """A new case, with its contact details when given, in one transaction."""
        return self._save_case(None, data, contact)

    def update_case(
        self, case_id: str, data: CaseInput, contact: ContactInput | None = None
    ) -> Case:
        """Change a case; `contact` (when given) replaces its contact details, all empty
        fields deleting them; both in one transaction."""
        return self._save_case(case_id, data, contact)

    def _save_case(
        self, case_id: str | None, data: CaseInput, contact: ContactInput | None
    ) -> Case:
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
            return case

    def _update_case(self, s: Session, case_id: str, data: CaseInput) -> Case:
        case = self._get(s, Case, case_id)
        departments = self.department_codes()
        if case.department not in departments:
            departments.append(case.department)  # a retired department may stay
        values = data.checked(departments, self._today())
        if values["kind"] != case.kind and self._live_encounters(s, case_id):
            raise ValidationError("kind", "cannot change once encounters are logged.")
        first = self._first_encounter_time(s, case_id)
        if first is not None:
            if values["event_date"] and first.date() < values["event_date"]:
                raise ValidationError("event_date", "is after an encounter already logged.")
            if first.date() < values["referred_on"]:
                raise ValidationError("referred_on", "is after an encounter already logged.")
        for key, value in values.items():
            setattr(case, key, value)
        case.updated_at = self._clock()
        return case

    # --- snapshots (what Undo puts back) -------------------------------------------------

    def capture(self, case_ids: Iterable[str] = (), setting_keys: Iterable[str] = ()) -> Snapshot:
        """Every row of these cases and settings as stored now (see core.snapshots)."""
        return snapshots.capture(self._engine, case_ids, setting_keys)

    def put_back(self, wanted: Snapshot, *, expected: Snapshot) -> None:
        """Make the rows of `wanted` so again, if they are still as `expected` holds them."""
        snapshots.put_back(self._engine, wanted, expected=expected)

    def get_case(self, case_id: str) -> Case:
        with self._session() as s:
            return self._get(s, Case, case_id)

    def close_case(
        self,
        case_id: str,
        *,
        outcome: str | None = None,
        closed_on: date | None = None,
        delete_notes: bool = False,
    ) -> Case:
        """Close the case; `delete_notes` also deletes every note of its encounters (and any
        draft of it) in the same transaction, for a supporter who keeps nothing once done."""
        closed_on = v.a_date("closed_on", closed_on or self._today(), latest=self._today())
        outcome = v.code("outcome", outcome, vocab.OUTCOMES, required=False)
        purge = bool(self.setting("purge_contacts_on_close"))
        with self._session() as s:
            case = self._get(s, Case, case_id)
            if case.status == "closed":
                raise InvalidState("This case is already closed.")
            if closed_on is not None and closed_on < case.referred_on:
                raise ValidationError("closed_on", "cannot be before the referral.")
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
            return case

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

    def reopen_case(self, case_id: str) -> Case:
        with self._session() as s:
            case = self._get(s, Case, case_id)
            if case.status != "closed":
                raise InvalidState("This case is open already.")
            case.status, case.closed_on = "open", None
            case.updated_at = self._clock()
            self._refresh(s, case)
            return case

    def list_cases(self, filt: CaseFilter | None = None) -> list[CaseRow]:
        """Cases (not in the trash) matching the filter, by alias.

        Plain SQL over the case row's summary columns, parsed with the C date parsers:
        the list must stay instant with ten thousand cases.
        """
        filt = filt or CaseFilter()
        clauses = ["deleted_at IS NULL"]
        params: dict[str, Any] = {}
        if filt.text:
            text_filter = v.text("search", filt.text, max_len=200)
            escaped = str(text_filter).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append("alias LIKE :pattern ESCAPE '\\'")
            params["pattern"] = f"%{escaped}%"
        for column, wanted in (
            ("status", filt.status),
            ("current_stage", filt.stage),
            ("role", filt.role),
            ("department", filt.department),
            ("kind", filt.kind),
        ):
            if wanted is not None:
                clauses.append(f"{column} = :{column}")
                params[column] = wanted
        if filt.red_flag:
            clauses.append("last_red_flag_at IS NOT NULL")
        query = text(
            f"SELECT {_CASE_ROW_COLUMNS} FROM cases WHERE {' AND '.join(clauses)} "
            "ORDER BY alias COLLATE NOCASE, id"
        )
        with _collector_paused(), self._engine.connect() as conn:
            rows = conn.execute(query, params).all()
            return [_case_row(row) for row in rows]

    # --- encounters ------------------------------------------------------------------

    def log_encounter(
        self,
        case_id: str,
        data: EncounterInput,
        *,
        next_follow_up: FollowUpInput | None = None,
        completes: str | None = None,
    ) -> Encounter:
        """Log an encounter and, if given, the follow-up it plans, and mark the planned
        follow-up `completes` done by it: all of it or nothing is saved.

        Every problem of the encounter and the plan is raised at once (the plan's last).
        """
        with self._session() as s:
            case = self._get(s, Case, case_id)
            if case.status == "closed":
                raise InvalidState("This case is closed; reopen it to log an encounter.")
            done = self._planned(s, completes) if completes is not None else None
            if done is not None and done.case_id != case_id:
                raise ValidationError("completes", "is a follow-up of another case.")
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
            return encounter

    def edit_encounter(self, encounter_id: str, data: EncounterInput) -> Encounter:
        with self._session() as s:
            encounter = self._get(s, Encounter, encounter_id)
            case = self._get(s, Case, encounter.case_id)
            for key, value in self._check_encounter(case, data).items():
                setattr(encounter, key, value)
            encounter.updated_at = self._clock()
            s.flush()
            self._refresh(s, case)
            return encounter

    def tag_stage(
        self, encounter_id: str, stage: int | None, outcome: str | None = None
    ) -> Encounter:
        values = check_stage(stage, outcome)
        with self._session() as s:
            encounter = self._get(s, Encounter, encounter_id)
            encounter.stage, encounter.outcome = values["stage"], values["outcome"]
            encounter.updated_at = self._clock()
            s.flush()
            self._refresh(s, self._get(s, Case, encounter.case_id))
            return encounter

    def get_encounter(self, encounter_id: str) -> Encounter:
        with self._session() as s:
            return self._get(s, Encounter, encounter_id)

    def encounters(self, case_id: str) -> list[Encounter]:
        """The case's encounters, oldest first: its stage history is this sequence."""
        with self._session() as s:
            self._get(s, Case, case_id)
            query = (
                select(Encounter)
                .where(Encounter.case_id == case_id, col(Encounter.deleted_at).is_(None))
                .order_by(col(Encounter.occurred_at), col(Encounter.created_at))
            )
            return list(s.exec(query).all())

    def recent_encounters(self, limit: int = 10) -> list[tuple[Encounter, str]]:
        with self._session() as s:
            query = (
                select(Encounter, Case.alias)
                .join(Case, col(Case.id) == Encounter.case_id)
                .where(col(Encounter.deleted_at).is_(None), col(Case.deleted_at).is_(None))
                .order_by(col(Encounter.occurred_at).desc())
                .limit(limit)
            )
            return [(e, alias) for e, alias in s.exec(query).all()]

    # --- follow-ups ------------------------------------------------------------------

    def schedule_follow_up(self, case_id: str, due_on: date, method: str = "phone") -> FollowUp:
        plan = FollowUpInput(due_on=due_on, method=method)
        plan.checked(referred_on=None)  # the values alone, before the case is looked up
        with self._session() as s:
            case = self._get(s, Case, case_id)
            if case.status == "closed":
                raise InvalidState("This case is closed; reopen it to plan a follow-up.")
            follow_up = FollowUp(case_id=case_id, **plan.checked(referred_on=case.referred_on))
            s.add(follow_up)
            self._refresh(s, case)
            return follow_up

    def complete_follow_up(
        self, follow_up_id: str, *, done_at: datetime | None = None, encounter_id: str | None = None
    ) -> FollowUp:
        done = v.a_datetime(
            "done_at", done_at or self._clock(), latest=self._clock() + FUTURE_SLACK
        )
        with self._session() as s:
            follow_up = self._planned(s, follow_up_id)
            if encounter_id is not None:
                encounter = self._get(s, Encounter, encounter_id)
                if encounter.case_id != follow_up.case_id:
                    raise ValidationError("encounter_id", "belongs to another case.")
            follow_up.status, follow_up.done_at = "done", done
            follow_up.encounter_id = encounter_id
            follow_up.updated_at = self._clock()
            self._refresh_of(s, follow_up)
            return follow_up

    def reschedule_follow_up(self, follow_up_id: str, due_on: date) -> FollowUp:
        due = v.a_date("due_on", due_on)
        with self._session() as s:
            follow_up = self._get(s, FollowUp, follow_up_id)
            case = self._get(s, Case, follow_up.case_id)
            if case.status == "closed":
                raise InvalidState("This case is closed; reopen it to plan a follow-up.")
            if due is not None and due < case.referred_on:
                raise ValidationError("due_on", "cannot be before the referral.")
            if follow_up.status not in ("planned", "missed"):
                raise InvalidState(f"A {follow_up.status} follow-up cannot be rescheduled.")
            follow_up.due_on, follow_up.status = due, "planned"  # type: ignore[assignment]
            follow_up.updated_at = self._clock()
            self._refresh_of(s, follow_up)
            return follow_up

    def cancel_follow_up(self, follow_up_id: str) -> FollowUp:
        return self._settle(follow_up_id, "cancelled")

    def mark_follow_up_missed(self, follow_up_id: str) -> FollowUp:
        return self._settle(follow_up_id, "missed")

    def follow_up(self, follow_up_id: str) -> FollowUp:
        with self._session() as s:
            return self._get(s, FollowUp, follow_up_id)

    def case_of_record(self, kind: str, record_id: str) -> str:
        """The case an encounter or follow-up belongs to, in the trash or not."""
        with self._session() as s:
            if kind == "encounter":
                return self._get(s, Encounter, record_id, include_deleted=True).case_id
            return self._get(s, FollowUp, record_id, include_deleted=True).case_id

    def follow_ups(self, case_id: str) -> list[FollowUp]:
        with self._session() as s:
            self._get(s, Case, case_id)
            query = (
                select(FollowUp)
                .where(FollowUp.case_id == case_id, col(FollowUp.deleted_at).is_(None))
                .order_by(col(FollowUp.due_on))
            )
            return list(s.exec(query).all())

    def due_today(self, today: date | None = None) -> list[FollowUpRow]:
        day = today or self._today()
        return self._follow_up_rows(
            "f.status = 'planned' AND f.due_on = :day", {"day": day.isoformat()}
        )

    def overdue(self, today: date | None = None) -> list[FollowUpRow]:
        day = today or self._today()
        return self._follow_up_rows(
            "f.status = 'planned' AND f.due_on < :day", {"day": day.isoformat()}
        )

    def upcoming(self, today: date | None = None, limit: int = 500) -> list[FollowUpRow]:
        day = today or self._today()
        return self._follow_up_rows(
            "f.status = 'planned' AND f.due_on > :day", {"day": day.isoformat()}, limit=limit
        )

    def settled_follow_ups(self, limit: int = 500) -> list[FollowUpRow]:
        """Done, missed and cancelled follow-ups, the most recent first."""
        return self._follow_up_rows(
            "f.status != 'planned'", {}, order="coalesce(f.done_at, f.due_on) DESC", limit=limit
        )

    def planned_due_days(self) -> list[date]:
        """The due day of every planned follow-up of a live case, earliest first: all the
        reminders need (counts by day), with nothing that names anyone."""
        query = text(
            "SELECT f.due_on FROM follow_ups AS f JOIN cases AS c ON c.id = f.case_id "
            "WHERE f.status = 'planned' AND f.deleted_at IS NULL AND c.deleted_at IS NULL "
            "ORDER BY f.due_on"
        )
        with self._engine.connect() as conn:
            return [date.fromisoformat(day) for (day,) in conn.execute(query)]

    def awaiting_first_contact(self) -> list[CaseRow]:
        """Open cases referred but not yet contacted, the longest waiting first."""
        rows = [r for r in self.list_cases(CaseFilter(status="open")) if r.last_contact is None]
        return sorted(rows, key=lambda r: r.referred_on)

    def needs_attention(self, today: date | None = None) -> list[CaseRow]:
        """Open cases with a red flag in the last RED_FLAG_ATTENTION_DAYS days and no accepted
        Tier 3 referral: the red flags call for one. The most recent flag first."""
        day = today or self._today()
        since = datetime.combine(day - timedelta(days=RED_FLAG_ATTENTION_DAYS - 1), time())
        query = text(
            f"SELECT {_CASE_ROW_COLUMNS} FROM cases WHERE deleted_at IS NULL AND status = 'open' "
            "AND last_red_flag_at >= :since AND tier3_referral IS NOT 'accepted' "
            "ORDER BY last_red_flag_at DESC, alias COLLATE NOCASE"
        )
        with self._engine.connect() as conn:
            rows = conn.execute(query, {"since": since.isoformat(sep=" ")}).all()
        return [_case_row(row) for row in rows]

    # --- contact details -------------------------------------------------------------

    def set_contact(self, case_id: str, data: ContactInput) -> ContactDetail | None:
        values = data.checked()
        with self._session() as s:
            self._get(s, Case, case_id)
            return self._write_contact(s, case_id, values)

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

    def contact(self, case_id: str) -> ContactDetail | None:
        with self._session() as s:
            return s.exec(select(ContactDetail).where(ContactDetail.case_id == case_id)).first()

    # --- trash -----------------------------------------------------------------------

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
            return Trash(list(cases), list(encounters))

    def purge_case(self, case_id: str) -> None:
        """Delete for good a case that is in the trash (with everything it holds)."""
        with self._session() as s:
            case = self._get(s, Case, case_id, include_deleted=True)
            if case.deleted_at is None:
                raise InvalidState("Only a case in the trash can be purged.")
            s.delete(case)

    def purge_encounter(self, encounter_id: str) -> None:
        with self._session() as s:
            encounter = self._get(s, Encounter, encounter_id, include_deleted=True)
            if encounter.deleted_at is None:
                raise InvalidState("Only an encounter in the trash can be purged.")
            s.delete(encounter)

    def empty_trash(self) -> int:
        trash = self.trash()
        for encounter in trash.encounters:
            self.purge_encounter(encounter.id)
        for case in trash.cases:
            self.purge_case(case.id)
        return len(trash.cases) + len(trash.encounters)

    # --- drafts and export log -------------------------------------------------------

    def save_draft(self, key: str, kind: str, payload: dict[str, Any]) -> None:
        v.text("draft key", key, max_len=200)
        v.text("draft kind", kind, max_len=200)
        if not isinstance(payload, dict):
            raise ValidationError("draft", "must be a mapping of form fields.")
        try:
            json.dumps(payload, allow_nan=False)
        except (TypeError, ValueError):
            raise ValidationError("draft", "holds something that cannot be kept.") from None
        with self._session() as s:
            draft = s.get(Draft, key)
            if draft is None:
                s.add(Draft(key=key, kind=kind, payload=payload, updated_at=self._clock()))
            else:
                draft.kind, draft.payload, draft.updated_at = kind, payload, self._clock()

    def load_draft(self, key: str) -> Draft | None:
        with self._session() as s:
            return s.get(Draft, key)

    def drafts(self) -> list[Draft]:
        with self._session() as s:
            return list(s.exec(select(Draft).order_by(col(Draft.updated_at).desc())).all())

    def discard_draft(self, key: str) -> None:
        with self._session() as s:
            draft = s.get(Draft, key)
            if draft is not None:
                s.delete(draft)

    def record_export(
        self, kind: str, destination: str, detail: str = "", *, records: int | None = None
    ) -> None:
        """Log an export: what kind, where to, how many records; never what it contained.

        `detail` stays positional for the callers that predate `records`.
        """
        if records is not None:
            v.integer("records", records, low=0, high=2**62)
        with self._session() as s:
            s.add(
                ExportLogEntry(
                    kind=kind,
                    destination=destination,
                    records=records,
                    detail=detail,
                    at=self._clock(),
                )
            )
        # The kind alone (a word of ours, see LOGGED_EXPORT_KINDS); never where, never what.
        log.info("export written: %s", kind)

    def export_log(self) -> list[ExportLogEntry]:
        """Every export, the newest first (with `records` where the export counted them)."""
        with self._session() as s:
            return list(
                s.exec(select(ExportLogEntry).order_by(col(ExportLogEntry.at).desc())).all()
            )

    # --- internals -------------------------------------------------------------------

    def _get(
        self, s: Session, model: type[T], record_id: str, *, include_deleted: bool = False
    ) -> T:
        record = s.get(model, record_id) if isinstance(record_id, str) else None
        if record is None or (record.deleted_at is not None and not include_deleted):
            raise RecordNotFound(model.__name__.lower(), str(record_id))
        if not include_deleted and not isinstance(record, Case):
            case = s.get(Case, record.case_id)
            if case is None or case.deleted_at is not None:
                raise RecordNotFound(model.__name__.lower(), str(record_id))
        return record

    def _check_encounter(self, case: Case, data: EncounterInput) -> dict[str, Any]:
        if not isinstance(data, EncounterInput):
            raise ValidationError("encounter", "must be an EncounterInput.")
        return data.checked(
            case_kind=case.kind,
            event_date=case.event_date,
            referred_on=case.referred_on,
            now=self._clock(),
        )

    def _live_encounters(self, s: Session, case_id: str) -> int:
        query = select(func.count()).where(
            Encounter.case_id == case_id, col(Encounter.deleted_at).is_(None)
        )
        return int(s.exec(query).one())

    def _first_encounter_time(self, s: Session, case_id: str) -> datetime | None:
        query = select(func.min(Encounter.occurred_at)).where(
            Encounter.case_id == case_id, col(Encounter.deleted_at).is_(None)
        )
        return s.exec(query).one()

    def _refresh(self, s: Session, case: Case) -> None:
        """Recompute the case's summary columns (stage, contacts, next follow-up)."""
        s.flush()
        summaries.refresh(s, [case.id])
        s.refresh(case)

    def _refresh_of(self, s: Session, follow_up: FollowUp) -> None:
        s.flush()
        summaries.refresh(s, [follow_up.case_id])

    def _planned(self, s: Session, follow_up_id: str) -> FollowUp:
        follow_up = self._get(s, FollowUp, follow_up_id)
        if follow_up.status != "planned":
            raise InvalidState(f"This follow-up is {follow_up.status} already.")
        return follow_up

    def _settle(self, follow_up_id: str, status: str) -> FollowUp:
        with self._session() as s:
            follow_up = self._planned(s, follow_up_id)
            follow_up.status, follow_up.updated_at = status, self._clock()
            self._refresh_of(s, follow_up)
            return follow_up

    def _follow_up_rows(
        self, where: str, params: dict[str, Any], order: str = "f.due_on", limit: int = 100_000
    ) -> list[FollowUpRow]:
        """Follow-ups of live cases matching `where` (SQL over f = follow_ups, c = cases)."""
        query = text(
            "SELECT f.id, f.case_id, c.alias, f.due_on, f.method, f.status, f.done_at, "
            "c.last_red_flag_at, c.tier3_referral "
            "FROM follow_ups AS f JOIN cases AS c ON c.id = f.case_id "
            f"WHERE f.deleted_at IS NULL AND c.deleted_at IS NULL AND {where} "
            f"ORDER BY {order}, c.alias COLLATE NOCASE LIMIT {int(limit)}"
        )
        with self._engine.connect() as conn:
            rows = conn.execute(query, params).all()
        return [
            FollowUpRow(
                fid,
                case_id,
                alias,
                date.fromisoformat(due),
                method,
                status,
                datetime.fromisoformat(done) if done else None,
                datetime.fromisoformat(flagged) if flagged else None,
                tier3,
            )
            for fid, case_id, alias, due, method, status, done, flagged, tier3 in rows
        ]
