"""Settings › Backups and exports: back up now or to a file, restore (then the lock screen),
the extra folder, the encrypted personal export, the calendar, the export log, and the
backup taken when the window closes."""

from __future__ import annotations

import stat
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from svjournal.core import backup as backups
from svjournal.core import demo
from svjournal.core.inputs import CaseInput
from svjournal.core.secrets import OSKeyStore
from svjournal.core.vault import Vault
from svjournal.reports.personal import read_personal_export
from svjournal.ui import backup_dialogs, backups_section
from svjournal.ui.backup_dialogs import CalendarDialog, PersonalExportDialog, RestoreDialog
from svjournal.ui.backups_section import BackupsSection
from svjournal.ui.main_window import MainWindow
from svjournal.ui.session import JournalSession
from tests.conftest import FIXED_NOW, PASSPHRASE

ALIAS = "QX-ALIAS-7731"
EXPORT_PASSPHRASE = "marble orchard fiddle cascade"


@pytest.fixture
def session(vault: Vault, qtbot: QtBot) -> JournalSession:
    demo.generate(vault.engine, cases=6, seed=5, anchor=date.today())
    s = JournalSession(vault, OSKeyStore())
    s.adopt_unlocked()
    return s


@pytest.fixture
def window(session: JournalSession, qtbot: QtBot) -> MainWindow:
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    seen: list[BaseException] = []
    monkeypatch.setattr(backups_section.errors, "show_error", lambda _parent, exc: seen.append(exc))
    return seen


def section_of(window: MainWindow) -> BackupsSection:
    assert window.workspace is not None
    page = window.workspace.settings
    page.refresh()
    return page.backups


def accept_with(**fields: str) -> Any:
    """A replacement for QDialog.exec that fills fields (by attribute name) and accepts."""

    def run(dialog: QDialog) -> int:
        for name, value in fields.items():
            widget = getattr(dialog, name)
            if hasattr(widget, "setChecked") and value in ("yes", "no"):
                widget.setChecked(value == "yes")
            else:
                widget.setText(value)
        dialog._check()  # type: ignore[attr-defined]  # what the action button does
        return int(dialog.result())

    return run


def test_back_up_now_lists_the_new_backup(window: MainWindow, qtbot: QtBot) -> None:
    section = section_of(window)
    assert section.backups_model.rowCount() == 0
    section.buttons["now"].click()
    qtbot.waitUntil(lambda: section.backups_model.rowCount() == 1, timeout=10_000)
    listing = section.backups_model.row_at(0)
    assert listing.header is not None and listing.header.reason == "manual"
    assert "Backed up" in section.status.text()
    assert section.buttons["now"].isEnabled()


def test_back_up_to_file_writes_it_owner_only_and_logs_it(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "usb" / "mine.svjbackup"
    dest.parent.mkdir()
    monkeypatch.setattr(backups_section, "ask_save_path", lambda *a: dest)
    section = section_of(window)
    section.buttons["file"].click()
    qtbot.waitUntil(lambda: section.log_model.rowCount() == 1, timeout=10_000)
    entry = section.log_model.row_at(0)
    assert (entry.kind, entry.destination) == ("backup", str(dest))
    assert entry.records == backups.read_header(dest).records
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    assert section.log_model.index(0, 1).data() == "Backup"


def test_restore_selected_restores_then_shows_the_lock_screen(
    window: MainWindow, session: JournalSession, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = session.vault.backup("manual")
    before = len(session.journal.list_cases())
    session.journal.open_case(
        CaseInput(ALIAS, "nurse", "icu", "near_miss", "self", FIXED_NOW.date())
    )
    monkeypatch.setattr(RestoreDialog, "exec", accept_with(passphrase=PASSPHRASE))
    section = section_of(window)
    row = next(
        r for r in range(section.backups_model.rowCount())
        if section.backups_model.row_at(r).path == saved
    )  # fmt: skip
    section.backups_table.selectRow(row)
    assert section.buttons["selected"].isEnabled()
    section.buttons["selected"].click()

    qtbot.waitUntil(lambda: not session.is_unlocked, timeout=15_000)
    assert window.workspace is None, "the window shows the lock screen after a restore"
    box = window.property("restore_message")
    assert isinstance(box, QMessageBox) and "Restored" in box.text()
    assert "before-restore" in box.text()
    box.close()
    session.unlock(PASSPHRASE)
    assert len(session.journal.list_cases()) == before
    assert ALIAS not in {c.alias for c in session.journal.list_cases()}


JOURNAL_FILES = ("journal.db", "journal.key")


def test_a_wrong_passphrase_for_the_backup_shows_an_error_and_changes_nothing(
    window: MainWindow,
    session: JournalSession,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[BaseException],
) -> None:
    saved = session.vault.backup("manual")

    def journal_files() -> dict[str, bytes]:
        # The database and its key; -wal/-shm come and go with connections (no content).
        return {name: (session.vault.path / name).read_bytes() for name in JOURNAL_FILES}

    files = journal_files()
    monkeypatch.setattr(RestoreDialog, "exec", accept_with(passphrase="not the passphrase"))
    monkeypatch.setattr(backups_section, "ask_open_path", lambda *a: saved)
    section = section_of(window)
    section.buttons["restore"].click()
    qtbot.waitUntil(lambda: bool(shown_errors), timeout=15_000)
    assert type(shown_errors[0]).__name__ == "WrongFilePassphrase"
    assert session.is_unlocked and window.workspace is not None
    assert journal_files() == files


def test_a_foreign_file_is_refused_before_any_question(
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[BaseException],
) -> None:
    junk = tmp_path / "holiday.jpg"
    junk.write_bytes(b"\xff\xd8\xff\xe0 not a backup")
    monkeypatch.setattr(backups_section, "ask_open_path", lambda *a: junk)
    asked: list[bool] = []
    monkeypatch.setattr(RestoreDialog, "exec", lambda self: asked.append(True) or 0)
    section_of(window).buttons["restore"].click()
    assert [type(e).__name__ for e in shown_errors] == ["NotOurFile"]
    assert not asked


def test_personal_export_needs_the_warning_ticked_and_reads_back_with_notes(
    window: MainWindow,
    session: JournalSession,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = PersonalExportDialog()
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled(), "exporting everything must be ticked off first"
    dialog.understood.setChecked(True)
    assert dialog.ok.isEnabled()
    dialog.passphrase.setText(EXPORT_PASSPHRASE)
    dialog.repeat.setText(EXPORT_PASSPHRASE + "x")
    dialog._check()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "do not match" in dialog.message.text()

    dest = tmp_path / "everything.svjexport"
    monkeypatch.setattr(backups_section, "ask_save_path", lambda *a: dest)
    monkeypatch.setattr(
        PersonalExportDialog,
        "exec",
        accept_with(understood="yes", passphrase=EXPORT_PASSPHRASE, repeat=EXPORT_PASSPHRASE),
    )
    section = section_of(window)
    section.buttons["everything"].click()
    qtbot.waitUntil(lambda: section.log_model.rowCount() == 1, timeout=20_000)
    content = read_personal_export(dest, EXPORT_PASSPHRASE)
    notes = {e["note"] for e in content["tables"]["encounters"] if e["note"]}
    assert notes and notes <= {e.note for c in session.journal.list_cases()
                               for e in session.journal.encounters(c.id)}  # fmt: skip
    assert section.log_model.row_at(0).kind == "personal-export"
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600


def test_calendar_export_names_nobody_and_is_logged(
    window: MainWindow,
    session: JournalSession,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = session.journal.open_case(
        CaseInput(ALIAS, "nurse", "icu", "near_miss", "self", date.today())
    )
    session.journal.schedule_follow_up(case.id, date.today() + timedelta(days=3))
    dest = tmp_path / "follow-ups.ics"
    monkeypatch.setattr(backups_section, "ask_save_path", lambda *a: dest)
    monkeypatch.setattr(CalendarDialog, "exec", accept_with())
    section = section_of(window)
    section.buttons["calendar"].click()
    text = dest.read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in text and ALIAS not in text
    entry = section.log_model.row_at(0)
    assert entry.kind == "calendar" and entry.records == text.count("BEGIN:VEVENT")


def test_the_extra_folder_is_saved_and_receives_the_backup_on_closing(
    window: MainWindow,
    session: JournalSession,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(backups_section, "ask_folder", lambda *a: usb)
    section = section_of(window)
    section.buttons["choose"].click()
    section.kept.setValue(3)
    assert window.workspace is not None
    window.workspace.settings.save()
    assert session.journal.setting("extra_backup_folder") == str(usb)
    assert session.journal.setting("backups_kept") == 3

    window.close()

    assert not session.is_unlocked
    mine = backups.list_backups(session.vault.backups_dir)
    assert [backups.read_header(p).reason for p in mine] == ["close"]
    assert [p.name for p in backups.list_backups(usb)] == [mine[0].name]


def test_closing_without_changes_takes_no_new_backup(
    window: MainWindow, session: JournalSession
) -> None:
    session.vault.backup("manual")
    session.changed = False  # as if just unlocked: only reads from here on
    section_of(window)
    window.close()
    assert [backups.read_header(p).reason for p in backups.list_backups(
        session.vault.backups_dir)] == ["manual"]  # fmt: skip


def test_a_failed_backup_on_closing_is_shown_and_the_app_still_closes(
    window: MainWindow, session: JournalSession, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise backups.BackupError("the disk is full")

    monkeypatch.setattr(session.vault, "close_backup", broken)
    session.journal.set_setting("programme_name", "changed")
    window.close()
    assert not session.is_unlocked
    box = window.close_problem_box  # type: ignore[attr-defined]
    qtbot.waitUntil(box.isVisible)
    assert "could not be made" in box.text() and "disk is full" in box.text()
    box.close()


def test_an_unplugged_extra_folder_is_reported_on_closing(
    window: MainWindow, session: JournalSession, tmp_path: Path, qtbot: QtBot
) -> None:
    session.journal.set_setting("extra_backup_folder", str(tmp_path / "unplugged"))
    window.close()
    box = window.close_problem_box  # type: ignore[attr-defined]
    qtbot.waitUntil(box.isVisible)
    assert "could not be" in box.text() and "copied" in box.text()
    assert backups.list_backups(session.vault.backups_dir), "the backup itself was made"
    box.close()
    QApplication.processEvents()


def test_a_restore_failing_after_the_lock_shows_the_error_and_the_lock_screen(
    window: MainWindow,
    session: JournalSession,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[BaseException],
) -> None:
    from svjournal.core import restore as restoring

    saved = session.vault.backup("manual")
    cases = len(session.journal.list_cases())

    def no_space(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(restoring, "commit", no_space)
    monkeypatch.setattr(RestoreDialog, "exec", accept_with(passphrase=PASSPHRASE))
    monkeypatch.setattr(backups_section, "ask_open_path", lambda *a: saved)
    section_of(window).buttons["restore"].click()

    qtbot.waitUntil(lambda: bool(shown_errors), timeout=15_000)
    assert "No space left" in str(shown_errors[0]) and "left as it was" in str(shown_errors[0])
    assert not session.is_unlocked and window.workspace is None
    assert not list(session.vault.path.glob(".*.restoring*")), "staged files left behind"
    session.unlock(PASSPHRASE)
    assert len(session.journal.list_cases()) == cases


def test_the_export_log_names_every_kind_in_words(
    window: MainWindow, session: JournalSession
) -> None:
    """Not the log's codes: "Report-pdf" once showed in Settings › Exports."""
    journal = session.journal
    for kind in ("report-pdf", "report-xlsx", "report-csv", "team_bundle", "chart"):
        journal.record_export(kind, f"/tmp/{kind}")
    section = section_of(window)
    section.refresh()
    shown = {section.log_model.index(r, 1).data() for r in range(section.log_model.rowCount())}
    assert shown == {
        "Program report (PDF)",
        "Program report (Excel)",
        "Program report (CSV)",
        "Team bundle",
        "Chart",
    }
    assert backup_dialogs.export_kind_label("some-new_kind") == "Some new kind"
