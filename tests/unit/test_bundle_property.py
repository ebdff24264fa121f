"""Issue 12 part 2: team figures over N supporters' bundles equal those of one journal holding
all their cases, at month grain.

Each example draws the cases of one to three supporters (referrals, encounters at minute
precision, follow-ups done, late, missed, cancelled or still planned, groups, closed cases).
Every case goes into its supporter's journal and into one combined journal; the supporters
export bundles of whole months, the coordinator imports them, and every dashboard figure of
whole-month periods over the merged data equals the combined journal's (the weekly
follow-up series is the one figure finer than a month, and is left out).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from svjournal.core import stats, team_keys
from svjournal.core.inputs import CaseInput, EncounterInput, ReferralInput
from svjournal.core.journal import Journal
from svjournal.core.stats_model import Period, StatsFilter
from svjournal.core.vault import Vault
from svjournal.reports.bundle import export_bundle, import_bundles
from svjournal.reports.team import dispose_team_engine, team_engine
from tests.unit.team_fixtures import join, make_team, new_vault

TODAY = date(2026, 12, 15)  # after every record: every follow-up is due by now
CLOCK = datetime(2026, 12, 15, 9, 0)
EXPORTED = datetime(2026, 12, 15, 8, 0)
FIRST_DAY = date(2026, 1, 1)
WHOLE = Period(date(2026, 1, 1), date(2026, 12, 31))
MONTHS = [Period(date(2026, m, 1), date(2026, m + 1, 1) - timedelta(days=1)) for m in range(1, 12)]
QUARTERS = [
    Period(date(2026, 3 * q + 1, 1), date(2026, 3 * q + 4, 1) - timedelta(days=1)) for q in range(3)
]


@dataclass
class FollowUpSpec:
    due: int  # days after the referral
    fate: str  # planned, done, missed, cancelled
    done_after: int  # days after the due day (done ones)


@dataclass
class EncounterSpec:
    day: int
    minute: int
    duration: int
    tier: int
    stage: int | None
    declined: bool
    referral: str | None


@dataclass
class CaseSpec:
    referred: int  # days after 1 January 2026
    kind: str
    role: str
    department: str
    event: str
    encounters: list[EncounterSpec] = field(default_factory=list)
    follow_ups: list[FollowUpSpec] = field(default_factory=list)
    closed_after: int | None = None


encounters = st.builds(
    EncounterSpec,
    day=st.integers(0, 70),
    minute=st.integers(0, 24 * 60 - 1),
    duration=st.integers(5, 120),
    tier=st.integers(1, 3),
    stage=st.one_of(st.none(), st.integers(1, 6)),
    declined=st.booleans(),
    referral=st.one_of(st.none(), st.sampled_from(["psychologist", "eap", "chaplain"])),
)
follow_ups = st.builds(
    FollowUpSpec,
    due=st.integers(0, 80),
    fate=st.sampled_from(["planned", "done", "missed", "cancelled"]),
    done_after=st.integers(-2, 5),
)
cases = st.builds(
    CaseSpec,
    referred=st.integers(0, 240),
    kind=st.sampled_from(["individual", "individual", "group"]),
    role=st.sampled_from(["nurse", "physician", "pharmacist"]),
    department=st.sampled_from(["icu", "emergency"]),
    event=st.sampled_from(["unexpected_death", "medical_error"]),
    encounters=st.lists(encounters, max_size=3),
    follow_ups=st.lists(follow_ups, max_size=2),
    closed_after=st.one_of(st.none(), st.integers(0, 90)),
)
teams = st.lists(st.lists(cases, max_size=4), min_size=1, max_size=3)


def write(journal: Journal, spec: CaseSpec) -> None:
    referred = FIRST_DAY + timedelta(days=spec.referred)
    case = journal.open_case(
        CaseInput(
            alias="Someone",
            role=spec.role,
            department=spec.department,
            event_category=spec.event,
            referral_source="manager",
            referred_on=referred,
            kind=spec.kind,
            high_risk_events=["first_death"] if spec.referred % 2 else [],
        )
    )
    for n, e in enumerate(spec.encounters):
        when = datetime.combine(referred + timedelta(days=e.day), datetime.min.time())
        journal.log_encounter(
            case.id,
            EncounterInput(
                occurred_at=when + timedelta(minutes=e.minute),
                mode="phone" if n % 2 else "in_person",
                duration_minutes=e.duration,
                tier=e.tier,
                stage=e.stage,
                outcome="surviving" if e.stage == 6 else None,
                group_size=4 + n if spec.kind == "group" else None,
                support_declined=e.declined,
                referrals=[ReferralInput(e.referral, "accepted")] if e.referral else [],
            ),
        )
    for f in spec.follow_ups:
        due = referred + timedelta(days=f.due)
        planned = journal.schedule_follow_up(case.id, due)
        if f.fate == "done":
            done = datetime.combine(due + timedelta(days=f.done_after), datetime.min.time())
            journal.complete_follow_up(planned.id, done_at=done + timedelta(hours=10))
        elif f.fate == "missed":
            journal.mark_follow_up_missed(planned.id)
        elif f.fate == "cancelled":
            journal.cancel_follow_up(planned.id)
    if spec.closed_after is not None:
        last = max([referred, *(referred + timedelta(days=e.day) for e in spec.encounters)])
        journal.close_case(case.id, outcome="thriving", closed_on=last + timedelta(days=1))


@dataclass
class World:
    coordinator: Vault
    supporters: list[Vault]
    fingerprints: list[str]
    combined: Vault
    folder: Path


DATA_TABLES = ("follow_ups", "encounters", "contact_details", "cases", "export_log")
TEAM_DATA = (
    "team_follow_ups",
    "team_encounters",
    "team_cases",
    "team_live_cases",
    "team_months",
    "team_bundles",
)


def empty(vault: Vault, tables: tuple[str, ...]) -> None:
    with vault.engine.begin() as conn:
        for table in tables:
            conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Vaults made once (creating one costs a key derivation) and emptied per example."""
    folder = tmp_path_factory.mktemp("team-property")
    coordinator = new_vault(folder / "coordinator")
    card = make_team(coordinator)
    supporters = [new_vault(folder / f"s{n}") for n in range(3)]
    fingerprints = [join(s, card) for s in supporters]
    combined = new_vault(folder / "combined")
    yield World(coordinator, supporters, fingerprints, combined, folder)
    for vault in (coordinator, *supporters, combined):
        vault.close()


def figures(dash: stats.Dashboard) -> dict[str, Any]:
    """Every figure at month grain or coarser (not the weekly follow-up series)."""
    return {
        "kpis": dash.kpis,
        "previous": dash.previous,
        "follow_up_months": dash.follow_up_months,
        "contacts_per_case": dash.contacts_per_case,
        "open_case_stages": dash.open_case_stages,
        "month_stage": dash.month_stage,
        "outcomes": dash.outcomes,
        "monthly": dash.monthly,
        "by_role": dash.by_role,
        "by_department": dash.by_department,
        "by_event_category": dash.by_event_category,
        "by_high_risk_event": dash.by_high_risk_event,
        "by_tier": dash.by_tier,
        "referrals": dash.referrals,
    }


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(team=teams, period=st.sampled_from([WHOLE, *QUARTERS, *MONTHS]))
def test_team_figures_equal_one_journal_holding_every_case(
    world: World, team: list[list[CaseSpec]], period: Period
) -> None:
    empty(world.combined, DATA_TABLES)
    empty(world.coordinator, TEAM_DATA)
    combined = Journal(world.combined.engine, clock=lambda: CLOCK)
    bundles, authors = [], []
    for n, specs in enumerate(team):
        vault = world.supporters[n]
        empty(vault, DATA_TABLES)
        journal = Journal(vault.engine, clock=lambda: CLOCK)
        for spec in specs:
            write(journal, spec)
            write(combined, spec)
        path = world.folder / f"s{n}.svjbundle"
        export_bundle(vault.engine, WHOLE, path, journal=journal, created=EXPORTED)
        bundles.append(path)
        authors.append(world.fingerprints[n])
    results = import_bundles(world.coordinator.engine, bundles, accept=authors, clock=lambda: CLOCK)
    assert all(r.ok for r in results), [r.summary() for r in results]

    merged = team_engine(world.coordinator.engine)
    try:
        filt = StatsFilter(period)
        assert figures(stats.dashboard(merged, filt, today=TODAY)) == figures(
            stats.dashboard(world.combined.engine, filt, today=TODAY)
        )
        by_role = StatsFilter(period, role="nurse")
        assert figures(stats.dashboard(merged, by_role, today=TODAY)) == figures(
            stats.dashboard(world.combined.engine, by_role, today=TODAY)
        )
    finally:
        dispose_team_engine(merged)


def test_the_fingerprints_of_the_world_are_distinct(world: World) -> None:
    assert len(set(world.fingerprints)) == 3
    assert all(team_keys.normalise_fingerprint(fp) == fp for fp in world.fingerprints)
