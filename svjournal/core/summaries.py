"""Per-case summary columns (contacts, next follow-up, current stage) kept up to date in SQL.

The case list shows them for thousands of cases at once; storing them on the case row keeps
that list a single table scan. Every write that can change them calls `refresh`, so the one
SQL statement below is the only definition of what they mean.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.orm import Session

_LIVE_ENCOUNTERS = "FROM encounters AS e WHERE e.case_id = cases.id AND e.deleted_at IS NULL"
# The latest encounter that carries a stage: a case's stage history is a sequence and can
# go backwards, so the current stage is the latest tag, not the highest.
_LATEST_STAGED = (
    f"{_LIVE_ENCOUNTERS} AND e.stage IS NOT NULL "
    "ORDER BY e.occurred_at DESC, e.created_at DESC LIMIT 1"
)
_LATEST_OUTCOME = f"(SELECT CASE WHEN e.stage = 6 THEN e.outcome END {_LATEST_STAGED})"

_REFRESH = f"""
UPDATE cases SET
    first_contact_at = (SELECT min(e.occurred_at) {_LIVE_ENCOUNTERS}),
    last_contact_at = (SELECT max(e.occurred_at) {_LIVE_ENCOUNTERS}),
    next_follow_up_on = (
        SELECT min(f.due_on) FROM follow_ups AS f
        WHERE f.case_id = cases.id AND f.status = 'planned' AND f.deleted_at IS NULL
    ),
    current_stage = (SELECT e.stage {_LATEST_STAGED}),
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
