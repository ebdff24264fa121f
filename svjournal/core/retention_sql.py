"""De-identifying closed cases inside one database, in SQL over a DB-API connection.

The same statements run on the live journal and on the copy of each backup being cleaned
(`retention_backups`), so a backup ends up exactly as the journal would have been. What goes:
the pseudonym (replaced by a code), every encounter note, the contact details and any draft
of the case. What stays: every coded field, date and count, so programme figures do not move.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

CODE_PREFIX = "Closed case "
_CODE_SALT = b"svjournal retention code\x00"

# A case is due when it was closed before the cutoff and still holds something to remove:
# running retention twice changes nothing the second time (and finds nothing to count).
_DUE = """
WITH due(id) AS (
  SELECT c.id FROM cases AS c
  WHERE c.status = 'closed' AND c.closed_on IS NOT NULL AND c.closed_on < :cutoff
    AND (c.alias IS NOT svj_case_code(c.id)
      OR EXISTS (SELECT 1 FROM encounters AS e WHERE e.case_id = c.id AND e.note IS NOT NULL)
      OR EXISTS (SELECT 1 FROM contact_details AS d WHERE d.case_id = c.id)
      OR EXISTS (SELECT 1 FROM drafts AS r
                 WHERE json_valid(r.payload) AND json_extract(r.payload, '$.case_id') = c.id))
)
"""


def case_code(case_id: str) -> str:
    """The code that replaces a pseudonym: from the case's random id (never from the alias),
    so it is stable across runs and backups and says nothing about the person."""
    digest = hashlib.sha256(_CODE_SALT + case_id.encode("utf-8")).hexdigest()
    return CODE_PREFIX + digest[:6].upper()


@dataclass(frozen=True)
class Counts:
    """What de-identification removes (or would) in one database; never any of its text."""

    cases: int = 0
    notes: int = 0
    contacts: int = 0
    drafts: int = 0
    encounters_kept: int = 0  # the due cases' encounters: kept, coded fields only
    follow_ups_kept: int = 0

    @property
    def anything(self) -> bool:
        return bool(self.cases or self.notes or self.contacts or self.drafts)


def _prepare(conn: Any) -> None:
    conn.create_function("svj_case_code", 1, case_code, deterministic=True)


def count_due(conn: Any, cutoff: date) -> Counts:
    """What `deidentify` would remove for this cutoff (read only)."""
    _prepare(conn)
    row = conn.execute(
        _DUE
        + """
        SELECT (SELECT count(*) FROM due),
               (SELECT count(*) FROM encounters
                WHERE case_id IN due AND note IS NOT NULL AND note != ''),
               (SELECT count(*) FROM contact_details WHERE case_id IN due),
               (SELECT count(*) FROM drafts WHERE json_valid(payload)
                AND json_extract(payload, '$.case_id') IN due),
               (SELECT count(*) FROM encounters WHERE case_id IN due),
               (SELECT count(*) FROM follow_ups WHERE case_id IN due)
        """,
        {"cutoff": cutoff.isoformat()},
    ).fetchone()
    return Counts(*(int(n) for n in row))


def deidentify(conn: Any, cutoff: date, when: datetime) -> Counts:
    """De-identify every due case, in the caller's transaction; returns what was removed."""
    counts = count_due(conn, cutoff)
    if not counts.anything:
        return counts
    stamp = {"now": when.replace(microsecond=0).isoformat(sep=" ")}
    conn.execute("DROP TABLE IF EXISTS temp.retention_due")
    conn.execute(
        "CREATE TEMP TABLE retention_due AS " + _DUE + "SELECT id FROM due",
        {"cutoff": cutoff.isoformat()},
    )
    try:
        conn.execute(
            "UPDATE encounters SET note = NULL, updated_at = :now "
            "WHERE note IS NOT NULL AND case_id IN temp.retention_due",
            stamp,
        )
        conn.execute("DELETE FROM contact_details WHERE case_id IN temp.retention_due")
        conn.execute(
            "DELETE FROM drafts WHERE json_valid(payload) "
            "AND json_extract(payload, '$.case_id') IN temp.retention_due"
        )
        conn.execute(
            "UPDATE cases SET alias = svj_case_code(id), updated_at = :now "
            "WHERE id IN temp.retention_due",
            stamp,
        )
    finally:
        conn.execute("DROP TABLE IF EXISTS temp.retention_due")
    return counts
