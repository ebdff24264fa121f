"""Dates, times, numbers and percentages as the current language writes them (CLDR via Babel).

The window formats with QLocale, set to the same language (ui/ sets QLocale's default from
svjournal.core.i18n); the reports, the charts and the calendar export, which have no Qt,
use these. Both read the Unicode CLDR, so "3 Dec 2026" in the window is "3 Dec 2026" in the
PDF too. Babel is imported on first use, not at start-up.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from svjournal.core import i18n

if TYPE_CHECKING:
    from babel import Locale

Style = Literal["short", "medium", "long", "full"]


@lru_cache(maxsize=16)
def _locale(language: str) -> Locale:
    from babel import Locale

    # The pseudo-locale tests the words; its formats are the source language's.
    code = i18n.SOURCE if language == i18n.PSEUDO else language
    return Locale.parse(code)


def locale(language: str | None = None) -> Locale:
    return _locale(language or i18n.current())


def format_date(value: date, style: Style = "medium", *, language: str | None = None) -> str:
    from babel.dates import format_date as babel_date

    return babel_date(value, format=style, locale=locale(language))


def format_time(value: time | datetime, *, language: str | None = None) -> str:
    from babel.dates import format_time as babel_time

    return babel_time(value, format="short", locale=locale(language))


def format_datetime(
    value: datetime, style: Style = "medium", *, language: str | None = None
) -> str:
    """The date in `style` and the time to the minute: journal times carry no seconds."""
    return f"{format_date(value.date(), style, language=language)}, " + format_time(
        value, language=language
    )


def format_month(value: date, *, language: str | None = None) -> str:
    """'Dec 2026' / 'dic 2026': the months of charts and team figures (never a day)."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMM", value, locale=locale(language))


def format_number(value: int | float, *, language: str | None = None) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=locale(language))


def format_percent(fraction: float, *, digits: int = 0, language: str | None = None) -> str:
    """`fraction` (0.108) as a percentage ('11 %', '11%', '11 %' by language)."""
    from babel.numbers import format_percent as babel_percent

    where = locale(language)
    pattern = where.percent_formats[None].pattern  # e.g. "#,##0 %", its spacing kept
    if digits:
        head, zero, tail = pattern.rpartition("0")
        pattern = f"{head}{zero}.{'0' * digits}{tail}"
    return babel_percent(fraction, format=pattern, locale=where)


def first_weekday(language: str | None = None) -> int:
    """The first day of the week, 0 = Monday … 6 = Sunday (Sunday in the US, Monday in
    most of Europe): for calendars and week-based charts."""
    return int(locale(language).first_week_day)
