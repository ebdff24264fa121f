"""The dashboard reads its encounters and follow-ups from covering indexes (issue 15).

At 100,000 encounters the rows of a period's encounters (each with its note) are spread
over more pages than the page cache holds; read through the (case_id, occurred_at) index,
they were decrypted again on every dashboard (1.34x the plain-SQLite time). Read from one
range of a covering index, nothing but the index is touched. This checks SQLite's own plan
for both temp tables, on a demo journal in an encrypted vault.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from svjournal.core import demo, stats_sql
from svjournal.core.vault import Vault

ANCHOR = date(2026, 11, 26)


def _plan(vault: Vault, statement: Any) -> list[str]:
    params = {
        "prev_start": (ANCHOR - timedelta(days=729)).isoformat(),
        "prev_end": (ANCHOR - timedelta(days=364)).isoformat(),
        "start": (ANCHOR - timedelta(days=364)).isoformat(),
        "end": (ANCHOR + timedelta(days=1)).isoformat(),
        "today": ANCHOR.isoformat(),
        "department": None,
        "role": None,
        "departments": None,
    }
    with vault.engine.connect() as conn:
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement.text, params).all()
    return [row[3] for row in rows]


def test_the_period_encounters_come_from_the_covering_time_index(vault: Vault) -> None:
    demo.generate(vault.engine, cases=40, seed=5, anchor=ANCHOR)
    plan = _plan(vault, stats_sql.CREATE_ENCOUNTERS)
    assert any("COVERING INDEX ix_encounters_time (occurred_at>" in step for step in plan), plan
    assert not any("ix_encounters_case_time" in step for step in plan), plan


def test_the_due_follow_ups_come_from_the_covering_due_index(vault: Vault) -> None:
    demo.generate(vault.engine, cases=40, seed=5, anchor=ANCHOR)
    plan = _plan(vault, stats_sql.CREATE_FOLLOW_UPS)
    assert any("COVERING INDEX ix_follow_ups_due (due_on>" in step for step in plan), plan
    assert not any("ix_follow_ups_case" in step for step in plan), plan
