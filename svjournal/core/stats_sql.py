"""The SQL behind `stats.dashboard`: one definition per figure (shared DOMAIN.md).

All statements run in one connection and one read transaction. The first four build
TEMP tables (the vault's temp_store is MEMORY, so nothing reaches the disk unencrypted)
holding the period and the period just before it, already filtered: the live encounters,
the active cases, the follow-ups due (per day) and the cases referred. The main tables are
read once; every figure is then an aggregate over those temp tables.

Dates and times are stored as ISO text ('YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS.ffffff'), so
bounds are compared as ISO strings: a bare day string sorts before every time of that day.
Parameters: :prev_start and :prev_end (the first day of the comparison period and the day
after it), :start (the first day of the period), :end (the day after it), :today,
:department and :role (None = all), :departments (a JSON array of department codes, or
None = all). A `cur` column tells the current period (1) from the previous one (0). The
comparison period usually ends where the period starts (:prev_end = :start); "this year so
far" is compared with the same days of last year, so the days between are left out.
"""

from __future__ import annotations

from sqlalchemy import text

from svjournal.core import vocab

# Filters apply to the case (alias c); trashed cases never count.
CASE_FILTER = """
    c.deleted_at IS NULL
    AND (:department IS NULL OR c.department = :department)
    AND (:departments IS NULL OR c.department IN (SELECT value FROM json_each(:departments)))
    AND (:role IS NULL OR c.role = :role)
"""

# Referral targets of the Tier 3 expedited referral network, inlined as a constant IN list
# (the codes are fixed lowercase identifiers from vocab, never user input).
_TIER3_TARGETS = ", ".join(f"'{t.code}'" for t in vocab.REFERRAL_TARGETS if t.tier3)

TEMP_TABLES = ("stats_enc", "stats_case", "stats_fu", "stats_ref", "stats_fu_case")
DROP_TEMP = tuple(text(f"DROP TABLE IF EXISTS temp.{name}") for name in TEMP_TABLES)

# One row per live encounter of both periods (cur = 1 current, 0 previous), with only the
# columns the figures need, all of them in the covering ix_encounters_time: the periods are
# one range of that index, and no encounter row (nor its note) is read, so the pages read
# fit in the page cache and are not decrypted again each time. The unary + keeps SQLite
# from walking the case ids through the (case_id, occurred_at) index instead, which reads
# the rows. The case filter is a set of ids built once (a Bloom filter, then a lookup).
# Empty referral lists are stored as NULL to keep the table small.
CREATE_ENCOUNTERS = text(
    f"""
    CREATE TEMP TABLE stats_enc AS
    SELECT e.case_id AS case_id,
           e.occurred_at >= :start AS cur,
           substr(e.occurred_at, 1, 7) AS month,
           e.stage AS stage,
           e.tier AS tier,
           e.duration_minutes AS minutes,
           e.group_size AS group_size,
           nullif(e.referrals, '[]') AS referrals,
           e.support_declined AS declined
    FROM encounters AS e
    WHERE e.occurred_at >= :prev_start AND e.occurred_at < :end AND e.deleted_at IS NULL
      AND (e.occurred_at >= :start OR e.occurred_at < :prev_end)
      AND +e.case_id IN (SELECT c.id FROM cases AS c WHERE {CASE_FILTER})
    """
)

# One row per active case and period: its encounters, minutes and group attendees there,
# and the few case columns the breakdowns group by. Encounters are summed first and joined
# to cases after, so the join is per case, not per encounter.
# Escalated: an encounter of the period at Tier 3, or a referral to a Tier 3 target
# (whatever its response); the JSON is parsed only for the few encounters with referrals.
CREATE_CASES = text(
    f"""
    CREATE TEMP TABLE stats_case AS
    SELECT a.*, c.kind AS kind, c.role AS role, c.department AS department,
           c.event_category AS event_category, c.high_risk_events AS high_risk_events,
           c.outcome AS outcome
    FROM (
        SELECT s.case_id AS case_id, s.cur AS cur, count(*) AS encounters,
               sum(s.minutes) AS minutes, coalesce(sum(s.group_size), 0) AS attendees,
               max(s.declined) AS declined,
               max(
                   CASE
                       WHEN s.tier = {vocab.ESCALATION_TIER} THEN 1
                       WHEN s.referrals IS NULL THEN 0
                       ELSE EXISTS (
                           SELECT 1 FROM json_each(s.referrals) AS r
                           WHERE json_extract(r.value, '$.target') IN ({_TIER3_TARGETS})
                       )
                   END
               ) AS escalated
        FROM temp.stats_enc AS s GROUP BY s.case_id, s.cur
    ) AS a
    JOIN cases AS c ON c.id = a.case_id
    """
)

# Follow-ups due in either period by today, counted per due day and week. Cancelled ones
# were never due. On time = done by the end of the day after the due day (one grace day);
# late = done after that (or with no time recorded); missed = marked missed, or still
# planned after its due day (what Today lists as overdue). One still planned for today is
# due but none of the three yet.
# Rows are first grouped by (due day, status, day done), a few thousand at most, so the
# date arithmetic runs per group. A week is keyed by its Monday: 'weekday 0' moves to the
# coming Sunday (or stays on one), six days back is that week's Monday. CROSS JOIN keeps
# the follow-ups first: the due days are one range of the covering ix_follow_ups_due and
# each case is found by its id, instead of every case's follow-up rows being read.
CREATE_FOLLOW_UPS = text(
    f"""
    CREATE TEMP TABLE stats_fu AS
    SELECT due_on >= :start AS cur,
           date(due_on, 'weekday 0', '-6 days') AS week,
           substr(due_on, 1, 7) AS month,
           n AS due,
           CASE WHEN status = 'done' AND done_on <= date(due_on, '+1 day') THEN n ELSE 0 END
               AS on_time,
           CASE WHEN status = 'done' AND (done_on IS NULL OR done_on > date(due_on, '+1 day'))
               THEN n ELSE 0 END AS late,
           CASE WHEN status = 'missed' OR (status = 'planned' AND due_on < :today)
               THEN n ELSE 0 END AS missed
    FROM (
        SELECT f.due_on AS due_on, f.status AS status, substr(f.done_at, 1, 10) AS done_on,
               count(*) AS n
        FROM follow_ups AS f CROSS JOIN cases AS c ON c.id = f.case_id
        WHERE f.deleted_at IS NULL AND f.status != 'cancelled'
          AND f.due_on >= :prev_start AND f.due_on < :end AND f.due_on <= :today
          AND (f.due_on >= :start OR f.due_on < :prev_end)
          AND {CASE_FILTER}
        GROUP BY 1, 2, 3
    )
    """
)

# Cases referred in either period: the wait from the referral day at 00:00 to the first
# live encounter (whole seconds via '%s'; NULL before any contact), and whether support
# was declined in any live encounter at any time. stats_case already knows the encounters
# inside the two periods; the case's first/last contact summary columns tell whether any
# lies outside them, and only then are its encounters looked up (by the case index).
CREATE_REFERRED = text(
    f"""
    CREATE TEMP TABLE stats_ref AS
    SELECT c.id AS case_id, c.referred_on >= :start AS cur,
           (strftime('%s', c.first_contact_at) - strftime('%s', c.referred_on)) / 3600.0
               AS hours,
           CASE
               WHEN c.first_contact_at IS NULL THEN 0
               WHEN c.id IN (SELECT case_id FROM temp.stats_case WHERE declined) THEN 1
               WHEN c.first_contact_at >= :start AND c.last_contact_at < :end THEN 0
               WHEN c.first_contact_at >= :prev_start AND c.last_contact_at < :prev_end THEN 0
               WHEN :prev_end = :start
                    AND c.first_contact_at >= :prev_start AND c.last_contact_at < :end THEN 0
               ELSE EXISTS (
                   SELECT 1 FROM encounters AS e
                   WHERE e.case_id = c.id AND e.deleted_at IS NULL AND e.support_declined = 1
               )
           END AS declined
    FROM cases AS c
    WHERE c.referred_on >= :prev_start AND c.referred_on < :end AND {CASE_FILTER}
      AND (c.referred_on >= :start OR c.referred_on < :prev_end)
    """
)

CREATE_TEMP = (CREATE_ENCOUNTERS, CREATE_CASES, CREATE_FOLLOW_UPS, CREATE_REFERRED)

# The headline figures of both periods, one row each (current first), from the temp
# tables. Rates are NULL (None) when their denominator is zero. The median wait is the
# middle one, or the mean of the two middle ones, found by row_number over the ordered
# waits of each period and their count over the whole partition.
KPIS = text(
    f"""
    WITH
    periods(cur) AS (VALUES (1), (0)),
    act AS (
        SELECT cur, count(*) AS n, sum(encounters) AS encounters, sum(minutes) AS minutes,
               sum(kind = 'individual') + sum(attendees) AS people,
               sum(escalated) AS escalated
        FROM temp.stats_case GROUP BY cur
    ),
    opened AS (
        SELECT count(*) AS n FROM cases AS c WHERE c.status = 'open' AND {CASE_FILTER}
    ),
    ranked AS (
        SELECT cur, hours, row_number() OVER w AS rn,
               count(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n
        FROM temp.stats_ref WHERE hours IS NOT NULL
        WINDOW w AS (PARTITION BY cur ORDER BY hours)
    ),
    median AS (
        SELECT cur, avg(hours) AS hours FROM ranked
        WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY cur
    ),
    referred AS (
        SELECT cur, count(*) AS n, sum(declined) AS declined FROM temp.stats_ref GROUP BY cur
    ),
    fu AS (
        SELECT cur, sum(due) AS due, sum(on_time) AS on_time FROM temp.stats_fu GROUP BY cur
    )
    SELECT coalesce(act.encounters, 0), coalesce(act.people, 0),
           coalesce(act.minutes, 0) / 60.0, coalesce(act.n, 0), opened.n, median.hours,
           coalesce(fu.due, 0), coalesce(fu.on_time, 0), fu.on_time * 1.0 / fu.due,
           coalesce(act.escalated, 0), act.escalated * 1.0 / act.n,
           coalesce(referred.n, 0), coalesce(referred.declined, 0),
           referred.declined * 1.0 / referred.n
    FROM periods AS p CROSS JOIN opened
    LEFT JOIN act ON act.cur = p.cur
    LEFT JOIN median ON median.cur = p.cur
    LEFT JOIN referred ON referred.cur = p.cur
    LEFT JOIN fu ON fu.cur = p.cur
    ORDER BY p.cur DESC
    """
)

FOLLOW_UP_WEEKS = text(
    """
    SELECT week, sum(due), sum(on_time), sum(late), sum(missed)
    FROM temp.stats_fu WHERE cur = 1
    GROUP BY week ORDER BY week
    """
)

FOLLOW_UP_MONTHS = text(
    """
    SELECT month, sum(due), sum(on_time), sum(late), sum(missed)
    FROM temp.stats_fu WHERE cur = 1
    GROUP BY month ORDER BY month
    """
)

# How many active cases had 1, 2, 3, … encounters in the period.
CONTACTS_PER_CASE = text(
    """
    SELECT encounters, count(*) FROM temp.stats_case WHERE cur = 1
    GROUP BY encounters ORDER BY encounters
    """
)

# Open now, whatever the period; a case without a stage tag yet sorts last.
OPEN_CASE_STAGES = text(
    f"""
    SELECT c.current_stage, count(*) FROM cases AS c WHERE c.status = 'open' AND {CASE_FILTER}
    GROUP BY c.current_stage ORDER BY c.current_stage IS NULL, c.current_stage
    """
)

# Encounters without a stage tag sort first within a month, as in the unfiltered query.
MONTH_STAGE = text(
    """
    SELECT month, stage, count(*) FROM temp.stats_enc WHERE cur = 1
    GROUP BY month, stage ORDER BY month, stage
    """
)

# Outcome codes sort in the vocabulary's order (dropping_out, surviving, thriving).
OUTCOMES = text(
    """
    SELECT outcome, count(*) FROM temp.stats_case WHERE cur = 1 AND outcome IS NOT NULL
    GROUP BY outcome ORDER BY outcome
    """
)

# A group encounter is one with a head count; its attendees are the head count.
MONTHLY = text(
    """
    SELECT month, sum(group_size IS NULL), sum(group_size IS NOT NULL),
           coalesce(sum(group_size), 0), sum(minutes) / 60.0
    FROM temp.stats_enc WHERE cur = 1
    GROUP BY month ORDER BY month
    """
)

# Case dimensions: encounters of the cases with that code, and how many cases. The column
# names are the fixed ones below, never a caller's.
BY_CASE_COLUMN = """
    SELECT {column}, sum(encounters) AS n, count(*) FROM temp.stats_case WHERE cur = 1
    GROUP BY {column} ORDER BY n DESC, {column}
"""
BY_CASE = {
    name: text(BY_CASE_COLUMN.format(column=name))
    for name in ("role", "department", "event_category")
}

# A case counts under each of its high-risk events (DISTINCT guards a repeated code).
BY_HIGH_RISK_EVENT = text(
    """
    SELECT code, sum(encounters) AS n, count(*) FROM (
        SELECT DISTINCT s.case_id, s.encounters, h.value AS code
        FROM temp.stats_case AS s, json_each(s.high_risk_events) AS h
        WHERE s.cur = 1
    )
    GROUP BY code ORDER BY n DESC, code
    """
)

BY_TIER = text(
    """
    SELECT CAST(tier AS TEXT) AS code, count(*) AS n, count(DISTINCT case_id)
    FROM temp.stats_enc WHERE cur = 1
    GROUP BY tier ORDER BY n DESC, code
    """
)

# Every referral made in an encounter of the period; a response other than accepted or
# declined (normally 'pending') counts as pending.
REFERRALS = text(
    """
    SELECT target, sum(response = 'accepted') AS accepted, sum(response = 'declined'),
           sum(response IS NULL OR response NOT IN ('accepted', 'declined')), count(*) AS n
    FROM (
        SELECT json_extract(r.value, '$.target') AS target,
               json_extract(r.value, '$.response') AS response
        FROM temp.stats_enc AS s, json_each(s.referrals) AS r
        WHERE s.cur = 1
    )
    GROUP BY target ORDER BY n DESC, target
    """
)

# Live encounters of a live case, oldest first (ties by entry order, as Journal.encounters).
TRAJECTORY = text(
    """
    SELECT e.occurred_at, e.stage, e.triggered
    FROM encounters AS e JOIN cases AS c ON c.id = e.case_id
    WHERE e.case_id = :case_id AND e.deleted_at IS NULL AND c.deleted_at IS NULL
    ORDER BY e.occurred_at, e.created_at
    """
)
