"""How the UI shows dates and times: one locale-aware format everywhere.

Every page, table and dialog formats a displayed date through here, and every date field
uses the same display format, so "3 Dec 2026" never sits beside "2026-12-03". The format is
the locale's own long date with the weekday dropped and the month abbreviated ("3 Dec 2026"
in the UK, "Dec 3, 2026" in the US, "3. Dez. 2026" in Germany). Stored values (drafts, file
names, the database) keep ISO text; only what is shown goes through these functions.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime

from svjournal.core.i18n import tr
from svjournal.core.periods import Period

__all__ = [
    "date_format",
    "datetime_format",
    "format_date",
    "format_datetime",
    "format_number",
    "format_percent",
    "format_signed",
    "format_span",
    "format_stamp",
    "format_time",
]

# The weekday and the separator that joins it to the rest: "dddd, " or ", dddd" or "dddd ".
# Any punctuation counts ("," "،" "、"), never a quoted literal or a format letter.
_WEEKDAY = re.compile(r"^\s*dddd[^\w']*|[^\w']*dddd\s*$|dddd[^\w']*")


def date_format(locale: QLocale | None = None) -> str:
    """A Qt date format string for `locale` (the default locale when None)."""
    locale = locale or QLocale()
    text = _WEEKDAY.sub("", locale.dateFormat(QLocale.FormatType.LongFormat)).strip()
    text = text.replace("MMMM", "MMM")
    if "yyyy" not in text:
        text = text.replace("yy", "yyyy")
    return text or "d MMM yyyy"  # a Qt format pattern, not words


def time_format(locale: QLocale | None = None) -> str:
    return (locale or QLocale()).timeFormat(QLocale.FormatType.ShortFormat)


def datetime_format(locale: QLocale | None = None) -> str:
    """Date and time, for date-time fields and timestamps: "3 Dec 2026, 14:30"."""
    return f"{date_format(locale)}, {time_format(locale)}"


def format_date(value: date | datetime | None, locale: QLocale | None = None) -> str:
    if value is None:
        return "—"
    day = value.date() if isinstance(value, datetime) else value
    return (locale or QLocale()).toString(QDate(day.year, day.month, day.day), date_format(locale))


def format_time(value: datetime, locale: QLocale | None = None) -> str:
    return (locale or QLocale()).toString(QTime(value.hour, value.minute), time_format(locale))


def format_datetime(value: datetime | date | None, locale: QLocale | None = None) -> str:
    """A date and time; a plain date (no time known) shows as a date."""
    if value is None:
        return "—"
    if not isinstance(value, datetime):
        return format_date(value, locale)
    moment = QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute))
    return (locale or QLocale()).toString(moment, datetime_format(locale))


def format_stamp(iso_text: str, locale: QLocale | None = None) -> str:
    """An ISO timestamp kept as text (backup headers, the export log), shown to the minute."""
    try:
        moment = datetime.fromisoformat(iso_text)
    except (TypeError, ValueError):
        return iso_text  # shown as it is rather than hidden
    return format_datetime(moment.replace(tzinfo=None), locale)


def format_span(period: Period, locale: QLocale | None = None) -> str:
    """'1 Jul 2026 – 30 Sep 2026': both ends in the one format."""
    # Translators: a span of dates, e.g. "1 Jul 2026 – 30 Sep 2026".
    return tr("{start} – {end}").format(
        start=format_date(period.start, locale), end=format_date(period.end, locale)
    )


def format_number(value: float, digits: int = 0, locale: QLocale | None = None) -> str:
    """A number in the locale's digits and separators: "1,234.5" (US), "1.234,5" (Germany)."""
    if isinstance(value, int) and digits == 0:
        return (locale or QLocale()).toString(value)
    return (locale or QLocale()).toString(float(value), "f", digits)


def format_percent(fraction: float, digits: int = 0, locale: QLocale | None = None) -> str:
    """A fraction (0.25) as a percentage: "25%" (US), "25 %" (Germany, France).

    QLocale writes the number (digits, decimal sign) but has no percent pattern, so where the
    sign goes, and whether a space comes before it, is the translator's (CLDR's rule)."""
    number = (locale or QLocale()).toString(float(fraction) * 100, "f", digits)
    # Translators: how a percentage is written in your language; {number} is the figure,
    # already in your digits. CLDR: "25 %" in German, French and Spanish, "%25" in Turkish.
    return tr("{number}%").format(number=number)


def format_signed(value: float, digits: int = 0, locale: QLocale | None = None) -> str:
    """A change with its sign always written ("+3", "−1.5" as the locale writes them); 0 is "+0"."""
    locale = locale or QLocale()
    number = locale.toString(float(abs(value)), "f", digits)
    shown = locale.toString(0.0, "f", digits) != number  # not zero once rounded
    sign = locale.negativeSign() if value < 0 and shown else locale.positiveSign()
    return f"{sign}{number}"
