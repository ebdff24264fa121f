"""First-run wizard, lock screen and passphrase recovery, driven offscreen with pytest-qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from svjournal.core.errors import (
    KeyringFailed,
    KeyringUnavailable,
    VaultExists,
    WrongPassphrase,
    WrongRecoveryKey,
)
from svjournal.core.secrets import SERVICE, OSKeyStore
from svjournal.core.vault import Vault
from svjournal.ui import errors, file_dialogs, passphrase_widgets, recovery_key_page
from svjournal.ui import wizard as wizard_module
from svjournal.ui.recovery import RecoveryDialog
from svjournal.ui.session import JournalSession
from svjournal.ui.unlock import WRONG_PASSPHRASE_TEXT, UnlockView, default_delay_ms
from svjournal.ui.wizard import FirstRunWizard
from tests.conftest import FAST_KDF, PASSPHRASE, MemoryKeyring

NEW_PASSPHRASE = "maple river lantern quietly"
KEY_SHAPE = re.compile(r"^[A-Z2-9]{5}(-[A-Z2-9]{5}){5}$")


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """errors.show_error replaced by a recorder, so no modal box ever blocks a test."""
    seen: list[BaseException] = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc: seen.append(exc))
    return seen


@pytest.fixture
def make_wizard(
    qtbot: QtBot,
    vault_path: Path,
    shown_errors: list[BaseException],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Callable[..., FirstRunWizard]]:
    # pytest-qt closes leftover widgets after each test; closing a wizard that has created a
    # vault asks first, and that question must not block.
    close = QMessageBox.StandardButton.Close
    monkeypatch.setattr(wizard_module.QMessageBox, "question", lambda *a, **k: close)
    made: list[FirstRunWizard] = []

    def make(keystore: object | None = None) -> FirstRunWizard:
        wizard = FirstRunWizard(vault_path, keystore or OSKeyStore(), kdf=FAST_KDF)
        qtbot.addWidget(wizard)
        wizard.show()
        made.append(wizard)
        return wizard

    yield make
    for wizard in made:
        if wizard.vault is not None:
            wizard.vault.close()


def to_passphrase_page(qtbot: QtBot, wizard: FirstRunWizard, text: str, again: str) -> None:
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert wizard.currentPage() is wizard.passphrase_page
    page = wizard.passphrase_page
    page.passphrase.setText(text)
    page.repeat.setText(again)
    qtbot.waitUntil(lambda: not page.meter.is_pending)


def create(qtbot: QtBot, wizard: FirstRunWizard) -> str:
    """Through to the recovery-key page; returns the key as shown."""
    to_passphrase_page(qtbot, wizard, PASSPHRASE, PASSPHRASE)
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert commit.isEnabled()
    commit.click()
    assert wizard.currentPage() is wizard.key_page
    return wizard.key_page.key_label.text()


# --- wizard ------------------------------------------------------------------------------


def test_wizard_creates_a_vault_whose_recovery_key_is_the_one_shown(
    qtbot: QtBot, make_wizard: Callable[..., FirstRunWizard], vault_path: Path, shown_errors
) -> None:
    wizard = make_wizard()
    shown = create(qtbot, wizard)
    assert KEY_SHAPE.match(shown)
    assert wizard.passphrase_page.passphrase.text() == ""  # not kept once the vault exists

    wizard.key_page.stored_check.setChecked(True)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert wizard.key_page.key_label.text() == ""  # gone from every widget
    vault = wizard.vault
    assert vault is not None and vault.is_unlocked
    session = JournalSession(vault, OSKeyStore())
    with qtbot.waitSignal(session.unlocked):
        session.adopt_unlocked()
    assert shown_errors == []

    wizard.vault = None
    session.close()
    with Vault.open(vault_path) as reopened:
        typed = shown.lower().replace("-", " ")  # as someone might type it from paper
        reopened.unlock_with_recovery_key(typed, NEW_PASSPHRASE)
        reopened.lock()
        with pytest.raises(WrongPassphrase):
            reopened.unlock(PASSPHRASE)
        reopened.unlock(NEW_PASSPHRASE)


def test_weak_passphrase_keeps_next_disabled_with_feedback(
    qtbot: QtBot, make_wizard: Callable[..., FirstRunWizard], vault_path: Path
) -> None:
    wizard = make_wizard()
    to_passphrase_page(qtbot, wizard, "password1234", "password1234")
    page = wizard.passphrase_page
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    assert "common" in page.meter.feedback.text()
    assert "not yet strong enough" in page.meter.verdict.text()
    assert page.meter.crack_time.text().startswith("Estimated time to guess it offline")
    assert "not strong enough" in page.message.text()
    assert not page.validatePage()
    assert not Vault.exists(vault_path)


def test_mismatched_passphrases_keep_next_disabled(
    qtbot: QtBot, make_wizard: Callable[..., FirstRunWizard], vault_path: Path
) -> None:
    wizard = make_wizard()
    to_passphrase_page(qtbot, wizard, PASSPHRASE, PASSPHRASE + " ")
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    assert wizard.passphrase_page.message.text() == "The two passphrases do not match."
    wizard.passphrase_page.repeat.setText(PASSPHRASE)
    assert wizard.button(QWizard.WizardButton.CommitButton).isEnabled()


def test_finish_disabled_until_the_key_is_stored(
    qtbot: QtBot, make_wizard: Callable[..., FirstRunWizard]
) -> None:
    wizard = make_wizard()
    create(qtbot, wizard)
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()
    wizard.key_page.stored_check.setChecked(True)
    assert finish.isEnabled()
    wizard.key_page.stored_check.setChecked(False)
    assert not finish.isEnabled()


def test_creation_error_is_shown_and_the_wizard_stays(
    qtbot: QtBot, make_wizard: Callable[..., FirstRunWizard], vault_path: Path, shown_errors
) -> None:
    Vault.create(vault_path, PASSPHRASE, kdf=FAST_KDF)[0].close()
    wizard = make_wizard()
    to_passphrase_page(qtbot, wizard, PASSPHRASE, PASSPHRASE)
    wizard.button(QWizard.WizardButton.CommitButton).click()
    assert [type(e) for e in shown_errors] == [VaultExists]
    assert wizard.currentPage() is wizard.passphrase_page
    assert wizard.vault is None


def test_remember_is_disabled_with_the_reason_without_a_keyring(
    qtbot: QtBot, make_wizard: Callable[..., FirstRunWizard]
) -> None:
    wizard = make_wizard()
    create(qtbot, wizard)
    page = wizard.key_page
    assert not page.remember_check.isEnabled()
    assert "Not available here" in page.remember_note.text()
    assert "keyring" in page.remember_note.text()


def test_remember_stores_the_key_with_a_working_keyring(
    qtbot: QtBot, make_wizard: Callable[..., FirstRunWizard], memory_keyring: MemoryKeyring
) -> None:
    wizard = make_wizard()
    create(qtbot, wizard)
    page = wizard.key_page
    assert page.remember_check.isEnabled()
    assert "shared by several people" in page.remember_note.text()
    page.remember_check.setChecked(True)
    page.stored_check.setChecked(True)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    vault = wizard.vault
    assert vault is not None
    assert (SERVICE, vault.vault_id) in memory_keyring.entries
    vault.lock()
    assert vault.unlock_with_keystore(OSKeyStore())


class _RefusingStore:
    """Says it is available, then refuses to save (a keyring that locks meanwhile)."""

    def available(self) -> tuple[bool, str]:
        return True, ""

    def load(self, vault_id: str) -> bytes | None:
        return None

    def save(self, vault_id: str, data_key: bytes) -> None:
        raise KeyringFailed("the keyring is locked")

    def delete(self, vault_id: str) -> None:
        return None


def test_a_keyring_failure_is_shown_but_the_wizard_finishes(
    qtbot: QtBot, make_wizard: Callable[..., FirstRunWizard], shown_errors
) -> None:
    wizard = make_wizard(_RefusingStore())
    create(qtbot, wizard)
    wizard.key_page.remember_check.setChecked(True)
    wizard.key_page.stored_check.setChecked(True)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert [type(e) for e in shown_errors] == [KeyringFailed]
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert wizard.vault is not None and wizard.vault.is_unlocked


def test_copy_marks_the_clipboard_sensitive_and_clears_it(
    qtbot: QtBot, make_wizard: Callable[..., FirstRunWizard], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(passphrase_widgets, "CLIPBOARD_CLEAR_MS", 200)
    wizard = make_wizard()
    shown = create(qtbot, wizard)
    clipboard = QGuiApplication.clipboard()
    wizard.key_page.copy_button.click()
    assert clipboard.text() == shown
    assert bytes(clipboard.mimeData().data("x-kde-passwordManagerHint")) == b"secret"
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=3000)

    # Something the user copied afterwards is theirs: it is left alone.
    wizard.key_page.copy_button.click()
    clipboard.setText("the user's own text")
    guard = QGuiApplication.instance().findChild(passphrase_widgets._ClipboardGuard)
    qtbot.waitUntil(lambda: not guard._timer.isActive(), timeout=3000)
    assert clipboard.text() == "the user's own text"


def test_save_writes_an_owner_only_file_outside_the_vault(
    qtbot: QtBot,
    make_wizard: Callable[..., FirstRunWizard],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    vault_path: Path,
) -> None:
    wizard = make_wizard()
    shown = create(qtbot, wizard)
    target = tmp_path / "key.txt"
    chosen = [str(vault_path / "key.txt"), str(target)]
    monkeypatch.setattr(
        file_dialogs.QFileDialog, "getSaveFileName", lambda *a, **k: (chosen.pop(0), "")
    )
    wizard.key_page.save_button.click()
    assert not (vault_path / "key.txt").exists()
    assert "outside the journal's folder" in wizard.key_page.action_status.text()
    wizard.key_page.save_button.click()
    assert shown in target.read_text(encoding="utf-8")
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.skipif(recovery_key_page.QPrintDialog is None, reason="no QtPrintSupport")
def test_print_puts_the_key_on_paper(
    qtbot: QtBot,
    make_wizard: Callable[..., FirstRunWizard],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    pdf = tmp_path / "key.pdf"

    class PdfPrintDialog:
        def __init__(self, printer, parent) -> None:
            printer.setOutputFormat(recovery_key_page.QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(pdf))

        def setWindowTitle(self, title: str) -> None:
            pass

        def exec(self) -> int:
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(recovery_key_page, "QPrintDialog", PdfPrintDialog)
    wizard = make_wizard()
    shown = create(qtbot, wizard)
    wizard.key_page.print_button.click()
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert shown in text.replace(" ", "")


def test_closing_after_creation_asks_then_releases_the_vault(
    qtbot: QtBot,
    make_wizard: Callable[..., FirstRunWizard],
    monkeypatch: pytest.MonkeyPatch,
    vault_path: Path,
) -> None:
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Close]
    monkeypatch.setattr(wizard_module.QMessageBox, "question", lambda *a, **k: answers.pop(0))
    wizard = make_wizard()
    create(qtbot, wizard)
    wizard.reject()
    assert wizard.isVisible() and wizard.key_page.key_label.text() != ""
    wizard.reject()
    assert not wizard.isVisible()
    assert wizard.vault is None
    assert wizard.key_page.key_label.text() == ""
    Vault.open(vault_path).close()  # the lock was released; the journal is kept


# --- lock screen -------------------------------------------------------------------------


@pytest.fixture
def locked(vault_path: Path) -> Iterator[tuple[JournalSession, str]]:
    vault, recovery_key = Vault.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    vault.lock()
    session = JournalSession(vault, OSKeyStore())
    yield session, recovery_key
    session.close()


def make_view(qtbot: QtBot, session: JournalSession, **kwargs: object) -> UnlockView:
    view = UnlockView(session, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_the_delay_grows_after_three_failures() -> None:
    assert [default_delay_ms(n) for n in range(1, 7)] == [0, 0, 2000, 4000, 8000, 16000]
    assert default_delay_ms(30) == 60_000


def test_wrong_passphrase_says_so_and_clears_the_field(qtbot: QtBot, locked) -> None:
    session, _ = locked
    view = make_view(qtbot, session)
    view.field.setText("not the passphrase at all")
    view.unlock_button.click()
    assert view.status.text() == WRONG_PASSPHRASE_TEXT
    assert view.field.text() == ""
    qtbot.waitUntil(view.field.edit.hasFocus)
    assert not session.is_unlocked


def test_three_failures_disable_unlock_for_a_while(qtbot: QtBot, locked) -> None:
    session, _ = locked
    view = make_view(qtbot, session, delay_for=lambda n: 400 if n >= 3 else 0)
    for _ in range(2):
        view.field.setText("wrong guess here")
        view.attempt_unlock()
        assert view.unlock_button.isEnabled()
    view.field.setText("wrong guess here")
    view.attempt_unlock()
    assert not view.unlock_button.isEnabled()
    assert "try again in" in view.status.text()
    assert "(1 s)" in view.unlock_button.text()

    view.field.setText(PASSPHRASE)
    view.attempt_unlock()  # Enter during the wait does nothing
    assert not session.is_unlocked

    qtbot.waitUntil(view.unlock_button.isEnabled, timeout=3000)
    with qtbot.waitSignal(session.unlocked, timeout=5000):
        view.unlock_button.click()
    assert view.failures == 0


def test_right_passphrase_unlocks_on_enter(qtbot: QtBot, locked) -> None:
    session, _ = locked
    view = make_view(qtbot, session)
    view.field.setText(PASSPHRASE)
    with qtbot.waitSignal(session.unlocked, timeout=5000):
        qtbot.keyClick(view.field.edit, Qt.Key.Key_Return)
    assert session.is_unlocked
    assert view.field.text() == ""
    assert view.status.text() == ""


@pytest.mark.parametrize(
    "problem",
    [
        KeyringFailed("the keyring is locked"),
        KeyringFailed("the key remembered on this workstation does not fit this journal"),
        KeyringUnavailable("NoKeyringError"),
    ],
)
def test_a_keyring_problem_is_never_called_a_wrong_passphrase(
    qtbot: QtBot, locked, problem: Exception
) -> None:
    session, _ = locked
    view = make_view(qtbot, session)
    view.show_keyring_problem(problem)
    text = view.status.text()
    assert text.startswith("The key remembered on this workstation could not be used (")
    assert text.endswith("Enter your passphrase.")
    assert "wrong" not in text.lower()
    assert WRONG_PASSPHRASE_TEXT not in text


def test_a_key_remembered_for_another_journal_reads_as_a_keyring_problem(
    qtbot: QtBot, locked, memory_keyring: MemoryKeyring
) -> None:
    session, _ = locked
    memory_keyring.set_password(SERVICE, session.vault.vault_id, "ab" * 32)
    view = make_view(qtbot, session)
    with pytest.raises(KeyringFailed) as caught:
        session.unlock_with_keyring()
    view.show_keyring_problem(caught.value)
    assert "does not fit this journal" in view.status.text()
    assert "does not open" not in view.status.text()


def test_damage_is_described_not_called_a_wrong_passphrase(qtbot: QtBot, locked) -> None:
    session, _ = locked
    view = make_view(qtbot, session)
    session.vault.key_path.write_bytes(b"garbage")
    view.field.setText(PASSPHRASE)
    view.attempt_unlock()
    assert "damaged" in view.status.text()
    assert WRONG_PASSPHRASE_TEXT not in view.status.text()
    assert view.failures == 0


def test_clear_empties_the_field(qtbot: QtBot, locked) -> None:
    session, _ = locked
    view = make_view(qtbot, session)
    view.field.setText("half typed")
    view.field.toggle.setChecked(True)
    view.clear()
    assert view.field.text() == ""
    assert not view.field.is_revealed()


# --- recovery ----------------------------------------------------------------------------


def test_forgot_passphrase_resets_it_with_the_recovery_key(qtbot: QtBot, locked) -> None:
    session, recovery_key = locked
    view = make_view(qtbot, session)
    view.forgot_button.click()
    dialog = view.findChild(RecoveryDialog)
    assert dialog is not None and dialog.isVisible()

    dialog.key_edit.setText("abcde")
    assert "30 letters and digits" in dialog.status.text()
    dialog.key_edit.setText("ABCDE-FGHJK-MNPQR-STVWX-YZ234-56789")  # well formed, not ours
    dialog.passphrase.setText(NEW_PASSPHRASE)
    dialog.repeat.setText(NEW_PASSPHRASE)
    qtbot.waitUntil(dialog.reset_button.isEnabled)
    dialog.reset_button.click()
    assert "does not open this journal" in dialog.status.text()
    assert not session.is_unlocked and dialog.isVisible()

    dialog.key_edit.setText(f"  {recovery_key.lower().replace('-', ' ')} ")
    with qtbot.waitSignal(session.unlocked, timeout=30000):  # a re-key: KDF and re-encryption
        dialog.reset_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.key_edit.text() == "" and dialog.passphrase.text() == ""
    # Issue 13: the typed recovery key is spent; the new one is shown once, like the wizard's.
    shown = dialog.new_key_dialog
    assert shown is not None and shown.isVisible()
    new_key = shown.page.key_label.text()
    assert new_key.count("-") == 5 and new_key != recovery_key
    assert not shown.close_button.isEnabled()
    shown.page.stored_check.setChecked(True)
    shown.close_button.click()
    assert shown.page.key_label.text() == "" and not shown.isVisible()
    session.lock()
    with pytest.raises(WrongPassphrase):
        session.unlock(PASSPHRASE)
    session.unlock(NEW_PASSPHRASE)
    session.lock()
    with pytest.raises(WrongRecoveryKey):
        session.vault.read_key_file().unwrap_with_recovery_key(recovery_key)
    session.vault.read_key_file().unwrap_with_recovery_key(new_key)


def test_recovery_refuses_a_weak_new_passphrase(qtbot: QtBot, locked) -> None:
    session, recovery_key = locked
    dialog = RecoveryDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.key_edit.setText(recovery_key)
    dialog.passphrase.setText("password1234")
    dialog.repeat.setText("password1234")
    qtbot.waitUntil(lambda: not dialog.meter.is_pending)
    assert not dialog.reset_button.isEnabled()
    assert "not strong enough" in dialog.status.text()
