"""Aggregates for charts and reports, computed in SQL (never by loading every row).

`dashboard` answers every programme figure of shared DOMAIN.md ("What programmes report")
for one period and filter; the SQL, with the reasons behind each definition, is in
`stats_sql`. `case_trajectory` is one case's stage history.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, text

from svjournal.core import stats_people
from svjournal.core import stats_sql as sql
from svjournal.core.stats_model import (
    CodeCount,
    Dashboard,
    Kpis,
    MonthlyEncounters,
    MonthlyFollowUps,
    MonthStageCount,
    Period,
    ReferralCount,
    StatsFilter,
    TrajectoryPoint,
    WeeklyFollowUps,
)

__all__ = [
    "Dashboard",
    "MonthStageCount",
    "Period",
    "StatsFilter",
    "TrajectoryPoint",
    "case_trajectory",
    "dashboard",
    "encounters_by_month_and_stage",
]


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
    """Unfiltered encounters per month and stage: the covering index alone answers it.

    `dashboard(...).month_stage` is the same figure with the department and role filters.
    """
    start, end = period.bounds()
    with engine.connect() as conn:
        rows = conn.execute(
            _MONTH_BY_STAGE, {"start": start.isoformat(sep=" "), "end": end.isoformat(sep=" ")}
        )
        return [MonthStageCount(month, stage, n) for month, stage, n in rows]


def _params(filt: StatsFilter, today: date | None) -> dict[str, Any]:
    """The statements' parameters: both periods as half-open ISO ranges, today, the filter."""
    period = filt.period
    previous = period.previous()
    return {
        "prev_start": previous.start.isoformat(),
        "prev_end": (previous.end + timedelta(days=1)).isoformat(),
        "start": period.start.isoformat(),
        "end": (period.end + timedelta(days=1)).isoformat(),
        "today": (today or date.today()).isoformat(),
        "department": filt.department,
        "role": filt.role,
        "departments": json.dumps(list(filt.departments)) if filt.departments else None,
    }


def dashboard(
    engine: Engine, filt: StatsFilter, *, today: date | None = None, with_people: bool = False
) -> Dashboard:
    """Every figure of the statistics page for `filt`, with `previous` for the period before.

    `today` decides which follow-ups are due (due by today) and overdue (planned, due before
    today); it defaults to the local date. `with_people` also counts the people behind each
    figure (`Dashboard.people`, for the programme report's small-count rule; it costs about
    as much again, so the Charts page does without).
    """
    params = _params(filt, today)
    with engine.connect() as conn, conn.begin():
        _drop_temp(conn)
        for create in sql.CREATE_TEMP:
            conn.execute(create, params)

        def rows(statement: Any) -> list[Any]:
            return list(conn.execute(statement, params).all())

        current_kpis, previous_kpis = (_kpis(row) for row in rows(sql.KPIS))
        result = Dashboard(
            filter=filt,
            kpis=current_kpis,
            previous=previous_kpis,
            follow_up_weeks=[
                WeeklyFollowUps(date.fromisoformat(week), due, on_time, late, missed)
                for week, due, on_time, late, missed in rows(sql.FOLLOW_UP_WEEKS)
            ],
            follow_up_months=[
                MonthlyFollowUps(month, due, on_time, late, missed)
                for month, due, on_time, late, missed in rows(sql.FOLLOW_UP_MONTHS)
            ],
            contacts_per_case=[(n, cases) for n, cases in rows(sql.CONTACTS_PER_CASE)],
            open_case_stages=[(stage, n) for stage, n in rows(sql.OPEN_CASE_STAGES)],
            month_stage=[MonthStageCount(m, s, n) for m, s, n in rows(sql.MONTH_STAGE)],
            outcomes=[(outcome, n) for outcome, n in rows(sql.OUTCOMES)],
            monthly=[
                MonthlyEncounters(month, individual, group, attendees, float(hours))
                for month, individual, group, attendees, hours in rows(sql.MONTHLY)
            ],
            by_role=_codes(rows(sql.BY_CASE["role"])),
            by_department=_codes(rows(sql.BY_CASE["department"])),
            by_event_category=_codes(rows(sql.BY_CASE["event_category"])),
            by_high_risk_event=_codes(rows(sql.BY_HIGH_RISK_EVENT)),
            by_tier=_codes(rows(sql.BY_TIER)),
            referrals=[
                ReferralCount(target, accepted, declined, pending)
                for target, accepted, declined, pending, _n in rows(sql.REFERRALS)
            ],
            people=stats_people.people(conn, params) if with_people else None,
        )
        _drop_temp(conn)
    return result


def case_trajectory(engine: Engine, case_id: str) -> list[TrajectoryPoint]:
    """The live encounters of one case, oldest first: its stage history and triggers."""
    with engine.connect() as conn:
        rows = conn.execute(sql.TRAJECTORY, {"case_id": case_id}).all()
    return [
        TrajectoryPoint(datetime.fromisoformat(at), stage, bool(triggered))
        for at, stage, triggered in rows
    ]


def _drop_temp(conn: Connection) -> None:
    # Also at the start: a connection from the pool may still hold the tables if an earlier
    # call failed outside a real transaction (plain pysqlite does not BEGIN before DDL).
    for statement in sql.DROP_TEMP:
        conn.execute(statement)


def _kpis(row: Any) -> Kpis:
    (encounters, people, hours, active, open_cases, median, due, on_time, completion) = row[:9]
    (escalated, escalation_rate, referrals, declined, decline_rate) = row[9:]
    return Kpis(
        encounters=encounters,
        people_reached=people,
        hours_of_support=float(hours),
        active_cases=active,
        open_cases=open_cases,
        median_hours_to_first_contact=None if median is None else float(median),
        follow_ups_due=due,
        follow_ups_on_time=on_time,
        follow_up_completion=completion,
        escalated_cases=escalated,
        escalation_rate=escalation_rate,
        referrals=referrals,
        support_declined=declined,
        decline_rate=decline_rate,
    )


def _codes(rows: list[Any]) -> list[CodeCount]:
    return [CodeCount(str(code), encounters, cases) for code, encounters, cases in rows]
