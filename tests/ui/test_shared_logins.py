"""Shared logins: the lock screen lists the account's other journals by label only, opens
another journal (releasing the current one) and creates a new one with a label and without
remembering; Settings edits the label."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QWizard
from pytestqt.qtbot import QtBot

from svjournal.core.errors import VaultInUse
from svjournal.core.journals import JournalList
from svjournal.core.secrets import OSKeyStore
from svjournal.core.vault import Vault
from svjournal.ui import errors, file_dialogs, journal_switcher, main_window
from svjournal.ui.main_window import MainWindow
from svjournal.ui.session import JournalSession
from svjournal.ui.wizard import FirstRunWizard
from tests.conftest import FAST_KDF, PASSPHRASE, MemoryKeyring


def make_vault(path: Path) -> Path:
    vault, _key = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    vault.close()
    return path


@pytest.fixture
def journals(tmp_path: Path) -> dict[str, Path]:
    """Three journals of one shared login; "Sam" is the one on screen."""
    names = ("Sam", "Robin", "Ade")
    made = {name: make_vault(tmp_path / f"vault-{i}") for i, name in enumerate(names)}
    known = JournalList()
    for name in ("Ade", "Robin", "Sam"):
        known.opened(made[name], name)
    return made


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    seen: list[BaseException] = []
    monkeypatch.setattr(errors, "show_error", lambda _parent, exc: seen.append(exc))
    return seen


@pytest.fixture
def window(qtbot: QtBot, journals: dict[str, Path]) -> Iterator[MainWindow]:
    session = JournalSession(Vault.open(journals["Sam"]), OSKeyStore())
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.session.close()


def visible_texts(widget: object) -> list[str]:
    found = [w.text() for w in widget.findChildren(QLabel) if w.isVisible()]  # type: ignore[attr-defined]
    found += [w.text() for w in widget.findChildren(QPushButton) if w.isVisible()]  # type: ignore[attr-defined]
    return found


def assert_released(path: Path) -> None:
    """The process lock is free: another open of the folder succeeds (flock is per open)."""
    Vault.open(path).close()


def test_the_lock_screen_lists_the_other_journals_by_label_only(
    window: MainWindow, journals: dict[str, Path]
) -> None:
    view = window.unlock_view
    assert view.heading.text() == "“Sam” is locked"
    labels = [b.text() for b in view.switcher.journal_buttons]
    assert labels == ["Robin", "Ade"]  # the current one is not offered; newest first
    texts = " ".join(visible_texts(view))
    for path in journals.values():
        assert str(path) not in texts and path.name not in texts
    assert view.switcher.open_button.isVisible() and view.switcher.create_button.isVisible()


def test_choosing_a_label_releases_this_journal_and_shows_the_others_lock_screen(
    qtbot: QtBot, window: MainWindow, journals: dict[str, Path]
) -> None:
    old = window.session
    robin = next(b for b in window.unlock_view.switcher.journal_buttons if b.text() == "Robin")
    robin.click()
    assert window.session is not old
    assert not old.vault.is_unlocked
    assert_released(journals["Sam"])
    assert window.session.vault.path == journals["Robin"]
    view = window.unlock_view
    assert window.stack.currentWidget() is view
    assert view.heading.text() == "“Robin” is locked"
    assert [b.text() for b in view.switcher.journal_buttons] == ["Sam", "Ade"]
    view.field.setText(PASSPHRASE)
    view.unlock_button.click()
    assert window.session.is_unlocked and window.workspace is not None
    assert JournalList().entries()[0].path == journals["Robin"]  # opened: first now
    # Locking again and going back: the journal opened before is released too.
    window.lock()
    sam = next(b for b in window.unlock_view.switcher.journal_buttons if b.text() == "Sam")
    sam.click()
    assert window.session.vault.path == journals["Sam"]
    assert_released(journals["Robin"])


def test_a_journal_that_cannot_be_opened_keeps_the_current_one(
    window: MainWindow,
    journals: dict[str, Path],
    shown_errors: list[BaseException],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    current = window.session

    def in_use(path: Path, **_kw: object) -> Vault:
        raise VaultInUse(path)

    monkeypatch.setattr(journal_switcher.Vault, "open", in_use)
    assert window.open_journal(journals["Robin"]) is False
    assert window.session is current
    assert isinstance(shown_errors[0], VaultInUse)


def test_open_another_journal_picks_a_folder(
    window: MainWindow,
    journals: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    told: list[str] = []
    monkeypatch.setattr(
        journal_switcher.QMessageBox, "information", lambda _p, title, _t: told.append(title)
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    elsewhere = make_vault(tmp_path / "elsewhere")
    choice = [str(empty)]
    monkeypatch.setattr(file_dialogs.QFileDialog, "getExistingDirectory", lambda *a, **k: choice[0])
    window.unlock_view.switcher.open_button.click()
    assert told == ["No journal there"]
    assert window.session.vault.path == journals["Sam"]
    choice[0] = str(elsewhere)
    window.unlock_view.switcher.open_button.click()
    assert window.session.vault.path == elsewhere
    assert window.unlock_view.heading.text() == "Journal locked"  # no label chosen yet


def drive_wizard(qtbot: QtBot, seen: dict[str, object]) -> Callable[[FirstRunWizard], int]:
    """Stands in for FirstRunWizard.exec: fills the pages as a user would, then finishes."""

    def run(wizard: FirstRunWizard) -> int:
        wizard.show()
        wizard.button(QWizard.WizardButton.NextButton).click()
        page = wizard.passphrase_page
        page.passphrase.setText(PASSPHRASE)
        page.repeat.setText(PASSPHRASE)
        qtbot.waitUntil(lambda: not page.meter.is_pending)
        seen["complete_without_label"] = page.isComplete()
        page.label.setText("Kim")
        wizard.button(QWizard.WizardButton.CommitButton).click()
        key_page = wizard.key_page
        seen["remember_enabled"] = key_page.remember_check.isEnabled()
        seen["remember_checked"] = key_page.remember_check.isChecked()
        seen["note"] = key_page.remember_note.text()
        key_page.stored_check.setChecked(True)
        wizard.button(QWizard.WizardButton.FinishButton).click()
        return int(wizard.result())

    return run


def test_create_a_new_journal_with_a_label_and_without_remembering(
    qtbot: QtBot,
    window: MainWindow,
    journals: dict[str, Path],
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    new_path = tmp_path / "journals" / "journal-new"
    monkeypatch.setattr(main_window, "new_journal_path", lambda: new_path)
    monkeypatch.setattr(FirstRunWizard, "_kdf", FAST_KDF, raising=False)
    original_init = FirstRunWizard.__init__

    def fast_init(self: FirstRunWizard, *args: object, **kwargs: object) -> None:
        original_init(self, *args, **{**kwargs, "kdf": FAST_KDF})  # type: ignore[arg-type]

    monkeypatch.setattr(FirstRunWizard, "__init__", fast_init)
    seen: dict[str, object] = {}
    monkeypatch.setattr(FirstRunWizard, "exec", drive_wizard(qtbot, seen))
    old = window.session
    window.unlock_view.switcher.create_button.click()
    assert seen["complete_without_label"] is False  # a label is needed on a shared login
    assert seen["remember_enabled"] is True  # the keyring works here …
    assert seen["remember_checked"] is False  # … and remembering is still off by default
    assert "shared by several people" in str(seen["note"])
    assert memory_keyring.entries == {}
    assert window.session is not old and window.session.vault.path == new_path
    assert window.session.is_unlocked and window.workspace is not None
    assert_released(journals["Sam"])
    assert JournalList().label_of(new_path) == "Kim"
    window.lock()
    assert window.unlock_view.heading.text() == "“Kim” is locked"
    assert "Sam" in [b.text() for b in window.unlock_view.switcher.journal_buttons]


def test_cancelling_the_new_journal_wizard_changes_nothing(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FirstRunWizard, "exec", lambda self: 0)
    current = window.session
    assert window.create_journal() is False
    assert window.session is current and current.vault.path.exists()


def test_the_label_is_edited_in_settings(
    qtbot: QtBot, journals: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    session = JournalSession(Vault.open(journals["Sam"]), OSKeyStore())
    session.unlock(PASSPHRASE)
    win = MainWindow(session)
    qtbot.addWidget(win)
    assert win.workspace is not None
    page = win.workspace.settings
    page.refresh()
    assert page.journal_label.text() == "Sam"
    page.journal_label.setText("Sam K.")
    page.save()
    assert page.status.text() == "Saved."
    assert JournalList().label_of(journals["Sam"]) == "Sam K."
    win.lock()
    assert win.unlock_view.heading.text() == "“Sam K.” is locked"
    win.session.close()
