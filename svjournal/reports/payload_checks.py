"""What both bundle checkers share (`bundle_check` for the current format, `legacy_check` for
the retired one): opening the payload's JSON and its layout, the column-at-a-time table
checker, the codes of `vocab`, and the checks of the fields both formats carry alike.

Checks run column by column: a value is tested once per distinct (type, value) pair, so
ten thousand rows cost a few set operations; only a failure walks the rows, to name the
first bad one. (Pairs, not values: {1, True, 1.0} would collapse into one value.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from svjournal.core import vocab
from svjournal.core.errors import FileTooNew
from svjournal.core.i18n import N_, tr
from svjournal.core.inputs import MAX_GROUP_SIZE
from svjournal.reports.legacy_format import BundleInvalid

_DEPARTMENT = re.compile(r"^[a-z0-9_]{1,40}$")


def code(allowed: frozenset[Any], *, optional: bool = False) -> Callable[[Any], bool]:
    kinds = {type(next(iter(allowed)))}

    def ok(value: Any) -> bool:
        if value is None:
            return optional
        return type(value) in kinds and value in allowed

    return ok


def whole(low: int, high: int, *, optional: bool = False) -> Callable[[Any], bool]:
    def ok(value: Any) -> bool:
        if value is None:
            return optional
        return type(value) is int and low <= value <= high

    return ok


def flag(value: Any) -> bool:
    return type(value) is bool


def passes(ok: Callable[[Any], bool], value: Any) -> bool:
    try:
        return bool(ok(value))
    except TypeError:  # an unhashable value (a list) where a scalar belongs
        return False


class Table:
    """One table of the payload, checked a column at a time. `row` names one of its rows
    in an error, a message with {n} for the row's number ("case {n}"); the problems are
    messages too (N_), translated when BundleInvalid says them."""

    def __init__(self, name: str, row: str, value: Any, columns: tuple[str, ...]) -> None:
        self.row = row
        if type(value) is not list:
            raise BundleInvalid(name, N_("not a list"))
        width = len(columns)

        if value and (set(map(type, value)) != {list} or set(map(len, value)) != {width}):
            n = next(i for i, row in enumerate(value) if type(row) is not list or len(row) != width)
            # Translators: a row of a bundle that has the wrong number of values; {n} is
            # how many it should have.
            raise BundleInvalid(self.where(n), N_("not {n} fields"), n=width)
        self.rows: list[list[Any]] = value
        transposed = list(zip(*value, strict=True)) if value else [() for _ in columns]
        self.columns: dict[str, tuple[Any, ...]] = dict(zip(columns, transposed, strict=True))

    def where(self, n: int, column: str | None = None) -> str:
        """'case 3' or 'case 3, department' (the column is the bundle's own name for it)."""
        row = tr(self.row).format(n=n + 1)
        return row if column is None else f"{row}, {column}"

    def fail_at(self, n: int, column: str, problem: str) -> BundleInvalid:
        return BundleInvalid(self.where(n, column), problem)

    def check(self, column: str, ok: Callable[[Any], bool], problem: str) -> tuple[Any, ...]:
        """The column, if every value passes `ok`; else the first failing row's error."""
        values = self.columns[column]
        try:
            distinct: Any = [v for _t, v in set(zip(map(type, values), values, strict=True))]
        except TypeError:
            distinct = values
        if not all(passes(ok, v) for v in distinct):
            n = next(i for i, v in enumerate(values) if not passes(ok, v))
            raise self.fail_at(n, column, problem)
        return values

    def members(
        self,
        column: str,
        allowed: frozenset[Any],
        problem: str = N_("not a known code"),
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

    def no_repeats(self, column: str) -> tuple[Any, ...]:
        """The column (already checked for type), if no value is listed twice."""
        values = self.columns[column]
        if len(set(values)) != len(values):
            seen: set[Any] = set()
            for n, value in enumerate(values):
                if value in seen:
                    raise self.fail_at(n, column, N_("listed twice"))
                seen.add(value)
        return values

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


KINDS = _frozen(vocab.CASE_KINDS)
ROLES = _frozen(vocab.ROLES)
EVENTS = _frozen(vocab.EVENT_CATEGORIES)
HIGH_RISK = _frozen(vocab.HIGH_RISK_EVENTS)
SOURCES = _frozen(vocab.REFERRAL_SOURCES)
CASE_STATUSES = _frozen(vocab.CASE_STATUSES)
STAGES = _frozen(vocab.STAGES)
OUTCOMES = _frozen(vocab.OUTCOMES)
MODES = _frozen(vocab.MODES)
TIERS = _frozen(vocab.TIERS)
TARGETS = _frozen(vocab.REFERRAL_TARGETS)
RESPONSES = _frozen(vocab.REFERRAL_RESPONSES)
FOLLOW_UP_STATUSES = _frozen(vocab.FOLLOW_UP_STATUSES)


def code_list(value: Any) -> str | None:
    if type(value) is not list or len(set(map(repr, value))) != len(value):
        return None
    if not all(passes(code(HIGH_RISK), item) for item in value):
        return None
    return json.dumps(value)


def referral_list(value: Any) -> str | None:
    if type(value) is not list:
        return None
    if not value:
        return "[]"
    items = []
    for pair in value:
        if type(pair) is not list or len(pair) != 2:
            return None
        target, response = pair
        if not (passes(code(TARGETS), target) and passes(code(RESPONSES), response)):
            return None
        items.append({"target": target, "response": response})
    if len({item["target"] for item in items}) != len(items):
        return None
    return json.dumps(items)


def department(value: Any) -> bool:
    return type(value) is str and _DEPARTMENT.match(value) is not None


# --- the payload as a whole ------------------------------------------------------------------


@contextmanager
def nesting_refused() -> Iterator[None]:
    """Lists nested a thousand deep are never a value svjournal writes: BundleInvalid."""
    try:
        yield
    except RecursionError:
        raise BundleInvalid("bundle", N_("values nested too deeply")) from None


def open_payload(
    payload: bytes,
    format_name: str,
    version: int,
    keys: frozenset[str] | set[str],
) -> dict[str, Any]:
    """The payload's JSON object, if it is a bundle of this version with these keys;
    FileTooNew for a newer version, else BundleInvalid."""
    try:
        body = json.loads(payload)
    except ValueError:
        raise BundleInvalid("bundle", N_("not readable JSON")) from None
    if not isinstance(body, dict) or body.get("format") != format_name:
        raise BundleInvalid("bundle", N_("not a team bundle"))
    found = body.get("bundle_version")
    if type(found) is int and found > version:
        raise FileTooNew(tr("The bundle was written by a newer version of svjournal; update it."))
    if found != version or set(body) != keys:
        raise BundleInvalid("bundle", N_("unexpected layout"))
    return body


def check_columns(body: dict[str, Any], columns: Mapping[str, tuple[str, ...]]) -> None:
    """Each table's column list as this version writes it."""
    for key, expected in columns.items():
        if body[key] != list(expected):
            raise BundleInvalid(key, N_("unexpected columns"))


def group_sizes(t: Table, cases: tuple[Any, ...], groups: frozenset[str]) -> tuple[Any, ...]:
    """The encounters' group sizes: 2 or more for a group case's, none for one-to-one."""
    sizes = t.columns["group_size"]
    in_size = whole(2, MAX_GROUP_SIZE)
    for n, (case_id, size) in enumerate(zip(cases, sizes, strict=True)):
        if not (in_size(size) if case_id in groups else size is None):
            raise t.fail_at(n, "group_size", N_("does not fit the case (group or one-to-one)"))
    return sizes


def stages_and_outcomes(t: Table) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The encounters' stages and outcomes: an outcome exactly at the last stage."""
    stages = t.members("stage", STAGES, optional=True)
    outcomes = t.members("outcome", OUTCOMES, optional=True)
    for n, (stage, outcome) in enumerate(zip(stages, outcomes, strict=True)):
        if (stage == vocab.MOVING_ON) != (outcome is not None):
            raise t.fail_at(n, "outcome", N_("given without stage 6, or missing at stage 6"))
    return stages, outcomes


def live_ids(value: Any, case_ids: frozenset[str], valid_id: Callable[[Any], bool]) -> list[str]:
    """The ids of every case the supporter still has; each case of the bundle among them."""
    if type(value) is not list or not all(map(valid_id, value)):
        raise BundleInvalid("live_case_ids", N_("not a list of record ids"))
    if len(set(value)) != len(value):
        raise BundleInvalid("live_case_ids", N_("an id is listed twice"))
    if not case_ids.issubset(value):
        raise BundleInvalid("live_case_ids", N_("a case of the bundle is missing"))
    return value
