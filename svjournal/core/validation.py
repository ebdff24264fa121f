"""Checks at the service's edge: types, codes, text, dates and numbers → ValidationError."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from svjournal.core.errors import InvalidInput, ValidationError
from svjournal.core.i18n import tr
from svjournal.core.locale_format import format_date, format_datetime
from svjournal.core.vocab import Vocabulary

C = TypeVar("C", int, str)

EARLIEST_DATE = date(1950, 1, 1)
LATEST_YEAR = 2200

MAX_ALIAS = 40
MAX_NOTE = 1000
MAX_SHORT_TEXT = 200
MAX_PHONE = 40
MAX_EMAIL = 254

_ALLOWED_IN_MULTILINE = {"\n", "\t"}


def text(
    field: str,
    value: Any,
    *,
    max_len: int,
    required: bool = True,
    multiline: bool = False,
) -> str | None:
    """A string of valid Unicode (any script), without control characters, within length.

    Returned unchanged: no trimming or normalisation, so what is stored is what was typed.
    """
    if value is None or (isinstance(value, str) and value.strip() == "" and not required):
        if required:
            raise ValidationError(field, tr("Required."))
        return None
    if not isinstance(value, str):
        raise ValidationError(field, tr("Must be text."))
    if value == "":  # nothing typed: the same words as any other missing field
        raise ValidationError(field, tr("Required."))
    if not value.strip():
        raise ValidationError(field, tr("Cannot be only spaces."))
    if len(value) > max_len:
        raise ValidationError(
            field,
            tr("Too long ({length} characters; at most {most}).").format(
                length=len(value), most=max_len
            ),
        )
    for ch in value:
        category = unicodedata.category(ch)
        if category == "Cs":
            raise ValidationError(field, tr("Contains an invalid character (a lone surrogate)."))
        if category == "Cc" and not (multiline and ch in _ALLOWED_IN_MULTILINE):
            # Translators: {character} is a Unicode code point such as U+0007.
            problem = tr("Contains a control character ({character}); remove it.")
            raise ValidationError(field, problem.format(character=f"U+{ord(ch):04X}"))
    return value


def code(field: str, value: Any, vocabulary: Vocabulary[C], *, required: bool = True) -> C | None:
    if value is None:
        if required:
            raise ValidationError(field, tr("Required."))
        return None
    try:
        known = not isinstance(value, bool) and value in vocabulary
    except TypeError:  # unhashable (a list, a dict): not a code either
        known = False
    if not known:
        raise ValidationError(
            field, tr("{value} is not one of the choices.").format(value=repr(value))
        )
    return value


def codes(field: str, values: Any, vocabulary: Vocabulary[C]) -> list[C]:
    """A list of distinct known codes, kept in vocabulary order (stable for comparisons)."""
    if values is None:
        return []
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise ValidationError(field, tr("Must be a list."))
    given = list(values)
    for value in given:
        code(field, value, vocabulary)
    wanted = set(given)
    return [c for c in vocabulary.codes() if c in wanted]


def a_date(
    field: str, value: Any, *, required: bool = True, latest: date | None = None
) -> date | None:
    if value is None:
        if required:
            raise ValidationError(field, tr("Required."))
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(field, tr("Must be a date."))
    if value < EARLIEST_DATE or value.year > LATEST_YEAR:
        raise ValidationError(field, tr("{date} is out of range.").format(date=format_date(value)))
    if latest is not None and value > latest:
        raise ValidationError(field, tr("Cannot be after {date}.").format(date=format_date(latest)))
    return value


def day(field: str, value: Any, *, latest: date | None = None) -> date:
    """A required date (see `a_date`)."""
    checked = a_date(field, value, latest=latest)
    assert checked is not None  # required=True never returns None
    return checked


def a_datetime(field: str, value: Any, *, latest: datetime | None = None) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationError(field, tr("Must be a date and time."))
    if value.tzinfo is not None:
        raise ValidationError(field, tr("Must be a local time without a time zone."))
    if value.date() < EARLIEST_DATE or value.year > LATEST_YEAR:
        raise ValidationError(
            field, tr("{date} is out of range.").format(date=format_datetime(value))
        )
    if latest is not None and value > latest:
        raise ValidationError(field, tr("Cannot be in the future."))
    return value.replace(microsecond=0)


def integer(field: str, value: Any, *, low: int, high: int, required: bool = True) -> int | None:
    if value is None:
        if required:
            raise ValidationError(field, tr("Required."))
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, tr("Must be a whole number."))
    if value < low:
        raise ValidationError(field, tr("Must be at least {n}.").format(n=low))
    if value > high:
        raise ValidationError(field, tr("Must be at most {n}.").format(n=high))
    return value


def flag(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(field, tr("Must be yes or no."))
    return value


def one_of(field: str, value: Any, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise ValidationError(
            field,
            tr("{value} is not one of {choices}.").format(
                value=repr(value), choices=", ".join(allowed)
            ),
        )
    return str(value)


T = TypeVar("T")


class Problems:
    """Runs the checks of one input and keeps every ValidationError, in the order checked.

    Inputs check their fields in the order their form shows them, so the list reads top to
    bottom; `raise_any` then raises the one problem, or InvalidInput with them all.
    """

    def __init__(self) -> None:
        self._found: list[ValidationError] = []

    def check(self, checker: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """`checker(*args, **kwargs)`, or None after noting its problem."""
        try:
            return checker(*args, **kwargs)
        except ValidationError as problem:
            self._found.extend(problem.problems)
            return None

    def add(self, field: str, message: str) -> None:
        self._found.append(ValidationError(field, message))

    def failed(self, *fields: str) -> bool:
        """Whether any of `fields` has a problem already (cross-field checks then wait)."""
        return any(problem.field in fields for problem in self._found)

    def raise_any(self) -> None:
        if len(self._found) == 1:
            raise self._found[0]
        if self._found:
            raise InvalidInput(self._found)
