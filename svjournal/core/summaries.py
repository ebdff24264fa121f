"""Per-case summary columns (contacts, next follow-up, stage, red flags) kept up to date in SQL.

The case list shows them for thousands of cases at once; storing them on the case row keeps
that list a single table scan. Every write that can change them calls `refresh`, so the one
SQL statement below is the only definition of what they mean.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.orm import Session

from svjournal.core import vocab

_LIVE_ENCOUNTERS = "FROM encounters AS e WHERE e.case_id = cases.id AND e.deleted_at IS NULL"
# The latest encounter that carries a stage: a case's stage history is a sequence and can
# go backwards, so the current stage is the latest tag, not the highest.
_LATEST_STAGED = (
    f"{_LIVE_ENCOUNTERS} AND e.stage IS NOT NULL "
    "ORDER BY e.occurred_at DESC, e.created_at DESC LIMIT 1"
)
_LATEST_OUTCOME = f"(SELECT CASE WHEN e.stage = 6 THEN e.outcome END {_LATEST_STAGED})"

# Referral targets of the Tier 3 expedited referral network, inlined as a constant IN list
# (fixed lowercase codes from vocab, never user input).
_TIER3_TARGETS = ", ".join(f"'{t.code}'" for t in vocab.REFERRAL_TARGETS if t.tier3)
# The best response among the case's Tier 3 referrals: one accepted referral is what counts
# (the person reached expedited help); otherwise one still pending, otherwise declined.
_TIER3_REFERRAL = f"""(
        SELECT CASE max(CASE json_extract(r.value, '$.response')
                            WHEN 'accepted' THEN 3 WHEN 'pending' THEN 2 WHEN 'declined' THEN 1
                        END)
                   WHEN 3 THEN 'accepted' WHEN 2 THEN 'pending' WHEN 1 THEN 'declined'
               END
        FROM encounters AS e, json_each(e.referrals) AS r
        WHERE e.case_id = cases.id AND e.deleted_at IS NULL AND e.referrals != '[]'
          AND json_extract(r.value, '$.target') IN ({_TIER3_TARGETS})
    )"""

_REFRESH = f"""
UPDATE cases SET
    first_contact_at = (SELECT min(e.occurred_at) {_LIVE_ENCOUNTERS}),
    last_contact_at = (SELECT max(e.occurred_at) {_LIVE_ENCOUNTERS}),
    next_follow_up_on = (
        SELECT min(f.due_on) FROM follow_ups AS f
        WHERE f.case_id = cases.id AND f.status = 'planned' AND f.deleted_at IS NULL
    ),
    current_stage = (SELECT e.stage {_LATEST_STAGED}),
    last_red_flag_at = (
        SELECT max(e.occurred_at) {_LIVE_ENCOUNTERS} AND json_array_length(e.red_flags) > 0
    ),
    tier3_referral = {_TIER3_REFERRAL},
    outcome = CASE
        WHEN status = 'open' THEN {_LATEST_OUTCOME}
        ELSE coalesce(outcome, {_LATEST_OUTCOME})
    END
"""

REFRESH_SOME = text(_REFRESH + " WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
REFRESH_ALL = text(_REFRESH)


def refresh(target: Session | Connection, case_ids: Sequence[str] | None = None) -> None:
    """Recompute the summary columns of the given cases (all cases when None)."""
    if case_ids is None:
        target.execute(REFRESH_ALL)
    elif case_ids:
        target.execute(REFRESH_SOME, {"ids": list(case_ids)})
