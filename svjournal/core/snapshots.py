"""The rows an action touches, as they were: what Undo puts back, and Redo after it.

A snapshot holds every row of the named cases (the case, its encounters, follow-ups and
contact details, trashed ones too) and the named settings, as the database stores them.
Putting one back makes those rows exactly so in one transaction: rows the action added are
removed, rows it changed or deleted are written back. One mechanism for every action, so no
action needs its own inverse, and an inverse can never drift from what the action did.

Snapshots live in memory only (they may hold notes and contact details) and are dropped with
the undo history at lock.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, text

from svjournal.core import summaries
from svjournal.core.errors import InvalidState
from svjournal.core.i18n import tr

# Children first when deleting, parents first when inserting (foreign keys).
_CHILD_TABLES = ("contact_details", "follow_ups", "encounters")

Row = tuple[tuple[str, Any], ...]  # (column, stored value) pairs, hashable and comparable


@dataclass(frozen=True)
class Snapshot:
    case_ids: tuple[str, ...]
    setting_keys: tuple[str, ...]
    # table -> rows, each row keyed by its id (settings: by key)
    rows: tuple[tuple[str, tuple[Row, ...]], ...]

    def table(self, name: str) -> tuple[Row, ...]:
        return dict(self.rows).get(name, ())


def capture(
    engine: Engine, case_ids: Iterable[str] = (), setting_keys: Iterable[str] = ()
) -> Snapshot:
    ids, keys = tuple(dict.fromkeys(case_ids)), tuple(dict.fromkeys(setting_keys))
    with engine.connect() as conn:
        return _capture(conn, ids, keys)


def absent(case_ids: Iterable[str]) -> Snapshot:
    """The snapshot of cases that do not exist (yet): what undoing their creation restores."""
    tables = tuple((name, ()) for name in ("cases", *_CHILD_TABLES, "settings"))
    return Snapshot(tuple(dict.fromkeys(case_ids)), (), tables)


def put_back(engine: Engine, wanted: Snapshot, *, expected: Snapshot) -> None:
    """Make the rows of `wanted` so again, if they are still as `expected` left them.

    Anything else having changed them since (another window, the CLI) makes this refuse:
    undoing over someone else's change would lose it.
    """
    if (wanted.case_ids, wanted.setting_keys) != (expected.case_ids, expected.setting_keys):
        raise ValueError("the two snapshots cover different records")
    with engine.begin() as conn:
        if _capture(conn, expected.case_ids, expected.setting_keys) != expected:
            raise InvalidState(tr("This has changed since; it cannot be undone or redone now."))
        ids = list(wanted.case_ids)
        for table in _CHILD_TABLES:
            keep = {dict(row)["id"] for row in wanted.table(table)}
            for (row_id,) in conn.execute(
                text(
                    f"SELECT id FROM {table} WHERE case_id IN (SELECT value FROM json_each(:ids))"
                ),
                {"ids": _json(ids)},
            ).all():
                if row_id not in keep:
                    conn.execute(text(f"DELETE FROM {table} WHERE id = :id"), {"id": row_id})
        kept_cases = {dict(row)["id"] for row in wanted.table("cases")}
        for case_id in ids:
            if case_id not in kept_cases:
                conn.execute(text("DELETE FROM cases WHERE id = :id"), {"id": case_id})
        for table in ("cases", *reversed(_CHILD_TABLES)):
            for row in wanted.table(table):
                _write(conn, table, "id", dict(row))
        wanted_settings = {dict(row)["key"]: dict(row) for row in wanted.table("settings")}
        for key in wanted.setting_keys:
            if key in wanted_settings:
                _write(conn, "settings", "key", wanted_settings[key])
            else:
                conn.execute(text("DELETE FROM settings WHERE key = :key"), {"key": key})
        if ids:
            summaries.refresh(conn, [i for i in ids if i in kept_cases])


def _capture(conn: Connection, ids: tuple[str, ...], keys: tuple[str, ...]) -> Snapshot:
    tables: list[tuple[str, tuple[Row, ...]]] = []
    in_ids = {"ids": _json(list(ids))}
    where_case = "id IN (SELECT value FROM json_each(:ids))"
    tables.append(("cases", _rows(conn, f"SELECT * FROM cases WHERE {where_case}", in_ids)))
    for table in _CHILD_TABLES:
        query = f"SELECT * FROM {table} WHERE case_id IN (SELECT value FROM json_each(:ids))"
        tables.append((table, _rows(conn, query, in_ids)))
    settings_query = "SELECT * FROM settings WHERE key IN (SELECT value FROM json_each(:keys))"
    tables.append(("settings", _rows(conn, settings_query, {"keys": _json(list(keys))})))
    return Snapshot(ids, keys, tuple(tables))


def _rows(conn: Connection, query: str, params: dict[str, Any]) -> tuple[Row, ...]:
    result = conn.execute(text(f"{query} ORDER BY 1"), params)
    columns = list(result.keys())
    return tuple(tuple(zip(columns, values, strict=True)) for values in result.all())


def _write(conn: Connection, table: str, key: str, row: dict[str, Any]) -> None:
    """UPDATE the row, or INSERT it when it is gone (never REPLACE: that would delete it
    first and cascade to its children)."""
    names = [c for c in row if c != key]
    assignments = ", ".join(f'"{c}" = :{c}' for c in names)
    updated = conn.execute(
        text(f'UPDATE {table} SET {assignments} WHERE "{key}" = :{key}'), row
    ).rowcount
    if not updated:
        columns = ", ".join(f'"{c}"' for c in row)
        values = ", ".join(f":{c}" for c in row)
        conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({values})"), row)


def _json(values: list[str]) -> str:
    return json.dumps(values)
