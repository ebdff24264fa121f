"""Aggregates for charts and reports, computed in SQL (never by loading every row)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine, text


@dataclass(frozen=True)
class Period:
    """Days `start` to `end`, both included."""

    start: date
    end: date

    def bounds(self) -> tuple[datetime, datetime]:
        """Half-open datetime bounds for comparing timestamps."""
        return datetime.combine(self.start, time.min), datetime.combine(
            self.end + timedelta(days=1), time.min
        )


@dataclass(frozen=True)
class MonthStageCount:
    month: str  # "YYYY-MM"
    stage: int | None
    encounters: int


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
