"""The team bundle's payload, version 2: months, durations, flags, counts and codes.

Nothing in it is dated to the day. What travels, table by table:
- cases: a record ID (see below), kind, role, department code, event category, high-risk
  events, referral source, the month referred, status, current stage, outcome, the minutes
  from the start of the referral day to the first contact, and the month of the last one;
- encounters: the case's record ID, the month, mode, minutes, group size, tier, stage,
  outcome, triggered and declined flags, referral targets and responses (no ID of its own);
- follow-ups: the case's record ID, the month due, method, status ("overdue" for one still
  planned after its due day when the bundle was written), days late and an on-time flag.
Left out, as before: aliases, the event date, contact details, notes, stress zones, red
flags, interventions, needs met, every created/updated time and every day.

Record IDs are `team_keys.record_id`: keyed with a secret of the journal and the recipient
team's key, so they cannot be matched to the journal's UUIDs, its calendar UIDs, or its
bundles to another team; they stay the same across one journal's bundles to one team, which
is how a newer bundle updates a case and drops deleted ones (`live_case_ids`).

`created` is the export moment in whole seconds since 1970 (it orders a supporter's bundles
and lets the coordinator refuse one from the future); it dates the export, not any care.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

FORMAT_NAME = "svjournal-team-bundle"
BUNDLE_VERSION = 2
SOURCES = ("journal", "team")  # a supporter's journal, or a coordinator's merged team data

CASE_COLUMNS = (
    "id",
    "kind",
    "role",
    "department",
    "event_category",
    "high_risk_events",
    "referral_source",
    "referred_month",
    "status",
    "current_stage",
    "outcome",
    "minutes_to_first_contact",
    "last_contact_month",
)
ENCOUNTER_COLUMNS = (
    "case_id",
    "month",
    "mode",
    "duration_minutes",
    "group_size",
    "tier",
    "stage",
    "outcome",
    "triggered",
    "referrals",
    "support_declined",
)
FOLLOW_UP_COLUMNS = ("case_id", "month", "method", "status", "late_days", "on_time")
FOLLOW_UP_STATUSES = ("planned", "overdue", "done", "missed", "cancelled")

PAYLOAD_KEYS = frozenset(
    {
        "format",
        "bundle_version",
        "source",
        "months",
        "created",
        "case_columns",
        "cases",
        "encounter_columns",
        "encounters",
        "follow_up_columns",
        "follow_ups",
        "live_case_ids",
    }
)


class RecordCount:
    """What both bundle formats' `BundleData` share: three tables of rows, counted."""

    cases: list[tuple[Any, ...]]
    encounters: list[tuple[Any, ...]]
    follow_ups: list[tuple[Any, ...]]

    @property
    def records(self) -> int:
        return len(self.cases) + len(self.encounters) + len(self.follow_ups)


@dataclass(frozen=True)
class BundleData(RecordCount):
    """A checked bundle; rows are tuples in the column order above, JSON lists as text."""

    source: str
    first_month: str
    last_month: str
    created: datetime
    cases: list[tuple[Any, ...]]
    encounters: list[tuple[Any, ...]]
    follow_ups: list[tuple[Any, ...]]
    live_case_ids: list[str]


def encode(data: BundleData) -> bytes:
    """The canonical payload bytes (what the author signs)."""
    high_risk = CASE_COLUMNS.index("high_risk_events")

    def case(values: tuple[Any, ...]) -> list[Any]:
        out = list(values)
        out[high_risk] = json.loads(out[high_risk])
        return out

    def follow_up(values: tuple[Any, ...]) -> list[Any]:
        out = list(values)
        out[-1] = bool(out[-1])
        return out

    payload = {
        "format": FORMAT_NAME,
        "bundle_version": BUNDLE_VERSION,
        "source": data.source,
        "months": [data.first_month, data.last_month],
        "created": int(data.created.timestamp()),
        "case_columns": list(CASE_COLUMNS),
        "cases": [case(c) for c in data.cases],
        "encounter_columns": list(ENCOUNTER_COLUMNS),
        "encounters": [encounter_payload(e, ENCOUNTER_COLUMNS) for e in data.encounters],
        "follow_up_columns": list(FOLLOW_UP_COLUMNS),
        "follow_ups": [follow_up(f) for f in data.follow_ups],
        "live_case_ids": data.live_case_ids,
    }
    return json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def encounter_payload(values: tuple[Any, ...], columns: tuple[str, ...]) -> list[Any]:
    """An encounter row as a payload holds it (both formats): the referrals as
    [target, response] pairs, the two flags as true or false."""
    out = list(values)
    referrals = columns.index("referrals")
    out[referrals] = [[r["target"], r["response"]] for r in json.loads(out[referrals])]
    for name in ("triggered", "support_declined"):
        i = columns.index(name)
        out[i] = bool(out[i])
    return out
