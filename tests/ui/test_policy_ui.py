"""The IT policy in the windows: Settings shows locked and bounded values, the Reports
view obeys the threshold floor, remembering is refused with the reason, and a malformed
policy file is warned about on the lock screen and in Settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from svjournal.core.secrets import OSKeyStore
from svjournal.core.vault import Vault
from svjournal.ui import wizard as wizard_module
from svjournal.ui.pages.settings import SettingsPage
from svjournal.ui.policy_notes import IT_NOTE
from svjournal.ui.session import JournalSession
from svjournal.ui.unlock import UnlockView
from svjournal.ui.wizard import FirstRunWizard
from tests.conftest import FAST_KDF, PASSPHRASE, MemoryKeyring

POLICY = """
[programme_name]
value = "Northside peer support"
locked = true
[departments]
value = [{ code = "icu", label = "Intensive care" }]
[idle_lock]
max_minutes = 10
[remember]
allowed = false
[backup_folder]
value = "/mnt/it-backups"
locked = true
[small_count]
min_threshold = 8
"""


def use_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("SVJOURNAL_POLICY_FILE", str(path))


@pytest.fixture
def open_session(vault: Vault, memory_keyring: MemoryKeyring) -> Callable[[], JournalSession]:
    """A session unlocked *after* the test chose its policy (the journal reads it then)."""

    def make() -> JournalSession:
        session = JournalSession(vault, OSKeyStore())
        session.adopt_unlocked()
        return session

    return make


def settings_page(qtbot: QtBot, session: JournalSession) -> SettingsPage:
    page = SettingsPage(session)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    return page


def test_settings_show_locked_and_bounded_values(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    open_session: Callable[[], JournalSession],
) -> None:
    use_policy(tmp_path, monkeypatch, POLICY)
    page = settings_page(qtbot, open_session())
    # Locked: the policy's value, a disabled control, and the note.
    assert page.programme.text() == "Northside peer support"
    assert not page.programme.isEnabled()
    assert page.policy_notes["programme_name"].text() == IT_NOTE
    assert page.policy_notes["programme_name"].isVisible()
    assert page.backups.extra.text() == "/mnt/it-backups"
    assert not page.backups.buttons["choose"].isEnabled()
    assert not page.backups.buttons["none"].isEnabled()
    assert page.backups.folder_note.text() == IT_NOTE
    # Unlocked: the policy's value as a default the user may change.
    assert page.departments.isEnabled()
    assert page.departments.toPlainText() == "Intensive care"
    assert "you may change it" in page.policy_notes["departments"].text()
    # Bounded: the spin boxes cannot leave the policy's range.
    assert page.idle.maximum() == 10
    assert "at most 10 minutes" in page.policy_notes["idle_lock_minutes"].text()
    assert page.threshold.minimum() == 8 and page.threshold.value() == 8
    assert page.threshold.specialValueText() == ""  # 8 must not read "off"
    assert page.idle.isEnabled() and page.threshold.isEnabled()
    # Remembering: refused with the reason although the keyring works.
    assert not page.remember.isEnabled()
    assert "turned off by your IT department" in page.keyring_note.text()
    assert not page.policy_warning.isVisible()


def test_saving_settings_keeps_locked_values_and_saves_the_rest(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    open_session: Callable[[], JournalSession],
) -> None:
    use_policy(tmp_path, monkeypatch, POLICY)
    session = open_session()
    page = settings_page(qtbot, session)
    page.idle.setValue(7)
    page.threshold.setValue(12)
    page.save()
    assert page.status.text() == "Saved."
    journal = session.journal
    assert journal.effective_setting("idle_lock_minutes").origin == "user setting"
    assert journal.setting("small_count_threshold") == 12
    assert journal.effective_setting("programme_name").locked


def test_without_a_policy_nothing_is_locked_or_noted(
    qtbot: QtBot, open_session: Callable[[], JournalSession]
) -> None:
    page = settings_page(qtbot, open_session())
    for key, control in page.governed.items():
        assert control.isEnabled(), key
        assert not page.policy_notes[key].isVisible(), key
    assert page.idle.maximum() == 120 and page.threshold.minimum() == 0
    assert page.threshold.specialValueText() == "off"
    assert page.backups.buttons["choose"].isEnabled()
    assert page.remember.isEnabled()


def test_a_locked_idle_lock_disables_the_control(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    open_session: Callable[[], JournalSession],
) -> None:
    use_policy(tmp_path, monkeypatch, "[idle_lock]\nmax_minutes = 3\nlocked = true\n")
    page = settings_page(qtbot, open_session())
    assert not page.idle.isEnabled() and page.idle.value() == 3
    assert page.policy_notes["idle_lock_minutes"].text() == IT_NOTE


def test_a_malformed_policy_is_warned_about_in_settings_and_on_the_lock_screen(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    open_session: Callable[[], JournalSession],
) -> None:
    use_policy(tmp_path, monkeypatch, "[idle_lock\n")
    session = open_session()
    page = settings_page(qtbot, session)
    assert page.policy_warning.isVisible()
    assert "strictest reading" in page.policy_warning.text()
    assert not page.idle.isEnabled() and page.idle.value() == 1
    assert not page.threshold.isEnabled() and page.threshold.value() == 50
    assert not page.remember.isEnabled()
    session.lock()
    view = UnlockView(session)
    qtbot.addWidget(view)
    view.show()
    assert view.policy_warning.isVisible()
    assert "cannot be used as written" in view.policy_warning.text()


def test_the_reports_view_obeys_the_threshold_floor(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    open_session: Callable[[], JournalSession],
) -> None:
    from svjournal.ui.report_panel import ReportPanel, ReportSource

    use_policy(tmp_path, monkeypatch, POLICY)
    session = open_session()
    panel = ReportPanel(session, ReportSource("Your journal", session.data))
    qtbot.addWidget(panel)
    assert panel.threshold.minimum() == 8
    assert panel.threshold.value() == 8
    assert panel.threshold.specialValueText() == ""


@pytest.fixture
def wizard(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FirstRunWizard]:
    close = QMessageBox.StandardButton.Close
    monkeypatch.setattr(wizard_module.QMessageBox, "question", lambda *a, **k: close)
    made = FirstRunWizard(tmp_path / "new-journal", OSKeyStore(), kdf=FAST_KDF)
    qtbot.addWidget(made)
    made.show()
    yield made
    if made.vault is not None:
        made.vault.close()


def to_key_page(qtbot: QtBot, wizard: FirstRunWizard) -> None:
    wizard.button(QWizard.WizardButton.NextButton).click()
    page = wizard.passphrase_page
    page.passphrase.setText(PASSPHRASE)
    page.repeat.setText(PASSPHRASE)
    qtbot.waitUntil(lambda: not page.meter.is_pending)
    wizard.button(QWizard.WizardButton.CommitButton).click()
    assert wizard.currentPage() is wizard.key_page


def test_the_wizard_refuses_remembering_under_a_forbidding_policy(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: MemoryKeyring,
    wizard: FirstRunWizard,
) -> None:
    use_policy(tmp_path, monkeypatch, POLICY)
    to_key_page(qtbot, wizard)
    assert not wizard.key_page.remember_check.isEnabled()
    assert "turned off by your IT department" in wizard.key_page.remember_note.text()


def test_portable_use_disables_remembering_in_settings_and_the_wizard(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: MemoryKeyring,
    open_session: Callable[[], JournalSession],
    wizard: FirstRunWizard,
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "portable").touch()
    monkeypatch.setenv("SVJOURNAL_PORTABLE_ROOT", str(stick))
    page = settings_page(qtbot, open_session())
    assert not page.remember.isEnabled()
    assert "portable use" in page.keyring_note.text()
    to_key_page(qtbot, wizard)
    assert not wizard.key_page.remember_check.isEnabled()
    assert not wizard.key_page.remember_check.isChecked()
    assert "portable use" in wizard.key_page.remember_note.text()


def test_portable_use_does_not_open_with_a_key_remembered_before(
    qtbot: QtBot,
    tmp_path: Path,
    vault: Vault,
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: MemoryKeyring,
) -> None:
    store = OSKeyStore()
    vault.remember(store)
    vault.lock()
    (tmp_path / "portable").touch()
    monkeypatch.setenv("SVJOURNAL_PORTABLE_ROOT", str(tmp_path))
    session = JournalSession(vault, store)
    view = UnlockView(session)
    qtbot.addWidget(view)
    view.try_remembered_key()
    assert not session.is_unlocked  # the passphrase it is


def test_portable_use_keeps_the_window_state_on_the_stick(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from svjournal.ui import window_state
    from svjournal.ui.pages import PAGES

    (tmp_path / "portable").touch()
    monkeypatch.setenv("SVJOURNAL_PORTABLE_ROOT", str(tmp_path))
    window_state.save_page(PAGES[1], PAGES)
    window_state.settings().sync()
    assert (tmp_path / "svjournal-data" / "window.ini").is_file()
    assert window_state.last_page(PAGES) == PAGES[1]


def test_the_window_locks_after_the_policys_longest_idle_time(
    qtbot: QtBot,
    tmp_path: Path,
    vault: Vault,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from svjournal.core.journal import Journal
    from svjournal.core.policy import Policy
    from svjournal.ui.main_window import MainWindow

    Journal(vault.engine, policy=Policy()).set_setting("idle_lock_minutes", 60)
    use_policy(tmp_path, monkeypatch, "[idle_lock]\nmax_minutes = 4\n")
    session = JournalSession(vault, OSKeyStore())
    session.adopt_unlocked()
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert window.idle._limit_s == 4 * 60  # not the 60 minutes the user had chosen
