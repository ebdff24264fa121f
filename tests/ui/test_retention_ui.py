"""Retention in the windows: Settings › Retention with its preview dialog, the policy lock,
the run at unlock with its notice, and "Close case" deleting the notes at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from svjournal.core import i18n, retention
from svjournal.core.journal import Journal
from svjournal.core.secrets import OSKeyStore
from svjournal.core.vault import Vault
from svjournal.ui import language as window_language
from svjournal.ui import screen_fit
from svjournal.ui.dialogs import CloseCaseDialog
from svjournal.ui.main_window import MainWindow
from svjournal.ui.pages.settings import SettingsPage
from svjournal.ui.policy_notes import IT_NOTE
from svjournal.ui.retention_ui import RetentionPreviewDialog
from svjournal.ui.session import JournalSession
from tests.retention_data import GONE, NOW, OLD_ALIAS, OPEN_NOTE, RECENT_NOTE, Seeded, seed
from tests.ui import layout_checks


@pytest.fixture
def seeded(vault: Vault) -> Seeded:
    return seed(Journal(vault.engine, clock=lambda: NOW))


def _session(vault: Vault) -> JournalSession:
    session = JournalSession(vault, OSKeyStore())
    session.adopt_unlocked()
    return session


def _page(qtbot: QtBot, session: JournalSession) -> SettingsPage:
    page = SettingsPage(session)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    return page


def _aliases(vault: Vault) -> list[str]:
    with vault.engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT alias FROM cases"))]


def _notes(vault: Vault, case_id: str) -> list[str | None]:
    with vault.engine.connect() as conn:
        query = text("SELECT note FROM encounters WHERE case_id = :c")
        return [r[0] for r in conn.execute(query, {"c": case_id})]


def _dialog(page: SettingsPage) -> RetentionPreviewDialog:
    page.retention.preview()
    dialog = page.retention.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_retention_is_off_and_cannot_be_previewed_by_default(
    qtbot: QtBot, vault: Vault, seeded: Seeded
) -> None:
    page = _page(qtbot, _session(vault))
    section = page.retention
    assert section.months.value() == 0 and section.months.text() == "Off"
    assert not section.preview_button.isEnabled()
    section.months.setValue(24)
    assert section.preview_button.isEnabled()


def test_the_preview_shows_counts_and_cancel_changes_nothing(
    qtbot: QtBot, vault: Vault, seeded: Seeded
) -> None:
    page = _page(qtbot, _session(vault))
    page.retention.months.setValue(24)
    dialog = _dialog(page)
    shown = dialog.summary.text() + dialog.warnings.text()
    assert "1 case closed before" in shown and "2 notes" in shown
    assert "program figures do not change" in shown
    assert not any(secret in shown for secret in GONE.values())
    assert dialog.apply_button.isVisible()
    dialog.reject()
    assert OLD_ALIAS in _aliases(vault)


def test_apply_now_de_identifies_and_says_what_it_did(
    qtbot: QtBot, vault: Vault, seeded: Seeded
) -> None:
    page = _page(qtbot, _session(vault))
    page.retention.months.setValue(24)
    dialog = _dialog(page)
    with qtbot.waitSignal(dialog.applied, timeout=20000):
        dialog.apply_button.click()
    assert OLD_ALIAS not in _aliases(vault)
    assert _notes(vault, seeded.old) == [None, None]
    assert _notes(vault, seeded.recent) == [RECENT_NOTE]
    assert "De-identified 1 case" in dialog.summary.text()
    assert not dialog.apply_button.isVisible()
    # The export log on the same page shows the run.
    assert "retention" in [e.kind for e in page.backups.log_model._rows]


def test_a_locked_policy_shows_its_months_and_a_ceiling_refuses_off(
    qtbot: QtBot, vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = tmp_path / "policy.toml"
    monkeypatch.setenv("SVJOURNAL_POLICY_FILE", str(policy))
    policy.write_text("[retention]\nmonths = 36\nlocked = true\n", encoding="utf-8")
    page = _page(qtbot, _session(vault))
    section = page.retention
    assert section.months.value() == 36 and not section.months.isEnabled()
    assert section.policy_note.text() == IT_NOTE and section.policy_note.isVisible()
    page.save()
    assert page.status.text() == "Saved."

    policy.write_text("[retention]\nmonths = 36\n", encoding="utf-8")
    page = _page(qtbot, _session(vault))
    section = page.retention
    assert section.months.isEnabled() and section.months.value() == 36
    assert section.months.maximum() == 36 and section.months.minimum() == 1
    assert section.months.text() != "Off"
    assert "at most 36 months" in section.policy_note.text()
    section.months.setValue(12)
    page.save()
    assert page._session.journal.setting("retention_months") == 12


def _notice(window: MainWindow) -> QMessageBox | None:
    found = [
        w
        for w in window.findChildren(QMessageBox)
        if w.objectName() == "retention-notice" and w.isVisible()
    ]
    return found[0] if found else None


def test_unlocking_runs_retention_when_it_is_on_and_says_so(
    qtbot: QtBot, vault: Vault, seeded: Seeded
) -> None:
    Journal(vault.engine).set_setting("retention_months", 24)
    window = MainWindow(_session(vault))
    qtbot.addWidget(window)
    window.show()
    # The journal's part is done before the window shows a case; the backups follow.
    assert OLD_ALIAS not in _aliases(vault)
    assert window.retention is not None
    with qtbot.waitSignal(window.retention.finished, timeout=20000):
        pass
    notice = _notice(window)
    assert notice is not None
    said = notice.text() + notice.informativeText()
    assert "De-identified 1 case" in said
    assert not any(secret in said for secret in GONE.values())
    # The case list never showed the old pseudonym.
    cases = window.workspace.cases.model._rows  # type: ignore[union-attr]
    assert OLD_ALIAS not in [r.alias for r in cases]
    notice.accept()


def test_unlocking_with_retention_off_changes_nothing(
    qtbot: QtBot, vault: Vault, seeded: Seeded
) -> None:
    window = MainWindow(_session(vault))
    qtbot.addWidget(window)
    window.show()
    QApplication.processEvents()
    assert OLD_ALIAS in _aliases(vault)
    assert _notice(window) is None


def _close_case(qtbot: QtBot, vault: Vault, case_id: str, delete_notes: bool | None) -> None:
    window = MainWindow(_session(vault))
    qtbot.addWidget(window)
    window.show()
    workspace = window.workspace
    assert workspace is not None
    workspace.open_case(case_id)
    workspace.close_case()
    [dialog] = [d for d in window.findChildren(CloseCaseDialog) if d.isVisible()]
    assert not dialog.delete_notes.isChecked()  # off by default
    if delete_notes:
        dialog.delete_notes.setChecked(True)
    dialog.accept()
    QApplication.processEvents()


def test_close_case_can_delete_the_notes_at_once(
    qtbot: QtBot, vault: Vault, seeded: Seeded
) -> None:
    _close_case(qtbot, vault, seeded.open, delete_notes=True)
    assert _notes(vault, seeded.open) == [None]
    assert Journal(vault.engine).get_case(seeded.open).status == "closed"


def test_close_case_keeps_the_notes_by_default(qtbot: QtBot, vault: Vault, seeded: Seeded) -> None:
    _close_case(qtbot, vault, seeded.open, delete_notes=None)
    assert _notes(vault, seeded.open) == [OPEN_NOTE]


@pytest.mark.parametrize("language", ["fr", i18n.PSEUDO])
def test_the_preview_opens_tall_enough_for_its_wrapped_lines(
    qtbot: QtBot, vault: Vault, seeded: Seeded, language: str
) -> None:
    """Its height came from the size hint, worked out for a wider dialog than the one that
    opens: in French the last line of the summary was cut off."""
    journal = Journal(vault.engine, clock=lambda: NOW)
    found = retention.preview(vault, journal, 1, NOW.date())
    assert not found.nothing_to_do
    window_language.apply(language)
    try:
        dialog = RetentionPreviewDialog(found, lambda: pytest.fail("not applied"))
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert layout_checks.label_problems(dialog) == []
        assert dialog.height() <= screen_fit.available_size(dialog).height()
    finally:
        window_language.apply(i18n.SOURCE)
