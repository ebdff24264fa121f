"""Aggregates for charts and reports, computed in SQL (never by loading every row)."""

from __future__ import annotations

from sqlalchemy import Engine, text

from svjournal.core.stats_model import MonthStageCount, Period

__all__ = ["MonthStageCount", "Period", "encounters_by_month_and_stage"]


# Encounters of cases in the trash are left out. Excluding the (few) trashed case ids lets
# SQLite answer from the covering index on encounters alone, instead of a join per row.
LIVE_ENCOUNTERS_IN_PERIOD = """
    e.occurred_at >= :start AND e.occurred_at < :end AND e.deleted_at IS NULL
    AND e.case_id NOT IN (SELECT id FROM cases WHERE deleted_at IS NOT NULL)
"""

_MONTH_BY_STAGE = text(
    f"""
    SELECT substr(e.occurred_at, 1, 7) AS month, e.stage, count(*) AS n
    FROM encounters AS e
    WHERE {LIVE_ENCOUNTERS_IN_PERIOD}
    GROUP BY month, e.stage
    ORDER BY month, e.stage
    """
)


def encounters_by_month_and_stage(engine: Engine, period: Period) -> list[MonthStageCount]:
    start, end = period.bounds()
    with engine.connect() as conn:
        rows = conn.execute(
            _MONTH_BY_STAGE, {"start": start.isoformat(sep=" "), "end": end.isoformat(sep=" ")}
        )
        return [MonthStageCount(month, stage, n) for month, stage, n in rows]
