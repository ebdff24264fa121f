"""Today's "Recent encounters": the newest live encounters of live cases, read from the time
index without sorting the whole journal (at 100,000 encounters the old query sorted all of
them after unlock: 0.8 s of Unlock -> Today)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import text

from svjournal.core import demo
from svjournal.core.inputs import CaseInput, EncounterInput
from svjournal.core.journal import Journal
from svjournal.core.journal_encounters import RECENT_ENCOUNTERS_SQL
from svjournal.core.vault import Vault
from tests.conftest import FIXED_NOW


def _case(journal: Journal, alias: str) -> str:
    return journal.open_case(
        CaseInput(
            alias=alias,
            role="nurse",
            department="icu",
            event_category="unexpected_death",
            referral_source="self",
            referred_on=(FIXED_NOW - timedelta(days=30)).date(),
        )
    ).id


def _log(journal: Journal, case_id: str, hours_ago: int) -> str:
    return journal.log_encounter(
        case_id,
        EncounterInput(
            occurred_at=(FIXED_NOW - timedelta(hours=hours_ago)).replace(tzinfo=None),
            mode="phone",
            duration_minutes=20,
        ),
    ).id


def test_the_newest_live_encounters_of_live_cases(journal: Journal) -> None:
    kept, trashed_case = _case(journal, "Robin"), _case(journal, "Sam")
    newest = [_log(journal, kept, h) for h in (1, 2, 3)]
    gone = _log(journal, kept, 0)
    journal.delete_encounter(gone)
    _log(journal, trashed_case, 0)
    journal.delete_case(trashed_case)
    older = _log(journal, kept, 50)
    recent = journal.recent_encounters(3)
    assert [e.id for e, _alias in recent] == newest
    assert {alias for _e, alias in recent} == {"Robin"}
    assert [e.id for e, _ in journal.recent_encounters(10)] == [*newest, older]
    assert all(isinstance(e.occurred_at, datetime) for e, _ in recent)


def test_it_walks_the_time_index_and_stops(vault: Vault) -> None:
    demo.generate(vault.engine, cases=40, seed=3, anchor=FIXED_NOW.date())
    with vault.engine.connect() as conn:  # no ANALYZE: journals have no planner statistics
        plan = " | ".join(
            str(row[-1])
            for row in conn.execute(text("EXPLAIN QUERY PLAN " + RECENT_ENCOUNTERS_SQL), {"n": 10})
        )
    assert "ix_encounters_time" in plan and "TEMP B-TREE" not in plan, plan
