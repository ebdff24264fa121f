"""Clearly fictional synthetic journals for demos, screenshots and benchmarks.

Deterministic for a given seed and anchor day. Aliases read "Demo …" so nobody mistakes the
data for real records; notes are generic and hold no identifiers. Rows are inserted in bulk
inside one transaction (the values are generated within the validated vocabularies).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from svjournal.core import summaries, vocab
from svjournal.core.errors import InvalidState
from svjournal.core.i18n import tr
from svjournal.core.models import Case, ContactDetail, Encounter, FollowUp

_NAMES = (
    "Heron Kestrel Otter Badger Finch Lynx Marten Plover Robin Swift Wren Alder Birch Cedar "
    "Hazel Linden Maple Rowan Willow Aspen Comet Harbor Meadow Ridge Tide Ember Quartz Juniper"
).split()

_NOTES = (
    "Demo note: talked through sleep and returning to shifts.",
    "Demo note: wants a quieter check-in next time.",
    "Demo note: discussed what to expect from the review process.",
    "Demo note: colleague support on the unit has helped.",
    "Demo note: prefers a message before calling.",
)

# (weight, code) tables: roughly the mix published programmes describe.
_ROLES = ((45, "nurse"), (18, "physician"), (10, "resident"), (6, "advanced_practice"),
          (5, "pharmacist"), (4, "respiratory_therapist"), (3, "midwife"), (4, "ems"),
          (3, "allied_health"), (2, "student"))  # fmt: skip
_EVENTS = ((22, "unexpected_death"), (18, "patient_harm"), (12, "medical_error"),
           (6, "near_miss"), (8, "complication"), (6, "escalation_of_care"), (9, "violence"),
           (4, "ethical_dilemma"), (3, "litigation"), (2, "staff_death"),
           (5, "non_event_stress"), (5, "undisclosed"))  # fmt: skip
_SOURCES = ((30, "self"), (30, "manager"), (20, "colleague"), (8, "risk_management"),
            (10, "proactive"), (2, "occupational_health"))  # fmt: skip
_MODES = ((40, "in_person"), (40, "phone"), (12, "video"), (8, "message"))
_TIER3_TARGETS = ("psychologist", "eap", "chaplain", "social_work", "own_counsellor")
_ZONE_BY_STAGE = {1: "injured", 2: "injured", 3: "reacting", 4: "reacting", 5: "reacting",
                  6: "ready"}  # fmt: skip


def _pick(rng: random.Random, table: tuple[tuple[int, str], ...]) -> str:
    return rng.choices([c for _, c in table], weights=[w for w, _ in table])[0]


@dataclass(frozen=True)
class DemoSummary:
    cases: int
    encounters: int
    follow_ups: int


def generate(
    engine: Engine,
    *,
    cases: int = 60,
    seed: int = 1,
    anchor: date | None = None,
    mean_encounters: float = 3.0,
    departments: list[str] | None = None,
    years: float = 2.0,
    exact_encounters: int | None = None,
) -> DemoSummary:
    """Add `cases` fictional cases spread over `years` before `anchor` (default: today).

    `exact_encounters` gives every case that many encounters (benchmarks want exact sizes);
    otherwise the count follows a skewed distribution around `mean_encounters`, 1 to 10.
    """
    rng = random.Random(seed)
    today = anchor or date.today()
    now = datetime.combine(today, time(17, 0))
    depts = departments or [t.code for t in vocab.DEFAULT_DEPARTMENTS if t.code != "other"]
    span_days = int(365 * years)
    case_rows: list[dict[str, Any]] = []
    encounter_rows: list[dict[str, Any]] = []
    follow_up_rows: list[dict[str, Any]] = []
    contact_rows: list[dict[str, Any]] = []
    stamp = now.replace(microsecond=0)

    for index in range(cases):
        case_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        group = rng.random() < 0.08
        referred = today - timedelta(days=rng.randint(1, span_days))
        event_day = referred - timedelta(days=min(rng.randint(0, 6), rng.randint(0, 6)))
        category = _pick(rng, _EVENTS)
        high_risk = rng.sample(
            [t.code for t in vocab.HIGH_RISK_EVENTS], k=rng.choice((0, 0, 1, 1, 2))
        )
        if category == "unexpected_death" and "unexpected_death" not in high_risk:
            high_risk.append("unexpected_death")
        name = f"Demo {_NAMES[index % len(_NAMES)]} {index // len(_NAMES) + 1:03d}"
        if group:
            name = f"Demo team {_NAMES[index % len(_NAMES)]} {index // len(_NAMES) + 1:03d}"
        declined = not group and rng.random() < 0.06
        escalates = not group and not declined and rng.random() < 0.11

        # A stage trajectory: mostly forward, sometimes a trigger sends it back.
        count = 1 if declined else max(1, min(10, round(rng.expovariate(1 / mean_encounters))))
        if group:
            count = min(count, 2)
        if exact_encounters is not None:
            count = exact_encounters
        stage = rng.choice((1, 1, 2, 2, 2, 3))
        first = datetime.combine(referred, time(8, 0)) + timedelta(
            hours=min(rng.expovariate(1 / 22), 24 * 6)
        )
        if exact_encounters:
            first = min(first, now - timedelta(hours=count))
        when = first
        last_stage: int | None = None
        outcome: str | None = None
        previous_id: str | None = None
        for n in range(count):
            if when > now:
                break
            stage, triggered, outcome = _next_stage(rng, n, stage)
            tier = (
                3
                if escalates and n == min(1, count - 1)
                else (1 if n == 0 and rng.random() < 0.1 else 2)
            )
            red_flags, referrals = _escalation(rng, tier)
            encounter_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            encounter_rows.append(
                _encounter_row(
                    rng,
                    encounter_id,
                    case_id,
                    when,
                    group=group,
                    tier=tier,
                    stage=stage,
                    outcome=outcome,
                    triggered=triggered,
                    red_flags=red_flags,
                    referrals=referrals,
                    declined=declined,
                    stamp=stamp,
                )
            )
            if previous_id is not None:
                # The follow-up that led to this encounter: kept, or kept late.
                due = (when - timedelta(days=rng.choice((0, 0, 0, 1, 2)))).date()
                follow_up_rows.append(
                    _follow_up(rng, case_id, due, "done", when, encounter_id, stamp)
                )
            previous_id = encounter_id
            last_stage = None if group else stage
            if stage == 6 and exact_encounters is None:
                break
            gap = timedelta(days=rng.choice((1, 2, 3, 5, 7, 7, 10, 14)), hours=rng.randint(-3, 3))
            if exact_encounters:
                # Exact sizes must fit before now: squeeze the gaps of recent referrals.
                gap = min(gap, (now - when) / (count - n))
            when = when + gap

        ended = last_stage == 6 or declined or (today - when.date()).days > 60
        if not ended:
            _open_ends(rng, case_id, index, when, today, stamp, follow_up_rows, contact_rows)
        closed_on = min(today, when.date() + timedelta(days=1)) if ended else None
        case_rows.append(
            _case_row(
                rng,
                case_id,
                name,
                group=group,
                departments=depts,
                category=category,
                event_day=event_day,
                high_risk=high_risk,
                referred=referred,
                closed_on=closed_on,
                last_stage=last_stage,
                outcome=outcome,
                stamp=stamp,
            )
        )

    _insert(engine, seed, case_rows, encounter_rows, follow_up_rows, contact_rows)
    return DemoSummary(len(case_rows), len(encounter_rows), len(follow_up_rows))


def _follow_up(
    rng: random.Random,
    case_id: str,
    due: date,
    status: str,
    done_at: datetime | None,
    encounter_id: str | None,
    stamp: datetime,
) -> dict[str, Any]:
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "case_id": case_id,
        "due_on": due,
        "method": rng.choice(("phone", "phone", "in_person", "message")),
        "status": status,
        "done_at": done_at,
        "encounter_id": encounter_id,
        "created_at": stamp,
        "updated_at": stamp,
        "deleted_at": None,
    }


def _encounter_row(
    rng: random.Random,
    encounter_id: str,
    case_id: str,
    when: datetime,
    *,
    group: bool,
    tier: int,
    stage: int,
    outcome: str | None,
    triggered: bool,
    red_flags: list[str],
    referrals: list[dict[str, str]],
    declined: bool,
    stamp: datetime,
) -> dict[str, Any]:
    """One fictional encounter; the random draws in the order generate has always made them."""
    return {
        "id": encounter_id,
        "case_id": case_id,
        "occurred_at": when.replace(second=0, microsecond=0),
        "mode": "in_person" if group else _pick(rng, _MODES),
        "duration_minutes": rng.choice((15, 20, 30, 30, 45, 60)) + (30 if group else 0),
        "group_size": rng.randint(3, 14) if group else None,
        "tier": tier,
        "stage": None if group else stage,
        "outcome": None if group else outcome,
        "stress_zone": "ill" if red_flags else _ZONE_BY_STAGE[stage],
        "triggered": triggered,
        "interventions": sorted(
            rng.sample([t.code for t in vocab.INTERVENTIONS], k=rng.randint(1, 4)),
            key=[t.code for t in vocab.INTERVENTIONS].index,
        ),
        "referrals": referrals,
        "red_flags": red_flags,
        "support_declined": declined,
        "needs_met": rng.choices(("yes", "partly", "no", None), (60, 20, 5, 15))[0],
        "note": rng.choice(_NOTES) if rng.random() < 0.2 else None,
        "created_at": stamp,
        "updated_at": stamp,
        "deleted_at": None,
    }


def _open_ends(
    rng: random.Random,
    case_id: str,
    index: int,
    when: datetime,
    today: date,
    stamp: datetime,
    follow_up_rows: list[dict[str, Any]],
    contact_rows: list[dict[str, Any]],
) -> None:
    """A case still open: its next follow-up (a missed one before it, sometimes) and, for some,
    fictional contact details."""
    due = when.date() + timedelta(days=rng.choice((2, 3, 7, 7, 14)))
    if due < today and rng.random() < 0.5:
        follow_up_rows.append(_follow_up(rng, case_id, due, "missed", None, None, stamp))
        due = today + timedelta(days=rng.randint(0, 10))
    follow_up_rows.append(_follow_up(rng, case_id, due, "planned", None, None, stamp))
    if rng.random() < 0.3:
        contact_rows.append({
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "case_id": case_id, "phone": f"555-01{index % 100:02d}",
            "email": None, "other": "Demo: prefers evenings",
            "created_at": stamp, "updated_at": stamp,
        })  # fmt: skip


def _insert(
    engine: Engine,
    seed: int,
    case_rows: list[dict[str, Any]],
    encounter_rows: list[dict[str, Any]],
    follow_up_rows: list[dict[str, Any]],
    contact_rows: list[dict[str, Any]],
) -> None:
    """Every row in one transaction, then the summaries; a seed used before is refused."""
    with engine.begin() as conn:
        if (
            case_rows
            and conn.execute(
                text("SELECT 1 FROM cases WHERE id = :id"), {"id": case_rows[0]["id"]}
            ).first()
        ):
            # The same seed makes the same record ids: say so instead of a constraint error.
            raise InvalidState(
                tr(
                    "This journal already holds the demo data of seed {seed}; use another seed."
                ).format(seed=seed)
            )
        for model, rows in (
            (Case, case_rows),
            (Encounter, encounter_rows),
            (FollowUp, follow_up_rows),
            (ContactDetail, contact_rows),
        ):
            table = SQLModel.metadata.tables[str(model.__tablename__)]
            for start in range(0, len(rows), 5000):
                conn.execute(table.insert(), rows[start : start + 5000])
        summaries.refresh(conn)


def _next_stage(rng: random.Random, n: int, stage: int) -> tuple[int, bool, str | None]:
    """The stage at the n-th encounter: mostly forward, sometimes a trigger sends it back;
    an outcome at stage 6. With whether it was triggered."""
    triggered = n > 0 and rng.random() < 0.12
    if triggered:
        stage = max(1, stage - rng.randint(1, 2))
    elif n > 0 and stage < 6 and rng.random() < 0.5:
        stage += 1
    outcome = None
    if stage == 6:
        outcome = rng.choices(("thriving", "surviving", "dropping_out"), weights=(55, 35, 10))[0]
    return stage, triggered, outcome


def _escalation(rng: random.Random, tier: int) -> tuple[list[str], list[dict[str, str]]]:
    """At Tier 3: sometimes a red flag, and a referral with its response."""
    red_flags = ["zone_worsening"] if tier == 3 and rng.random() < 0.3 else []
    referrals = []
    if tier == 3:
        referrals.append({
            "target": rng.choice(_TIER3_TARGETS),
            "response": rng.choices(("accepted", "declined", "pending"), (70, 20, 10))[0],
        })  # fmt: skip
    return red_flags, referrals


def _case_row(
    rng: random.Random,
    case_id: str,
    name: str,
    *,
    group: bool,
    departments: list[str],
    category: str,
    event_day: date,
    high_risk: list[str],
    referred: date,
    closed_on: date | None,
    last_stage: int | None,
    outcome: str | None,
    stamp: datetime,
) -> dict[str, Any]:
    """One fictional case, closed when `closed_on` is set."""
    return {
        "id": case_id,
        "alias": name,
        "kind": "group" if group else "individual",
        "role": "mixed" if group else _pick(rng, _ROLES),
        "department": rng.choice(departments),
        "event_category": category,
        "event_date": event_day,
        "high_risk_events": [c for c in vocab.HIGH_RISK_EVENTS.codes() if c in high_risk],
        "referral_source": _pick(rng, _SOURCES),
        "referred_on": referred,
        "status": "closed" if closed_on is not None else "open",
        "closed_on": closed_on,
        "current_stage": last_stage,
        "outcome": outcome if last_stage == 6 else None,
        "created_at": stamp,
        "updated_at": stamp,
        "deleted_at": None,
    }
