"""The Team view's data: the merged bundles as a core-schema database, and the supporter list.

`team_engine` copies the team tables of the coordinator's vault into a fresh in-memory
database laid out exactly like a journal (cases, encounters, follow-ups), so `stats` and the
programme report run over everyone's data unchanged. It never touches the disk: a
shared-cache memory database (so that each pooled connection, e.g. the charts and the report
computing at the same time, has its own TEMP tables for `stats.dashboard`), with TEMP tables
kept in memory too. The copy holds only what bundles hold: no alias (an empty string), no
note, days at midnight.

Case summary columns (first and last contact, next follow-up, current stage, outcome) are
the supporter's own, computed over the whole journal at export: a refresh over the merged
rows would see only the imported periods, and count a case referred in one quarter and first
seen in the next as "not contacted yet".
"""

from __future__ import annotations

import secrets
import weakref
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.pool import QueuePool

from svjournal.core.errors import RecordNotFound, ValidationError
from svjournal.core.models import CORE_TABLES
from svjournal.reports.bundle_format import SUPPORTER_ID

MIDNIGHT = " 00:00:00.000000"  # SQLAlchemy's DateTime text layout, at the start of the day
# Settings the report and charts may read from the source engine; nothing personal.
COPIED_SETTINGS = ("departments", "programme_name", "small_count_threshold")
MAX_LABEL = 60

_MEMORY_PRAGMAS = ("PRAGMA temp_store = MEMORY", "PRAGMA foreign_keys = ON")

# Each copy names the core columns it fills, in the order of its SELECT from the team tables.
_COPIES = (
    (
        "cases",
        "created_at, updated_at, id, alias, kind, role, department, event_category, "
        "high_risk_events, referral_source, referred_on, status, current_stage, outcome, "
        "first_contact_at, last_contact_at, next_follow_up_on",
        f"""SELECT bundle_created, bundle_created, id, '', kind, role, department,
                   event_category, high_risk_events, referral_source, referred_on, status,
                   current_stage, outcome, first_contact_on || '{MIDNIGHT}',
                   last_contact_on || '{MIDNIGHT}', next_follow_up_on
            FROM team_cases""",
    ),
    (
        "encounters",
        "created_at, updated_at, id, case_id, occurred_at, mode, duration_minutes, group_size, "
        "tier, stage, outcome, triggered, interventions, referrals, red_flags, support_declined",
        f"""SELECT bundle_created, bundle_created, id, case_id, occurred_on || '{MIDNIGHT}',
                   mode, duration_minutes, group_size, tier, stage, outcome, triggered, '[]',
                   referrals, '[]', support_declined
            FROM team_encounters""",
    ),
    (
        "follow_ups",
        "created_at, updated_at, id, case_id, due_on, method, status, done_at",
        f"""SELECT bundle_created, bundle_created, id, case_id, due_on, method, status,
                   done_on || '{MIDNIGHT}'
            FROM team_follow_ups""",
    ),
)

_anchors: weakref.WeakKeyDictionary[Engine, weakref.finalize] = weakref.WeakKeyDictionary()


def _memory_engine() -> Engine:
    uri = f"file:svjteam-{secrets.token_hex(12)}?mode=memory&cache=shared"

    def creator() -> Any:
        conn = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        for pragma in _MEMORY_PRAGMAS:
            conn.execute(pragma)
        return conn

    # The database lives while one connection to it is open: this one, until the engine goes.
    anchor = creator()
    engine = create_engine(
        "sqlite+pysqlite://",
        creator=creator,
        module=sqlcipher3.dbapi2,
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=4,
    )
    _anchors[engine] = weakref.finalize(engine, anchor.close)

    # Connections run in autocommit mode (isolation_level=None); a transaction must be asked
    # for, or the bulk copy below would commit every row.
    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def dispose_team_engine(engine: Engine) -> None:
    """Free the merged copy now (on lock, or when a fresher one replaces it)."""
    engine.dispose()
    finalizer = _anchors.pop(engine, None)
    if finalizer is not None:
        finalizer()


def team_engine(vault_engine: Engine) -> Engine:
    """A new in-memory journal database holding every supporter's imported records."""
    from sqlalchemy.schema import CreateIndex, CreateTable

    engine = _memory_engine()
    try:
        source = vault_engine.raw_connection()  # plain tuples: no Row objects for 100,000s
        try:
            read = source.cursor()
            copies = [
                (table, columns, read.execute(select).fetchall())
                for table, columns, select in _COPIES
            ]
            settings = read.execute(
                "SELECT key, value, updated_at FROM settings WHERE key IN "
                f"({', '.join('?' * len(COPIED_SETTINGS))})",
                COPIED_SETTINGS,
            ).fetchall()
        finally:
            source.close()
        tables = [t.__table__ for t in CORE_TABLES]  # type: ignore[union-attr]
        with engine.begin() as conn:
            for table in tables:
                conn.execute(CreateTable(table))
            copies.append(("settings", "key, value, updated_at", settings))
            for name, columns, rows in copies:
                marks = ", ".join("?" * (columns.count(",") + 1))
                if rows:  # an empty list would mean "no parameters" to the driver
                    conn.exec_driver_sql(f"INSERT INTO {name} ({columns}) VALUES ({marks})", rows)
            # Indexes after the rows: one sort each instead of 100,000 tree insertions.
            for table in tables:
                for index in table.indexes:
                    conn.execute(CreateIndex(index))
    except BaseException:
        dispose_team_engine(engine)
        raise
    return engine


# --- the supporter list ---------------------------------------------------------------------


@dataclass(frozen=True)
class SupporterRow:
    """One line of the Team table: counts of what is held now, and the periods covered."""

    supporter_id: str
    label: str
    periods: list[tuple[date, date]]  # merged, oldest first
    bundles: int
    newest_export: datetime | None
    last_imported_at: datetime
    cases: int
    encounters: int
    follow_ups: int

    @property
    def name(self) -> str:
        return self.label or self.supporter_id

    def periods_text(self) -> str:
        return ", ".join(f"{a} to {b}" for a, b in self.periods) or "—"


_SUPPORTERS = text(
    """
    SELECT s.supporter_id, s.label, s.last_imported_at,
           (SELECT count(*) FROM team_bundles AS b WHERE b.supporter_id = s.supporter_id),
           (SELECT max(b.created) FROM team_bundles AS b WHERE b.supporter_id = s.supporter_id),
           (SELECT count(*) FROM team_cases AS c WHERE c.supporter_id = s.supporter_id),
           (SELECT count(*) FROM team_encounters AS e WHERE e.supporter_id = s.supporter_id),
           (SELECT count(*) FROM team_follow_ups AS f WHERE f.supporter_id = s.supporter_id)
    FROM team_supporters AS s
    ORDER BY s.label = '', s.label COLLATE NOCASE, s.supporter_id
    """
)
_PERIODS = text(
    "SELECT supporter_id, period_start, period_end FROM team_bundles "
    "ORDER BY supporter_id, period_start, period_end"
)


def merge_periods(periods: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Overlapping or touching periods joined into one, oldest first."""
    merged: list[tuple[date, date]] = []
    for start, end in sorted(periods):
        if merged and start <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def list_supporters(vault_engine: Engine) -> list[SupporterRow]:
    with vault_engine.connect() as conn:
        rows = conn.execute(_SUPPORTERS).all()
        periods: dict[str, list[tuple[date, date]]] = {}
        for ident, start, end in conn.execute(_PERIODS):
            periods.setdefault(ident, []).append(
                (date.fromisoformat(start), date.fromisoformat(end))
            )
    return [
        SupporterRow(
            supporter_id=ident,
            label=label,
            periods=merge_periods(periods.get(ident, [])),
            bundles=bundles,
            newest_export=datetime.fromisoformat(newest) if newest else None,
            last_imported_at=datetime.fromisoformat(last),
            cases=cases,
            encounters=encounters,
            follow_ups=follow_ups,
        )
        for ident, label, last, bundles, newest, cases, encounters, follow_ups in rows
    ]


def normalise_supporter_id(value: str) -> str:
    """A supporter ID as typed (any case, spaces around) in its stored form, or an error."""
    ident = value.strip().upper()
    if not SUPPORTER_ID.match(ident):
        raise ValidationError("supporter ID", f"{value!r} is not a supporter ID like 7K3F9-QX2MA.")
    return ident


def remove_supporter(vault_engine: Engine, supporter_id: str) -> int:
    """Delete a supporter's imported data (records and history); how many records went."""
    ident = normalise_supporter_id(supporter_id)
    params = {"s": ident}
    with vault_engine.begin() as conn:
        removed = 0
        for table in ("team_follow_ups", "team_encounters", "team_cases"):
            removed += conn.execute(
                text(f"DELETE FROM {table} WHERE supporter_id = :s"), params
            ).rowcount
        for table in ("team_live_cases", "team_bundles"):
            conn.execute(text(f"DELETE FROM {table} WHERE supporter_id = :s"), params)
        if not conn.execute(
            text("DELETE FROM team_supporters WHERE supporter_id = :s"), params
        ).rowcount:
            raise RecordNotFound("supporter", ident)
    return removed


def set_supporter_label(vault_engine: Engine, supporter_id: str, label: str) -> None:
    """The coordinator's own name for a supporter (kept in this vault only; may be empty)."""
    from svjournal.core import validation as v

    ident = normalise_supporter_id(supporter_id)
    checked = v.text("label", label, max_len=MAX_LABEL, required=False) or ""
    with vault_engine.begin() as conn:
        if not conn.execute(
            text("UPDATE team_supporters SET label = :label WHERE supporter_id = :s"),
            {"label": checked, "s": ident},
        ).rowcount:
            raise RecordNotFound("supporter", ident)
