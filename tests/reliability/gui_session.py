"""Child process: one scripted GUI session on a new vault, driven through the real widgets.

Run as `python -m tests.reliability.gui_session` with HOME, TMPDIR, XDG_*, MPLCONFIGDIR and
SVJOURNAL_VAULT pointed into a scratch folder; the first stdin line is a JSON object with the
alias, note, contact details, passphrase and the log file to write at DEBUG. It creates the
vault with the first-run wizard, opens a case, logs encounters, draws the charts, searches,
takes a backup, locks with a form open, unlocks, saves the draft and quits; prints `done`.
Any error the UI would show in a dialog is printed and ends the process instead.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

WAIT_S = 60.0


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Run the event loop until `condition` holds, in short slices (like qtbot.waitUntil)."""
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec()


def fail_on_error_dialogs() -> None:
    from svjournal.ui import errors

    def show_error(parent: Any, exc: BaseException) -> None:
        say(f"error-dialog {type(exc).__name__}")
        logging.getLogger(__name__).error("error dialog: %s", type(exc).__name__)
        os._exit(4)

    errors.show_error = show_error  # type: ignore[assignment]
    from svjournal.ui import crash_dialog

    crash_dialog.report = lambda exc, *_a, **_k: show_error(None, exc)  # type: ignore[assignment]


def visible(kind: type, parent: Any) -> Any:
    found = [w for w in parent.findChildren(kind) if w.isVisible()]
    assert len(found) == 1, found
    return found[0]


def main() -> None:
    given = json.loads(sys.stdin.readline())
    logging.basicConfig(
        filename=given["log"],
        level=logging.DEBUG,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    logging.captureWarnings(True)
    fail_on_error_dialogs()

    from datetime import date, datetime, timedelta

    from PySide6.QtCore import QDate

    from svjournal.charts.pool import shutdown_shared_pool
    from svjournal.core.keyfile import KdfParams
    from svjournal.core.secrets import OSKeyStore
    from svjournal.core.vault import default_vault_path
    from svjournal.ui.app import application
    from svjournal.ui.case_editor import CaseEditor
    from svjournal.ui.main_window import MainWindow
    from svjournal.ui.session import JournalSession
    from svjournal.ui.wizard import FirstRunWizard
    from svjournal.ui.workspace import PAGES

    app = application()
    from svjournal.core import logsetup

    logsetup.configure("app")  # as run_app does: the real log file, in XDG_STATE_HOME
    passphrase = given["passphrase"]

    # First run: the wizard creates the vault where SVJOURNAL_VAULT points.
    wizard = FirstRunWizard(default_vault_path(), OSKeyStore(), kdf=KdfParams())
    wizard.show()
    wizard.next()
    QTest.keyClicks(wizard.passphrase_page.passphrase.edit, passphrase)
    QTest.keyClicks(wizard.passphrase_page.repeat.edit, passphrase)
    wizard.passphrase_page.meter.flush()
    wizard.next()
    assert wizard.currentPage() is wizard.key_page
    say(f"recovery {wizard.key_page.key_label.text()}")  # for the parent to look for on disk
    wizard.key_page.stored_check.setChecked(True)
    wizard.accept()
    assert wizard.vault is not None and wizard.vault.is_unlocked
    session = JournalSession(wizard.vault, OSKeyStore())
    session.adopt_unlocked()
    window = MainWindow(session)
    window.show()
    workspace = window.workspace
    assert workspace is not None

    # A case typed into the case form, with contact details.
    workspace.new_case()
    editor = visible(CaseEditor, window)
    QTest.keyClicks(editor.alias, given["alias"])
    editor.role.set_code("nurse")
    editor.department.set_code("icu")
    editor.source.set_code("colleague")
    editor.category.set_code("unexpected_death")
    referred = date.today() - timedelta(days=3)
    editor.referred_on.setDate(QDate(referred.year, referred.month, referred.day))
    QTest.keyClicks(editor.phone, given["phone"])
    QTest.keyClicks(editor.email, given["email"])
    editor.save()
    wait_until(lambda: workspace.case_view.case is not None, "the new case")
    case_id = workspace.case_view.case.id

    # An encounter with the note typed key by key (the identifier checker reads it too).
    workspace.log_encounter()
    encounter = workspace.encounter_editor
    when = datetime.now().replace(second=0, microsecond=0) - timedelta(days=2)
    encounter.load_draft({"occurred_at": when.isoformat(), "mode": "phone", "stage": 2})
    QTest.keyClicks(encounter.form.note, given["note"])
    encounter.save()
    wait_until(lambda: workspace.encounter_editor is None, "the encounter to be saved")
    workspace.open_case(case_id)
    wait_until(
        lambda: (
            workspace.case_view.trajectory.pixmap() is not None
            and not workspace.case_view.trajectory.pixmap().isNull()
        ),
        "the case's trajectory chart",
    )

    # Every page, the charts drawn, a search for the alias.
    for index, _name in enumerate(PAGES):
        workspace.nav.setCurrentRow(index)
        QApplication.processEvents()
    charts = workspace.charts
    workspace.nav.setCurrentRow(PAGES.index("Charts"))
    wait_until(lambda: charts.rendered is not None and not charts.runner.busy, "the charts")
    for tab in range(charts.tabs.count()):
        charts.tabs.setCurrentIndex(tab)
        wait_until(lambda: not charts.tab_runner.busy, "a chart tab")
    workspace.nav.setCurrentRow(PAGES.index("Cases"))
    QTest.keyClicks(workspace.cases.find, given["alias"][:8])
    wait_until(lambda: workspace.cases.proxy.rowCount() == 1, "the search result")
    session.vault.backup(reason="manual")

    # Lock with a second encounter half typed: it becomes an encrypted draft.
    workspace.open_case(case_id)
    workspace.log_encounter()
    QTest.keyClicks(workspace.encounter_editor.form.note, given["note"] + " (draft)")
    window.lock()
    wait_until(lambda: window.workspace is None, "the lock")
    say("locked")

    # Unlock by typing the passphrase; the draft comes back and is saved.
    QTest.keyClicks(window.unlock_view.field.edit, passphrase)
    window.unlock_view.attempt_unlock()
    wait_until(lambda: session.is_unlocked and window.workspace is not None, "the unlock")
    restored = window.workspace.encounter_editor
    assert restored is not None and given["note"] in restored.form.note.toPlainText()
    restored.save()
    wait_until(lambda: len(session.journal.encounters(case_id)) == 2, "the draft saved")
    say("unlocked")

    window.close()  # locks and quits, as closing the window does
    session.close()
    shutdown_shared_pool()
    app.processEvents()
    logging.shutdown()
    say(f"vault {Path(default_vault_path())}")
    say("done")


if __name__ == "__main__":
    main()
