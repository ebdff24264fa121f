"""One meaning per period name, and one rule for the period a figure is compared with."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from svjournal.core import periods
from svjournal.core.periods import (
    LAST_12_MONTHS,
    LAST_30_DAYS,
    LAST_CALENDAR_YEAR,
    LAST_MONTH,
    LAST_QUARTER,
    PRESETS,
    YEAR_SO_FAR,
    Period,
    add_months,
    span_text,
)

DAYS = st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31))


def test_a_quarter_is_compared_with_the_quarter_before_not_92_days() -> None:
    q3 = Period(date(2026, 7, 1), date(2026, 9, 30))  # 92 days; Q2 has 91
    assert q3.previous() == Period(date(2026, 4, 1), date(2026, 6, 30))
    q1 = Period(date(2026, 1, 1), date(2026, 3, 31))
    assert q1.previous() == Period(date(2025, 10, 1), date(2025, 12, 31))


def test_a_month_is_compared_with_the_month_before() -> None:
    march = Period(date(2028, 3, 1), date(2028, 3, 31))
    assert march.previous() == Period(date(2028, 2, 1), date(2028, 2, 29))
    assert Period(date(2027, 3, 1), date(2027, 3, 31)).previous() == Period(
        date(2027, 2, 1), date(2027, 2, 28)
    )
    year = Period(date(2025, 1, 1), date(2025, 12, 31))
    assert year.previous() == Period(date(2024, 1, 1), date(2024, 12, 31))


def test_days_are_compared_with_as_many_days_just_before() -> None:
    span = Period(date(2026, 3, 5), date(2026, 3, 18))
    assert span.previous() == Period(date(2026, 2, 19), date(2026, 3, 4))


def test_presets_in_the_middle_of_a_month() -> None:
    today = date(2026, 11, 26)
    assert LAST_QUARTER.period(today) == Period(date(2026, 7, 1), date(2026, 9, 30))
    assert LAST_MONTH.period(today) == Period(date(2026, 10, 1), date(2026, 10, 31))
    assert LAST_30_DAYS.period(today) == Period(date(2026, 10, 28), today)
    assert YEAR_SO_FAR.period(today) == Period(date(2026, 1, 1), today)
    assert LAST_CALENDAR_YEAR.period(today) == Period(date(2025, 1, 1), date(2025, 12, 31))
    assert LAST_12_MONTHS.period(today) == Period(date(2025, 11, 27), today)


def test_this_year_so_far_is_compared_with_the_same_days_of_last_year() -> None:
    ytd = YEAR_SO_FAR.period(date(2026, 12, 3))
    assert ytd.previous() == Period(date(2025, 1, 1), date(2025, 12, 3))


def test_on_29_february() -> None:
    leap = date(2028, 2, 29)
    assert YEAR_SO_FAR.period(leap).previous() == Period(date(2027, 1, 1), date(2027, 2, 28))
    assert LAST_12_MONTHS.period(leap) == Period(date(2027, 3, 1), leap)
    assert LAST_12_MONTHS.period(leap).previous() == Period(date(2026, 3, 1), date(2027, 2, 28))
    assert LAST_MONTH.period(leap) == Period(date(2028, 1, 1), date(2028, 1, 31))
    assert LAST_QUARTER.period(leap) == Period(date(2027, 10, 1), date(2027, 12, 31))
    assert LAST_30_DAYS.period(leap) == Period(date(2028, 1, 31), leap)
    assert add_months(date(2028, 1, 31), 1) == leap


def test_at_the_edges_of_months_quarters_and_years() -> None:
    # The first day of a quarter: the quarter just ended is "last quarter".
    assert LAST_QUARTER.period(date(2026, 4, 1)) == Period(date(2026, 1, 1), date(2026, 3, 31))
    assert LAST_QUARTER.period(date(2026, 3, 31)) == Period(date(2025, 10, 1), date(2025, 12, 31))
    assert LAST_QUARTER.period(date(2027, 1, 1)) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert LAST_MONTH.period(date(2026, 1, 1)) == Period(date(2025, 12, 1), date(2025, 12, 31))
    assert LAST_MONTH.period(date(2026, 1, 31)) == Period(date(2025, 12, 1), date(2025, 12, 31))
    new_year = date(2027, 1, 1)
    assert YEAR_SO_FAR.period(new_year) == Period(new_year, new_year)
    assert YEAR_SO_FAR.period(new_year).previous() == Period(date(2026, 1, 1), date(2026, 1, 1))
    assert LAST_CALENDAR_YEAR.period(date(2026, 12, 31)).end == date(2025, 12, 31)


# CLDR's interval: the dash between thin spaces (U+2009), the year once when shared.
T = "\u2009–\u2009"


def test_definitions_in_the_uis_words() -> None:
    today = date(2026, 11, 26)
    assert LAST_QUARTER.definition(today) == (
        f"Last quarter: the previous calendar quarter, Jul 1{T}Sep 30, 2026."
    )
    assert LAST_QUARTER.comparison(today) == (
        f"Compared with the quarter before, Apr 1{T}Jun 30, 2026."
    )
    assert YEAR_SO_FAR.comparison(today) == (
        f"Compared with the same days of last year, Jan 1{T}Nov 26, 2025."
    )
    assert span_text(Period(date(2025, 11, 27), today)) == f"Nov 27, 2025{T}Nov 26, 2026"
    assert len({p.label for p in PRESETS}) == len(PRESETS)
    assert periods.DEFAULT is LAST_QUARTER


@given(DAYS, st.sampled_from(PRESETS))
def test_every_preset_ends_by_today_and_its_comparison_ends_before_it(
    today: date, preset: periods.Preset
) -> None:
    period = preset.period(today)
    before = period.previous()
    assert period.start <= period.end <= today
    assert before.start <= before.end < period.start


@given(DAYS)
def test_calendar_presets_are_whole_units_compared_with_the_unit_before(today: date) -> None:
    for preset, months in ((LAST_MONTH, 1), (LAST_QUARTER, 3), (LAST_CALENDAR_YEAR, 12)):
        period = preset.period(today)
        assert period.whole_months == months
        before = period.previous()
        assert before.whole_months == months
        assert before.end == period.start - timedelta(days=1)  # immediately before
    quarter = LAST_QUARTER.period(today)
    assert quarter.start.month in (1, 4, 7, 10)


@given(DAYS)
def test_year_on_year_comparisons_are_the_same_days_a_year_earlier(today: date) -> None:
    for preset in (YEAR_SO_FAR, LAST_12_MONTHS):
        period, before = preset.period(today), preset.period(today).previous()
        assert before.start.year == period.start.year - 1
        same_day = (period.start.month, period.start.day)
        if same_day == (2, 29):  # a period from 29 February: the year before has only the 28th
            same_day = (2, 28)
        assert (before.start.month, before.start.day) == same_day
        if (today.month, today.day) != (2, 29):
            assert (before.end.month, before.end.day) == (today.month, today.day)
    rolling = LAST_12_MONTHS.period(today)
    assert rolling.previous().end == rolling.start - timedelta(days=1)  # no gap, no overlap


@given(DAYS, st.integers(1, 400))
def test_days_are_compared_with_the_same_number_of_days(end: date, n: int) -> None:
    period = Period(end - timedelta(days=n - 1), end, periods.Basis.DAYS)
    before = period.previous()
    assert before.days == period.days
    assert before.end == period.start - timedelta(days=1)


def test_definitions_speak_the_language_of_the_moment() -> None:
    from svjournal.core import i18n

    today = date(2026, 11, 26)
    try:
        i18n.use(i18n.PSEUDO)
        text = LAST_QUARTER.definition(today)
    finally:
        i18n.use(i18n.SOURCE)
    assert text.startswith("[Ļåšţ") and "Jul 1" in text  # the words translated, the days CLDR's
