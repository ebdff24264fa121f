"""Identifier warnings in the editors: where they sit, what they name, how they are worded."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QDialog, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from svjournal.core.inputs import CaseInput
from svjournal.core.journal import Journal
from svjournal.core.records import CaseRecord
from svjournal.ui.case_editor import CaseEditor
from svjournal.ui.encounter_editor import EncounterEditor

LEAKY = "Mrs Patel's MRN 1234567, DOB 3/4/1950"


def _case(journal: Journal) -> CaseRecord:
    data = CaseInput("QX-7731", "nurse", "icu", "unexpected_death", "manager", date(2026, 11, 20))
    return journal.open_case(data)


def _shown(qtbot: QtBot, dialog: QDialog, width: int, height: int) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.resize(width, height)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.wait(20)  # let the posted layout requests run, as they have by the time one scrolls
    return dialog


def _scroll_area(widget: QWidget) -> QScrollArea:
    parent = widget.parentWidget()
    while not isinstance(parent, QScrollArea):
        assert parent is not None
        parent = parent.parentWidget()
    return parent


def _in_view(widget: QWidget, scroll: QScrollArea) -> bool:
    viewport = scroll.viewport()
    top_left = widget.mapTo(viewport, widget.rect().topLeft())
    return viewport.rect().contains(QRect(top_left, widget.size()))


@pytest.mark.parametrize("size", [(1000, 560), (1340, 700)], ids=["1024x640", "1366x768"])
def test_note_warning_is_in_view_while_the_note_is(
    qtbot: QtBot, journal: Journal, size: tuple[int, int]
) -> None:
    # Issue 10: the warning sat under the note, below the visible area until one scrolled.
    editor = _shown(qtbot, EncounterEditor(journal, _case(journal)), *size)
    f = editor.form
    scroll = _scroll_area(f.note)
    # Scroll only as far as needed to see the whole note, as someone scrolling down to it would.
    # (ensureWidgetVisible would aim at the text cursor, not the whole box.)
    note_bottom = f.note.mapTo(scroll.widget(), f.note.rect().bottomLeft()).y()
    scroll.verticalScrollBar().setValue(note_bottom + 1 - scroll.viewport().height())
    assert _in_view(f.note, scroll)
    f.note.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClicks(f.note, LEAKY)
    qtbot.waitUntil(f.phi_warning.isVisible)
    assert _in_view(f.note, scroll)
    assert _in_view(f.phi_warning, scroll)


def test_note_warning_does_not_move_the_note(qtbot: QtBot, journal: Journal) -> None:
    editor = _shown(qtbot, EncounterEditor(journal, _case(journal)), 1000, 560)
    f = editor.form
    before = f.note.geometry()
    f.note.setPlainText(LEAKY)
    qtbot.waitUntil(f.phi_warning.isVisible)
    qtbot.wait(10)
    assert f.note.geometry() == before


def test_note_warning_names_every_kind_found(qtbot: QtBot, journal: Journal) -> None:
    # Issue 10: the record number and date were named, the highlighted name was not.
    editor = _shown(qtbot, EncounterEditor(journal, _case(journal)), 1000, 560)
    f = editor.form
    f.note.setPlainText(LEAKY)
    text = f.phi_warning.text()
    for noun in ("a name", "a record or ID number", "a date of birth"):
        assert noun in text
    assert "patient identifiers" in text
    assert "Patel" not in text and "1234567" not in text and "1950" not in text


@pytest.mark.parametrize("alias", ["Jane Smith", "Mrs. Jones"])
def test_pseudonym_warning_is_worded_for_the_colleague(
    qtbot: QtBot, journal: Journal, alias: str
) -> None:
    editor = _shown(qtbot, CaseEditor(journal), 1000, 560)
    editor.alias.setText(alias)
    assert editor.alias_warning.isVisible()
    text = editor.alias_warning.text()
    assert "This looks like a real name." in text
    assert "Use a pseudonym so the colleague you support cannot be identified." in text
    assert "patient" not in text.lower() and alias not in text
    editor.alias.setText("NR-12")
    assert not editor.alias_warning.isVisible()
