"""The SQL figures agree with a plain-Python reading of the same random journals.

Random small journals (cases, encounters and follow-ups, some in the trash, dates around
and across the two periods) are inserted straight with SQLAlchemy Core into a plain
in-memory SQLite database and into an encrypted vault; `dashboard` on both must equal what
the definitions in stats_model / DOMAIN.md give when applied row by row in Python.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, text
from sqlmodel import SQLModel

from svjournal.core import schema, stats, summaries, vocab
from svjournal.core.periods import Basis
from svjournal.core.stats_model import (
    CodeCount,
    Kpis,
    MonthlyEncounters,
    Period,
    ReferralCount,
    StatsFilter,
    WeeklyFollowUps,
)
from svjournal.core.vault import Vault

BASE = date(2026, 3, 2)  # periods start within the 30 days after
STAMP = datetime(2026, 1, 1)
TIER3 = {t.code for t in vocab.REFERRAL_TARGETS if t.tier3}
ROLES = ("nurse", "physician")
DEPARTMENTS = ("icu", "emergency")
RARELY = st.sampled_from((False, False, False, False, True))


@dataclass
class Enc:
    occurred_at: datetime
    minutes: int
    group_size: int | None
    tier: int
    stage: int | None
    referrals: list[dict[str, str]]
    declined: bool
    deleted: bool


@dataclass
class FollowUpRow:
    due_on: date
    status: str
    done_at: datetime | None
    deleted: bool


@dataclass
class CaseRow:
    id: str
    kind: str
    role: str
    department: str
    high_risk_events: list[str]
    referred_on: date
    status: str
    deleted: bool
    encounters: list[Enc] = field(default_factory=list)
    follow_ups: list[FollowUpRow] = field(default_factory=list)


@st.composite
def encounters(draw: st.DrawFn, kind: str, days: st.SearchStrategy[date]) -> Enc:
    stage = draw(st.none() | st.integers(1, 6))
    targets = draw(
        st.lists(st.sampled_from(vocab.REFERRAL_TARGETS.codes()), unique=True, max_size=3)
    )
    return Enc(
        occurred_at=datetime.combine(draw(days), time(draw(st.integers(0, 23)), 30)),
        minutes=draw(st.integers(1, 180)),
        group_size=draw(st.integers(2, 20)) if kind == "group" else None,
        tier=draw(st.integers(1, 3)),
        stage=stage,
        referrals=[
            {"target": t, "response": draw(st.sampled_from(vocab.REFERRAL_RESPONSES.codes()))}
            for t in targets
        ],
        declined=draw(RARELY),
        deleted=draw(RARELY),
    )


@st.composite
def follow_ups(draw: st.DrawFn, days: st.SearchStrategy[date]) -> FollowUpRow:
    due = draw(days)
    status = draw(st.sampled_from(vocab.FOLLOW_UP_STATUSES.codes()))
    done_at = None
    if status == "done":
        done_at = datetime.combine(due + timedelta(days=draw(st.integers(-2, 3))), time(9, 15))
    return FollowUpRow(due, status, done_at, draw(RARELY))


@st.composite
def cases(draw: st.DrawFn, index: int, days: st.SearchStrategy[date]) -> CaseRow:
    kind = draw(st.sampled_from(("individual", "individual", "group")))
    case = CaseRow(
        id=f"case-{index}",
        kind=kind,
        role=draw(st.sampled_from(ROLES)),
        department=draw(st.sampled_from(DEPARTMENTS)),
        high_risk_events=draw(
            st.lists(st.sampled_from(vocab.HIGH_RISK_EVENTS.codes()[:4]), unique=True, max_size=2)
        ),
        referred_on=draw(days),
        status=draw(st.sampled_from(("open", "closed"))),
        deleted=draw(RARELY),
    )
    # Counts drawn as integers (about uniform) rather than list sizes (mostly short).
    case.encounters = [draw(encounters(kind, days)) for _ in range(draw(st.integers(0, 6)))]
    case.follow_ups = [draw(follow_ups(days)) for _ in range(draw(st.integers(0, 5)))]
    return case


@dataclass
class Scenario:
    journal: list[CaseRow]
    filt: StatsFilter
    today: date


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    # Hypothesis starts from (and shrinks towards) the simplest values, 0 for integers:
    # map them so that the simplest period is a long one and the simplest day falls in it.
    start = BASE + timedelta(days=draw(st.integers(0, 30)))
    end = start + timedelta(days=45 - draw(st.integers(0, 45)))
    # Compared with the days just before, or (as "this year so far") with the same days a
    # year earlier, leaving a gap between the two periods that must count in neither.
    period = Period(start, end, draw(st.sampled_from((None, None, Basis.YEAR_EARLIER))))
    previous = period.previous()
    # Every date falls in the two periods or in the week either side of them.
    first = previous.start - timedelta(days=7)
    span = (period.end + timedelta(days=7) - first).days + 1
    lead = (period.start - first).days
    days = st.integers(0, span - 1).map(lambda n: first + timedelta(days=(n + lead) % span))
    if (period.start - previous.end).days > 15:  # two windows, a year apart
        near_previous = st.integers(-7, previous.days + 6).map(
            lambda n: previous.start + timedelta(days=n)
        )
        near_period = st.integers(-7, period.days + 6).map(
            lambda n: period.start + timedelta(days=n)
        )
        days = st.one_of(near_period, near_previous)
    journal = [draw(cases(i, days)) for i in range(draw(st.integers(0, 10)))]
    department = draw(st.sampled_from((None, None, *DEPARTMENTS)))  # filters off half
    role = draw(st.sampled_from((None, None, *ROLES)))  # of the time
    return Scenario(journal, StatsFilter(period, department, role), draw(days))


# --- loading --------------------------------------------------------------------------------


def _table(name: str) -> Any:
    return SQLModel.metadata.tables[name]


def load(engine: Engine, journal: list[CaseRow]) -> None:
    case_rows, encounter_rows, follow_up_rows = [], [], []
    for case in journal:
        case_rows.append(
            {
                "id": case.id,
                "alias": case.id,
                "kind": case.kind,
                "role": case.role,
                "department": case.department,
                "event_category": "other",
                "high_risk_events": case.high_risk_events,
                "referral_source": "self",
                "referred_on": case.referred_on,
                "status": case.status,
                "created_at": STAMP,
                "updated_at": STAMP,
                "deleted_at": STAMP if case.deleted else None,
            }
        )
        for n, e in enumerate(case.encounters):
            encounter_rows.append(
                {
                    "id": f"{case.id}-e{n}",
                    "case_id": case.id,
                    "occurred_at": e.occurred_at,
                    "mode": "phone",
                    "duration_minutes": e.minutes,
                    "group_size": e.group_size,
                    "tier": e.tier,
                    "stage": e.stage,
                    "outcome": "thriving" if e.stage == 6 else None,
                    "triggered": False,
                    "interventions": [],
                    "referrals": e.referrals,
                    "red_flags": [],
                    "support_declined": e.declined,
                    "created_at": STAMP + timedelta(seconds=n),
                    "updated_at": STAMP,
                    "deleted_at": STAMP if e.deleted else None,
                }
            )
        for n, f in enumerate(case.follow_ups):
            follow_up_rows.append(
                {
                    "id": f"{case.id}-f{n}",
                    "case_id": case.id,
                    "due_on": f.due_on,
                    "method": "phone",
                    "status": f.status,
                    "done_at": f.done_at,
                    "created_at": STAMP,
                    "updated_at": STAMP,
                    "deleted_at": STAMP if f.deleted else None,
                }
            )
    with engine.begin() as conn:
        for name in ("follow_ups", "encounters", "cases"):
            conn.execute(_table(name).delete())
        for name, rows in (
            ("cases", case_rows),
            ("encounters", encounter_rows),
            ("follow_ups", follow_up_rows),
        ):
            if rows:
                conn.execute(_table(name).insert(), rows)
        summaries.refresh(conn)


# --- the definitions, row by row ------------------------------------------------------------


@dataclass
class Expected:
    kpis: Kpis
    previous: Kpis
    monthly: list[MonthlyEncounters]
    by_tier: list[CodeCount]
    referrals: list[ReferralCount]
    weeks: list[WeeklyFollowUps]


def _within(period: Period, when: date) -> bool:
    return period.start <= when <= period.end


def _approx(value: float) -> float:
    # pytest.approx compares equal to any float within 1e-6 (relative) of `value`.
    return cast(float, pytest.approx(value))


def _ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else _approx(part / whole)


def _on_time(f: FollowUpRow) -> bool:
    return (
        f.status == "done"
        and f.done_at is not None
        and f.done_at.date() <= f.due_on + timedelta(days=1)
    )


def _live(journal: list[CaseRow], filt: StatsFilter) -> list[CaseRow]:
    return [
        c
        for c in journal
        if not c.deleted and filt.department in (None, c.department) and filt.role in (None, c.role)
    ]


def _due(cases: list[CaseRow], period: Period, today: date) -> Iterator[FollowUpRow]:
    for case in cases:
        for f in case.follow_ups:
            due = _within(period, f.due_on) and f.due_on <= today
            if due and not f.deleted and f.status != "cancelled":
                yield f


def expected_kpis(cases: list[CaseRow], period: Period, today: date) -> Kpis:
    active: dict[str, list[Enc]] = {}
    for case in cases:
        inside = [
            e for e in case.encounters if not e.deleted and _within(period, e.occurred_at.date())
        ]
        if inside:
            active[case.id] = inside
    kinds = {c.id: c.kind for c in cases}
    encounters = [e for inside in active.values() for e in inside]
    people = sum(kinds[c] == "individual" for c in active) + sum(
        e.group_size for e in encounters if e.group_size is not None
    )
    escalated = sum(
        any(e.tier == 3 or any(r["target"] in TIER3 for r in e.referrals) for e in inside)
        for inside in active.values()
    )
    referred = [c for c in cases if _within(period, c.referred_on)]
    declined = sum(any(e.declined and not e.deleted for e in c.encounters) for c in referred)
    waits = []
    for case in referred:
        live = [e.occurred_at for e in case.encounters if not e.deleted]
        if live:
            start = datetime.combine(case.referred_on, time.min)
            waits.append((min(live) - start).total_seconds() / 3600)
    due = list(_due(cases, period, today))
    on_time = sum(_on_time(f) for f in due)
    return Kpis(
        encounters=len(encounters),
        people_reached=people,
        hours_of_support=_approx(sum(e.minutes for e in encounters) / 60),
        active_cases=len(active),
        open_cases=sum(c.status == "open" for c in cases),
        median_hours_to_first_contact=_approx(statistics.median(waits)) if waits else None,
        follow_ups_due=len(due),
        follow_ups_on_time=on_time,
        follow_up_completion=_ratio(on_time, len(due)),
        escalated_cases=escalated,
        escalation_rate=_ratio(escalated, len(active)),
        referrals=len(referred),
        support_declined=declined,
        decline_rate=_ratio(declined, len(referred)),
    )


def expected(journal: list[CaseRow], filt: StatsFilter, today: date) -> Expected:
    cases = _live(journal, filt)
    period = filt.period
    inside = [
        (c.id, e)
        for c in cases
        for e in c.encounters
        if not e.deleted and _within(period, e.occurred_at.date())
    ]

    months: dict[str, list[Enc]] = defaultdict(list)
    for _, e in inside:
        months[e.occurred_at.strftime("%Y-%m")].append(e)
    monthly = [
        MonthlyEncounters(
            month,
            individual=sum(e.group_size is None for e in es),
            group=sum(e.group_size is not None for e in es),
            group_attendees=sum(e.group_size or 0 for e in es),
            hours=_approx(sum(e.minutes for e in es) / 60),
        )
        for month, es in sorted(months.items())
    ]

    tier_encounters = Counter(str(e.tier) for _, e in inside)
    tier_cases = {t: len({cid for cid, e in inside if str(e.tier) == t}) for t in tier_encounters}
    by_tier = sorted(
        (CodeCount(t, n, tier_cases[t]) for t, n in tier_encounters.items()),
        key=lambda c: (-c.encounters, c.code),
    )

    responses: dict[str, Counter[str]] = defaultdict(Counter)
    for _, e in inside:
        for r in e.referrals:
            responses[r["target"]][r["response"]] += 1
    referrals = sorted(
        (
            ReferralCount(t, n["accepted"], n["declined"], n["pending"])
            for t, n in responses.items()
        ),
        key=lambda r: (-r.total, r.target),
    )

    weeks: dict[date, list[FollowUpRow]] = defaultdict(list)
    for f in _due(cases, period, today):
        weeks[f.due_on - timedelta(days=f.due_on.weekday())].append(f)
    weekly = [
        WeeklyFollowUps(
            monday,
            due=len(fs),
            on_time=sum(_on_time(f) for f in fs),
            late=sum(f.status == "done" and not _on_time(f) for f in fs),
            missed=sum(
                f.status == "missed" or (f.status == "planned" and f.due_on < today) for f in fs
            ),
        )
        for monday, fs in sorted(weeks.items())
    ]
    return Expected(
        expected_kpis(cases, period, today),
        expected_kpis(cases, period.previous(), today),
        monthly,
        by_tier,
        referrals,
        weekly,
    )


# --- the properties -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plain_engine() -> Iterator[Engine]:
    engine = create_engine("sqlite://")  # one in-memory database per thread
    schema.upgrade(engine)
    yield engine
    engine.dispose()


def check(engine: Engine, scenario: Scenario) -> None:
    board = stats.dashboard(engine, scenario.filt, today=scenario.today)
    want = expected(scenario.journal, scenario.filt, scenario.today)
    assert board.kpis == want.kpis
    assert board.previous == want.previous
    assert board.monthly == want.monthly
    assert board.by_tier == want.by_tier
    assert board.referrals == want.referrals
    assert board.follow_up_weeks == want.weeks
    assert board.empty == (want.kpis.encounters == 0 and want.kpis.referrals == 0)


PROPERTY = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY
@given(scenario=scenarios())
def test_plain_sqlite_matches_the_definitions(plain_engine: Engine, scenario: Scenario) -> None:
    load(plain_engine, scenario.journal)
    check(plain_engine, scenario)
    # The single pooled connection keeps no temp table between calls.
    with plain_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sqlite_temp_master")).scalar() == 0


@PROPERTY
@given(scenario=scenarios())
def test_sqlcipher_vault_matches_the_definitions(vault: Vault, scenario: Scenario) -> None:
    load(vault.engine, scenario.journal)
    check(vault.engine, scenario)
