"""Programme figures on a small journal built by hand, with every expected value worked out.

The journal (FIXED_NOW = 2026-11-26 12:00, so today is Thursday 26 November 2026):

    current period  PERIOD   = 1 Oct – 30 Nov 2026 (61 days)
    previous period PREVIOUS = 1 Aug – 30 Sep 2026 (the 61 days before)

    case  kind/role/department     referred  live encounters (date: minutes, tier, stage…)
    A     individual nurse icu     30 Oct    30 Oct 15:00: 30' t2 s1 | 5 Nov: 45' t3 s2,
                                             psychologist accepted | 12 Nov: 60' t2 s1 triggered
    B     individual physician     8 Nov     9 Nov 08:00: 20' t2 s2, eap declined +
          emergency (closed 21 Nov)          occupational_health pending | 20 Nov: 30' t2 s6
                                             thriving  (+ a TRASHED 10 Nov encounter: 120' t3,
                                             chaplain, support declined)
    C     group mixed icu          3 Oct     4 Oct 09:00: 60' ×8 t2 | 18 Nov: 90' ×5 t1
    D     individual nurse         20 Sep    21 Sep 09:00: 30' t2 s1 | 10 Oct: 40' t2 s4
          emergency                          (+ a TRASHED 11 Oct encounter: 50' t3 s5, psychiatry)
    E     individual nurse icu     15 Nov    16 Nov 10:00: 15' t2, support declined
    F     individual nurse icu     20 Nov    none yet
    G     individual nurse icu     5 Nov     6 Nov: 60' t3 s2 — the whole case is in the TRASH
    P     individual physician     10 Aug    10 Aug 20:00: 45' t3 s1 | 25 Oct: 30' t2 s6
          emergency (closed 26 Oct)          surviving
    Q     individual resident icu  1 Jul     2 Jul: 20' t2 s2 (outside both periods)
    T     group mixed emergency    1 Sep     2 Sep 09:00: 60' ×6 t2 (closed 10 Sep)

    follow-ups (due: what happened)
    A  4 Nov: done 4 Nov · 10 Nov: done 11 Nov (grace day) · 16 Nov: done 18 Nov (late) ·
       28 Nov: planned (not due yet)
    B  12 Nov: marked missed · 15 Nov: cancelled
    C  Sun 4 Oct: done Mon 5 Oct (grace day) · 24 Nov: still planned (overdue) ·
       26 Nov: planned for today (due, not yet anything)
    D  25 Sep: done 25 Sep · 28 Sep: done 30 Sep (late)
    E  20 Nov: done 19 Nov (early)
    G  7 Nov: done 7 Nov (trashed case)
    P  15 Aug: done 16 Aug (grace day) · 20 Aug: marked missed
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from svjournal.core import stats
from svjournal.core.inputs import CaseInput, EncounterInput, ReferralInput
from svjournal.core.journal import Journal
from svjournal.core.stats_model import (
    CodeCount,
    Kpis,
    MonthlyEncounters,
    MonthStageCount,
    Period,
    ReferralCount,
    StatsFilter,
    TrajectoryPoint,
    WeeklyFollowUps,
)
from svjournal.core.vault import Vault
from tests.conftest import FIXED_NOW

TODAY = FIXED_NOW.date()
PERIOD = Period(date(2026, 10, 1), date(2026, 11, 30))
PREVIOUS = Period(date(2026, 8, 1), date(2026, 9, 30))


@dataclass
class Built:
    ids: dict[str, str]
    encounters: dict[str, str]


def _case(alias: str, role: str, department: str, referred: date, **extra: Any) -> CaseInput:
    values: dict[str, Any] = {
        "alias": alias,
        "role": role,
        "department": department,
        "event_category": "other",
        "referral_source": "self",
        "referred_on": referred,
    }
    values.update(extra)
    return CaseInput(**values)


def _enc(when: datetime, minutes: int, **extra: Any) -> EncounterInput:
    return EncounterInput(occurred_at=when, mode="phone", duration_minutes=minutes, **extra)


def _done(journal: Journal, case_id: str, due: date, done_at: datetime) -> None:
    follow_up = journal.schedule_follow_up(case_id, due)
    journal.complete_follow_up(follow_up.id, done_at=done_at)


def build(journal: Journal) -> Built:
    ids: dict[str, str] = {}
    enc: dict[str, str] = {}

    def log(key: str, case: str, data: EncounterInput) -> None:
        enc[key] = journal.log_encounter(ids[case], data).id

    ids["A"] = journal.open_case(
        _case(
            "RN-A",
            "nurse",
            "icu",
            date(2026, 10, 30),
            event_category="unexpected_death",
            high_risk_events=["unexpected_death", "first_death"],
        )
    ).id
    log("A1", "A", _enc(datetime(2026, 10, 30, 15, 0), 30, stage=1))
    log(
        "A2",
        "A",
        _enc(
            datetime(2026, 11, 5, 10, 0),
            45,
            tier=3,
            stage=2,
            referrals=[ReferralInput("psychologist", "accepted")],
        ),
    )
    log("A3", "A", _enc(datetime(2026, 11, 12, 10, 0), 60, stage=1, triggered=True))
    _done(journal, ids["A"], date(2026, 11, 4), datetime(2026, 11, 4, 10, 0))
    _done(journal, ids["A"], date(2026, 11, 10), datetime(2026, 11, 11, 9, 0))
    _done(journal, ids["A"], date(2026, 11, 16), datetime(2026, 11, 18, 9, 0))
    journal.schedule_follow_up(ids["A"], date(2026, 11, 28))

    ids["B"] = journal.open_case(
        _case(
            "MD-B",
            "physician",
            "emergency",
            date(2026, 11, 8),
            event_category="medical_error",
            high_risk_events=["preventable_harm"],
        )
    ).id
    log(
        "B1",
        "B",
        _enc(
            datetime(2026, 11, 9, 8, 0),
            20,
            stage=2,
            referrals=[
                ReferralInput("eap", "declined"),
                ReferralInput("occupational_health", "pending"),
            ],
        ),
    )
    log(
        "B_trashed",
        "B",
        _enc(
            datetime(2026, 11, 10, 12, 0),
            120,
            tier=3,
            stage=3,
            referrals=[ReferralInput("chaplain", "accepted")],
            support_declined=True,
        ),
    )
    journal.delete_encounter(enc["B_trashed"])
    log("B2", "B", _enc(datetime(2026, 11, 20, 14, 0), 30, stage=6, outcome="thriving"))
    journal.mark_follow_up_missed(journal.schedule_follow_up(ids["B"], date(2026, 11, 12)).id)
    journal.cancel_follow_up(journal.schedule_follow_up(ids["B"], date(2026, 11, 15)).id)
    journal.close_case(ids["B"], closed_on=date(2026, 11, 21))

    ids["C"] = journal.open_case(
        _case(
            "Team C",
            "mixed",
            "icu",
            date(2026, 10, 3),
            kind="group",
            event_category="unexpected_death",
            high_risk_events=["child_involved"],
        )
    ).id
    log("C1", "C", _enc(datetime(2026, 10, 4, 9, 0), 60, group_size=8))
    log("C2", "C", _enc(datetime(2026, 11, 18, 9, 0), 90, group_size=5, tier=1))
    _done(journal, ids["C"], date(2026, 10, 4), datetime(2026, 10, 5, 16, 0))
    journal.schedule_follow_up(ids["C"], date(2026, 11, 24))
    journal.schedule_follow_up(ids["C"], date(2026, 11, 26))

    ids["D"] = journal.open_case(
        _case("RN-D", "nurse", "emergency", date(2026, 9, 20), event_category="violence")
    ).id
    log("D0", "D", _enc(datetime(2026, 9, 21, 9, 0), 30, stage=1))
    log("D1", "D", _enc(datetime(2026, 10, 10, 11, 0), 40, stage=4))
    log(
        "D_trashed",
        "D",
        _enc(
            datetime(2026, 10, 11, 11, 0),
            50,
            tier=3,
            stage=5,
            referrals=[ReferralInput("psychiatry")],
        ),
    )
    journal.delete_encounter(enc["D_trashed"])
    _done(journal, ids["D"], date(2026, 9, 25), datetime(2026, 9, 25, 15, 0))
    _done(journal, ids["D"], date(2026, 9, 28), datetime(2026, 9, 30, 15, 0))

    ids["E"] = journal.open_case(
        _case("RN-E", "nurse", "icu", date(2026, 11, 15), event_category="near_miss")
    ).id
    log("E1", "E", _enc(datetime(2026, 11, 16, 10, 0), 15, support_declined=True))
    _done(journal, ids["E"], date(2026, 11, 20), datetime(2026, 11, 19, 17, 0))

    ids["F"] = journal.open_case(
        _case("RN-F", "nurse", "icu", date(2026, 11, 20), event_category="patient_harm")
    ).id

    ids["G"] = journal.open_case(_case("RN-G", "nurse", "icu", date(2026, 11, 5))).id
    log("G1", "G", _enc(datetime(2026, 11, 6, 9, 0), 60, tier=3, stage=2))
    _done(journal, ids["G"], date(2026, 11, 7), datetime(2026, 11, 7, 9, 0))
    journal.delete_case(ids["G"])

    ids["P"] = journal.open_case(
        _case(
            "MD-P",
            "physician",
            "emergency",
            date(2026, 8, 10),
            event_category="complication",
            high_risk_events=["failure_to_rescue"],
        )
    ).id
    log("P1", "P", _enc(datetime(2026, 8, 10, 20, 0), 45, tier=3, stage=1))
    log("P2", "P", _enc(datetime(2026, 10, 25, 10, 0), 30, stage=6, outcome="surviving"))
    _done(journal, ids["P"], date(2026, 8, 15), datetime(2026, 8, 16, 9, 0))
    journal.mark_follow_up_missed(journal.schedule_follow_up(ids["P"], date(2026, 8, 20)).id)
    journal.close_case(ids["P"], outcome="surviving", closed_on=date(2026, 10, 26))

    ids["Q"] = journal.open_case(_case("RES-Q", "resident", "icu", date(2026, 7, 1))).id
    log("Q1", "Q", _enc(datetime(2026, 7, 2, 10, 0), 20, stage=2))

    ids["T"] = journal.open_case(
        _case("Team T", "mixed", "emergency", date(2026, 9, 1), kind="group")
    ).id
    log("T1", "T", _enc(datetime(2026, 9, 2, 9, 0), 60, group_size=6))
    journal.close_case(ids["T"], closed_on=date(2026, 9, 10))
    return Built(ids, enc)


@pytest.fixture
def built(journal: Journal) -> Built:
    return build(journal)


@pytest.fixture
def engine(vault: Vault) -> Engine:
    return vault.engine


def dash(engine: Engine, period: Period = PERIOD, **filters: Any) -> stats.Dashboard:
    return stats.dashboard(engine, StatsFilter(period, **filters), today=TODAY)


# --- the whole dashboard, unfiltered ----------------------------------------------------


def test_kpis_of_the_current_period(built: Built, engine: Engine) -> None:
    kpis = dash(engine).kpis
    assert kpis == Kpis(
        # A1 A2 A3, B1 B2, C1 C2, D1, E1, P2 (trashed encounters, case G, D0/P1/T1/Q1 not)
        encounters=10,
        # individual cases A B D E P = 5, plus group attendees 8 + 5 = 13
        people_reached=18,
        # 30+45+60 + 20+30 + 60+90 + 40 + 15 + 30 = 420 minutes
        hours_of_support=7.0,
        # A B C D E P
        active_cases=6,
        # open now: A C D E F Q (B, P, T closed; G in the trash)
        open_cases=6,
        # referred in the period and contacted: A 15 h, B 32 h, C 33 h, E 34 h (F not yet)
        median_hours_to_first_contact=32.5,
        # A 4 Nov, 10 Nov, 16 Nov; B 12 Nov; C 4 Oct, 24 Nov, 26 Nov; E 20 Nov
        # (not A 28 Nov: after today; not B 15 Nov: cancelled; not G: trashed)
        follow_ups_due=8,
        # A 4 Nov (same day), A 10 Nov (grace day), C 4 Oct (grace day), E 20 Nov (early)
        follow_ups_on_time=4,
        follow_up_completion=0.5,
        # A (a Tier 3 encounter), B (referred to the EAP, a Tier 3 target, though declined);
        # not D (only its trashed encounter was Tier 3), not P (its Tier 3 was in August)
        escalated_cases=2,
        escalation_rate=2 / 6,
        # referred 1 Oct – 30 Nov: A C B E F (D and P before; G trashed)
        referrals=5,
        # E; not B, whose declining encounter is in the trash
        support_declined=1,
        decline_rate=0.2,
    )


def test_kpis_of_the_previous_period(built: Built, engine: Engine) -> None:
    assert dash(engine).previous == Kpis(
        encounters=3,  # D0 21 Sep, P1 10 Aug, T1 2 Sep (Q1 in July is outside)
        people_reached=8,  # individual D, P + 6 attendees of T
        hours_of_support=2.25,  # 30 + 45 + 60 = 135 minutes
        active_cases=3,  # D P T
        open_cases=6,  # open now: the same whatever the period
        median_hours_to_first_contact=33.0,  # P 20 h, D 33 h, T 33 h
        follow_ups_due=4,  # D 25 Sep, 28 Sep; P 15 Aug, 20 Aug
        follow_ups_on_time=2,  # D 25 Sep, P 15 Aug (grace day); D 28 Sep late, P missed
        follow_up_completion=0.5,
        escalated_cases=1,  # P (Tier 3 on 10 Aug)
        escalation_rate=1 / 3,
        referrals=3,  # P 10 Aug, T 1 Sep, D 20 Sep
        support_declined=0,
        decline_rate=0.0,
    )


def test_follow_up_weeks(built: Built, engine: Engine) -> None:
    assert dash(engine).follow_up_weeks == [
        # Sunday 4 Oct belongs to the week of Monday 28 Sep: done Monday, on the grace day
        WeeklyFollowUps(date(2026, 9, 28), due=1, on_time=1, late=0, missed=0),
        WeeklyFollowUps(date(2026, 11, 2), due=1, on_time=1, late=0, missed=0),  # A 4 Nov
        # A 10 Nov done on the grace day; B 12 Nov marked missed
        WeeklyFollowUps(date(2026, 11, 9), due=2, on_time=1, late=0, missed=1),
        # A 16 Nov done two days after; E 20 Nov done the day before
        WeeklyFollowUps(date(2026, 11, 16), due=2, on_time=1, late=1, missed=0),
        # C 24 Nov still planned: overdue; C 26 Nov planned for today: due, nothing yet
        WeeklyFollowUps(date(2026, 11, 23), due=2, on_time=0, late=0, missed=1),
    ]


def test_case_level_distributions(built: Built, engine: Engine) -> None:
    board = dash(engine)
    # D, E, P one encounter each; B, C two; A three
    assert board.contacts_per_case == [(1, 3), (2, 2), (3, 1)]
    # open cases A (latest stage 1), Q (2), D (4: its trashed stage 5 does not count);
    # C, E, F carry no stage; None sorts last
    assert board.open_case_stages == [(1, 1), (2, 1), (4, 1), (None, 3)]
    # stage-6 outcomes of active cases: B thriving, P surviving (vocabulary order)
    assert board.outcomes == [("surviving", 1), ("thriving", 1)]


def test_month_stage(built: Built, engine: Engine) -> None:
    board = dash(engine)
    assert board.month_stage == [
        MonthStageCount("2026-10", None, 1),  # C1
        MonthStageCount("2026-10", 1, 1),  # A1
        MonthStageCount("2026-10", 4, 1),  # D1
        MonthStageCount("2026-10", 6, 1),  # P2
        MonthStageCount("2026-11", None, 2),  # C2, E1
        MonthStageCount("2026-11", 1, 1),  # A3
        MonthStageCount("2026-11", 2, 2),  # A2, B1
        MonthStageCount("2026-11", 6, 1),  # B2
    ]
    # Unfiltered, it is the same figure as the fast index-only query.
    assert board.month_stage == stats.encounters_by_month_and_stage(engine, PERIOD)


def test_monthly(built: Built, engine: Engine) -> None:
    assert dash(engine).monthly == [
        # A1 D1 P2 individual, C1 group of 8; 30 + 40 + 30 + 60 = 160 minutes
        MonthlyEncounters("2026-10", individual=3, group=1, group_attendees=8, hours=160 / 60),
        # A2 A3 B1 B2 E1 individual, C2 group of 5; 45 + 60 + 20 + 30 + 15 + 90 = 260 minutes
        MonthlyEncounters("2026-11", individual=5, group=1, group_attendees=5, hours=260 / 60),
    ]


def test_breakdowns(built: Built, engine: Engine) -> None:
    board = dash(engine)
    assert board.by_role == [
        CodeCount("nurse", 5, 3),  # A 3, D 1, E 1
        CodeCount("physician", 3, 2),  # B 2, P 1
        CodeCount("mixed", 2, 1),  # C 2
    ]
    assert board.by_department == [
        CodeCount("icu", 6, 3),  # A 3, C 2, E 1
        CodeCount("emergency", 4, 3),  # B 2, D 1, P 1
    ]
    assert board.by_event_category == [
        CodeCount("unexpected_death", 5, 2),  # A 3, C 2
        CodeCount("medical_error", 2, 1),  # B
        CodeCount("complication", 1, 1),  # P; ties of one encounter sorted by code
        CodeCount("near_miss", 1, 1),  # E
        CodeCount("violence", 1, 1),  # D
    ]
    assert board.by_high_risk_event == [
        CodeCount("first_death", 3, 1),  # A
        CodeCount("unexpected_death", 3, 1),  # A
        CodeCount("child_involved", 2, 1),  # C
        CodeCount("preventable_harm", 2, 1),  # B
        CodeCount("failure_to_rescue", 1, 1),  # P (D and E flagged none)
    ]
    assert board.by_tier == [
        CodeCount("2", 8, 6),  # A1 A3 B1 B2 C1 D1 E1 P2
        CodeCount("1", 1, 1),  # C2
        CodeCount("3", 1, 1),  # A2
    ]
    assert board.referrals == [
        # one each (the trashed chaplain and psychiatry referrals do not count), by target
        ReferralCount("eap", accepted=0, declined=1, pending=0),
        ReferralCount("occupational_health", accepted=0, declined=0, pending=1),
        ReferralCount("psychologist", accepted=1, declined=0, pending=0),
    ]
    assert not board.empty


# --- filters ------------------------------------------------------------------------------


def test_department_filter(built: Built, engine: Engine) -> None:
    board = dash(engine, department="icu")  # cases A C E F G(trashed) Q
    assert board.kpis == Kpis(
        encounters=6,  # A 3, C 2, E 1
        people_reached=15,  # A, E + 8 + 5 attendees
        hours_of_support=5.0,  # 135 + 150 + 15 = 300 minutes
        active_cases=3,
        open_cases=5,  # A C E F Q
        median_hours_to_first_contact=33.0,  # A 15, C 33, E 34
        follow_ups_due=7,  # A 3, C 3, E 1
        follow_ups_on_time=4,  # A 2, C 1, E 1
        follow_up_completion=4 / 7,
        escalated_cases=1,  # A
        escalation_rate=1 / 3,
        referrals=4,  # A C E F
        support_declined=1,  # E
        decline_rate=0.25,
    )
    # nothing from ICU cases happened in August or September
    assert board.previous.encounters == 0
    assert board.previous.referrals == 0
    assert board.previous.escalation_rate is None
    assert board.by_department == [CodeCount("icu", 6, 3)]
    assert board.open_case_stages == [(1, 1), (2, 1), (None, 3)]  # A, Q; C E F
    assert board.referrals == [ReferralCount("psychologist", 1, 0, 0)]


def test_role_filter(built: Built, engine: Engine) -> None:
    board = dash(engine, role="physician")  # cases B and P
    assert board.kpis == Kpis(
        encounters=3,  # B1 B2 P2
        people_reached=2,
        hours_of_support=80 / 60,  # 20 + 30 + 30
        active_cases=2,
        open_cases=0,  # both closed
        median_hours_to_first_contact=32.0,  # only B was referred in the period
        follow_ups_due=1,  # B 12 Nov (missed)
        follow_ups_on_time=0,
        follow_up_completion=0.0,
        escalated_cases=1,  # B
        escalation_rate=0.5,
        referrals=1,  # B
        support_declined=0,
        decline_rate=0.0,
    )
    assert board.previous == Kpis(
        encounters=1,  # P1
        people_reached=1,
        hours_of_support=0.75,
        active_cases=1,
        open_cases=0,
        median_hours_to_first_contact=20.0,
        follow_ups_due=2,
        follow_ups_on_time=1,
        follow_up_completion=0.5,
        escalated_cases=1,
        escalation_rate=1.0,
        referrals=1,
        support_declined=0,
        decline_rate=0.0,
    )
    assert board.open_case_stages == []
    assert board.outcomes == [("surviving", 1), ("thriving", 1)]


def test_both_filters(built: Built, engine: Engine) -> None:
    board = dash(engine, department="emergency", role="nurse")  # case D only
    assert (board.kpis.encounters, board.kpis.active_cases, board.kpis.referrals) == (1, 1, 0)
    assert board.kpis.median_hours_to_first_contact is None
    assert board.previous.referrals == 1  # D, referred 20 Sep
    assert board.previous.median_hours_to_first_contact == 33.0
    assert board.contacts_per_case == [(1, 1)]


def test_declined_support_after_the_period_still_counts(built: Built, engine: Engine) -> None:
    # 1–15 Nov: B (8 Nov) and E (15 Nov) are referred in it; E declined support on 16 Nov,
    # after the period: "any time" counts it.
    kpis = dash(engine, Period(date(2026, 11, 1), date(2026, 11, 15))).kpis
    assert (kpis.referrals, kpis.support_declined) == (2, 1)
    assert kpis.median_hours_to_first_contact == 33.0  # B 32 h, E 34 h


# --- empty ----------------------------------------------------------------------------------


def test_a_period_without_activity_is_empty(built: Built, engine: Engine) -> None:
    board = dash(engine, Period(date(2025, 1, 1), date(2025, 1, 31)))
    assert board.empty
    for kpis in (board.kpis, board.previous):
        assert kpis == Kpis(
            encounters=0,
            people_reached=0,
            hours_of_support=0.0,
            active_cases=0,
            open_cases=6,  # not bound to the period
            median_hours_to_first_contact=None,
            follow_ups_due=0,
            follow_ups_on_time=0,
            follow_up_completion=None,
            escalated_cases=0,
            escalation_rate=None,
            referrals=0,
            support_declined=0,
            decline_rate=None,
        )
    assert board.follow_up_weeks == []
    assert board.contacts_per_case == []
    assert board.month_stage == []
    assert board.outcomes == []
    assert board.monthly == []
    assert board.by_role == board.by_department == board.by_event_category == []
    assert board.by_high_risk_event == board.by_tier == []
    assert board.referrals == []
    assert board.open_case_stages == [(1, 1), (2, 1), (4, 1), (None, 3)]


def test_an_empty_journal(engine: Engine) -> None:
    board = dash(engine)
    assert board.empty
    assert board.kpis == board.previous
    assert board.kpis.open_cases == 0
    assert board.kpis.hours_of_support == 0.0
    assert board.open_case_stages == []


def test_repeated_calls_leave_no_temp_tables_behind(built: Built, engine: Engine) -> None:
    first = dash(engine)
    assert dash(engine) == first
    with engine.connect() as conn:
        temp = conn.exec_driver_sql("SELECT name FROM sqlite_temp_master").all()
    assert temp == []


# --- trajectories -----------------------------------------------------------------------


def test_case_trajectory_is_oldest_first_with_triggers(built: Built, engine: Engine) -> None:
    assert stats.case_trajectory(engine, built.ids["A"]) == [
        TrajectoryPoint(datetime(2026, 10, 30, 15, 0), 1, False),
        TrajectoryPoint(datetime(2026, 11, 5, 10, 0), 2, False),
        TrajectoryPoint(datetime(2026, 11, 12, 10, 0), 1, True),  # went back: triggered
    ]
    # the trashed encounter (stage 5) is not part of D's history
    assert stats.case_trajectory(engine, built.ids["D"]) == [
        TrajectoryPoint(datetime(2026, 9, 21, 9, 0), 1, False),
        TrajectoryPoint(datetime(2026, 10, 10, 11, 0), 4, False),
    ]
    assert stats.case_trajectory(engine, built.ids["C"]) == [
        TrajectoryPoint(datetime(2026, 10, 4, 9, 0), None, False),
        TrajectoryPoint(datetime(2026, 11, 18, 9, 0), None, False),
    ]
    assert stats.case_trajectory(engine, built.ids["F"]) == []
    assert stats.case_trajectory(engine, built.ids["G"]) == []  # in the trash
    assert stats.case_trajectory(engine, "no-such-case") == []
