"""Settings › Language: the help under the list takes the section's width (it wrapped into a
column as narrow as the list, with the rest of the row empty; both walkthroughs saw it)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

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
