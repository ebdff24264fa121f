"""Settings › Language: the choice is kept on this workstation, the IT policy may set it, and
switching rebuilds every view in the new language without a restart."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from svjournal.core import i18n
from svjournal.core.inputs import CaseInput
from svjournal.core.policy import ENV_POLICY_FILE
from svjournal.ui import language
from svjournal.ui.encounter_editor import EncounterEditor
from svjournal.ui.language_section import LanguageSection
from svjournal.ui.main_window import MainWindow
from svjournal.ui.session import JournalSession


@pytest.fixture(autouse=True)
def _speak_english_afterwards() -> Iterator[None]:
    before = QLocale()
    yield
    language.apply(i18n.SOURCE)
    QLocale.setDefault(before)


def _texts(widget: QApplication | MainWindow) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel) if label.isVisible()]


def _pseudo(text: str) -> bool:
    return text.startswith("[") and "~" in text


def test_switching_rebuilds_the_views_in_the_new_language_and_keeps_the_place(
    session: JournalSession, qtbot: QtBot
) -> None:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    workspace = window.workspace
    assert workspace is not None
    workspace.go_to("Settings", None)
    assert not any(_pseudo(t) for t in _texts(window))

    window.change_language(i18n.PSEUDO)

    assert i18n.current() == i18n.PSEUDO
    assert window.workspace is not None and window.workspace is not workspace
    assert window.workspace.place()[0] == "Settings"
    shown = [t for t in _texts(window) if t.strip()]
    assert shown and any(_pseudo(t) for t in shown)
    assert _pseudo(window.windowTitle())
    menus = window.menuBar().actions()
    assert all(_pseudo(menu.text()) for menu in menus)
    assert len(menus) == 2  # Journal and Edit, the old ones gone, not doubled
    shortcuts = [a.shortcut().toString() for a in window.actions() if not a.shortcut().isEmpty()]
    assert sorted(shortcuts) == ["Ctrl+L", "Ctrl+Q"]  # the old Lock and Quit keys went too

    window.change_language(i18n.SOURCE)
    assert not any(_pseudo(t) for t in _texts(window))
    assert [m.text() for m in window.menuBar().actions()] == ["&Journal", "&Edit"]


def test_a_locked_window_switches_its_lock_screen(session: JournalSession, qtbot: QtBot) -> None:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    window.lock()
    old_view = window.unlock_view
    window.change_language(i18n.PSEUDO)
    assert window.unlock_view is not old_view
    assert window.stack.currentWidget() is window.unlock_view
    assert window.workspace is None and not session.is_unlocked
    assert any(_pseudo(label.text()) for label in window.unlock_view.findChildren(QLabel))


def test_an_open_form_survives_the_switch_as_its_draft(
    session: JournalSession, qtbot: QtBot
) -> None:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    workspace = window.workspace
    assert workspace is not None
    case = session.journal.open_case(
        CaseInput("Robin", "nurse", "icu", "near_miss", "self", date.today())
    )
    workspace.open_case(case.id)
    workspace.log_encounter()
    editor = workspace.encounter_editor
    assert isinstance(editor, EncounterEditor)
    editor.form.red_flags.box("suicidal_thoughts").setChecked(True)

    window.change_language(i18n.PSEUDO)

    reopened = window.workspace.encounter_editor if window.workspace else None
    assert isinstance(reopened, EncounterEditor) and reopened is not editor
    assert reopened.form.red_flags.codes() == ["suicidal_thoughts"]
    assert _pseudo(reopened.windowTitle())
    reopened.close_without_asking()


def test_qt_own_words_follow_the_language() -> None:
    language.apply("de")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
    assert QLocale().language() == QLocale.Language.German
    language.apply(i18n.SOURCE)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_picking_a_language_in_settings_switches_the_window(
    session: JournalSession, qtbot: QtBot
) -> None:
    """The whole path a person takes: Settings › Language, pick one, the window speaks it
    (the signal was emitted, but nothing listened, so the window stayed as it was)."""
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    assert window.workspace is not None
    window.workspace.go_to("Settings", None)
    combo = window.workspace.settings.language.combo
    index = combo.findData("de")
    assert index > 0
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    qtbot.waitUntil(lambda: i18n.current() == "de")
    qtbot.waitUntil(
        lambda: window.workspace is not None and window.workspace.place()[0] == "Settings"
    )
    assert window.workspace is not None
    nav = window.workspace.nav
    assert "Einstellungen" in [nav.item(row).text() for row in range(nav.count())]
    assert window.workspace.settings.language.combo.currentData() == "de"
    qtbot.wait(50)  # the new lock screen's own deferred focus has run
    # The focus stays on the list just used, not in the hidden lock screen's passphrase
    # field (what was typed next went there).
    focused = window.focusWidget()
    assert focused is window.workspace.settings.language.combo, focused
    language.remember(None)


def test_the_choice_is_remembered_and_picking_one_asks_for_the_switch(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(i18n, "shipped", lambda root=None: [i18n.SOURCE, "de"])
    monkeypatch.setattr(language, "policy_language", lambda chosen=None: None)
    monkeypatch.setattr(language, "policy_locks_language", lambda: None)
    section = LanguageSection()
    qtbot.addWidget(section)
    assert section.combo.itemData(0) is None  # "As the system" first
    index = section.combo.findData("de")
    assert index > 0 and section.combo.itemText(index) == "Deutsch"
    with qtbot.waitSignal(section.language_chosen) as chosen:
        section.combo.activated.emit(index)
    assert chosen.args == ["de"]
    assert language.chosen() == "de"
    section.combo.activated.emit(0)
    assert language.chosen() is None


def test_a_policy_language_wins_and_greys_the_choice(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(language, "policy_language", lambda chosen=None: "de")
    monkeypatch.setattr(language, "policy_locks_language", lambda: "de")
    language.remember("fr")
    assert language.for_choice("fr") == "de"
    section = LanguageSection()
    qtbot.addWidget(section)
    assert not section.combo.isEnabled()
    assert "Deutsch" in section.policy_note.text()


def test_start_up_order_policy_then_explicit_then_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(language, "policy_language", lambda chosen=None: None)
    language.remember("de")
    i18n.use(i18n.SOURCE)  # nothing asked for at start-up: the Settings choice
    assert language.start() == "de"
    i18n.use(i18n.PSEUDO, explicit=True)  # --lang en_XA
    assert language.start() == i18n.PSEUDO
    monkeypatch.setattr(language, "policy_language", lambda chosen=None: "fr")
    assert language.start() == "fr"


def test_a_locking_policy_file_sets_the_language_and_greys_the_choice(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[language]\nvalue = "de"\nlocked = true\n', encoding="utf-8")
    monkeypatch.setenv(ENV_POLICY_FILE, str(policy))
    language.remember("fr")
    i18n.use(i18n.SOURCE)
    assert language.start() == "de"
    section = LanguageSection()
    qtbot.addWidget(section)
    assert not section.combo.isEnabled()
    assert "Deutsch" in section.policy_note.text()

    # Not locked: a default for whoever has not chosen; a choice made stands.
    policy.write_text('[language]\nvalue = "de"\n', encoding="utf-8")
    assert language.for_choice(None) == "de"
    assert language.for_choice("fr") == "fr"


def test_the_proposed_crisis_line_follows_the_region_not_the_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from svjournal.ui.contacts_table import locale_territory

    # A workstation whose locale names no country (C, POSIX): Spanish must not mean Spain.
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale.c()))
    language.apply("es")
    assert QLocale().language() == QLocale.Language.Spanish
    assert locale_territory() == ""
    # Austria, speaking German: the Austrian line.
    monkeypatch.setattr(
        QLocale,
        "system",
        staticmethod(lambda: QLocale(QLocale.Language.German, QLocale.Country.Austria)),
    )
    language.apply("de")
    assert locale_territory() == "AT"
