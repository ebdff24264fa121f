"""Escalation contacts edited as a table; asked for on the first run and in Settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QMessageBox, QPlainTextEdit, QTableView, QTableWidget, QWizard
from pytestqt.qtbot import QtBot

from svjournal.core.escalation import US_CRISIS_LINE
from svjournal.core.inputs import CaseInput
from svjournal.core.journal import Journal
from svjournal.core.secrets import OSKeyStore
from svjournal.core.vault import Vault
from svjournal.ui import errors
from svjournal.ui import wizard as wizard_module
from svjournal.ui.contacts_table import ContactsEditor, locale_territory
from svjournal.ui.encounter_editor import EncounterEditor
from svjournal.ui.pages.settings import SettingsPage
from svjournal.ui.session import JournalSession
from svjournal.ui.wizard import FirstRunWizard
from tests.conftest import FAST_KDF, PASSPHRASE

LOCAL = {"name": "Staff support line", "phone": "0161 555 0100", "note": "Weekdays 9–5"}


@pytest.fixture
def territory() -> Iterator[Callable[[QLocale.Country], None]]:
    before = QLocale()

    def use(country: QLocale.Country) -> None:
        QLocale.setDefault(QLocale(QLocale.Language.English, country))

    yield use
    QLocale.setDefault(before)


def _settings(qtbot: QtBot, session: JournalSession) -> SettingsPage:
    page = SettingsPage(session)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    page.refresh()
    return page


def _type_row(editor: ContactsEditor, row: int, values: dict[str, str]) -> None:
    for column, key in enumerate(("name", "phone", "note")):
        assert editor.model.setData(editor.model.index(row, column), values[key])


def test_locale_territory_reads_the_two_letter_code() -> None:
    assert locale_territory(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)) == "US"
    assert locale_territory(QLocale(QLocale.Language.German, QLocale.Country.Germany)) == "DE"
    assert locale_territory(QLocale.c()) == ""


def test_settings_edits_contacts_in_a_model_view_table(
    qtbot: QtBot, session: JournalSession
) -> None:
    # Issue 10: they were "name | phone | note" lines typed into a text box.
    page = _settings(qtbot, session)
    assert isinstance(page.contacts.table, QTableView)
    assert not page.findChildren(QTableWidget)
    assert page.contacts.table.model() is page.contacts.model
    headers = [page.contacts.model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)]
    assert headers == ["Name", "How to reach", "When"]
    assert not any(
        "|" in e.accessibleName() or "per line" in e.accessibleName()
        for e in page.findChildren(QPlainTextEdit)
        if "ontact" in e.accessibleName()
    )


def test_settings_asks_for_local_contacts_until_saved_and_never_assumes_988(
    qtbot: QtBot, session: JournalSession, territory: Callable[[QLocale.Country], None]
) -> None:
    territory(QLocale.Country.Japan)  # a territory whose national line the journal lacks
    page = _settings(qtbot, session)
    assert page.contacts_prompt.isVisible()
    assert page.contacts.contacts() == []  # not the US line, nor any other
    page.contacts_prompt.button.click()  # goes to the table with a fresh row to fill
    assert page.contacts.model.rowCount() == 1
    _type_row(page.contacts, 0, LOCAL)
    page.save()
    j = session.journal
    assert j.setting("escalation_contacts") == [LOCAL]
    assert j.setting("escalation_contacts_confirmed") is True
    assert not page.contacts_prompt.isVisible()
    page.refresh()
    assert not page.contacts_prompt.isVisible() and page.contacts.contacts() == [LOCAL]


def test_saving_other_settings_with_no_contacts_keeps_asking(
    qtbot: QtBot, session: JournalSession, territory: Callable[[QLocale.Country], None]
) -> None:
    territory(QLocale.Country.Japan)
    page = _settings(qtbot, session)
    page.idle.setValue(9)
    page.save()
    assert session.journal.setting("escalation_contacts_confirmed") is False
    assert page.contacts_prompt.isVisible()


def test_settings_proposes_988_in_the_us(
    qtbot: QtBot, session: JournalSession, territory: Callable[[QLocale.Country], None]
) -> None:
    territory(QLocale.Country.UnitedStates)
    page = _settings(qtbot, session)
    assert page.contacts.contacts() == [US_CRISIS_LINE]
    assert page.contacts_prompt.isVisible()  # a proposal, still to be checked and saved


def test_rows_are_added_removed_and_moved(qtbot: QtBot, session: JournalSession) -> None:
    page = _settings(qtbot, session)
    editor = page.contacts
    assert not editor.remove_button.isEnabled() and not editor.up_button.isEnabled()
    for n in range(3):
        editor.add_button.click()
        _type_row(editor, n, {"name": f"Line {n}", "phone": f"{n}00", "note": ""})
    editor.table.closePersistentEditor(editor.table.currentIndex())
    editor._select(2)
    assert editor.up_button.isEnabled() and not editor.down_button.isEnabled()
    editor.up_button.click()
    assert [c["name"] for c in editor.contacts()] == ["Line 0", "Line 2", "Line 1"]
    assert editor.current_row() == 1
    editor.up_button.click()
    assert [c["name"] for c in editor.contacts()] == ["Line 2", "Line 0", "Line 1"]
    editor.down_button.click()
    assert [c["name"] for c in editor.contacts()] == ["Line 0", "Line 2", "Line 1"]
    editor.remove_button.click()  # the moved row, still the current one
    assert [c["name"] for c in editor.contacts()] == ["Line 0", "Line 1"]
    page.save()
    assert [c["name"] for c in session.journal.setting("escalation_contacts")] == [
        "Line 0",
        "Line 1",
    ]


def test_a_blank_row_is_not_saved(qtbot: QtBot, session: JournalSession) -> None:
    page = _settings(qtbot, session)
    page.contacts.add_button.click()
    page.contacts.add_button.click()
    _type_row(page.contacts, 1, LOCAL)
    assert page.contacts.contacts() == [LOCAL]


def test_the_old_us_default_is_not_shown_outside_the_us(
    qtbot: QtBot, journal: Journal, territory: Callable[[QLocale.Country], None]
) -> None:
    # A journal from an earlier version stored 988 by default, wherever it was used.
    journal.set_setting("escalation_contacts", [dict(US_CRISIS_LINE)])
    territory(QLocale.Country.Japan)
    case = journal.open_case(
        CaseInput("QX-1", "nurse", "icu", "unexpected_death", "manager", date(2026, 11, 20))
    )
    editor = EncounterEditor(journal, case)
    qtbot.addWidget(editor)
    text = editor.form.escalation.contacts_label.text()
    assert "988" not in text and "No escalation contacts are configured yet" in text


# --- first run ---------------------------------------------------------------------------


@pytest.fixture
def make_wizard(
    qtbot: QtBot, vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[], FirstRunWizard]]:
    monkeypatch.setattr(
        wizard_module.QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Close
    )
    monkeypatch.setattr(errors, "show_error", lambda parent, exc: pytest.fail(repr(exc)))
    made: list[FirstRunWizard] = []

    def make() -> FirstRunWizard:
        wizard = FirstRunWizard(vault_path, OSKeyStore(), kdf=FAST_KDF)
        qtbot.addWidget(wizard)
        wizard.show()
        made.append(wizard)
        wizard.next()
        wizard.passphrase_page.passphrase.setText(PASSPHRASE)
        wizard.passphrase_page.repeat.setText(PASSPHRASE)
        wizard.passphrase_page.meter.flush()
        wizard.next()
        assert wizard.currentPage() is wizard.key_page
        wizard.key_page.stored_check.setChecked(True)
        return wizard

    yield make
    for wizard in made:
        if wizard.vault is not None:
            wizard.vault.close()


def _stored(vault: Vault) -> tuple[list[dict[str, str]], bool]:
    journal = Journal(vault.engine)
    return journal.setting("escalation_contacts"), journal.setting("escalation_contacts_confirmed")


def test_first_run_asks_for_local_contacts_after_the_recovery_key(
    make_wizard: Callable[[], FirstRunWizard], territory: Callable[[QLocale.Country], None]
) -> None:
    territory(QLocale.Country.Japan)
    wizard = make_wizard()
    assert wizard.button(QWizard.WizardButton.NextButton).isVisible()
    wizard.next()
    assert wizard.currentPage() is wizard.contacts_page
    editor = wizard.contacts_page.contacts
    assert editor.contacts() == []  # no line proposed where none is known
    editor.add_button.click()
    _type_row(editor, 0, LOCAL)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.vault is not None
    assert _stored(wizard.vault) == ([LOCAL], True)


def test_first_run_contacts_can_be_skipped_and_settings_asks_later(
    make_wizard: Callable[[], FirstRunWizard], territory: Callable[[QLocale.Country], None]
) -> None:
    territory(QLocale.Country.UnitedStates)
    wizard = make_wizard()
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isVisible() and finish.isEnabled()  # from the key page: skips the contacts
    finish.click()
    assert wizard.vault is not None
    assert _stored(wizard.vault) == ([], False)


def test_first_run_proposes_988_in_the_us(
    make_wizard: Callable[[], FirstRunWizard], territory: Callable[[QLocale.Country], None]
) -> None:
    territory(QLocale.Country.UnitedStates)
    wizard = make_wizard()
    wizard.next()
    assert wizard.contacts_page.contacts.contacts() == [US_CRISIS_LINE]
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.vault is not None
    assert _stored(wizard.vault) == ([US_CRISIS_LINE], True)


def test_the_first_run_table_needs_no_sideways_scrolling(
    qtbot: QtBot, make_wizard: Callable[[], FirstRunWizard]
) -> None:
    # Seen in a real window: the wizard's table scrolled sideways to reach "When".
    wizard = make_wizard()
    wizard.next()
    table = wizard.contacts_page.contacts.table
    qtbot.waitUntil(table.isVisible)
    assert not table.horizontalScrollBar().isVisible()
    header = table.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(3)) <= table.viewport().width()


def test_settings_proposes_the_national_line_of_the_territory_unsaved(
    qtbot: QtBot, session: JournalSession, territory: Callable[[QLocale.Country], None]
) -> None:
    territory(QLocale.Country.Austria)
    page = _settings(qtbot, session)
    assert [c["phone"] for c in page.contacts.contacts()] == ["142"]
    assert page.contacts_prompt.isVisible()  # a proposal, still to be checked and saved
    assert session.journal.setting("escalation_contacts") == []
