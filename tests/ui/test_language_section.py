"""Settings › Language as shown: the help under the list takes the section's width (it
wrapped into a column as narrow as the list; both walkthroughs saw it), and the list names
the language the window speaks."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from svjournal.core import i18n
from svjournal.ui import language
from svjournal.ui.language_section import LanguageSection
from svjournal.ui.pages.common import field_hint


def test_the_help_uses_the_width_and_the_list_keeps_its_own(qtbot: QtBot) -> None:
    section = LanguageSection()
    qtbot.addWidget(section)
    section.resize(800, 300)
    section.show()
    qtbot.waitExposed(section)
    helps = [w for w in section.findChildren(type(field_hint("x"))) if w.wordWrap() and w.text()]
    assert helps
    longest = max(helps, key=lambda w: len(w.text()))
    assert longest.width() > 2 * section.combo.width(), (longest.width(), section.combo.width())
    assert section.combo.width() <= section.combo.sizeHint().width() + 2


def test_a_language_asked_for_at_start_is_the_one_the_list_shows(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With SVJOURNAL_LANG=fr the window spoke French while the list read "As the system
    (English (US))"."""
    monkeypatch.setattr(language, "chosen", lambda: None)
    monkeypatch.setattr(language, "policy_locks_language", lambda: None)
    monkeypatch.setattr(i18n, "explicitly_chosen", lambda: True)
    monkeypatch.setattr(i18n, "current", lambda: "fr")
    section = LanguageSection()
    qtbot.addWidget(section)
    assert section.combo.currentData() == "fr"
    monkeypatch.setattr(i18n, "explicitly_chosen", lambda: False)
    section.refresh()
    assert section.combo.currentData() is None  # as the system, when nothing was asked
