"""Merging one checked team bundle into the coordinator's team tables (one transaction).

Per supporter, newer data wins. With c the bundle's export time and P its period:
- records are upserted by UUID; a stored record written by a newer bundle is never
  overwritten, and days P shares with a newer bundle are left to that bundle;
- afterwards the supporter's encounters and follow-ups of P still stamped older than c are
  the ones the supporter deleted since: they go;
- the newest bundle's list of live case ids replaces the stored one, and cases not on it
  go with their records; an older bundle brings back no case missing from that list.
Importing the very same bundle again (same supporter, period and export time) writes
nothing: its data is already there, or was superseded by newer bundles.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine

from svjournal.core.errors import ExportFileError
from svjournal.core.models import new_id
from svjournal.reports import bundle_format as fmt
from svjournal.reports.bundle_format import BundleData


class BundleConflict(ExportFileError):
    """Records of the bundle are already in the team data under another supporter's ID."""


@dataclass(frozen=True)
class MergeCounts:
    written: int  # records inserted or updated
    removed: int  # records deleted: the supporter no longer has them
    again: bool  # this very bundle had been imported before


# A larger page cache for the run of imports (the team tables' random-UUID keys touch pages
# all over), and no WAL checkpoint every thousand pages: one at the end instead.
_BULK_CACHE_KIB = 128 * 1024


@contextmanager
def bulk_writes(engine: Engine) -> Iterator[Connection]:
    """One connection for a run of imports (each in its own `conn.begin()` transaction),
    set up for bulk writes and put back as it was, after one WAL checkpoint."""
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        saved = {
            name: int(raw.execute(f"PRAGMA {name}").fetchone()[0])
            for name in ("cache_size", "wal_autocheckpoint")
        }
        raw.execute(f"PRAGMA cache_size = {-_BULK_CACHE_KIB}")
        raw.execute("PRAGMA wal_autocheckpoint = 0")
        try:
            yield conn
        finally:
            if conn.in_transaction():
                conn.rollback()
            for name, value in saved.items():
                raw.execute(f"PRAGMA {name} = {value}")
            raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def stamp(moment: datetime) -> str:
    """SQLAlchemy's text layout for DateTime on SQLite, so ORM reads of these rows agree."""
    return moment.isoformat(sep=" ", timespec="microseconds")


def _upsert(table: str, columns: tuple[str, ...]) -> str:
    names = ("id", "supporter_id", "bundle_created", *columns)
    updates = ", ".join(f"{c} = excluded.{c}" for c in names[2:])
    return (
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
        f"ON CONFLICT (id) DO UPDATE SET {updates} "
        f"WHERE excluded.bundle_created >= {table}.bundle_created "
        f"AND excluded.supporter_id = {table}.supporter_id"
    )


_UPSERT_CASES = _upsert("team_cases", fmt.CASE_COLUMNS[1:])
_UPSERT_ENCOUNTERS = _upsert(
    "team_encounters",
    tuple("occurred_on" if c == "day" else c for c in fmt.ENCOUNTER_COLUMNS[1:]),
)
_UPSERT_FOLLOW_UPS = _upsert("team_follow_ups", fmt.FOLLOW_UP_COLUMNS[1:])

# json_each drives the loop, so each id is one primary-key lookup in the team table.
_FOREIGN = {
    table: f"SELECT 1 FROM json_each(?) AS j CROSS JOIN {table} AS t ON t.id = j.value "
    "WHERE t.supporter_id != ? LIMIT 1"
    for table in ("team_cases", "team_encounters", "team_follow_ups")
}

_NEWER = "SELECT period_start, period_end FROM team_bundles WHERE supporter_id = ? AND created > ?"
_SAME = (
    "SELECT 1 FROM team_bundles WHERE supporter_id = ? AND period_start = ? "
    "AND period_end = ? AND created = ?"
)


def _delete_superseded(table: str, day: str) -> str:
    return f"""
        DELETE FROM {table}
        WHERE supporter_id = :s AND {day} BETWEEN :start AND :end AND bundle_created < :created
          AND NOT EXISTS (
              SELECT 1 FROM team_bundles AS n
              WHERE n.supporter_id = :s AND n.created > :created
                AND {table}.{day} BETWEEN n.period_start AND n.period_end)
    """


_DELETE_SUPERSEDED = (
    _delete_superseded("team_encounters", "occurred_on"),
    _delete_superseded("team_follow_ups", "due_on"),
)
_DEAD_CASES = (
    "SELECT id FROM team_cases WHERE supporter_id = :s AND id NOT IN "
    "(SELECT case_id FROM team_live_cases WHERE supporter_id = :s)"
)
_DELETE_DEAD = tuple(
    f"DELETE FROM {table} WHERE supporter_id = :s AND {column} IN ({_DEAD_CASES})"
    for table, column in (
        ("team_encounters", "case_id"),
        ("team_follow_ups", "case_id"),
        ("team_cases", "id"),
    )
)


def merge(conn: Connection, data: BundleData, imported_at: datetime) -> MergeCounts:
    """Write `data` on `conn` (inside the caller's transaction); raises BundleConflict."""
    s, created = data.supporter_id, stamp(data.created)
    start, end = data.period_start.isoformat(), data.period_end.isoformat()
    params = {"s": s, "created": created, "start": start, "end": end, "now": stamp(imported_at)}
    _touch_supporter(conn, params)
    if conn.exec_driver_sql(_SAME, (s, start, end, created)).first() is not None:
        conn.exec_driver_sql(
            "UPDATE team_bundles SET imported_at = ? WHERE supporter_id = ? "
            "AND period_start = ? AND period_end = ? AND created = ?",
            (params["now"], s, start, end, created),
        )
        return MergeCounts(written=0, removed=0, again=True)
    _refuse_foreign(conn, data)

    newer = [(str(a), str(b)) for a, b in conn.exec_driver_sql(_NEWER, (s, created))]
    removed = 0
    if newer:
        live = {r[0] for r in conn.exec_driver_sql(_LIVE, (s,))}
    else:
        live = set(data.live_case_ids)
        conn.exec_driver_sql("DELETE FROM team_live_cases WHERE supporter_id = ?", (s,))
        # Through _many: an empty list (a supporter with no cases left) is no rows, whereas
        # exec_driver_sql would take it for "no parameters" and fail.
        _many(
            conn,
            "INSERT INTO team_live_cases (supporter_id, case_id) VALUES (?, ?)",
            [(s, case_id) for case_id in data.live_case_ids],
        )
        for statement in _DELETE_DEAD:
            removed += _run(conn, statement, params)

    def rows(records: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Records of live cases on days no newer bundle covers, in the table's layout."""
        kept = [r for r in records if r[1] in live]
        if newer:
            kept = [r for r in kept if not any(a <= r[2] <= b for a, b in newer)]
        return [(r[0], s, created, *r[1:]) for r in kept]

    cases = [(c[0], s, created, *c[1:]) for c in data.cases if c[0] in live]
    written = _many(conn, _UPSERT_CASES, cases)
    written += _many(conn, _UPSERT_ENCOUNTERS, rows(data.encounters))
    written += _many(conn, _UPSERT_FOLLOW_UPS, rows(data.follow_ups))
    for statement in _DELETE_SUPERSEDED:
        removed += _run(conn, statement, params)
    _record(conn, data, params)
    return MergeCounts(written=written, removed=removed, again=False)


_LIVE = "SELECT case_id FROM team_live_cases WHERE supporter_id = ?"


def _run(conn: Connection, statement: str, params: dict[str, Any]) -> int:
    from sqlalchemy import text

    return int(conn.execute(text(statement), params).rowcount)


def _many(conn: Connection, statement: str, rows: list[tuple[Any, ...]]) -> int:
    if not rows:
        return 0
    return int(conn.exec_driver_sql(statement, rows).rowcount)


def _touch_supporter(conn: Connection, params: dict[str, Any]) -> None:
    conn.exec_driver_sql(
        "INSERT INTO team_supporters (supporter_id, label, first_imported_at, last_imported_at) "
        "VALUES (?, '', ?, ?) "
        "ON CONFLICT (supporter_id) DO UPDATE SET last_imported_at = excluded.last_imported_at",
        (params["s"], params["now"], params["now"]),
    )


def _refuse_foreign(conn: Connection, data: BundleData) -> None:
    for table, rows in (
        ("team_cases", data.cases),
        ("team_encounters", data.encounters),
        ("team_follow_ups", data.follow_ups),
    ):
        ids = json.dumps([row[0] for row in rows])
        if conn.exec_driver_sql(_FOREIGN[table], (ids, data.supporter_id)).first() is not None:
            raise BundleConflict(
                "Records of this bundle are already in the team data under another supporter "
                "ID (a copied journal?); nothing was imported from it."
            )


def _record(conn: Connection, data: BundleData, params: dict[str, Any]) -> None:
    conn.exec_driver_sql(
        "INSERT INTO team_bundles (id, supporter_id, period_start, period_end, created, "
        "imported_at, cases, encounters, follow_ups) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new_id(),
            params["s"],
            params["start"],
            params["end"],
            params["created"],
            params["now"],
            len(data.cases),
            len(data.encounters),
            len(data.follow_ups),
        ),
    )
