"""Date axes marked in whole days or months: a case moves over days and weeks, so its
chart never shows hours or seconds, whatever span matplotlib would pick ticks for.

Tick labels follow the current language (CLDR, not strftime, whose month names are the C
locale's): 'Nov 3' in US English, '3 nov' in Spanish, '3. Nov.' in German."""

from __future__ import annotations

from matplotlib.axis import Axis
from matplotlib.dates import (
    MO,
    DayLocator,
    MonthLocator,
    WeekdayLocator,
    num2date,
)
from matplotlib.ticker import FuncFormatter

from svjournal.charts.labels import day_and_month, month_name


def day_month_axis(axis: Axis, low: float, high: float, max_ticks: int) -> None:
    """Date ticks on whole days ('Nov 3') or months ('Nov', the year under the first month
    and each January), at most `max_ticks`, for the span `low`..`high` in matplotlib date
    numbers (days)."""

    def day_month(value: float, _pos: int | None = None) -> str:
        return day_and_month(num2date(value).date())

    def month_year(value: float, pos: int | None = None) -> str:
        day = num2date(value).date()  # the year under the first month and under each January
        name = month_name(day)
        return f"{name}\n{day.year}" if pos == 0 or day.month == 1 else name

    def year(value: float, _pos: int | None = None) -> str:
        return str(num2date(value).year)

    span = high - low
    for days in (1, 2, 3, 7, 14):
        if span / days <= max_ticks:
            # Weekly and fortnightly ticks fall on Mondays, as the follow-up weeks do.
            axis.set_major_locator(
                DayLocator(interval=days)
                if days < 7
                else WeekdayLocator(byweekday=MO, interval=days // 7)
            )
            axis.set_major_formatter(FuncFormatter(day_month))
            return
    for months in (1, 2, 3, 6, 12):
        if span / (30.4 * months) <= max_ticks:
            axis.set_major_locator(MonthLocator(bymonth=range(1, 13, months)))
            axis.set_major_formatter(FuncFormatter(month_year))
            return
    axis.set_major_locator(MonthLocator(bymonth=[1]))
    axis.set_major_formatter(FuncFormatter(year))
