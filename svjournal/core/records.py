"""Read-only copies of the journal's rows: what `Journal` returns and the front ends hold.

Each record has the field names of its table in `core/models.py` (a test keeps them equal),
so `case.alias` reads the same as before; but it is frozen and knows nothing of sessions or
the database, so a page cannot change a row by assigning to it or reach the engine through
it. Changes go through the journal's methods (and, from a front end, `svjournal/operations/`).
Nothing here imports SQLAlchemy or SQLModel.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, TypeVar

R = TypeVar("R")


def record_of(cls: type[R], row: object) -> R:
    """A record of type `cls` holding `row`'s values (a table row, or anything with them).

    JSON lists and mappings are copied, so the record shares nothing with a session's row.
    """
    values = {}
    for field in fields(cls):  # type: ignore[arg-type]
        value = getattr(row, field.name)
        if isinstance(value, list):
            value = [dict(item) if isinstance(item, dict) else item for item in value]
        elif isinstance(value, dict):
            value = dict(value)
        values[field.name] = value
    return cls(**values)


@dataclass(frozen=True)
class CaseRecord:
    """A case (a person, pseudonymous, or a team) with its summary columns."""

    id: str
    alias: str
    kind: str
    role: str
    department: str
    event_category: str
    event_date: date | None
    high_risk_events: list[str]
    referral_source: str
    referred_on: date
    status: str
    closed_on: date | None
    current_stage: int | None
    outcome: str | None
    first_contact_at: datetime | None
    last_contact_at: datetime | None
    next_follow_up_on: date | None
    last_red_flag_at: datetime | None
    tier3_referral: str | None
    deleted_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class EncounterRecord:
    """One contact with a case and its coded assessment."""

    id: str
    case_id: str
    occurred_at: datetime
    mode: str
    duration_minutes: int
    group_size: int | None
    tier: int
    stage: int | None
    outcome: str | None
    stress_zone: str | None
    triggered: bool
    interventions: list[str]
    referrals: list[dict[str, Any]]
    red_flags: list[str]
    support_declined: bool
    needs_met: str | None
    note: str | None
    deleted_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class FollowUpRecord:
    """A planned next contact and what became of it."""

    id: str
    case_id: str
    due_on: date
    method: str
    status: str
    done_at: datetime | None
    encounter_id: str | None
    deleted_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ContactRecord:
    """How to reach the person of a case."""

    id: str
    case_id: str
    phone: str | None
    email: str | None
    other: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ExportLogRecord:
    """A line of the export log: what kind, where to, when, how many records."""

    id: str
    at: datetime
    kind: str
    destination: str
    records: int | None
    detail: str


@dataclass(frozen=True)
class DraftRecord:
    """An unsaved form kept across a lock."""

    key: str
    kind: str
    payload: dict[str, Any]
    updated_at: datetime
