"""How many distinct cases stand behind each report figure (`People`), in SQL.

Runs inside `stats.dashboard`'s transaction, over its temp tables (see `stats_sql`), plus
one of its own: the follow-ups due, one row per follow-up with its case. The report's
small-count rule uses these counts: a figure made of fewer than t people is not published,
however many encounters, follow-ups or referrals it counts.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text

from svjournal.core.stats_model import People
from svjournal.core.stats_sql import CASE_FILTER

# A time key per grain, from a 'YYYY-MM' month column: the month, its quarter, its year.
_GRAINS = (
    "month",
    "substr(month, 1, 4) || '-Q' || ((CAST(substr(month, 6, 2) AS INTEGER) + 2) / 3)",
    "substr(month, 1, 4)",
)

# The same follow-ups as stats_fu (the definitions are there), one row each, with the case.
CREATE_FOLLOW_UP_CASES = text(
    f"""
    CREATE TEMP TABLE stats_fu_case AS
    SELECT f.case_id AS case_id, f.due_on >= :start AS cur, substr(f.due_on, 1, 7) AS month,
           f.status = 'done' AND substr(f.done_at, 1, 10) <= date(f.due_on, '+1 day')
               AS on_time,
           f.status = 'done'
               AND (f.done_at IS NULL OR substr(f.done_at, 1, 10) > date(f.due_on, '+1 day'))
               AS late,
           f.status = 'missed' OR (f.status = 'planned' AND f.due_on < :today) AS missed
    FROM follow_ups AS f JOIN cases AS c ON c.id = f.case_id
    WHERE f.deleted_at IS NULL AND f.status != 'cancelled'
      AND f.due_on >= :prev_start AND f.due_on < :end AND f.due_on <= :today
      AND (f.due_on >= :start OR f.due_on < :prev_end)
      AND {CASE_FILTER}
    """
)

# Everyone any figure of a period is about: its active cases, the cases referred in it,
# those with follow-ups due in it, and (current period) the cases open now.
POPULATION = text(
    f"""
    SELECT cur, count(DISTINCT case_id) FROM (
        SELECT case_id, cur FROM temp.stats_case
        UNION SELECT case_id, cur FROM temp.stats_ref
        UNION SELECT case_id, cur FROM temp.stats_fu_case
        UNION SELECT c.id, 1 FROM cases AS c WHERE c.status = 'open' AND {CASE_FILTER}
    ) GROUP BY cur
    """
)

_ENCOUNTERS = """
    SELECT {key}, count(DISTINCT CASE WHEN group_size IS NULL THEN case_id END),
           count(DISTINCT CASE WHEN group_size IS NOT NULL THEN case_id END),
           count(DISTINCT case_id)
    FROM temp.stats_enc WHERE cur = 1 {group}
"""
_STAGES = """
    SELECT {key}, stage, count(DISTINCT case_id)
    FROM temp.stats_enc WHERE cur = 1 {group}
"""
_FOLLOW_UPS = """
    SELECT {key}, count(DISTINCT case_id),
           count(DISTINCT CASE WHEN on_time THEN case_id END),
           count(DISTINCT CASE WHEN late THEN case_id END),
           count(DISTINCT CASE WHEN missed THEN case_id END),
           count(DISTINCT CASE WHEN NOT (on_time OR late OR missed) THEN case_id END)
    FROM temp.stats_fu_case WHERE cur = 1 {group}
"""
WAITS = text("SELECT cur, count(*) FROM temp.stats_ref WHERE hours IS NOT NULL GROUP BY cur")
PREVIOUS_FOLLOW_UPS = text(
    """
    SELECT count(DISTINCT case_id), count(DISTINCT CASE WHEN on_time THEN case_id END)
    FROM temp.stats_fu_case WHERE cur = 0
    """
)
# Onward referrals made in encounters of the period, by target, response and case; a
# response other than accepted or declined counts as pending (as in stats_sql.REFERRALS).
_REFERRALS = """
    WITH r AS (
        SELECT s.case_id AS case_id, json_extract(j.value, '$.target') AS target,
               coalesce(json_extract(j.value, '$.response'), 'pending') AS response
        FROM temp.stats_enc AS s, json_each(s.referrals) AS j
        WHERE s.cur = 1
    )
    SELECT {key}, count(DISTINCT CASE WHEN response = 'accepted' THEN case_id END),
           count(DISTINCT CASE WHEN response = 'declined' THEN case_id END),
           count(DISTINCT CASE WHEN response NOT IN ('accepted', 'declined') THEN case_id END),
           count(DISTINCT case_id)
    FROM r GROUP BY k
"""
REFERRALS = text(_REFERRALS.format(key="target AS k"))  # per service
ALL_REFERRALS = text(_REFERRALS.format(key="'' AS k"))  # over every service


def _by_time(template: str, extra: str = "") -> tuple[Any, ...]:
    """The statement once per grain (grouped by its time key), and once for the period."""
    per_grain = tuple(
        text(template.format(key=f"{key} AS k", group=f"GROUP BY k{extra}")) for key in _GRAINS
    )
    total = text(template.format(key="'' AS k", group=f"GROUP BY k{extra}"))
    return (*per_grain, total)


ENCOUNTERS = _by_time(_ENCOUNTERS)
STAGES = _by_time(_STAGES, ", stage")
FOLLOW_UPS = _by_time(_FOLLOW_UPS)


def people(conn: Connection, params: dict[str, Any]) -> People:
    """Every count of `People`, while `stats.dashboard`'s temp tables exist."""
    conn.execute(text("DROP TABLE IF EXISTS temp.stats_fu_case"))
    conn.execute(CREATE_FOLLOW_UP_CASES, params)

    def rows(statement: Any) -> list[Any]:
        return list(conn.execute(statement, params).all())

    def keyed(statements: tuple[Any, ...]) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
        grains = {row[0]: tuple(row[1:]) for st in statements[:-1] for row in rows(st)}
        total = rows(statements[-1])
        return grains, tuple(total[0][1:]) if total else ()

    population = dict(rows(POPULATION))
    waits = dict(rows(WAITS))
    encounters, enc_total = keyed(ENCOUNTERS)
    stage_rows: dict[tuple[str, int | None], int] = {}
    for statement in STAGES[:-1]:
        for k, stage, n in rows(statement):
            stage_rows[(k, stage)] = n
    stage_totals = {stage: n for _k, stage, n in rows(STAGES[-1])}
    follow_ups, fu_total = keyed(FOLLOW_UPS)
    previous_fu = rows(PREVIOUS_FOLLOW_UPS)[0]
    referrals = {row[0]: tuple(row[1:]) for row in rows(REFERRALS) if row[0] is not None}
    referral_total = rows(ALL_REFERRALS)
    return People(
        population=population.get(1, 0),
        previous_population=population.get(0, 0),
        waits=waits.get(1, 0),
        previous_waits=waits.get(0, 0),
        encounters=encounters,  # type: ignore[arg-type]
        encounter_kinds=enc_total or (0, 0, 0),  # type: ignore[arg-type]
        stages=stage_rows,
        stage_totals=stage_totals,
        follow_ups=follow_ups,  # type: ignore[arg-type]
        follow_up_totals=fu_total or (0, 0, 0, 0, 0),  # type: ignore[arg-type]
        previous_follow_ups=(previous_fu[0], previous_fu[1]),
        referrals=referrals,
        referral_totals=tuple(referral_total[0][1:]) if referral_total else (0, 0, 0, 0),
    )
