"""Checking a version 2 bundle's payload whole, before anything is written: `decode`.

Same approach as the retired format's checker (`legacy_check`, whose column checks this
reuses): types, codes against `vocab`, months, record IDs, references between the tables and
the consistency of the follow-up fields are all checked; the first bad value is named.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from svjournal.core.errors import FileTooNew
from svjournal.core.inputs import MAX_DURATION_MINUTES, MAX_GROUP_SIZE
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
from svjournal.reports.legacy_check import (
    _CASE_STATUSES,
    _EVENTS,
    _KINDS,
    _MODES,
    _OUTCOMES,
    _ROLES,
    _SOURCES,
    _STAGES,
    _TIERS,
    _code_list,
    _department,
    _flag,
    _referral_list,
    _Table,
    _whole,
)
from svjournal.reports.legacy_format import BundleInvalid

_RECORD_ID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{24}$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_YEARS = LATEST_YEAR - EARLIEST_DATE.year + 1
MAX_MINUTES = _YEARS * 366 * 24 * 60
MAX_DAYS = _YEARS * 366
_FOLLOW_UP_STATES = frozenset(FOLLOW_UP_STATUSES)
_EARLIEST = datetime(EARLIEST_DATE.year, 1, 1).timestamp()
_LATEST = datetime(LATEST_YEAR + 1, 1, 1).timestamp()


def valid_month(value: Any) -> bool:
    if type(value) is not str or not _MONTH.match(value):
        return False
    return EARLIEST_DATE.year <= int(value[:4]) <= LATEST_YEAR


def _valid_id(value: Any) -> bool:
    return type(value) is str and _RECORD_ID.match(value) is not None


def decode(payload: bytes) -> BundleData:
    """The checked bundle, or BundleInvalid / FileTooNew naming the first bad value."""
    try:
        return _decode(payload)
    except RecursionError:  # lists nested a thousand deep: never a value svjournal writes
        raise BundleInvalid("bundle", "values nested too deeply") from None


def _decode(payload: bytes) -> BundleData:
    try:
        body = json.loads(payload)
    except ValueError:
        raise BundleInvalid("bundle", "not readable JSON") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT_NAME:
        raise BundleInvalid("bundle", "not a team bundle")
    version = body.get("bundle_version")
    if type(version) is int and version > BUNDLE_VERSION:
        raise FileTooNew("The bundle was written by a newer version of svjournal; update it.")
    if version != BUNDLE_VERSION or set(body) != PAYLOAD_KEYS:
        raise BundleInvalid("bundle", "unexpected layout")
    source = body["source"]
    if type(source) is not str or source not in SOURCES:
        raise BundleInvalid("source", "not a known source")
    months = body["months"]
    if type(months) is not list or len(months) != 2 or not all(map(valid_month, months)):
        raise BundleInvalid("months", "not a pair of months")
    first, last = months
    if last < first:
        raise BundleInvalid("months", "ends before it starts")
    created = body["created"]
    if type(created) is not int or not _EARLIEST <= created < _LATEST:
        raise BundleInvalid("created", "not a time in range")
    for key, expected in (
        ("case_columns", CASE_COLUMNS),
        ("encounter_columns", ENCOUNTER_COLUMNS),
        ("follow_up_columns", FOLLOW_UP_COLUMNS),
    ):
        if body[key] != list(expected):
            raise BundleInvalid(key, "unexpected columns")
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
        _live(body["live_case_ids"], case_ids),
    )


def _ids(t: _Table, column: str = "id") -> tuple[Any, ...]:
    values = t.check(column, _valid_id, "not a record id")
    if column == "id" and len(set(values)) != len(values):
        seen: set[str] = set()
        for n, value in enumerate(values):
            if value in seen:
                raise t.fail_at(n, column, "listed twice")
            seen.add(value)
    return values


def _cases(value: Any, last: str) -> tuple[list[tuple[Any, ...]], frozenset[str]]:
    t = _Table("cases", "case", value, CASE_COLUMNS)
    ids = _ids(t)
    kinds = t.members("kind", _KINDS)
    columns = [
        ids,
        kinds,
        t.members("role", _ROLES),
        t.check("department", _department, "not a department code"),
        t.members("event_category", _EVENTS),
        t.per_row("high_risk_events", _code_list, "not a list of distinct high-risk events"),
        t.members("referral_source", _SOURCES),
        t.check("referred_month", lambda v: valid_month(v) and v <= last, "not a month in range"),
        t.members("status", _CASE_STATUSES),
        t.members("current_stage", _STAGES, optional=True),
        t.members("outcome", _OUTCOMES, optional=True),
        t.check(
            "minutes_to_first_contact",
            _whole(-MAX_MINUTES, MAX_MINUTES, optional=True),
            "not a duration",
        ),
        t.check("last_contact_month", lambda v: v is None or valid_month(v), "not a month"),
    ]
    groups = frozenset(i for i, kind in zip(ids, kinds, strict=True) if kind == "group")
    return list(zip(*columns, strict=True)), groups


def _in_months(first: str, last: str) -> Any:
    return lambda v: valid_month(v) and first <= v <= last


def _encounters(
    value: Any, case_ids: frozenset[str], groups: frozenset[str], first: str, last: str
) -> list[tuple[Any, ...]]:
    t = _Table("encounters", "encounter", value, ENCOUNTER_COLUMNS)
    cases = t.members("case_id", case_ids, "names no case of the bundle")
    sizes = t.columns["group_size"]
    in_size = _whole(2, MAX_GROUP_SIZE)
    for n, (case_id, size) in enumerate(zip(cases, sizes, strict=True)):
        if not (in_size(size) if case_id in groups else size is None):
            raise t.fail_at(n, "group_size", "does not fit the case (group or one-to-one)")
    stages = t.members("stage", _STAGES, optional=True)
    outcomes = t.members("outcome", _OUTCOMES, optional=True)
    for n, (stage, outcome) in enumerate(zip(stages, outcomes, strict=True)):
        if (stage == 6) != (outcome is not None):
            raise t.fail_at(n, "outcome", "given without stage 6, or missing at stage 6")
    columns = [
        cases,
        t.check("month", _in_months(first, last), "not a month of the bundle"),
        t.members("mode", _MODES),
        t.check("duration_minutes", _whole(1, MAX_DURATION_MINUTES), "not a duration"),
        sizes,
        t.members("tier", _TIERS),
        stages,
        outcomes,
        t.check("triggered", _flag, "not true or false"),
        t.per_row("referrals", _referral_list, "not a list of distinct referrals"),
        t.check("support_declined", _flag, "not true or false"),
    ]
    return list(zip(*columns, strict=True))


def _follow_ups(
    value: Any, case_ids: frozenset[str], first: str, last: str
) -> list[tuple[Any, ...]]:
    t = _Table("follow_ups", "follow-up", value, FOLLOW_UP_COLUMNS)
    columns = [
        t.members("case_id", case_ids, "names no case of the bundle"),
        t.check("month", _in_months(first, last), "not a month of the bundle"),
        t.members("method", _MODES),
        t.members("status", _FOLLOW_UP_STATES),
        t.check("late_days", _whole(-MAX_DAYS, MAX_DAYS, optional=True), "not a number of days"),
        t.check("on_time", _flag, "not true or false"),
    ]
    rows = list(zip(*columns, strict=True))
    for n, (_case, _month, _method, status, late, on_time) in enumerate(rows):
        expected = status == "done" and late is not None and late <= 1
        if on_time != expected or (late is not None and status != "done"):
            raise t.fail_at(n, "on_time", "does not agree with the status and days late")
    return rows


def _live(value: Any, case_ids: frozenset[str]) -> list[str]:
    if type(value) is not list or not all(map(_valid_id, value)):
        raise BundleInvalid("live_case_ids", "not a list of record ids")
    if len(set(value)) != len(value):
        raise BundleInvalid("live_case_ids", "an id is listed twice")
    if not case_ids.issubset(value):
        raise BundleInvalid("live_case_ids", "a case of the bundle is missing")
    return value
