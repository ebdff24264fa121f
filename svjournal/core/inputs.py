"""What callers hand the journal service, and the checks each input passes on the way in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from svjournal.core import validation as v
from svjournal.core import vocab
from svjournal.core.errors import ValidationError

# An encounter may be logged up to a day ahead of this clock (time zones, a wrong clock).
FUTURE_SLACK = timedelta(days=1)
MAX_DURATION_MINUTES = 12 * 60
MAX_GROUP_SIZE = 500


@dataclass
class CaseInput:
    alias: str
    role: str
    department: str
    event_category: str
    referral_source: str
    referred_on: date
    kind: str = "individual"
    event_date: date | None = None
    high_risk_events: Sequence[str] = ()

    def checked(self, departments: Sequence[str], today: date) -> dict[str, Any]:
        """The validated column values; raises ValidationError naming the first bad field."""
        latest = today + FUTURE_SLACK
        values: dict[str, Any] = {
            "alias": v.text("alias", self.alias, max_len=v.MAX_ALIAS),
            "kind": v.code("kind", self.kind, vocab.CASE_KINDS),
            "role": v.code("role", self.role, vocab.ROLES),
            "event_category": v.code("event_category", self.event_category, vocab.EVENT_CATEGORIES),
            "referral_source": v.code(
                "referral_source", self.referral_source, vocab.REFERRAL_SOURCES
            ),
            "referred_on": v.a_date("referred_on", self.referred_on, latest=latest),
            "event_date": v.a_date("event_date", self.event_date, required=False, latest=latest),
            "high_risk_events": v.codes(
                "high_risk_events", self.high_risk_events, vocab.HIGH_RISK_EVENTS
            ),
        }
        if self.department not in departments:
            raise ValidationError(
                "department", f"{self.department!r} is not one of the configured departments."
            )
        values["department"] = self.department
        if values["event_date"] and values["event_date"] > values["referred_on"]:
            raise ValidationError("referred_on", "cannot be before the event.")
        return values


@dataclass
class ReferralInput:
    target: str
    response: str = "pending"

    def checked(self) -> dict[str, str]:
        return {
            "target": str(v.code("referrals", self.target, vocab.REFERRAL_TARGETS)),
            "response": str(v.code("referrals", self.response, vocab.REFERRAL_RESPONSES)),
        }


@dataclass
class EncounterInput:
    occurred_at: datetime
    mode: str
    duration_minutes: int
    tier: int = 2
    stage: int | None = None
    outcome: str | None = None
    group_size: int | None = None
    stress_zone: str | None = None
    triggered: bool = False
    interventions: Sequence[str] = ()
    referrals: Sequence[ReferralInput] = field(default_factory=tuple)
    red_flags: Sequence[str] = ()
    support_declined: bool = False
    needs_met: str | None = None
    note: str | None = None

    def checked(
        self, *, case_kind: str, event_date: date | None, referred_on: date, now: datetime
    ) -> dict[str, Any]:
        occurred = v.a_datetime("occurred_at", self.occurred_at, latest=now + FUTURE_SLACK)
        if event_date is not None and occurred.date() < event_date:
            raise ValidationError("occurred_at", f"is before the event ({event_date.isoformat()}).")
        if occurred.date() < referred_on:
            raise ValidationError(
                "occurred_at",
                f"is before the referral ({referred_on.isoformat()}); "
                "change the case's referral date first.",
            )
        values: dict[str, Any] = {
            "occurred_at": occurred,
            "mode": v.code("mode", self.mode, vocab.MODES),
            "duration_minutes": v.integer(
                "duration_minutes", self.duration_minutes, low=1, high=MAX_DURATION_MINUTES
            ),
            "tier": v.code("tier", self.tier, vocab.TIERS),
            "stress_zone": v.code(
                "stress_zone", self.stress_zone, vocab.STRESS_ZONES, required=False
            ),
            "triggered": v.flag("triggered", self.triggered),
            "interventions": v.codes("interventions", self.interventions, vocab.INTERVENTIONS),
            "red_flags": v.codes("red_flags", self.red_flags, vocab.RED_FLAGS),
            "support_declined": v.flag("support_declined", self.support_declined),
            "needs_met": v.code("needs_met", self.needs_met, vocab.NEEDS_MET, required=False),
            "note": v.text("note", self.note, max_len=v.MAX_NOTE, required=False, multiline=True),
        }
        values.update(check_stage(self.stage, self.outcome))
        if case_kind == "group":
            values["group_size"] = v.integer(
                "group_size", self.group_size, low=2, high=MAX_GROUP_SIZE, required=True
            )
        elif self.group_size is not None:
            raise ValidationError(
                "group_size", "only group encounters have a head count; this case is individual."
            )
        else:
            values["group_size"] = None
        values["referrals"] = check_referrals(self.referrals)
        return values


def check_stage(stage: Any, outcome: Any) -> dict[str, Any]:
    stage = v.code("stage", stage, vocab.STAGES, required=False)
    if stage == vocab.MOVING_ON:
        if outcome is None:
            raise ValidationError(
                "outcome",
                "stage 6 (moving on) needs an outcome: dropping out, surviving or thriving.",
            )
        return {"stage": stage, "outcome": v.code("outcome", outcome, vocab.OUTCOMES)}
    if outcome is not None:
        raise ValidationError("outcome", "is recorded only with stage 6 (moving on).")
    return {"stage": stage, "outcome": None}


def check_referrals(referrals: Any) -> list[dict[str, str]]:
    if referrals is None:
        return []
    if isinstance(referrals, (str, bytes)) or not isinstance(referrals, Sequence):
        raise ValidationError("referrals", "must be a list.")
    checked = []
    seen: set[str] = set()
    for referral in referrals:
        if not isinstance(referral, ReferralInput):
            raise ValidationError("referrals", "each referral needs a target and a response.")
        item = referral.checked()
        if item["target"] in seen:
            raise ValidationError("referrals", f"{item['target']!r} is listed twice.")
        seen.add(item["target"])
        checked.append(item)
    return checked


@dataclass
class ContactInput:
    phone: str | None = None
    email: str | None = None
    other: str | None = None

    def checked(self) -> dict[str, Any]:
        email = v.text("email", self.email, max_len=v.MAX_EMAIL, required=False)
        if email is not None and "@" not in email:
            raise ValidationError("email", "does not look like an email address.")
        return {
            "phone": v.text("phone", self.phone, max_len=v.MAX_PHONE, required=False),
            "email": email,
            "other": v.text("other", self.other, max_len=v.MAX_SHORT_TEXT, required=False),
        }
