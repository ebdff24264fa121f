"""Qt's formats follow the language svjournal speaks (dates in editors, calendar pop-ups)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale

from svjournal.core import i18n
from svjournal.ui.app import speak_locale


@pytest.fixture(autouse=True)
def _restore() -> Iterator[None]:
    before = QLocale()
    yield
    i18n.use(i18n.SOURCE)
    QLocale.setDefault(before)


@pytest.mark.parametrize(
    ("language", "qt_language", "first_day"),
    [
        ("de", QLocale.Language.German, "Monday"),
        ("pt_BR", QLocale.Language.Portuguese, "Sunday"),
        ("fr", QLocale.Language.French, "Monday"),
    ],
)
def test_qt_formats_follow_the_language(
    language: str, qt_language: QLocale.Language, first_day: str
) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    i18n.use(language)
    speak_locale()
    assert QLocale().language() == qt_language
    assert QLocale().firstDayOfWeek().name == first_day


def test_the_source_language_and_the_pseudo_locale_leave_qt_as_the_system_has_it() -> None:
    before = QLocale().name()
    for language in (i18n.SOURCE, i18n.PSEUDO):
        i18n.use(language)
        speak_locale()
        assert QLocale().name() == before
