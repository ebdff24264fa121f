"""Restoring where there is no working journal: the first-run wizard and a damaged vault."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from svjournal.core.inputs import CaseInput
from svjournal.core.journal import Journal
from svjournal.core.secrets import OSKeyStore
from svjournal.core.vault import Vault
from svjournal.ui import backup_dialogs, restore_flow
from svjournal.ui.session import JournalSession
from svjournal.ui.unlock import UnlockView
from svjournal.ui.wizard import FirstRunWizard
from tests.conftest import FAST_KDF, PASSPHRASE

ALIAS = "Restored-Rowan"


def _vault_with_backup(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "old-computer"
    vault, _recovery = Vault.create(folder, PASSPHRASE, kdf=FAST_KDF)
    with vault:
        Journal(vault.engine).open_case(
            CaseInput(
                alias=ALIAS,
                role="nurse",
                department="icu",
                event_category="medical_error",
                referral_source="self",
                referred_on=date(2026, 11, 1),
            )
        )
        (tmp_path / "usb").mkdir()
        backup = vault.backup("manual", tmp_path / "usb" / "journal.svjbackup")
    return folder, backup


@pytest.fixture
def answer_restore(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Accept the restore dialog with the passphrase, and the success message."""
    shown: list[str] = []

    def accept(dialog: backup_dialogs.RestoreDialog) -> int:
        shown.append(dialog.intro.text())
        dialog.passphrase.setText(PASSPHRASE)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(backup_dialogs.RestoreDialog, "exec", accept)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    return shown


def _aliases(folder: Path) -> list[str]:
    with Vault.open(folder) as vault:
        vault.unlock(PASSPHRASE)
        return [c.alias for c in Journal(vault.engine).list_cases()]


def test_first_run_can_start_from_a_backup(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer_restore: list[str]
) -> None:
    _old, backup = _vault_with_backup(tmp_path)
    new_home = tmp_path / "new-computer" / "vault"
    monkeypatch.setattr(restore_flow, "ask_open_path", lambda *a: backup)
    wizard = FirstRunWizard(new_home, OSKeyStore(), kdf=FAST_KDF)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.welcome_page.restore_button.click()
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert wizard.restored is not None and wizard.vault is None
    assert "becomes your journal on this computer" in answer_restore[0]
    assert "Restored" in answer_restore[1]
    assert _aliases(new_home) == [ALIAS]


def test_a_wrong_passphrase_restores_nothing(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _old, backup = _vault_with_backup(tmp_path)
    new_home = tmp_path / "new"
    monkeypatch.setattr(restore_flow, "ask_open_path", lambda *a: backup)

    def wrong(dialog: backup_dialogs.RestoreDialog) -> int:
        dialog.passphrase.setText("not the passphrase of that time")
        return QDialog.DialogCode.Accepted

    errors_shown: list[BaseException] = []
    monkeypatch.setattr(backup_dialogs.RestoreDialog, "exec", wrong)
    monkeypatch.setattr(
        "svjournal.ui.errors.show_error", lambda parent, exc: errors_shown.append(exc)
    )
    wizard = FirstRunWizard(new_home, OSKeyStore(), kdf=FAST_KDF)
    qtbot.addWidget(wizard)
    wizard.welcome_page.restore_button.click()
    assert (wizard.restored is None and wizard.isVisible() is False) or wizard.restored is None
    assert errors_shown and "passphrase" in str(errors_shown[0]).lower()
    assert not Vault.exists(new_home)


def test_a_damaged_journal_offers_its_backups_at_unlock(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer_restore: list[str]
) -> None:
    folder, backup = _vault_with_backup(tmp_path)
    db = folder / "journal.db"
    data = bytearray(db.read_bytes())
    data[100:164] = b"\xa5" * 64  # damage the first page (the schema): unlock reads it
    db.write_bytes(bytes(data))
    session = JournalSession(Vault.open(folder), OSKeyStore())
    view = UnlockView(session)
    qtbot.addWidget(view)
    view.show()
    view.field.setText(PASSPHRASE)
    view.attempt_unlock()
    assert not session.is_unlocked
    assert view.restore_button.isVisible()
    assert "damaged" in view.status.text().lower()
    assert view.field.text() == ""
    monkeypatch.setattr(restore_flow, "ask_open_path", lambda *a: backup)
    view.restore_button.click()
    assert not view.restore_button.isVisible()
    view.field.setText(PASSPHRASE)
    view.attempt_unlock()
    assert session.is_unlocked
    assert [c.alias for c in session.journal.list_cases()] == [ALIAS]
    session.close()
