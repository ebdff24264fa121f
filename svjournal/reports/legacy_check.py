"""Checking a team bundle's payload whole, before anything is written: `decode`.

It returns rows in the database's text layout (ISO days, JSON text), so an import is a bulk
insert of checked values. Types, codes (against `vocab`), days, UUIDs, references between
the tables and the public header are all checked; the first bad value is named.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from svjournal.core import vocab
from svjournal.core.errors import FileTooNew
from svjournal.core.inputs import MAX_DURATION_MINUTES, MAX_GROUP_SIZE
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

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_UUIDS = re.compile(r"(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\n)*")
_DEPARTMENT = re.compile(r"^[a-z0-9_]{1,40}$")

# --- decoding ------------------------------------------------------------------------------
# Checks run column by column: a value is tested once per distinct (type, value) pair, so
# ten thousand rows cost a few set operations; only a failure walks the rows, to name the
# first bad one. (Pairs, not values: {1, True, 1.0} would collapse into one value.)


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


def _code(allowed: frozenset[Any], *, optional: bool = False) -> Callable[[Any], bool]:
    kinds = {type(next(iter(allowed)))}

    def ok(value: Any) -> bool:
        if value is None:
            return optional
        return type(value) in kinds and value in allowed

    return ok


def _whole(low: int, high: int, *, optional: bool = False) -> Callable[[Any], bool]:
    def ok(value: Any) -> bool:
        if value is None:
            return optional
        return type(value) is int and low <= value <= high

    return ok


def _flag(value: Any) -> bool:
    return type(value) is bool


def _passes(ok: Callable[[Any], bool], value: Any) -> bool:
    try:
        return bool(ok(value))
    except TypeError:  # an unhashable value (a list) where a scalar belongs
        return False


class _Table:
    """One table of the payload, checked a column at a time."""

    def __init__(self, name: str, singular: str, value: Any, columns: tuple[str, ...]) -> None:
        self.singular = singular
        if type(value) is not list:
            raise BundleInvalid(name, "not a list")
        width = len(columns)

        if value and (set(map(type, value)) != {list} or set(map(len, value)) != {width}):
            n = next(i for i, row in enumerate(value) if type(row) is not list or len(row) != width)
            raise BundleInvalid(f"{singular} {n + 1}", f"not {width} fields")
        self.rows: list[list[Any]] = value
        transposed = list(zip(*value, strict=True)) if value else [() for _ in columns]
        self.columns: dict[str, tuple[Any, ...]] = dict(zip(columns, transposed, strict=True))

    def fail_at(self, n: int, column: str, problem: str) -> BundleInvalid:
        return BundleInvalid(f"{self.singular} {n + 1}, {column}", problem)

    def check(self, column: str, ok: Callable[[Any], bool], problem: str) -> tuple[Any, ...]:
        """The column, if every value passes `ok`; else the first failing row's error."""
        values = self.columns[column]
        try:
            distinct: Any = [v for _t, v in set(zip(map(type, values), values, strict=True))]
        except TypeError:
            distinct = values
        if not all(_passes(ok, v) for v in distinct):
            n = next(i for i, v in enumerate(values) if not _passes(ok, v))
            raise self.fail_at(n, column, problem)
        return values

    def members(
        self,
        column: str,
        allowed: frozenset[Any],
        problem: str = "not a known code",
        *,
        optional: bool = False,
    ) -> tuple[Any, ...]:
        """The column, if every value is one of `allowed` (or None when optional)."""
        values = self.columns[column]
        kinds = {type(next(iter(allowed)))} if allowed else set()
        if optional:
            kinds.add(type(None))
        # Types first: True == 1 and 1.0 == 1, so set membership alone would let them in.
        if set(map(type, values)) <= kinds:
            present = set(values)
            present.discard(None)
            if present <= allowed:
                return values
        return self.check(column, lambda v: v in allowed and type(v) in kinds, problem)

    def ids(self) -> tuple[str, ...]:
        ids = self.columns["id"]
        # One regular-expression pass over all ids; row by row only to name a bad one.
        if ids and not (set(map(type, ids)) == {str} and _UUIDS.fullmatch("\n".join(ids) + "\n")):
            self.check("id", _valid_uuid, "not a record id")
        if len(set(ids)) != len(ids):
            seen: set[str] = set()
            for n, record_id in enumerate(ids):
                if record_id in seen:
                    raise self.fail_at(n, "id", "listed twice")
                seen.add(record_id)
        return ids

    def per_row(self, column: str, convert: Callable[[Any], str | None], problem: str) -> list[str]:
        """Values that need a look inside (lists), converted to database text; None = bad."""
        cache: dict[str, str | None] = {}
        result = []
        for n, value in enumerate(self.columns[column]):
            key = repr(value)  # lists are not hashable; their repr is, and is exact for JSON
            converted = cache[key] if key in cache else cache.setdefault(key, convert(value))
            if converted is None:
                raise self.fail_at(n, column, problem)
            result.append(converted)
        return result


def _frozen(vocabulary: vocab.Vocabulary[Any]) -> frozenset[Any]:
    return frozenset(vocabulary.codes())


_KINDS = _frozen(vocab.CASE_KINDS)
_ROLES = _frozen(vocab.ROLES)
_EVENTS = _frozen(vocab.EVENT_CATEGORIES)
_HIGH_RISK = _frozen(vocab.HIGH_RISK_EVENTS)
_SOURCES = _frozen(vocab.REFERRAL_SOURCES)
_CASE_STATUSES = _frozen(vocab.CASE_STATUSES)
_STAGES = _frozen(vocab.STAGES)
_OUTCOMES = _frozen(vocab.OUTCOMES)
_MODES = _frozen(vocab.MODES)
_TIERS = _frozen(vocab.TIERS)
_TARGETS = _frozen(vocab.REFERRAL_TARGETS)
_RESPONSES = _frozen(vocab.REFERRAL_RESPONSES)
_FOLLOW_UP_STATUSES = _frozen(vocab.FOLLOW_UP_STATUSES)
_UNKNOWN = "not a known code"
_NO_DATE = "not a date"


def decode(payload: bytes, header_metadata: dict[str, Any]) -> BundleData:
    """The checked bundle, or BundleInvalid / FileTooNew naming the first bad value."""
    try:
        return _decode(payload, header_metadata)
    except RecursionError:  # lists nested a thousand deep: never a value svjournal writes
        raise BundleInvalid("bundle", "values nested too deeply") from None


def _decode(payload: bytes, header_metadata: dict[str, Any]) -> BundleData:
    try:
        body = json.loads(payload)
    except ValueError:
        raise BundleInvalid("bundle", "not readable JSON") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT_NAME:
        raise BundleInvalid("bundle", "not a team bundle")
    version = body.get("bundle_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > BUNDLE_VERSION:
        raise FileTooNew("The bundle was written by a newer version of svjournal; update it.")
    if version != BUNDLE_VERSION or set(body) != PAYLOAD_KEYS:
        raise BundleInvalid("bundle", "unexpected layout")
    supporter_id = body["supporter_id"]
    if not isinstance(supporter_id, str) or not SUPPORTER_ID.match(supporter_id):
        raise BundleInvalid("supporter_id", "not a supporter ID")
    period = body["period"]
    if type(period) is not list or len(period) != 2 or not all(map(_valid_day, period)):
        raise BundleInvalid("period", "not a pair of dates")
    first, last = period
    if last < first:
        raise BundleInvalid("period", "ends before it starts")
    created = _created(body["created"])
    for key, expected in (
        ("case_columns", CASE_COLUMNS),
        ("encounter_columns", ENCOUNTER_COLUMNS),
        ("follow_up_columns", FOLLOW_UP_COLUMNS),
    ):
        if body[key] != list(expected):
            raise BundleInvalid(key, "unexpected columns")

    cases, group_cases = _cases(body["cases"])
    case_ids = frozenset(case[0] for case in cases)
    encounters = _encounters(body["encounters"], case_ids, group_cases, first, last)
    follow_ups = _follow_ups(body["follow_ups"], case_ids, first, last)
    live = _live(body["live_case_ids"], case_ids)
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
        raise BundleInvalid("header", "does not match the contents")
    return data


def _created(value: Any) -> datetime:
    problem = BundleInvalid("created", "not a date and time in range")
    if type(value) is not str or len(value) != 19:
        raise problem
    try:
        created = datetime.fromisoformat(value)
    except ValueError:
        raise problem from None
    if created.isoformat(timespec="seconds") != value or not _valid_day(value[:10]):
        raise problem
    return created


def _code_list(value: Any) -> str | None:
    if type(value) is not list or len(set(map(repr, value))) != len(value):
        return None
    if not all(_passes(_code(_HIGH_RISK), item) for item in value):
        return None
    return json.dumps(value)


def _referral_list(value: Any) -> str | None:
    if type(value) is not list:
        return None
    if not value:
        return "[]"
    items = []
    for pair in value:
        if type(pair) is not list or len(pair) != 2:
            return None
        target, response = pair
        if not (_passes(_code(_TARGETS), target) and _passes(_code(_RESPONSES), response)):
            return None
        items.append({"target": target, "response": response})
    if len({item["target"] for item in items}) != len(items):
        return None
    return json.dumps(items)


def _department(value: Any) -> bool:
    return type(value) is str and _DEPARTMENT.match(value) is not None


def _cases(value: Any) -> tuple[list[tuple[Any, ...]], frozenset[str]]:
    """Database-ready case rows and the ids of the group cases."""
    t = _Table("cases", "case", value, CASE_COLUMNS)
    ids = t.ids()
    kinds = t.members("kind", _KINDS)
    columns = [
        ids,
        kinds,
        t.members("role", _ROLES),
        t.check("department", _department, "not a department code"),
        t.members("event_category", _EVENTS),
        t.per_row("high_risk_events", _code_list, "not a list of distinct high-risk events"),
        t.members("referral_source", _SOURCES),
        t.check("referred_on", _valid_day, _NO_DATE),
        t.members("status", _CASE_STATUSES),
        t.members("current_stage", _STAGES, optional=True),
        t.members("outcome", _OUTCOMES, optional=True),
    ]
    for name in ("first_contact_on", "last_contact_on", "next_follow_up_on"):
        columns.append(t.check(name, lambda v: v is None or _valid_day(v), _NO_DATE))
    groups = frozenset(i for i, kind in zip(ids, kinds, strict=True) if kind == "group")
    return list(zip(*columns, strict=True)), groups


def _encounters(
    value: Any, case_ids: frozenset[str], groups: frozenset[str], first: str, last: str
) -> list[tuple[Any, ...]]:
    t = _Table("encounters", "encounter", value, ENCOUNTER_COLUMNS)
    ids = t.ids()
    cases = t.members("case_id", case_ids, "names no case of the bundle")
    sizes = t.columns["group_size"]
    in_size = _whole(2, MAX_GROUP_SIZE)
    for n, (case_id, size) in enumerate(zip(cases, sizes, strict=True)):
        if not (in_size(size) if case_id in groups else size is None):
            raise t.fail_at(n, "group_size", "does not fit the case (group or one-to-one)")
    stages = t.members("stage", _STAGES, optional=True)
    outcomes = t.members("outcome", _OUTCOMES, optional=True)
    for n, (stage, outcome) in enumerate(zip(stages, outcomes, strict=True)):
        if (stage == vocab.MOVING_ON) != (outcome is not None):
            raise t.fail_at(n, "outcome", "given without stage 6, or missing at stage 6")
    columns = [
        ids,
        cases,
        t.check("day", lambda v: _valid_day(v) and first <= v <= last, "not a day of the period"),
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
        t.ids(),
        t.members("case_id", case_ids, "names no case of the bundle"),
        t.check(
            "due_on", lambda v: _valid_day(v) and first <= v <= last, "not a day of the period"
        ),
        t.members("method", _MODES),
        t.members("status", _FOLLOW_UP_STATUSES),
        t.check("done_on", lambda v: v is None or _valid_day(v), _NO_DATE),
    ]
    return list(zip(*columns, strict=True))


def _live(value: Any, case_ids: frozenset[str]) -> list[str]:
    if type(value) is not list or not all(map(_valid_uuid, value)):
        raise BundleInvalid("live_case_ids", "not a list of record ids")
    if len(set(value)) != len(value):
        raise BundleInvalid("live_case_ids", "an id is listed twice")
    if not case_ids.issubset(value):
        raise BundleInvalid("live_case_ids", "a case of the bundle is missing")
    return value
