"""What callers hand the journal service, and the checks each input passes on the way in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from svjournal.core import validation as v
from svjournal.core import vocab
from svjournal.core.errors import ValidationError
from svjournal.core.i18n import tr
from svjournal.core.locale_format import format_date

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
        """The validated column values; raises every problem found (see `v.Problems`).

        Fields are checked in the order the case form shows them.
        """
        latest = today + FUTURE_SLACK
        p = v.Problems()
        values: dict[str, Any] = {
            "alias": p.check(v.text, "alias", self.alias, max_len=v.MAX_ALIAS),
            "kind": p.check(v.code, "kind", self.kind, vocab.CASE_KINDS),
            "role": p.check(v.code, "role", self.role, vocab.ROLES),
        }
        if self.department is None:
            p.add("department", tr("Required."))
        elif self.department not in departments:
            p.add(
                "department",
                tr("{department} is not one of the configured departments.").format(
                    department=repr(self.department)
                ),
            )
        values["department"] = self.department
        values["referral_source"] = p.check(
            v.code, "referral_source", self.referral_source, vocab.REFERRAL_SOURCES
        )
        values["referred_on"] = p.check(v.a_date, "referred_on", self.referred_on, latest=latest)
        values["event_category"] = p.check(
            v.code, "event_category", self.event_category, vocab.EVENT_CATEGORIES
        )
        values["event_date"] = p.check(
            v.a_date, "event_date", self.event_date, required=False, latest=latest
        )
        values["high_risk_events"] = p.check(
            v.codes, "high_risk_events", self.high_risk_events, vocab.HIGH_RISK_EVENTS
        )
        if (
            not p.failed("referred_on", "event_date")
            and values["event_date"]
            and values["event_date"] > values["referred_on"]
        ):
            p.add("referred_on", tr("Cannot be before the event."))
        p.raise_any()
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
        """The validated column values; raises every problem found, in the form's order."""
        p = v.Problems()
        occurred = p.check(v.a_datetime, "occurred_at", self.occurred_at, latest=now + FUTURE_SLACK)
        if occurred is not None:
            if event_date is not None and occurred.date() < event_date:
                p.add(
                    "occurred_at",
                    tr("Before the event ({date}).").format(date=format_date(event_date)),
                )
            elif occurred.date() < referred_on:
                p.add(
                    "occurred_at",
                    tr(
                        "Before the referral ({date}); change the case's referral date first."
                    ).format(date=format_date(referred_on)),
                )
        values: dict[str, Any] = {
            "occurred_at": occurred,
            "mode": p.check(v.code, "mode", self.mode, vocab.MODES),
            "duration_minutes": p.check(
                v.integer,
                "duration_minutes",
                self.duration_minutes,
                low=1,
                high=MAX_DURATION_MINUTES,
            ),
        }
        if case_kind == "group":
            values["group_size"] = p.check(
                v.integer, "group_size", self.group_size, low=2, high=MAX_GROUP_SIZE
            )
        elif self.group_size is not None:
            p.add(
                "group_size",
                tr("Only group encounters have a head count; this case is individual."),
            )
        else:
            values["group_size"] = None
        values.update(p.check(check_stage, self.stage, self.outcome) or {})
        values["stress_zone"] = p.check(
            v.code, "stress_zone", self.stress_zone, vocab.STRESS_ZONES, required=False
        )
        values["triggered"] = p.check(v.flag, "triggered", self.triggered)
        values["red_flags"] = p.check(v.codes, "red_flags", self.red_flags, vocab.RED_FLAGS)
        values["tier"] = p.check(v.code, "tier", self.tier, vocab.TIERS)
        values["interventions"] = p.check(
            v.codes, "interventions", self.interventions, vocab.INTERVENTIONS
        )
        values["referrals"] = p.check(check_referrals, self.referrals)
        values["support_declined"] = p.check(v.flag, "support_declined", self.support_declined)
        values["needs_met"] = p.check(
            v.code, "needs_met", self.needs_met, vocab.NEEDS_MET, required=False
        )
        values["note"] = p.check(
            v.text, "note", self.note, max_len=v.MAX_NOTE, required=False, multiline=True
        )
        p.raise_any()
        return values


def check_stage(stage: Any, outcome: Any) -> dict[str, Any]:
    stage = v.code("stage", stage, vocab.STAGES, required=False)
    if stage == vocab.MOVING_ON:
        if outcome is None:
            raise ValidationError(
                "outcome",
                tr("Stage 6 (moving on) needs an outcome: dropping out, surviving or thriving."),
            )
        return {"stage": stage, "outcome": v.code("outcome", outcome, vocab.OUTCOMES)}
    if outcome is not None:
        raise ValidationError("outcome", tr("Recorded only with stage 6 (moving on)."))
    return {"stage": stage, "outcome": None}


def check_referrals(referrals: Any) -> list[dict[str, str]]:
    if referrals is None:
        return []
    if isinstance(referrals, (str, bytes)) or not isinstance(referrals, Sequence):
        raise ValidationError("referrals", tr("Must be a list."))
    checked = []
    seen: set[str] = set()
    for referral in referrals:
        if not isinstance(referral, ReferralInput):
            raise ValidationError("referrals", tr("Each referral needs a target and a response."))
        item = referral.checked()
        if item["target"] in seen:
            target = vocab.REFERRAL_TARGETS.label(item["target"])
            raise ValidationError(
                "referrals", tr("{target} is listed twice.").format(target=target)
            )
        seen.add(item["target"])
        checked.append(item)
    return checked


@dataclass
class FollowUpInput:
    """A follow-up to plan: the day it is due and how contact is meant to happen."""

    due_on: date
    method: str = "phone"

    def checked(
        self, *, referred_on: date | None, not_before: date | None = None
    ) -> dict[str, Any]:
        """Column values; `not_before` is the day of the encounter that plans it, if any."""
        p = v.Problems()
        due = p.check(v.day, "due_on", self.due_on)
        method = p.check(v.code, "method", self.method, vocab.MODES)
        if due is not None:
            if referred_on is not None and due < referred_on:
                p.add("due_on", tr("Cannot be before the referral."))
            elif not_before is not None and due < not_before:
                p.add("due_on", tr("Cannot be before the encounter that plans it."))
        p.raise_any()
        return {"due_on": due, "method": method}


@dataclass
class ContactInput:
    phone: str | None = None
    email: str | None = None
    other: str | None = None

    def checked(self) -> dict[str, Any]:
        p = v.Problems()
        phone = p.check(v.text, "phone", self.phone, max_len=v.MAX_PHONE, required=False)
        email = p.check(v.text, "email", self.email, max_len=v.MAX_EMAIL, required=False)
        if email is not None and "@" not in email:
            p.add("email", tr("Does not look like an email address."))
        other = p.check(v.text, "other", self.other, max_len=v.MAX_SHORT_TEXT, required=False)
        p.raise_any()
        return {"phone": phone, "email": email, "other": other}
