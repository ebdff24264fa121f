"""Named periods, one meaning each, for Charts, Reports, Team and team bundles.

Every place that offers "Last quarter" means the same days: the previous calendar quarter,
never "the last 91 days". Each preset has the label the UI shows and a one-line definition
in the UI's words (shown as its tooltip), computed for the day it is asked on, so the dates
greyed out beside a preset are always the dates it stands for.

The period a figure is compared with is decided once, here (`Period.previous`):

- a period counted in days (e.g. "Last 30 days") is compared with the same number of days
  immediately before it;
- a period of whole calendar months (a month, a quarter, a year, or custom dates from the
  1st of a month to the last day of a month) with the same number of whole months
  immediately before it — a quarter with the quarter before, not with 92 days;
- "This year so far" and "Last 12 months" with the same days a year earlier (29 February
  becomes 28 February), so 1 Jan – 3 Dec is compared with 1 Jan – 3 Dec of last year.

No Qt here: the UI and the command line both use it.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from svjournal.core import locale_format
from svjournal.core.i18n import N_, tr


class Basis(StrEnum):
    """How a period's comparison period is found (see the module docstring)."""

    DAYS = "days"
    MONTHS = "months"
    YEAR_EARLIER = "year_earlier"


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def year_earlier(day: date) -> date:
    """The same day a year earlier; 29 February becomes 28 February."""
    return add_months(day, -12)


@dataclass(frozen=True)
class Period:
    """Days `start` to `end`, both included.

    `basis` says how the comparison period is found; None reads it from the dates (whole
    calendar months → MONTHS, otherwise DAYS). Two periods with the same days are equal
    whatever their basis.
    """

    start: date
    end: date
    basis: Basis | None = field(default=None, compare=False, repr=False)

    def bounds(self) -> tuple[datetime, datetime]:
        """Half-open datetime bounds for comparing timestamps."""
        return datetime.combine(self.start, time.min), datetime.combine(
            self.end + timedelta(days=1), time.min
        )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def whole_months(self) -> int:
        """How many calendar months the period covers exactly; 0 when it is not whole months."""
        if self.start.day != 1 or self.end != month_end(self.end) or self.end < self.start:
            return 0
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def effective_basis(self) -> Basis:
        if self.basis is not None:
            return self.basis
        return Basis.MONTHS if self.whole_months else Basis.DAYS

    def previous(self) -> Period:
        """The period this one is compared with (the rule is in the module docstring).

        It always ends before this one starts, so no day is counted in both.
        """
        basis = self.effective_basis()
        if basis is Basis.YEAR_EARLIER:
            before = Period(year_earlier(self.start), year_earlier(self.end), basis)
            if before.end < self.start:
                return before
            basis = Basis.DAYS  # longer than a year: a year earlier would overlap
        if basis is Basis.MONTHS and (months := self.whole_months):
            return Period(add_months(self.start, -months), self.start - timedelta(days=1), basis)
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end, Basis.DAYS)


def day_text(day: date, *, year: bool = True) -> str:
    """'Jul 1, 2026' (or 'Jul 1'), as the current language writes a day."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMd" if year else "MMMd", day, locale=locale_format.locale())


def span_text(period: Period) -> str:
    """'Jul 1 – Sep 30, 2026' as the current language writes a span (CLDR's intervals:
    the year once when both ends share it)."""
    from babel.dates import format_interval

    return format_interval(period.start, period.end, "yMMMd", locale=locale_format.locale())


@dataclass(frozen=True)
class Preset:
    """A named period: its label, what it means, and its days on a given day.

    `label` is the source text (marked; the picker shows `tr(preset.label)`); `defines` and
    `compares` are whole sentences around the `{span}` of days, translated when read.
    """

    key: str
    label: str
    defines: str  # e.g. "Last quarter: the previous calendar quarter, {span}."
    compares: str  # e.g. "Compared with the quarter before, {span}."
    days_on: Callable[[date], Period]

    def period(self, today: date) -> Period:
        return self.days_on(today)

    def definition(self, today: date) -> str:
        """'Last quarter: the previous calendar quarter, Jul 1 – Sep 30, 2026.'"""
        return tr(self.defines).format(span=span_text(self.period(today)))

    def comparison(self, today: date) -> str:
        """'Compared with the quarter before, Apr 1 – Jun 30, 2026.'"""
        return tr(self.compares).format(span=span_text(self.period(today).previous()))

    def help(self, today: date) -> str:
        return f"{self.definition(today)} {self.comparison(today)}"


def _last_days(n: int) -> Callable[[date], Period]:
    return lambda today: Period(today - timedelta(days=n - 1), today, Basis.DAYS)


def _last_month(today: date) -> Period:
    end = today.replace(day=1) - timedelta(days=1)
    return Period(end.replace(day=1), end, Basis.MONTHS)


def _last_quarter(today: date) -> Period:
    end = quarter_start(today) - timedelta(days=1)
    return Period(quarter_start(end), end, Basis.MONTHS)


def _year_so_far(today: date) -> Period:
    return Period(date(today.year, 1, 1), today, Basis.YEAR_EARLIER)


def _last_calendar_year(today: date) -> Period:
    return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31), Basis.MONTHS)


def _last_12_months(today: date) -> Period:
    return Period(year_earlier(today) + timedelta(days=1), today, Basis.YEAR_EARLIER)


LAST_30_DAYS = Preset(
    "last_30_days",
    N_("Last 30 days"),
    # Translators: {span} is a span of days, e.g. "Oct 28 – Nov 26, 2026".
    N_("Last 30 days: the 30 days up to today, {span}."),
    # Translators: {span} is a span of days, e.g. "Sep 28 – Oct 27, 2026".
    N_("Compared with the 30 days before, {span}."),
    _last_days(30),
)
LAST_MONTH = Preset(
    "last_month",
    N_("Last month"),
    # Translators: {span} is a span of days, e.g. "Oct 1 – 31, 2026".
    N_("Last month: the previous calendar month, {span}."),
    # Translators: {span} is a span of days, e.g. "Sep 1 – 30, 2026".
    N_("Compared with the month before, {span}."),
    _last_month,
)
LAST_QUARTER = Preset(
    "last_quarter",
    N_("Last quarter"),
    # Translators: {span} is a span of days, e.g. "Jul 1 – Sep 30, 2026".
    N_("Last quarter: the previous calendar quarter, {span}."),
    # Translators: {span} is a span of days, e.g. "Apr 1 – Jun 30, 2026".
    N_("Compared with the quarter before, {span}."),
    _last_quarter,
)
YEAR_SO_FAR = Preset(
    "year_so_far",
    N_("This year so far"),
    # Translators: {span} is a span of days, e.g. "Jan 1 – Nov 26, 2026".
    N_("This year so far: January 1 up to today, {span}."),
    # Translators: {span} is a span of days, e.g. "Jan 1 – Nov 26, 2025".
    N_("Compared with the same days of last year, {span}."),
    _year_so_far,
)
LAST_12_MONTHS = Preset(
    "last_12_months",
    N_("Last 12 months"),
    # Translators: {span} is a span of days, e.g. "Nov 27, 2025 – Nov 26, 2026".
    N_("Last 12 months: the 12 months up to today, {span}."),
    # Translators: {span} is a span of days, e.g. "Nov 27, 2024 – Nov 26, 2025".
    N_("Compared with the 12 months before, {span}."),
    _last_12_months,
)
LAST_CALENDAR_YEAR = Preset(
    "last_calendar_year",
    N_("Last calendar year"),
    # Translators: {span} is a span of days, e.g. "Jan 1 – Dec 31, 2025".
    N_("Last calendar year: the previous calendar year, {span}."),
    # Translators: {span} is a span of days, e.g. "Jan 1 – Dec 31, 2024".
    N_("Compared with the year before, {span}."),
    _last_calendar_year,
)

# In the order the period pickers list them; custom dates come after these.
PRESETS: tuple[Preset, ...] = (
    LAST_30_DAYS,
    LAST_MONTH,
    LAST_QUARTER,
    YEAR_SO_FAR,
    LAST_12_MONTHS,
    LAST_CALENDAR_YEAR,
)
CUSTOM_LABEL = N_("Custom dates…")
CUSTOM_HELP = N_(
    "Custom dates: the days you choose, both included. Whole calendar months are compared "
    "with as many months just before; other dates with as many days just before."
)

# What programmes usually report on, and what a team bundle covers unless told otherwise.
DEFAULT = LAST_QUARTER


def preset(key: str) -> Preset:
    for candidate in PRESETS:
        if candidate.key == key:
            return candidate
    raise KeyError(key)


def custom(start: date, end: date) -> Period:
    """Dates a user chose: compared by their shape (whole months, or days)."""
    return Period(start, end)
