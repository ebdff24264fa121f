"""Per-case summary columns (contacts, next follow-up, stage, red flags) kept up to date in SQL.

The case list shows them for thousands of cases at once; storing them on the case row keeps
that list a single table scan. Every write that can change them calls `refresh`, so the one
SQL statement below is the only definition of what they mean.

The statement reads each table once (GROUP BY case, and one window over the staged
encounters) and joins the results to the cases, so refreshing every case grows with the
rows; a correlated subquery per column and case grew with cases × planned follow-ups (the
planned follow-ups were searched through the status index for every case).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.orm import Session

from svjournal.core import vocab

# Referral targets of the Tier 3 expedited referral network, inlined as a constant IN list
# (fixed lowercase codes from vocab, never user input).
_TIER3_TARGETS = ", ".join(f"'{t.code}'" for t in vocab.REFERRAL_TARGETS if t.tier3)


def _statement(only: str) -> str:
    """The refresh; `only` is an extra condition on case ids ('' for every case)."""
    enc_only = only.replace("{col}", "e.case_id")
    fu_only = only.replace("{col}", "f.case_id")
    case_only = only.replace("{col}", "c.id")
    return f"""
WITH contacts AS (
    SELECT e.case_id AS case_id, min(e.occurred_at) AS first_at, max(e.occurred_at) AS last_at,
           max(CASE WHEN json_array_length(e.red_flags) > 0 THEN e.occurred_at END) AS red_at
    FROM encounters AS e WHERE e.deleted_at IS NULL {enc_only}
    GROUP BY e.case_id
),
-- The latest encounter that carries a stage: a case's stage history is a sequence and can
-- go backwards, so the current stage is the latest tag, not the highest. The id breaks a
-- tie of both times, so the same rows always give the same stage.
ranked AS (
    SELECT e.case_id AS case_id, e.stage AS stage,
           CASE WHEN e.stage = 6 THEN e.outcome END AS outcome,
           row_number() OVER (
               PARTITION BY e.case_id ORDER BY e.occurred_at DESC, e.created_at DESC, e.id DESC
           ) AS nth
    FROM encounters AS e
    WHERE e.deleted_at IS NULL AND e.stage IS NOT NULL {enc_only}
),
-- The best response among the case's Tier 3 referrals: one accepted referral is what counts
-- (the person reached expedited help); otherwise one still pending, otherwise declined.
tier3 AS (
    SELECT e.case_id AS case_id,
           max(CASE json_extract(r.value, '$.response')
                   WHEN 'accepted' THEN 3 WHEN 'pending' THEN 2 WHEN 'declined' THEN 1
               END) AS best
    FROM encounters AS e, json_each(e.referrals) AS r
    WHERE e.deleted_at IS NULL AND e.referrals != '[]' {enc_only}
      AND json_extract(r.value, '$.target') IN ({_TIER3_TARGETS})
    GROUP BY e.case_id
),
planned AS (
    SELECT f.case_id AS case_id, min(f.due_on) AS due_on
    FROM follow_ups AS f
    WHERE f.status = 'planned' AND f.deleted_at IS NULL {fu_only}
    GROUP BY f.case_id
),
fresh AS (
    SELECT c.id AS case_id, contacts.first_at, contacts.last_at, contacts.red_at,
           planned.due_on, ranked.stage, ranked.outcome AS latest_outcome,
           CASE tier3.best WHEN 3 THEN 'accepted' WHEN 2 THEN 'pending' WHEN 1 THEN 'declined'
           END AS tier3_best
    FROM cases AS c
    LEFT JOIN contacts ON contacts.case_id = c.id
    LEFT JOIN ranked ON ranked.case_id = c.id AND ranked.nth = 1
    LEFT JOIN tier3 ON tier3.case_id = c.id
    LEFT JOIN planned ON planned.case_id = c.id
    WHERE 1 = 1 {case_only}
)
UPDATE cases SET
    first_contact_at = fresh.first_at,
    last_contact_at = fresh.last_at,
    next_follow_up_on = fresh.due_on,
    current_stage = fresh.stage,
    last_red_flag_at = fresh.red_at,
    tier3_referral = fresh.tier3_best,
    outcome = CASE
        WHEN cases.status = 'open' THEN fresh.latest_outcome
        ELSE coalesce(cases.outcome, fresh.latest_outcome)
    END
FROM fresh
WHERE fresh.case_id = cases.id
"""


REFRESH_SOME = text(_statement("AND {col} IN :ids")).bindparams(bindparam("ids", expanding=True))
REFRESH_ALL = text(_statement(""))


def refresh(target: Session | Connection, case_ids: Sequence[str] | None = None) -> None:
    """Recompute the summary columns of the given cases (all cases when None)."""
    if case_ids is None:
        target.execute(REFRESH_ALL)
    elif case_ids:
        target.execute(REFRESH_SOME, {"ids": list(case_ids)})
