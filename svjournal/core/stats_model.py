"""The shapes of programme figures: what `stats` computes and `charts` draws (no logic here).

Definitions follow shared DOMAIN.md, "What programmes report". A case is *active* in a
period when it has at least one live encounter in it; filters (department, role) apply to
the case. Rates are fractions in 0..1, or None when their denominator is zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from svjournal.core.periods import Period as Period  # re-exported: periods owns it


@dataclass(frozen=True)
class StatsFilter:
    period: Period
    department: str | None = None
    role: str | None = None
    departments: tuple[str, ...] = ()  # any of these (reports); () = all


@dataclass(frozen=True)
class Kpis:
    encounters: int
    people_reached: int  # distinct individual cases with an encounter + group attendees
    hours_of_support: float
    active_cases: int
    open_cases: int  # open now (status), within the filters; not period-bound
    median_hours_to_first_contact: float | None  # cases referred in the period
    follow_ups_due: int
    follow_ups_on_time: int
    follow_up_completion: float | None  # on time (due day + 1 grace day) / due
    escalated_cases: int  # active cases with a Tier 3 encounter or a Tier 3 referral
    escalation_rate: float | None  # escalated_cases / active_cases
    referrals: int  # cases referred in the period
    support_declined: int  # of those, cases where support was declined
    decline_rate: float | None


@dataclass(frozen=True)
class WeeklyFollowUps:
    week_start: date  # Monday
    due: int
    on_time: int
    late: int
    missed: int  # marked missed, or still planned after its due day (overdue)


@dataclass(frozen=True)
class MonthlyFollowUps:
    """Follow-ups due in a month; due = on_time + late + missed + those due today, not done."""

    month: str  # "YYYY-MM"
    due: int
    on_time: int
    late: int
    missed: int


@dataclass(frozen=True)
class MonthStageCount:
    month: str  # "YYYY-MM"
    stage: int | None
    encounters: int


@dataclass(frozen=True)
class MonthlyEncounters:
    month: str  # "YYYY-MM"
    individual: int
    group: int
    group_attendees: int
    hours: float


@dataclass(frozen=True)
class CodeCount:
    """Encounters and distinct cases for one code of one dimension (role, tier, …)."""

    code: str
    encounters: int
    cases: int


@dataclass(frozen=True)
class ReferralCount:
    target: str
    accepted: int
    declined: int
    pending: int

    @property
    def total(self) -> int:
        return self.accepted + self.declined + self.pending


@dataclass(frozen=True)
class TrajectoryPoint:
    occurred_at: datetime
    stage: int | None
    triggered: bool


@dataclass(frozen=True)
class People:
    """How many distinct cases stand behind each figure of the period.

    The report's small-count rule counts people, not encounters: nine encounters of one
    person in April would tell April to anyone who knows that person. Figures by time are
    keyed by month ('YYYY-MM'), calendar quarter ('YYYY-Qn') and year ('YYYY') alike (a
    quarter's people are not the sum of its months'). An individual and a group encounter
    count their case once each; a group's attendees count as its one case.
    """

    population: int = 0  # distinct cases behind any figure of the period
    previous_population: int = 0
    # Cases referred in the period with a first contact: the median wait is theirs.
    waits: int = 0
    previous_waits: int = 0
    # time key → (cases with individual encounters, with group encounters, with any)
    encounters: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    encounter_kinds: tuple[int, int, int] = (0, 0, 0)  # the same over the whole period
    stages: dict[tuple[str, int | None], int] = field(default_factory=dict)  # (time, stage)
    stage_totals: dict[int | None, int] = field(default_factory=dict)  # stage over the period
    # time key → cases with follow-ups (due, on time, late, missed, not yet done)
    follow_ups: dict[str, tuple[int, int, int, int, int]] = field(default_factory=dict)
    follow_up_totals: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    previous_follow_ups: tuple[int, int] = (0, 0)  # previous period: (due, on time)
    # referral target → cases with an onward referral (accepted, declined, pending, any)
    referrals: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    referral_totals: tuple[int, int, int, int] = (0, 0, 0, 0)


@dataclass(frozen=True)
class Dashboard:
    filter: StatsFilter
    kpis: Kpis
    previous: Kpis  # the same figures for the period just before
    follow_up_weeks: list[WeeklyFollowUps] = field(default_factory=list)
    follow_up_months: list[MonthlyFollowUps] = field(default_factory=list)
    # "month" when `follow_up_weeks` holds months instead (one per month, keyed by its first
    # day): data known only by month (team bundles) has no week to tell.
    follow_up_grain: str = "week"
    contacts_per_case: list[tuple[int, int]] = field(default_factory=list)  # (contacts, cases)
    open_case_stages: list[tuple[int | None, int]] = field(default_factory=list)
    month_stage: list[MonthStageCount] = field(default_factory=list)
    outcomes: list[tuple[str, int]] = field(default_factory=list)  # stage-6 outcome, cases
    monthly: list[MonthlyEncounters] = field(default_factory=list)
    by_role: list[CodeCount] = field(default_factory=list)
    by_department: list[CodeCount] = field(default_factory=list)
    by_event_category: list[CodeCount] = field(default_factory=list)
    by_high_risk_event: list[CodeCount] = field(default_factory=list)
    by_tier: list[CodeCount] = field(default_factory=list)  # code = "1", "2", "3"
    referrals: list[ReferralCount] = field(default_factory=list)
    people: People | None = None  # None: a hand-built dashboard (the report then counts values)

    @property
    def empty(self) -> bool:
        return self.kpis.encounters == 0 and self.kpis.referrals == 0
