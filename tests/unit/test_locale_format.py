"""Dates, numbers and percentages as each language writes them (CLDR, the same data QLocale
reads), for the reports, charts and calendar, which have no Qt."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from svjournal.core import i18n, locale_format

DAY = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("language", "day", "number", "percent", "week_starts"),
    [
        ("en_US", "Dec 3, 2026", "12,345.5", "10.8%", 6),
        ("en_GB", "3 Dec 2026", "12,345.5", "10.8%", 0),
        ("de", "03.12.2026", "12.345,5", "10,8\xa0%", 0),
        ("fr", "3 déc. 2026", "12\u202f345,5", "10,8\xa0%", 0),
        ("es", "3 dic 2026", "12.345,5", "10,8\xa0%", 0),
        ("nl", "3 dec 2026", "12.345,5", "10,8%", 0),
        ("pt_BR", "3 de dez. de 2026", "12.345,5", "10,8%", 6),
        ("it", "3 dic 2026", "12.345,5", "10,8%", 0),
    ],
)
def test_each_language_writes_its_own_way(
    language: str, day: str, number: str, percent: str, week_starts: int
) -> None:
    assert locale_format.format_date(DAY, language=language) == day
    assert locale_format.format_number(12345.5, language=language) == number
    assert locale_format.format_percent(0.108, digits=1, language=language) == percent
    assert locale_format.first_weekday(language) == week_starts


def test_times_have_no_seconds_and_months_no_day() -> None:
    moment = datetime(2026, 12, 3, 14, 5, 59)
    assert locale_format.format_datetime(moment, "short", language="de") == "03.12.26, 14:05"
    assert locale_format.format_datetime(moment, "short", language="en_US").endswith("2:05\u202fPM")
    assert locale_format.format_month(DAY, language="de") == "Dez. 2026"
    assert "3" not in locale_format.format_month(DAY, language="fr")


def test_the_current_language_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "current", lambda: "de")
    assert locale_format.format_date(DAY) == "03.12.2026"
    monkeypatch.setattr(i18n, "current", lambda: i18n.PSEUDO)
    assert locale_format.format_date(DAY) == "Dec 3, 2026"  # the pseudo-locale tests words
