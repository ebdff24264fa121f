"""What every part of the journal service shares: its engine, clock and policy, one
transaction a call, record look-up, settings reads and the case summary refresh.

The parts (`journal_cases`, `journal_encounters`, `journal_follow_ups`, `journal_trash`,
`journal_store`, `journal_queries`) are mixins over this base; `core/journal.py` puts them
together as `Journal`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from svjournal.core import snapshots, summaries
from svjournal.core.errors import InvalidState, RecordNotFound, ValidationError
from svjournal.core.i18n import N_, tr
from svjournal.core.models import Case, Encounter, FollowUp, Setting, now
from svjournal.core.policy import Effective, Policy, current_policy
from svjournal.core.settings import SETTINGS
from svjournal.core.snapshots import Snapshot

T = TypeVar("T", Case, Encounter, FollowUp)


# Why a follow-up is no longer planned, by its status: each a whole sentence.
_ALREADY = {
    "done": N_("This follow-up is done already."),
    "missed": N_("This follow-up is marked missed already."),
    "cancelled": N_("This follow-up is canceled already."),
}


class JournalBase:
    """The engine, clock and policy of one vault's journal service, and shared internals."""

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

    # --- settings reads (every part obeys them) ------------------------------------------

    def setting(self, key: str) -> Any:
        """The value that applies: the user's (or the default) under the IT policy."""
        return self.effective_setting(key).value

    def effective_setting(self, key: str) -> Effective:
        if not isinstance(key, str) or key not in SETTINGS:
            raise ValidationError(
                "setting", tr("{key} is not a known setting.").format(key=repr(key))
            )
        with self._session() as s:
            row = s.get(Setting, key)
            if row is None:
                return self.policy.apply(key, SETTINGS[key].default, stored=False)
            return self.policy.apply(key, row.value, stored=True)

    def department_codes(self) -> list[str]:
        return [d["code"] for d in self.setting("departments")]

    # --- snapshots (what Undo puts back) -------------------------------------------------

    def capture(self, case_ids: Iterable[str] = (), setting_keys: Iterable[str] = ()) -> Snapshot:
        """Every row of these cases and settings as stored now (see core.snapshots)."""
        return snapshots.capture(self._engine, case_ids, setting_keys)

    def put_back(self, wanted: Snapshot, *, expected: Snapshot) -> None:
        """Make the rows of `wanted` so again, if they are still as `expected` holds them."""
        snapshots.put_back(self._engine, wanted, expected=expected)

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
            raise InvalidState(tr(_ALREADY.get(follow_up.status, _ALREADY["done"])))
        return follow_up
