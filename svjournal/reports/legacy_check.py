"""Checking a team bundle's payload whole, before anything is written: `decode`.

It returns rows in the database's text layout (ISO days, JSON text), so an import is a bulk
insert of checked values. Types, codes (against `vocab`), days, UUIDs, references between
the tables and the public header are all checked; the first bad value is named. The checks
it shares with the current format's `bundle_check` are in `payload_checks`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from svjournal.core.i18n import N_
from svjournal.core.inputs import MAX_DURATION_MINUTES
from svjournal.core.validation import EARLIEST_DATE, LATEST_YEAR
from svjournal.reports.legacy_format import (
    BUNDLE_VERSION,
    CASE_COLUMNS,
    ENCOUNTER_COLUMNS,
    FOLLOW_UP_COLUMNS,
    FORMAT_NAME,
    PAYLOAD_KEYS,
    SUPPORTER_ID,
    BundleData,
    BundleInvalid,
    metadata,
)
from svjournal.reports.payload_checks import (
    CASE_STATUSES,
    EVENTS,
    FOLLOW_UP_STATUSES,
    KINDS,
    MODES,
    OUTCOMES,
    ROLES,
    SOURCES,
    STAGES,
    TIERS,
    Table,
    check_columns,
    code_list,
    department,
    flag,
    group_sizes,
    live_ids,
    nesting_refused,
    open_payload,
    referral_list,
    stages_and_outcomes,
    whole,
)

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_UUIDS = re.compile(r"(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\n)*")


def _valid_day(value: Any) -> bool:
    if type(value) is not str or len(value) != 10:
        return False
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return False
    # fromisoformat also takes week dates ("2026-W01-1"); only YYYY-MM-DD is ours.
    return parsed.isoformat() == value and parsed >= EARLIEST_DATE and parsed.year <= LATEST_YEAR


def _valid_uuid(value: Any) -> bool:
    return type(value) is str and _UUID.match(value) is not None


def _ids(t: Table) -> tuple[str, ...]:
    ids = t.columns["id"]
    # One regular-expression pass over all ids; row by row only to name a bad one.
    if ids and not (set(map(type, ids)) == {str} and _UUIDS.fullmatch("\n".join(ids) + "\n")):
        t.check("id", _valid_uuid, N_("not a record id"))
    return t.no_repeats("id")


_NO_DATE = N_("not a date")
TABLE_COLUMNS = {
    "case_columns": CASE_COLUMNS,
    "encounter_columns": ENCOUNTER_COLUMNS,
    "follow_up_columns": FOLLOW_UP_COLUMNS,
}


def decode(payload: bytes, header_metadata: dict[str, Any]) -> BundleData:
    """The checked bundle, or BundleInvalid / FileTooNew naming the first bad value."""
    with nesting_refused():
        return _decode(payload, header_metadata)


def _decode(payload: bytes, header_metadata: dict[str, Any]) -> BundleData:
    body = open_payload(payload, FORMAT_NAME, BUNDLE_VERSION, PAYLOAD_KEYS)
    supporter_id = body["supporter_id"]
    if not isinstance(supporter_id, str) or not SUPPORTER_ID.match(supporter_id):
        raise BundleInvalid("supporter_id", N_("not a supporter ID"))
    period = body["period"]
    if type(period) is not list or len(period) != 2 or not all(map(_valid_day, period)):
        raise BundleInvalid("period", N_("not a pair of dates"))
    first, last = period
    if last < first:
        raise BundleInvalid("period", N_("ends before it starts"))
    created = _created(body["created"])
    check_columns(body, TABLE_COLUMNS)

    cases, group_cases = _cases(body["cases"])
    case_ids = frozenset(case[0] for case in cases)
    encounters = _encounters(body["encounters"], case_ids, group_cases, first, last)
    follow_ups = _follow_ups(body["follow_ups"], case_ids, first, last)
    live = live_ids(body["live_case_ids"], case_ids, _valid_uuid)
    data = BundleData(
        supporter_id,
        date.fromisoformat(first),
        date.fromisoformat(last),
        created,
        cases,
        encounters,
        follow_ups,
        live,
    )
    if metadata(data, header_metadata.get("sealed_bytes", -1)) != header_metadata:
        raise BundleInvalid("header", N_("does not match the contents"))
    return data


def _created(value: Any) -> datetime:
    problem = BundleInvalid("created", N_("not a date and time in range"))
    if type(value) is not str or len(value) != 19:
        raise problem
    try:
        created = datetime.fromisoformat(value)
    except ValueError:
        raise problem from None
    if created.isoformat(timespec="seconds") != value or not _valid_day(value[:10]):
        raise problem
    return created


def _cases(value: Any) -> tuple[list[tuple[Any, ...]], frozenset[str]]:
    """Database-ready case rows and the ids of the group cases."""
    t = Table("cases", N_("case {n}"), value, CASE_COLUMNS)
    ids = _ids(t)
    kinds = t.members("kind", KINDS)
    columns = [
        ids,
        kinds,
        t.members("role", ROLES),
        t.check("department", department, N_("not a department code")),
        t.members("event_category", EVENTS),
        t.per_row("high_risk_events", code_list, N_("not a list of distinct high-risk events")),
        t.members("referral_source", SOURCES),
        t.check("referred_on", _valid_day, _NO_DATE),
        t.members("status", CASE_STATUSES),
        t.members("current_stage", STAGES, optional=True),
        t.members("outcome", OUTCOMES, optional=True),
    ]
    for name in ("first_contact_on", "last_contact_on", "next_follow_up_on"):
        columns.append(t.check(name, lambda v: v is None or _valid_day(v), _NO_DATE))
    groups = frozenset(i for i, kind in zip(ids, kinds, strict=True) if kind == "group")
    return list(zip(*columns, strict=True)), groups


def _encounters(
    value: Any, case_ids: frozenset[str], groups: frozenset[str], first: str, last: str
) -> list[tuple[Any, ...]]:
    t = Table("encounters", N_("encounter {n}"), value, ENCOUNTER_COLUMNS)
    ids = _ids(t)
    cases = t.members("case_id", case_ids, N_("names no case of the bundle"))
    sizes = group_sizes(t, cases, groups)
    stages, outcomes = stages_and_outcomes(t)
    columns = [
        ids,
        cases,
        t.check(
            "day", lambda v: _valid_day(v) and first <= v <= last, N_("not a day of the period")
        ),
        t.members("mode", MODES),
        t.check("duration_minutes", whole(1, MAX_DURATION_MINUTES), N_("not a duration")),
        sizes,
        t.members("tier", TIERS),
        stages,
        outcomes,
        t.check("triggered", flag, N_("not true or false")),
        t.per_row("referrals", referral_list, N_("not a list of distinct referrals")),
        t.check("support_declined", flag, N_("not true or false")),
    ]
    return list(zip(*columns, strict=True))


def _follow_ups(
    value: Any, case_ids: frozenset[str], first: str, last: str
) -> list[tuple[Any, ...]]:
    t = Table("follow_ups", N_("follow-up {n}"), value, FOLLOW_UP_COLUMNS)
    columns = [
        _ids(t),
        t.members("case_id", case_ids, N_("names no case of the bundle")),
        t.check(
            "due_on", lambda v: _valid_day(v) and first <= v <= last, N_("not a day of the period")
        ),
        t.members("method", MODES),
        t.members("status", FOLLOW_UP_STATUSES),
        t.check("done_on", lambda v: v is None or _valid_day(v), _NO_DATE),
    ]
    return list(zip(*columns, strict=True))
