"""Small journals for the report's disclosure tests: cases drawn from small attribute
domains, inserted straight into a plain in-memory SQLite database (fast enough to build
hundreds), and what a reader of the resulting report can see.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlmodel import SQLModel

from svjournal.core import schema, summaries
from svjournal.core.stats_model import Period
from svjournal.reports.model import Cell, ProgrammeReport

STAMP = datetime(2026, 1, 1)
TODAY = date(2026, 6, 30)
# Two quarters: months and quarters both have more than one row.
PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))

# Small attribute domains: every attribute the report breaks down by.
# January, February (Q1) and April (Q2) of the period; 11 is November 2025, in the period
# the report compares with.
MONTHS = (1, 2, 4, 11)
ROLES = ("nurse", "physician")
DEPARTMENTS = ("icu", "emergency")
EVENTS = ("medical_error", "unexpected_death")
HIGH_RISK = ((), ("child_involved",))
TIERS = (2, 3)
STAGES = (2, 6)
OUTCOMES = ("surviving", "thriving")


@dataclass(frozen=True)
class Person:
    """One case: its attributes, and its encounters (all in one month)."""

    month: int = 1
    role: str = "nurse"
    department: str = "icu"
    event: str = "medical_error"
    high_risk: tuple[str, ...] = ()
    tier: int = 2
    stage: int = 2
    outcome: str = "surviving"  # recorded when the stage is 6
    encounters: int = 1
    group: bool = False  # a group debrief (its encounters have 6 attendees)
    follow_up: str | None = None  # None, "done" (on time), "missed"
    referral: str | None = None  # an onward referral's response: None, "accepted", "declined"
    status: str = "open"

    def with_attributes(self, **changes: Any) -> Person:
        return dataclasses.replace(self, **changes)


# The attributes a journal may change for a small group (the list).
ATTRIBUTES: dict[str, tuple[Any, ...]] = {
    "month": MONTHS,
    "role": ROLES,
    "department": DEPARTMENTS,
    "event": EVENTS,
    "high_risk": HIGH_RISK,
    "tier": TIERS,
    "stage": STAGES,
    "outcome": OUTCOMES,
}


@dataclass
class Journal:
    people: list[Person] = field(default_factory=list)


def plain_engine() -> Engine:
    engine = create_engine("sqlite://")
    schema.upgrade(engine)
    return engine


def _table(name: str) -> Any:
    return SQLModel.metadata.tables[name]


def load(engine: Engine, people: list[Person]) -> None:
    """Replace the database's journal with `people`."""
    cases, encounters, follow_ups = [], [], []
    for n, p in enumerate(people):
        case_id = f"case-{n}"
        day = date(2025 if p.month > 6 else 2026, p.month, 10)
        cases.append(
            {
                "id": case_id,
                "alias": case_id,
                "kind": "group" if p.group else "individual",
                "role": p.role,
                "department": p.department,
                "event_category": p.event,
                "high_risk_events": list(p.high_risk),
                "referral_source": "self",
                "referred_on": day,
                "status": p.status,
                "created_at": STAMP,
                "updated_at": STAMP,
                "deleted_at": None,
            }
        )
        for k in range(p.encounters):
            referrals = []
            if p.referral is not None and k == 0:
                referrals = [{"target": "eap", "response": p.referral}]
            encounters.append(
                {
                    "id": f"{case_id}-e{k}",
                    "case_id": case_id,
                    # The same wait for everyone: the median is no attribute here.
                    "occurred_at": datetime.combine(day + timedelta(days=k), time(12)),
                    "mode": "phone",
                    "duration_minutes": 30,
                    "group_size": 6 if p.group else None,
                    "tier": p.tier,
                    "stage": p.stage,
                    "outcome": p.outcome if p.stage == 6 else None,
                    "triggered": False,
                    "interventions": [],
                    "referrals": referrals,
                    "red_flags": [],
                    "support_declined": False,
                    "created_at": STAMP + timedelta(seconds=k),
                    "updated_at": STAMP,
                    "deleted_at": None,
                }
            )
        if p.follow_up is not None:
            due = day + timedelta(days=3)
            follow_ups.append(
                {
                    "id": f"{case_id}-f",
                    "case_id": case_id,
                    "due_on": due,
                    "method": "phone",
                    "status": p.follow_up,
                    "done_at": datetime.combine(due, time(9)) if p.follow_up == "done" else None,
                    "created_at": STAMP,
                    "updated_at": STAMP,
                    "deleted_at": None,
                }
            )
    with engine.begin() as conn:
        for name in ("follow_ups", "encounters", "cases"):
            conn.execute(_table(name).delete())
        for name, rows in (
            ("cases", cases),
            ("encounters", encounters),
            ("follow_ups", follow_ups),
        ):
            if rows:
                conn.execute(_table(name).insert(), rows)
        summaries.refresh(conn)


def _cell(cell: Cell) -> tuple[str, str]:
    return cell.state.value, cell.text


def visible(report: ProgrammeReport) -> tuple[Any, ...]:
    """Everything a reader of `report` sees, in every format (the writers render exactly
    these): the key figures, each table's shape and cells, the notices and definitions.
    The generation time is left out (it is no attribute of anyone)."""
    tables = tuple(
        (
            t.key,
            t.title,
            t.dimension,
            t.columns,
            t.note,
            tuple((r.label, r.code, tuple(map(_cell, r.cells))) for r in t.rows),
            None if t.total is None else (t.total.label, tuple(map(_cell, t.total.cells))),
        )
        for t in report.tables
    )
    kpis = tuple((k.key, k.label, _cell(k.current), _cell(k.previous)) for k in report.kpis)
    return (kpis, tables, report.notices, report.definitions, report.departments)


def iter_cells(report: ProgrammeReport) -> Iterator[tuple[str, str, Cell]]:
    """(table key, row code, cell) for every table cell and key figure."""
    for kpi in report.kpis:
        yield "kpi", kpi.key, kpi.current
        yield "kpi", kpi.key, kpi.previous
    for table in report.tables:
        for row in (*table.rows, *([table.total] if table.total else [])):
            for cell in row.cells:
                yield table.key, row.code, cell
