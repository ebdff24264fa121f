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
from datetime import datetime
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.pool import QueuePool

from svjournal.core.errors import RecordNotFound, ValidationError
from svjournal.core.i18n import tr
from svjournal.core.models import CORE_TABLES
from svjournal.reports.legacy_format import SUPPORTER_ID

MIDNIGHT = " 00:00:00.000000"  # SQLAlchemy's DateTime text layout, at the start of the day
# Settings the report and charts may read from the source engine; nothing personal.
COPIED_SETTINGS = ("departments", "programme_name", "small_count_threshold")
MAX_LABEL = 60

_MEMORY_PRAGMAS = ("PRAGMA temp_store = MEMORY", "PRAGMA foreign_keys = ON")

# Team rows carry months and durations; the copy gives them the days and times of a journal
# so that `stats` runs unchanged, at month grain: every record on the first of its month,
# the first contact that many minutes after it, the last contact at the end of its month (so
# "all contacts inside the period" holds only when it truly does), a follow-up done its days
# late after the first, and one still planned (not yet due at export) on the month's last
# day. Record IDs get their supporter in front: two supporters' keyed IDs never meet.
_FIRST = "{m} || '-01'"
_LAST_DAY = "date({m} || '-01', '+1 month', '-1 day')"
_COPIES = (
    (
        "cases",
        "created_at, updated_at, id, alias, kind, role, department, event_category, "
        "high_risk_events, referral_source, referred_on, status, current_stage, outcome, "
        "first_contact_at, last_contact_at, next_follow_up_on",
        f"""SELECT bundle_created, bundle_created, supporter_id || ':' || id, '', kind, role,
                   department, event_category, high_risk_events, referral_source,
                   {_FIRST.format(m="referred_month")}, status, current_stage, outcome,
                   strftime('%Y-%m-%d %H:%M:%S.000000', {_FIRST.format(m="referred_month")},
                            minutes_to_first_contact || ' minutes'),
                   {_LAST_DAY.format(m="last_contact_month")} || ' 23:59:59.000000', NULL
            FROM team_cases""",
    ),
    (
        "encounters",
        "created_at, updated_at, id, case_id, occurred_at, mode, duration_minutes, group_size, "
        "tier, stage, outcome, triggered, interventions, referrals, red_flags, support_declined",
        f"""SELECT '2000-01-01 00:00:00.000000', '2000-01-01 00:00:00.000000', 'e' || row,
                   supporter_id || ':' || case_id, month || '-01{MIDNIGHT}',
                   mode, duration_minutes, group_size, tier, stage, outcome, triggered, '[]',
                   referrals, '[]', support_declined
            FROM team_encounters""",
    ),
    (
        "follow_ups",
        "created_at, updated_at, id, case_id, due_on, method, status, done_at",
        f"""SELECT '2000-01-01 00:00:00.000000', '2000-01-01 00:00:00.000000', 'f' || row,
                   supporter_id || ':' || case_id,
                   CASE status WHEN 'planned' THEN {_LAST_DAY.format(m="month")}
                               ELSE {_FIRST.format(m="month")} END,
                   method, CASE status WHEN 'overdue' THEN 'planned' ELSE status END,
                   CASE WHEN late_days IS NOT NULL THEN
                       date({_FIRST.format(m="month")}, late_days || ' days') || ' 12:00:00.000000'
                   END
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
    """One line of the Team table: counts of what is held now, and the months covered."""

    supporter_id: str  # the signing fingerprint (or a retired-format supporter ID)
    label: str
    periods: list[tuple[str, str]]  # merged runs of months, oldest first
    bundles: int
    newest_export: datetime | None
    last_imported_at: datetime
    cases: int
    encounters: int
    follow_ups: int
    revoked: bool = False
    retired_format: bool = False  # known only from passphrase bundles (no key)

    @property
    def name(self) -> str:
        return self.label or self.supporter_id

    @property
    def state(self) -> str:
        """What the coordinator reads of the supporter's key, in the current language."""
        if self.revoked:
            return tr("removed (key revoked)")
        return tr("retired format (no key)") if self.retired_format else tr("accepted")

    def periods_text(self) -> str:
        spans = (
            a if a == b else tr("{first} to {last}").format(first=a, last=b)
            for a, b in self.periods
        )
        return ", ".join(spans) or "—"


_SUPPORTERS = text(
    """
    SELECT s.supporter_id, s.label, s.last_imported_at, s.revoked_at IS NOT NULL,
           s.public_key IS NULL,
           (SELECT count(*) FROM team_bundles AS b WHERE b.supporter_id = s.supporter_id),
           (SELECT max(b.created) FROM team_bundles AS b WHERE b.supporter_id = s.supporter_id),
           (SELECT count(*) FROM team_cases AS c WHERE c.supporter_id = s.supporter_id),
           (SELECT count(*) FROM team_encounters AS e WHERE e.supporter_id = s.supporter_id),
           (SELECT count(*) FROM team_follow_ups AS f WHERE f.supporter_id = s.supporter_id)
    FROM team_supporters AS s
    ORDER BY s.revoked_at IS NOT NULL, s.label = '', s.label COLLATE NOCASE, s.supporter_id
    """
)
_MONTHS = text("SELECT supporter_id, month FROM team_months ORDER BY supporter_id, month")


def _next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year + 1:04d}-01" if number == 12 else f"{year:04d}-{number + 1:02d}"


def merge_months(months: list[str]) -> list[tuple[str, str]]:
    """Runs of consecutive months, oldest first."""
    runs: list[tuple[str, str]] = []
    for month in sorted(set(months)):
        if runs and month == _next_month(runs[-1][1]):
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return runs


def list_supporters(vault_engine: Engine) -> list[SupporterRow]:
    with vault_engine.connect() as conn:
        rows = conn.execute(_SUPPORTERS).all()
        months: dict[str, list[str]] = {}
        for ident, month in conn.execute(_MONTHS):
            months.setdefault(ident, []).append(month)
    return [
        SupporterRow(
            supporter_id=ident,
            label=label,
            periods=merge_months(months.get(ident, [])),
            bundles=bundles,
            newest_export=datetime.fromisoformat(newest) if newest else None,
            last_imported_at=datetime.fromisoformat(last),
            cases=cases,
            encounters=encounters,
            follow_ups=follow_ups,
            revoked=bool(revoked),
            retired_format=bool(retired),
        )
        for (
            ident,
            label,
            last,
            revoked,
            retired,
            bundles,
            newest,
            cases,
            encounters,
            follow_ups,
        ) in rows
    ]


def normalise_supporter_id(value: str) -> str:
    """A supporter as typed: a fingerprint (7K3F-9QX2-MA4B-C8DE, any case, spaces or dashes)
    or a retired-format supporter ID (7K3F9-QX2MA), in its stored form; or an error."""
    from svjournal.core.team_keys import normalise_fingerprint

    ident = value.strip().upper()
    if SUPPORTER_ID.match(ident):
        return ident
    try:
        return normalise_fingerprint(value)
    except ValidationError:
        raise ValidationError(
            "supporter",
            tr("{value} is not a supporter fingerprint like 7K3F-9QX2-MA4B-C8DE.").format(
                value=repr(value)
            ),
        ) from None


def remove_supporter(vault_engine: Engine, supporter_id: str) -> int:
    """Delete a supporter's imported data and revoke their key: later bundles signed with it
    are refused (until accepted again on purpose). How many records went."""
    ident = normalise_supporter_id(supporter_id)
    params = {"s": ident, "at": datetime.now().isoformat(sep=" ", timespec="microseconds")}
    with vault_engine.begin() as conn:
        if (
            conn.execute(
                text("SELECT 1 FROM team_supporters WHERE supporter_id = :s"), params
            ).first()
            is None
        ):
            raise RecordNotFound("supporter", ident)
        removed = 0
        for table in ("team_follow_ups", "team_encounters", "team_cases"):
            removed += conn.execute(
                text(f"DELETE FROM {table} WHERE supporter_id = :s"), params
            ).rowcount
        for table in ("team_live_cases", "team_bundles", "team_months"):
            conn.execute(text(f"DELETE FROM {table} WHERE supporter_id = :s"), params)
        # A retired-format supporter has no key to revoke: the row goes.
        conn.execute(
            text("DELETE FROM team_supporters WHERE supporter_id = :s AND public_key IS NULL"),
            params,
        )
        conn.execute(
            text(
                "UPDATE team_supporters SET revoked_at = :at "
                "WHERE supporter_id = :s AND revoked_at IS NULL"
            ),
            params,
        )
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
