"""The lists the pages show: cases (filtered), follow-ups due, overdue, upcoming and settled,
awaiting first contact and needing attention, as plain row tuples read with plain SQL so
that they stay instant with ten thousand cases; part of `Journal`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from sqlalchemy import text

from svjournal.core import validation as v
from svjournal.core.gc_pause import collector_paused
from svjournal.core.journal_base import JournalBase


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


class QueriesPart(JournalBase):
    """The case list and the follow-up lists across cases."""

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
        with collector_paused(), self._engine.connect() as conn:
            rows = conn.execute(query, params).all()
            return [_case_row(row) for row in rows]

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
