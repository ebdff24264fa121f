"""Merging one checked team bundle into the coordinator's team tables (one transaction).

Per supporter, newer data wins, month by month. With c the bundle's export time and M its
months:
- each month of M that no bundle of c or later holds is replaced whole: the supporter's
  encounters and follow-ups of that month go and the bundle's come in (so ones deleted
  since disappear); months a newer bundle holds are left to it;
- cases are upserted by record ID; a case written by a newer bundle is never overwritten;
- the newest bundle's list of live case IDs replaces the stored one, and cases not on it go
  with their records; an older bundle brings back no case missing from that list.
Importing the very same bundle again (same supporter, export time and payload) writes
nothing: its data is already there, or was superseded by newer bundles.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, text

from svjournal.core.errors import ExportFileError
from svjournal.core.i18n import tr
from svjournal.core.models import new_id
from svjournal.reports import bundle_format as fmt
from svjournal.reports.bundle_format import BundleData


class BundleConflict(ExportFileError):
    """Another bundle of the same supporter carries the same export time but other contents."""


@dataclass(frozen=True)
class MergeCounts:
    written: int  # records inserted or updated
    removed: int  # records deleted: the supporter no longer has them
    again: bool  # this very bundle had been imported before


# A larger page cache for the run of imports, and no WAL checkpoint every thousand pages:
# one at the end instead.
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


def months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


_CASE_NAMES = ("supporter_id", "id", "bundle_created", *fmt.CASE_COLUMNS[1:])
_UPSERT_CASES = (
    f"INSERT INTO team_cases ({', '.join(_CASE_NAMES)}) "
    f"VALUES ({', '.join('?' * len(_CASE_NAMES))}) "
    "ON CONFLICT (supporter_id, id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _CASE_NAMES[2:])
    + " WHERE excluded.bundle_created >= team_cases.bundle_created"
)
_INSERT_ENCOUNTERS = (
    f"INSERT INTO team_encounters (supporter_id, {', '.join(fmt.ENCOUNTER_COLUMNS)}) "
    f"VALUES ({', '.join('?' * (len(fmt.ENCOUNTER_COLUMNS) + 1))})"
)
_INSERT_FOLLOW_UPS = (
    f"INSERT INTO team_follow_ups (supporter_id, {', '.join(fmt.FOLLOW_UP_COLUMNS)}) "
    f"VALUES ({', '.join('?' * (len(fmt.FOLLOW_UP_COLUMNS) + 1))})"
)
_SAME = "SELECT digest FROM team_bundles WHERE supporter_id = ? AND created = ?"
_NEWEST = "SELECT max(created) FROM team_bundles WHERE supporter_id = ?"
_HELD = "SELECT month, created FROM team_months WHERE supporter_id = ?"
_LIVE = "SELECT case_id FROM team_live_cases WHERE supporter_id = ?"
_DEAD = (
    "SELECT id FROM team_cases WHERE supporter_id = :s AND id NOT IN "
    "(SELECT case_id FROM team_live_cases WHERE supporter_id = :s)"
)
_DELETE_DEAD = tuple(
    f"DELETE FROM {table} WHERE supporter_id = :s AND {column} IN ({_DEAD})"
    for table, column in (
        ("team_encounters", "case_id"),
        ("team_follow_ups", "case_id"),
        ("team_cases", "id"),
    )
)


def merge(
    conn: Connection,
    supporter: str,
    data: BundleData,
    *,
    digest: str,
    imported_at: datetime,
    retired: bool = False,
) -> MergeCounts:
    """Write `data` of `supporter` on `conn` (inside the caller's transaction)."""
    s, created, at = supporter, stamp(data.created), stamp(imported_at)
    same = conn.exec_driver_sql(_SAME, (s, created)).first()
    if same is not None:
        if same[0] != digest:
            raise BundleConflict(
                tr(
                    "Another bundle of this supporter with the same export time, but other "
                    "contents, was imported before; nothing was imported from this one."
                )
            )
        conn.exec_driver_sql(
            "UPDATE team_bundles SET imported_at = ? WHERE supporter_id = ? AND created = ?",
            (at, s, created),
        )
        return MergeCounts(written=0, removed=0, again=True)

    live, removed = _live_cases(conn, s, data, created)
    held = {str(m): str(c) for m, c in conn.exec_driver_sql(_HELD, (s,))}
    months = [
        m for m in months_between(data.first_month, data.last_month) if held.get(m, "") < created
    ]
    taken = set(months)
    replaced = 0
    for table in ("team_encounters", "team_follow_ups"):
        replaced += _many(
            conn,
            f"DELETE FROM {table} WHERE supporter_id = ? AND month = ?",
            [(s, m) for m in months],
        )
    encounters = [(s, *e) for e in data.encounters if e[1] in taken and e[0] in live]
    follow_ups = [(s, *f) for f in data.follow_ups if f[1] in taken and f[0] in live]
    written = _many(conn, _INSERT_ENCOUNTERS, encounters)
    written += _many(conn, _INSERT_FOLLOW_UPS, follow_ups)
    removed += max(0, replaced - written)
    _many(
        conn,
        "INSERT INTO team_months (supporter_id, month, created) VALUES (?, ?, ?) "
        "ON CONFLICT (supporter_id, month) DO UPDATE SET created = excluded.created",
        [(s, m, created) for m in months],
    )
    cases = [(s, c[0], created, *c[1:]) for c in data.cases if c[0] in live]
    written += _many(conn, _UPSERT_CASES, cases)
    _record_bundle(conn, s, data, created, digest, at, retired)
    return MergeCounts(written=written, removed=removed, again=False)


def _live_cases(conn: Connection, s: str, data: BundleData, created: str) -> tuple[set[str], int]:
    """The supporter's cases that still exist, and how many records were removed with the
    ones that do not: the newest bundle's list replaces the one kept; an older bundle's
    does not."""
    newest = conn.exec_driver_sql(_NEWEST, (s,)).scalar()
    if newest is not None and created <= str(newest):
        return {r[0] for r in conn.exec_driver_sql(_LIVE, (s,))}, 0
    conn.exec_driver_sql("DELETE FROM team_live_cases WHERE supporter_id = ?", (s,))
    _many(
        conn,
        "INSERT INTO team_live_cases (supporter_id, case_id) VALUES (?, ?)",
        [(s, case_id) for case_id in data.live_case_ids],
    )
    removed = 0
    for statement in _DELETE_DEAD:
        removed += int(conn.execute(text(statement), {"s": s}).rowcount)
    return set(data.live_case_ids), removed


def _record_bundle(
    conn: Connection,
    s: str,
    data: BundleData,
    created: str,
    digest: str,
    at: str,
    retired: bool,
) -> None:
    """The bundle's line in team_bundles: what it held, when, and its digest."""
    conn.exec_driver_sql(
        "INSERT INTO team_bundles (id, supporter_id, first_month, last_month, created, digest, "
        "imported_at, cases, encounters, follow_ups, retired_format) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new_id(),
            s,
            data.first_month,
            data.last_month,
            created,
            digest,
            at,
            len(data.cases),
            len(data.encounters),
            len(data.follow_ups),
            retired,
        ),
    )


def _many(conn: Connection, statement: str, rows: list[tuple[Any, ...]]) -> int:
    # An empty list would mean "no parameters" to exec_driver_sql, and fail.
    if not rows:
        return 0
    return int(conn.exec_driver_sql(statement, rows).rowcount)
