"""The set-based summary refresh gives what the per-case correlated subqueries gave.

`summaries.refresh` once recomputed every summary column with one correlated subquery per
column and case (quadratic in practice: the planned follow-ups were searched through the
status index for every case). That statement is kept here, verbatim, as the oracle: on
random journals (ties of encounter times, trashed rows, Tier 3 and other referrals, red
flags, closed cases with a recorded outcome) both must leave every case row the same, for a
refresh of every case and of a few.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, bindparam, create_engine, text
from sqlmodel import SQLModel

from svjournal.core import schema, summaries, vocab

STAMP = datetime(2026, 1, 1)
DAY = date(2026, 3, 2)
SUMMARY_COLUMNS = (
    "id, current_stage, outcome, first_contact_at, last_contact_at, next_follow_up_on, "
    "last_red_flag_at, tier3_referral"
)

# --- the oracle: the correlated statement as summaries.py had it ----------------------------

_LIVE_ENCOUNTERS = "FROM encounters AS e WHERE e.case_id = cases.id AND e.deleted_at IS NULL"
_LATEST_STAGED = (
    f"{_LIVE_ENCOUNTERS} AND e.stage IS NOT NULL "
    "ORDER BY e.occurred_at DESC, e.created_at DESC LIMIT 1"
)
_LATEST_OUTCOME = f"(SELECT CASE WHEN e.stage = 6 THEN e.outcome END {_LATEST_STAGED})"
_TIER3_TARGETS = ", ".join(f"'{t.code}'" for t in vocab.REFERRAL_TARGETS if t.tier3)
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
ORACLE_SOME = text(_REFRESH + " WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
ORACLE_ALL = text(_REFRESH)

# --- random journals ------------------------------------------------------------------------

RARELY = st.sampled_from((False, False, False, True))
# Few distinct times, so that encounters often share one (the created_at order decides).
TIMES = st.integers(0, 5).map(lambda n: datetime(2026, 3, 2, 9) + timedelta(days=n // 2))


@st.composite
def encounter(draw: st.DrawFn) -> dict[str, Any]:
    stage = draw(st.none() | st.integers(1, 6))
    targets = draw(
        st.lists(st.sampled_from(vocab.REFERRAL_TARGETS.codes()), unique=True, max_size=3)
    )
    return {
        "occurred_at": draw(TIMES),
        "stage": stage,
        "outcome": draw(st.sampled_from(vocab.OUTCOMES.codes())) if stage == 6 else None,
        "referrals": [
            {"target": t, "response": draw(st.sampled_from(vocab.REFERRAL_RESPONSES.codes()))}
            for t in targets
        ],
        "red_flags": draw(st.sampled_from(([], [], ["zone_worsening"]))),
        "deleted_at": STAMP if draw(RARELY) else None,
    }


@st.composite
def follow_up(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "due_on": DAY + timedelta(days=draw(st.integers(0, 9))),
        "status": draw(st.sampled_from(vocab.FOLLOW_UP_STATUSES.codes())),
        "deleted_at": STAMP if draw(RARELY) else None,
    }


@st.composite
def case(draw: st.DrawFn) -> dict[str, Any]:
    status = draw(st.sampled_from(("open", "closed")))
    return {
        "status": status,
        # Stale summaries, as a refresh finds them; a closed case may keep its outcome.
        "outcome": draw(st.none() | st.sampled_from(vocab.OUTCOMES.codes())),
        "current_stage": draw(st.none() | st.integers(1, 6)),
        "last_contact_at": draw(st.none() | TIMES),
        "tier3_referral": draw(st.sampled_from((None, "pending"))),
        "encounters": draw(st.lists(encounter(), max_size=6)),
        "follow_ups": draw(st.lists(follow_up(), max_size=4)),
        "deleted_at": STAMP if draw(RARELY) else None,
    }


def load(engine: Engine, journal: list[dict[str, Any]]) -> None:
    tables = SQLModel.metadata.tables
    cases, encounters, follow_ups = [], [], []
    created = STAMP
    for i, c in enumerate(journal):
        cid = f"case-{i:02d}"
        base = {"created_at": STAMP, "updated_at": STAMP, "deleted_at": c["deleted_at"]}
        cases.append(
            {
                **base,
                "id": cid,
                "alias": cid,
                "role": "nurse",
                "department": "icu",
                "event_category": "other",
                "high_risk_events": [],
                "referral_source": "self",
                "referred_on": DAY,
                "status": c["status"],
                "outcome": c["outcome"],
                "current_stage": c["current_stage"],
                "last_contact_at": c["last_contact_at"],
                "tier3_referral": c["tier3_referral"],
            }
        )
        for n, e in enumerate(c["encounters"]):
            created += timedelta(seconds=1)  # creation times differ, as now() gives them
            encounters.append(
                {
                    **e,
                    "id": f"{cid}-e{n}",
                    "case_id": cid,
                    "mode": "phone",
                    "duration_minutes": 30,
                    "tier": 2,
                    "triggered": False,
                    "interventions": [],
                    "support_declined": False,
                    "created_at": created,
                    "updated_at": STAMP,
                }
            )
        for n, f in enumerate(c["follow_ups"]):
            follow_ups.append(
                {**f, "id": f"{cid}-f{n}", "case_id": cid, "method": "phone", **_stamps(f)}
            )
    with engine.begin() as conn:
        for name in ("follow_ups", "encounters", "cases"):
            conn.execute(tables[name].delete())
        for name, rows in (
            ("cases", cases),
            ("encounters", encounters),
            ("follow_ups", follow_ups),
        ):
            if rows:
                conn.execute(tables[name].insert(), rows)


def _stamps(f: dict[str, Any]) -> dict[str, Any]:
    done = datetime.combine(f["due_on"], datetime.min.time()) if f["status"] == "done" else None
    return {"created_at": STAMP, "updated_at": STAMP, "done_at": done}


def summaries_after(engine: Engine, journal: list[dict[str, Any]], refresh: Any) -> list[Any]:
    load(engine, journal)
    with engine.begin() as conn:
        refresh(conn)
        return list(conn.execute(text(f"SELECT {SUMMARY_COLUMNS} FROM cases ORDER BY id")))


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    engine = create_engine("sqlite://")  # one in-memory database per thread
    schema.upgrade(engine)
    yield engine
    engine.dispose()


PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY
@given(journal=st.lists(case(), max_size=8))
def test_refresh_of_every_case_equals_the_correlated_oracle(
    engine: Engine, journal: list[dict[str, Any]]
) -> None:
    want = summaries_after(engine, journal, lambda conn: conn.execute(ORACLE_ALL))
    got = summaries_after(engine, journal, summaries.refresh)
    assert got == want


@PROPERTY
@given(journal=st.lists(case(), min_size=1, max_size=8), data=st.data())
def test_refresh_of_some_cases_equals_the_correlated_oracle(
    engine: Engine, journal: list[dict[str, Any]], data: st.DataObject
) -> None:
    ids = data.draw(
        st.lists(st.sampled_from([f"case-{i:02d}" for i in range(len(journal))]), unique=True)
    )
    want = summaries_after(engine, journal, lambda conn: conn.execute(ORACLE_SOME, {"ids": ids}))
    got = summaries_after(engine, journal, lambda conn: summaries.refresh(conn, ids))
    assert got == want
