"""SQLModel tables of the journal; every coded column holds a code from `vocab`.

Primary keys are UUID strings so that records from several supporters can be merged later.
Multi-valued coded fields (high-risk events, interventions, red flags, referrals) are JSON
arrays: SQLite's json_each aggregates them in SQL, and a record stays one row when merged.
Times are naive local wall-clock times (an explicit DateTime column type, because recent
SQLModel versions default to UTC-aware columns): the journal lives on one workstation.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index
from sqlmodel import Field, SQLModel


def new_id() -> str:
    return str(uuid.uuid4())


def now() -> datetime:
    # Whole seconds: nobody needs microseconds in a journal and they make diffs noisy.
    return datetime.now().replace(microsecond=0)


class Timestamps(SQLModel):
    created_at: datetime = Field(default_factory=now, nullable=False, sa_type=DateTime)
    updated_at: datetime = Field(default_factory=now, nullable=False, sa_type=DateTime)


class Case(Timestamps, table=True):
    """A person (pseudonymous) or a team being supported after one event."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_status", "status"),
        Index("ix_cases_alias", "alias"),
        Index("ix_cases_referred_on", "referred_on"),
        Index("ix_cases_deleted", "deleted_at"),
    )

    id: str = Field(default_factory=new_id, primary_key=True)
    alias: str = Field(nullable=False)
    kind: str = Field(default="individual", nullable=False)
    role: str = Field(nullable=False)
    department: str = Field(nullable=False)
    event_category: str = Field(nullable=False)
    event_date: date | None = None
    high_risk_events: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    referral_source: str = Field(nullable=False)
    referred_on: date = Field(nullable=False)
    status: str = Field(default="open", nullable=False)
    closed_on: date | None = None
    # Summary columns maintained by `summaries.refresh` after every write that moves them,
    # so that the case list of thousands of cases is one table scan.
    current_stage: int | None = None
    outcome: str | None = None
    first_contact_at: datetime | None = Field(default=None, sa_type=DateTime)
    last_contact_at: datetime | None = Field(default=None, sa_type=DateTime)
    next_follow_up_on: date | None = None
    # When the latest live encounter recorded a red flag, and the best response among the
    # case's Tier 3 referrals ('accepted', 'pending' or 'declined'; None when none was made):
    # what Today's "Needs attention" and the flag markers read without opening encounters.
    last_red_flag_at: datetime | None = Field(default=None, sa_type=DateTime)
    tier3_referral: str | None = None
    deleted_at: datetime | None = Field(default=None, sa_type=DateTime)


class Encounter(Timestamps, table=True):
    """One contact with a case: when, how, how long, and the coded assessment."""

    __tablename__ = "encounters"
    __table_args__ = (
        Index("ix_encounters_case_time", "case_id", "occurred_at"),
        # Covering index for aggregates over a period: the dashboard's encounters (every
        # column stats_sql.CREATE_ENCOUNTERS reads) come from one range of it, no row read.
        Index(
            "ix_encounters_time",
            "occurred_at",
            "deleted_at",
            "case_id",
            "stage",
            "tier",
            "duration_minutes",
            "group_size",
            "support_declined",
            "referrals",
        ),
    )

    id: str = Field(default_factory=new_id, primary_key=True)
    case_id: str = Field(foreign_key="cases.id", nullable=False, ondelete="CASCADE")
    occurred_at: datetime = Field(nullable=False, sa_type=DateTime)
    mode: str = Field(nullable=False)
    duration_minutes: int = Field(nullable=False)
    # None for a one-to-one encounter; the number of attendees for a group debrief.
    group_size: int | None = None
    tier: int = Field(default=2, nullable=False)
    stage: int | None = None
    outcome: str | None = None
    stress_zone: str | None = None
    triggered: bool = Field(default=False, nullable=False)
    interventions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # [{"target": code, "response": code}, ...]
    referrals: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    red_flags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    support_declined: bool = Field(default=False, nullable=False)
    needs_met: str | None = None
    note: str | None = None
    deleted_at: datetime | None = Field(default=None, sa_type=DateTime)


class FollowUp(Timestamps, table=True):
    """A planned next contact; done, missed or cancelled once its day has come."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        Index("ix_follow_ups_status_due", "status", "due_on"),
        Index("ix_follow_ups_case", "case_id"),
        # Covering index for follow-up figures over a period (no table reads).
        Index("ix_follow_ups_due", "due_on", "status", "done_at", "deleted_at", "case_id"),
    )

    id: str = Field(default_factory=new_id, primary_key=True)
    case_id: str = Field(foreign_key="cases.id", nullable=False, ondelete="CASCADE")
    due_on: date = Field(nullable=False)
    method: str = Field(nullable=False)
    status: str = Field(default="planned", nullable=False)
    done_at: datetime | None = Field(default=None, sa_type=DateTime)
    encounter_id: str | None = Field(
        default=None, foreign_key="encounters.id", nullable=True, ondelete="SET NULL"
    )
    deleted_at: datetime | None = Field(default=None, sa_type=DateTime)


class ContactDetail(Timestamps, table=True):
    """How to reach a person, kept apart so it can be purged when the case closes."""

    __tablename__ = "contact_details"

    id: str = Field(default_factory=new_id, primary_key=True)
    case_id: str = Field(foreign_key="cases.id", nullable=False, unique=True, ondelete="CASCADE")
    phone: str | None = None
    email: str | None = None
    other: str | None = None


class Setting(SQLModel, table=True):
    """One user setting; `value` is JSON so settings keep their types."""

    __tablename__ = "settings"

    key: str = Field(primary_key=True)
    value: Any = Field(sa_column=Column(JSON, nullable=True))
    updated_at: datetime = Field(default_factory=now, nullable=False, sa_type=DateTime)


class ExportLogEntry(SQLModel, table=True):
    """A line per export: what kind, where to, when; never what it contained."""

    __tablename__ = "export_log"

    id: str = Field(default_factory=new_id, primary_key=True)
    at: datetime = Field(default_factory=now, nullable=False, sa_type=DateTime)
    kind: str = Field(nullable=False)
    destination: str = Field(nullable=False)
    # How many records the file holds (rows of a bundle or a table); None when not counted.
    records: int | None = None
    detail: str = Field(default="", nullable=False)


class Draft(SQLModel, table=True):
    """An unsaved form kept (encrypted, in the vault) across a lock."""

    __tablename__ = "drafts"

    key: str = Field(primary_key=True)
    kind: str = Field(nullable=False)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=now, nullable=False, sa_type=DateTime)


# --- team keys and team data (a coordinator's merged, de-identified bundles) -----------------
# Keys: see `core.team_keys`. Team rows come only from checked team bundles
# (`svjournal.reports.bundle`): months, durations, flags, counts and codes, never a day.
# Each supporter is known by the fingerprint of their signing key. Per (supporter, month),
# `team_months` keeps the export time of the bundle whose records are held: a newer bundle
# replaces the supporter's records of its months, an older one never does. Cases carry the
# export time of the bundle that last wrote them, for the same reason.


class TeamKey(SQLModel, table=True):
    """A key of this journal's team roles (hex text; the vault itself is encrypted)."""

    __tablename__ = "team_keys"

    purpose: str = Field(primary_key=True)  # own_team, signing, record_ids, joined_team
    name: str = Field(default="", nullable=False)  # the team's name, for team keys
    public_key: str = Field(nullable=False)
    private_key: str | None = None
    created_at: datetime = Field(default_factory=now, nullable=False, sa_type=DateTime)


class TeamSupporter(SQLModel, table=True):
    """A supporter whose bundles were accepted: their signing fingerprint and public key."""

    __tablename__ = "team_supporters"

    supporter_id: str = Field(primary_key=True)  # the fingerprint (or a retired-format ID)
    label: str = Field(default="", nullable=False)  # the coordinator's own name for them
    public_key: str | None = None  # hex; None for supporters of the retired passphrase format
    revoked_at: datetime | None = Field(default=None, sa_type=DateTime)
    first_imported_at: datetime = Field(default_factory=now, nullable=False, sa_type=DateTime)
    last_imported_at: datetime = Field(default_factory=now, nullable=False, sa_type=DateTime)


class TeamBundle(SQLModel, table=True):
    """One imported bundle: whose, which months, exported when (the import history)."""

    __tablename__ = "team_bundles"
    __table_args__ = (Index("ix_team_bundles_supporter", "supporter_id", "created"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    supporter_id: str = Field(
        foreign_key="team_supporters.supporter_id", nullable=False, ondelete="CASCADE"
    )
    first_month: str = Field(nullable=False)  # YYYY-MM
    last_month: str = Field(nullable=False)
    created: datetime = Field(nullable=False, sa_type=DateTime)  # when it was exported
    digest: str = Field(default="", nullable=False)  # SHA-256 of its payload: "again?"
    imported_at: datetime = Field(default_factory=now, nullable=False, sa_type=DateTime)
    cases: int = Field(default=0, nullable=False)
    encounters: int = Field(default=0, nullable=False)
    follow_ups: int = Field(default=0, nullable=False)
    retired_format: bool = Field(default=False, nullable=False)


class TeamMonth(SQLModel, table=True):
    """Which bundle's records of a supporter's month are held (by its export time)."""

    __tablename__ = "team_months"

    supporter_id: str = Field(
        foreign_key="team_supporters.supporter_id", primary_key=True, ondelete="CASCADE"
    )
    month: str = Field(primary_key=True)
    created: datetime = Field(nullable=False, sa_type=DateTime)


class TeamLiveCase(SQLModel, table=True):
    """The ids of a supporter's live cases per their newest bundle: absent ones were deleted."""

    __tablename__ = "team_live_cases"

    supporter_id: str = Field(
        foreign_key="team_supporters.supporter_id", primary_key=True, ondelete="CASCADE"
    )
    case_id: str = Field(primary_key=True)


class TeamCase(SQLModel, table=True):
    """A supporter's case, de-identified: codes, the month referred and durations."""

    __tablename__ = "team_cases"

    supporter_id: str = Field(
        foreign_key="team_supporters.supporter_id", primary_key=True, ondelete="CASCADE"
    )
    id: str = Field(primary_key=True)  # keyed per journal and team: not the journal's UUID
    bundle_created: datetime = Field(nullable=False, sa_type=DateTime)
    kind: str = Field(nullable=False)
    role: str = Field(nullable=False)
    department: str = Field(nullable=False)
    event_category: str = Field(nullable=False)
    high_risk_events: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    referral_source: str = Field(nullable=False)
    referred_month: str = Field(nullable=False)
    status: str = Field(nullable=False)
    current_stage: int | None = None
    outcome: str | None = None
    minutes_to_first_contact: int | None = None  # from the referral day's start
    last_contact_month: str | None = None


class TeamEncounter(SQLModel, table=True):
    """A supporter's encounter, de-identified: its month, codes and counts; no note."""

    __tablename__ = "team_encounters"
    __table_args__ = (Index("ix_team_encounters_supporter_month", "supporter_id", "month"),)

    row: int | None = Field(default=None, primary_key=True)
    supporter_id: str = Field(nullable=False)
    case_id: str = Field(nullable=False)  # a team_cases.id of the same supporter
    month: str = Field(nullable=False)
    mode: str = Field(nullable=False)
    duration_minutes: int = Field(nullable=False)
    group_size: int | None = None
    tier: int = Field(nullable=False)
    stage: int | None = None
    outcome: str | None = None
    triggered: bool = Field(default=False, nullable=False)
    # [{"target": code, "response": code}, ...], as on Encounter
    referrals: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    support_declined: bool = Field(default=False, nullable=False)


class TeamFollowUp(SQLModel, table=True):
    """A supporter's follow-up, de-identified: month due, method, status and lateness."""

    __tablename__ = "team_follow_ups"
    __table_args__ = (Index("ix_team_follow_ups_supporter_month", "supporter_id", "month"),)

    row: int | None = Field(default=None, primary_key=True)
    supporter_id: str = Field(nullable=False)
    case_id: str = Field(nullable=False)
    month: str = Field(nullable=False)  # month due
    method: str = Field(nullable=False)
    status: str = Field(nullable=False)  # planned, overdue (at export), done, missed, cancelled
    late_days: int | None = None  # done: days from the due day to the day done
    on_time: bool = Field(default=False, nullable=False)  # done by the day after the due day


CORE_TABLES = (Case, Encounter, FollowUp, ContactDetail, Setting, ExportLogEntry, Draft)
TEAM_TABLES = (
    TeamKey,
    TeamSupporter,
    TeamBundle,
    TeamMonth,
    TeamLiveCase,
    TeamCase,
    TeamEncounter,
    TeamFollowUp,
)
ALL_TABLES = CORE_TABLES + TEAM_TABLES
