"""Checking a version 2 bundle's payload whole, before anything is written: `decode`.

Same approach as the retired format's checker (`legacy_check`; what both use is in
`payload_checks`): types, codes against `vocab`, months, record IDs, references between the
tables and the consistency of the follow-up fields are all checked; the first bad value is
named.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from svjournal.core.i18n import N_
from svjournal.core.inputs import MAX_DURATION_MINUTES
from svjournal.core.validation import EARLIEST_DATE, LATEST_YEAR
from svjournal.reports.bundle_format import (
    BUNDLE_VERSION,
    CASE_COLUMNS,
    ENCOUNTER_COLUMNS,
    FOLLOW_UP_COLUMNS,
    FOLLOW_UP_STATUSES,
    FORMAT_NAME,
    PAYLOAD_KEYS,
    SOURCES,
    BundleData,
)
from svjournal.reports.legacy_format import BundleInvalid
from svjournal.reports.payload_checks import (
    CASE_STATUSES,
    EVENTS,
    KINDS,
    MODES,
    OUTCOMES,
    ROLES,
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
from svjournal.reports.payload_checks import SOURCES as REFERRAL_SOURCES

_RECORD_ID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{24}$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_YEARS = LATEST_YEAR - EARLIEST_DATE.year + 1
MAX_MINUTES = _YEARS * 366 * 24 * 60
MAX_DAYS = _YEARS * 366
_FOLLOW_UP_STATES = frozenset(FOLLOW_UP_STATUSES)
_EARLIEST = datetime(EARLIEST_DATE.year, 1, 1).timestamp()
_LATEST = datetime(LATEST_YEAR + 1, 1, 1).timestamp()
TABLE_COLUMNS = {
    "case_columns": CASE_COLUMNS,
    "encounter_columns": ENCOUNTER_COLUMNS,
    "follow_up_columns": FOLLOW_UP_COLUMNS,
}


def valid_month(value: Any) -> bool:
    if type(value) is not str or not _MONTH.match(value):
        return False
    return EARLIEST_DATE.year <= int(value[:4]) <= LATEST_YEAR


def _valid_id(value: Any) -> bool:
    return type(value) is str and _RECORD_ID.match(value) is not None


def decode(payload: bytes) -> BundleData:
    """The checked bundle, or BundleInvalid / FileTooNew naming the first bad value."""
    with nesting_refused():
        return _decode(payload)


def _decode(payload: bytes) -> BundleData:
    body = open_payload(payload, FORMAT_NAME, BUNDLE_VERSION, PAYLOAD_KEYS)
    source = body["source"]
    if type(source) is not str or source not in SOURCES:
        raise BundleInvalid("source", N_("not a known source"))
    months = body["months"]
    if type(months) is not list or len(months) != 2 or not all(map(valid_month, months)):
        raise BundleInvalid("months", N_("not a pair of months"))
    first, last = months
    if last < first:
        raise BundleInvalid("months", N_("ends before it starts"))
    created = body["created"]
    if type(created) is not int or not _EARLIEST <= created < _LATEST:
        raise BundleInvalid("created", N_("not a time in range"))
    check_columns(body, TABLE_COLUMNS)
    cases, groups = _cases(body["cases"], last)
    case_ids = frozenset(case[0] for case in cases)
    return BundleData(
        source,
        first,
        last,
        datetime.fromtimestamp(created),
        cases,
        _encounters(body["encounters"], case_ids, groups, first, last),
        _follow_ups(body["follow_ups"], case_ids, first, last),
        live_ids(body["live_case_ids"], case_ids, _valid_id),
    )


def _ids(t: Table) -> tuple[Any, ...]:
    t.check("id", _valid_id, N_("not a record id"))
    return t.no_repeats("id")


def _cases(value: Any, last: str) -> tuple[list[tuple[Any, ...]], frozenset[str]]:
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
        t.members("referral_source", REFERRAL_SOURCES),
        t.check(
            "referred_month", lambda v: valid_month(v) and v <= last, N_("not a month in range")
        ),
        t.members("status", CASE_STATUSES),
        t.members("current_stage", STAGES, optional=True),
        t.members("outcome", OUTCOMES, optional=True),
        t.check(
            "minutes_to_first_contact",
            whole(-MAX_MINUTES, MAX_MINUTES, optional=True),
            N_("not a duration"),
        ),
        t.check("last_contact_month", lambda v: v is None or valid_month(v), N_("not a month")),
    ]
    groups = frozenset(i for i, kind in zip(ids, kinds, strict=True) if kind == "group")
    return list(zip(*columns, strict=True)), groups


def _in_months(first: str, last: str) -> Any:
    return lambda v: valid_month(v) and first <= v <= last


def _encounters(
    value: Any, case_ids: frozenset[str], groups: frozenset[str], first: str, last: str
) -> list[tuple[Any, ...]]:
    t = Table("encounters", N_("encounter {n}"), value, ENCOUNTER_COLUMNS)
    cases = t.members("case_id", case_ids, N_("names no case of the bundle"))
    sizes = group_sizes(t, cases, groups)
    stages, outcomes = stages_and_outcomes(t)
    columns = [
        cases,
        t.check("month", _in_months(first, last), N_("not a month of the bundle")),
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
        t.members("case_id", case_ids, N_("names no case of the bundle")),
        t.check("month", _in_months(first, last), N_("not a month of the bundle")),
        t.members("method", MODES),
        t.members("status", _FOLLOW_UP_STATES),
        t.check("late_days", whole(-MAX_DAYS, MAX_DAYS, optional=True), N_("not a number of days")),
        t.check("on_time", flag, N_("not true or false")),
    ]
    rows = list(zip(*columns, strict=True))
    for n, (_case, _month, _method, status, late, on_time) in enumerate(rows):
        expected = status == "done" and late is not None and late <= 1
        if on_time != expected or (late is not None and status != "done"):
            raise t.fail_at(n, "on_time", N_("does not agree with the status and days late"))
    return rows
