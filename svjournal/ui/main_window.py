"""The main window: the lock screen while locked, the workspace while unlocked."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import (
    QCloseEvent,
    QMoveEvent,
)
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QStackedWidget, QWidget

from svjournal.core import i18n
from svjournal.core.errors import SvJournalError
from svjournal.core.i18n import N_, tr
from svjournal.core.journals import new_journal_path
from svjournal.ui import close_backup, errors, screen_fit, window_state
from svjournal.ui.edit_menu import UndoMenu
from svjournal.ui.idle import IdleWatcher
from svjournal.ui.journal_menu import JournalMenu
from svjournal.ui.journal_switcher import open_vault, record_opened
from svjournal.ui.pages import PAGES
from svjournal.ui.screen_fit import default_window_size
from svjournal.ui.session import JournalSession
from svjournal.ui.tray import Reminders, ReminderTray
from svjournal.ui.unlock import UnlockView

if TYPE_CHECKING:
    from svjournal.ui.retention_ui import BackgroundRetention
    from svjournal.ui.workspace import Workspace

__all__ = ["KEEP_RUNNING_KEY", "TITLE", "MainWindow", "default_window_size"]

log = logging.getLogger(__name__)
# The platform appends the application display name ("svjournal"): the title says the rest.
TITLE = N_("Peer support journal")
# The answer to "keep running in the tray?", asked once (QSettings: about this workstation).
KEEP_RUNNING_KEY = "tray/keep_running"


class MainWindow(QMainWindow):
    def __init__(
        self,
        session: JournalSession,
        parent: QWidget | None = None,
        *,
        tray_available: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        # Follow-up counts (no names) for the navigation and the tray; they outlive a lock.
        self.reminders = Reminders(parent=self)
        self.tray = (
            ReminderTray(self.reminders, parent=self)
            if tray_available is None
            else ReminderTray(self.reminders, tray_available, parent=self)
        )
        self.tray.open_requested.connect(self.bring_forward)
        self.tray.quit_requested.connect(self.quit)
        self._quitting = False
        self.setWindowTitle(tr(TITLE))  # never an alias: titles show in task bars and switchers
        self.stack = QStackedWidget()
        self.unlock_view = self._make_unlock_view(session)
        self.stack.addWidget(self.unlock_view)
        self.setCentralWidget(self.stack)
        self.workspace: Workspace | None = None
        # An automatic retention run's backups part, once one has started.
        self.retention: BackgroundRetention | None = None
        self.idle = IdleWatcher(5, self)
        self.idle.idle.connect(self.lock)
        self._connect(session)
        self.journal_menu = JournalMenu(self.menuBar(), self, self.lock, self.quit)
        self.edit_menu = UndoMenu(self.menuBar(), self, self._undo_or_redo)
        self.undo_action, self.redo_action = self.edit_menu.undo, self.edit_menu.redo
        self._update_edit_menu()
        self.resize(screen_fit.default_window_size(screen_fit.available_size(self)))
        self._frame_fitted = False
        window_state.restore_geometry(self)
        # Where unlocking leads: the last page of the previous run, then wherever the user
        # was when the journal locked (a case id too, in memory only).
        self._place: tuple[str, str | None] = (window_state.last_page(PAGES) or PAGES[0], None)
        if session.is_unlocked:
            self._on_unlocked()

    # --- Edit › Undo / Redo ------------------------------------------------------------------

    def _undo_or_redo(self, step: str) -> None:
        if self.workspace is not None:
            getattr(self.workspace, step)()

    def _update_edit_menu(self) -> None:
        self.edit_menu.show_history(self.workspace.ops.history if self.workspace else None)
        self.journal_menu.show_unlocked(self.workspace is not None)

    # --- shared logins: one window, one journal at a time ---------------------------------

    def _make_unlock_view(self, session: JournalSession) -> UnlockView:
        view = UnlockView(session)
        view.switcher.open_requested.connect(self.open_journal)
        view.switcher.create_requested.connect(self.create_journal)
        return view

    def _connect(self, session: JournalSession) -> None:
        session.unlocked.connect(self._on_unlocked)
        session.locked.connect(self._on_locked)
        session.data_changed.connect(self._reload_reminders)

    def open_journal(self, path: Path) -> bool:
        """From the lock screen: release this journal and show the lock screen of `path`."""
        if self.session.is_unlocked:
            return False  # only a locked journal is switched away from
        if path.expanduser().resolve() == self.session.vault.path.resolve():
            return False
        vault = open_vault(self, path)
        if vault is None:
            return False
        self.switch_to(JournalSession(vault, self.session.keystore))
        return True

    def create_journal(self) -> bool:
        """From the lock screen: a new journal, with a label, not remembered by default."""
        from svjournal.ui.wizard import FirstRunWizard

        if self.session.is_unlocked:
            return False
        path = new_journal_path()
        wizard = FirstRunWizard(path, self.session.keystore, self, label_required=True)
        accepted = wizard.exec() == FirstRunWizard.DialogCode.Accepted
        if accepted and wizard.restored is not None:
            vault = open_vault(self, path)
            if vault is not None:
                self.switch_to(JournalSession(vault, self.session.keystore))
                return True
        if not accepted or wizard.vault is None:
            return False
        session = JournalSession(wizard.vault, self.session.keystore)
        self.switch_to(session, unlocked=True)
        return True

    def switch_to(self, session: JournalSession, *, unlocked: bool = False) -> None:
        """Release the current journal (locked, connections closed, its process lock
        freed), then show `session`: its lock screen, or its workspace when `unlocked`."""
        old = self.session
        self.lock()
        old.unlocked.disconnect(self._on_unlocked)
        old.locked.disconnect(self._on_locked)
        old.data_changed.disconnect(self._reload_reminders)
        old.close()
        self.reminders.set_days([])  # the other journal's follow-ups are not this one's
        log.info("switched to another journal")
        self.session = session
        self._place = (PAGES[0], None)  # a case id of the other journal means nothing here
        view = self._make_unlock_view(session)
        self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)
        self.stack.removeWidget(self.unlock_view)
        self.unlock_view.deleteLater()
        self.unlock_view = view
        self._connect(session)
        if unlocked:
            session.adopt_unlocked()
        else:
            view.try_remembered_key()
            view.setFocus()

    # --- locking -------------------------------------------------------------------------

    def lock(self) -> None:
        """Save an encrypted draft of any open form, take the backup closing would take if
        anything changed (once locked there is no key to take it with: a journal that locked
        itself and was then quit, or shut down, had its latest work in no backup), then drop
        every view of the journal."""
        if not self.session.is_unlocked:
            return
        problem = None
        if self.session.changed:
            problem = self._backup_on_closing("lock")
        elif (failed := self._save_draft()) is not None:
            log.warning("draft not saved on lock: %s", failed)
        self.session.lock()
        if problem is not None:
            box = QMessageBox(QMessageBox.Icon.Warning, tr("Backup on locking"), problem)
            box.setAccessibleName(tr("Backup on locking"))
            self.lock_problem_box = box
            box.open()

    def _save_draft(self) -> str | None:
        """An encrypted draft of any open form; the kind of error when it cannot be saved,
        which must not block locking or closing."""
        if self.workspace is not None:
            try:
                self.workspace.save_draft()
            except SvJournalError as exc:
                return type(exc).__name__
        return None

    def _on_unlocked(self) -> None:
        from svjournal.ui import retention_ui

        record_opened(self.session.vault.path)  # for the lock screen's list of journals
        # Before any page or restored draft shows a case (see ui/retention_ui.py).
        retained = retention_ui.run_due(self.session)
        self._show_workspace()
        if retained is not None:  # the backups in the background, then the notice
            self.retention = retention_ui.BackgroundRetention(self, self.session)
            self.retention.start(retained)

    def _show_workspace(self) -> None:
        """A new workspace for the unlocked journal, at the place it was left, any draft of
        an open form reopened."""
        from svjournal.ui.workspace import Workspace

        workspace = Workspace(self.session)
        workspace.lock_requested.connect(self.lock)
        self.reminders.changed.connect(workspace.show_counts)
        workspace.settings_changed.connect(self._apply_settings)
        # Queued: the switch deletes the views, the Settings list that asked among them.
        workspace.settings.language.language_chosen.connect(
            self.change_language, Qt.ConnectionType.QueuedConnection
        )
        self.stack.addWidget(workspace)
        self.stack.setCurrentWidget(workspace)
        self.workspace = workspace
        workspace.ops.history_changed.connect(self._update_edit_menu)
        self._update_edit_menu()
        self.unlock_view.clear()
        self._apply_settings()
        self._reload_reminders()
        self.idle.start()
        restored = False
        try:
            restored = workspace.restore_draft()
        except SvJournalError as exc:
            errors.show_error(self, exc)
        if not restored:  # a restored draft has opened its own case
            workspace.go_to(*self._place)

    def _on_locked(self) -> None:
        self.idle.stop()
        self._close_workspace()
        self.stack.setCurrentWidget(self.unlock_view)
        self.unlock_view.clear()

    def _close_workspace(self) -> None:
        """Close every dialog and drop the workspace, remembering the place it showed."""
        from svjournal.ui.discard_guard import GuardedDialog

        for dialog in self.findChildren(QWidget):
            if dialog.isWindow() and dialog is not self:
                if isinstance(dialog, GuardedDialog):
                    dialog.close_without_asking()  # no "Discard changes?" behind the lock
                else:
                    dialog.close()
        if self.workspace is not None:
            self._place = self.workspace.place()
            self.workspace.clear()
            self.stack.removeWidget(self.workspace)
            self.workspace.setParent(None)
            self.workspace.ops.clear()  # the undo history's snapshots hold journal text
            self.workspace.deleteLater()
            self.workspace = None
            self._update_edit_menu()

    # --- language ----------------------------------------------------------------------

    def change_language(self, language: str) -> None:
        """Speak `language` from now on, every view rebuilt in it, no restart: the open form
        is kept as a draft and reopened, the page (and case) shown stays shown. The undo
        history goes with the old views (its labels are in the old language)."""
        from svjournal.ui import language as window_language

        if language == i18n.current():
            return
        unlocked = self.session.is_unlocked and self.workspace is not None
        if unlocked and (failed := self._save_draft()) is not None:
            log.warning("draft not kept over the language change: %s", failed)
        if self.workspace is not None:
            self._place = self.workspace.place()
            self._close_workspace()
        window_language.apply(language)
        log.info("language changed to %s", language)
        self._retranslate_frame()
        view = self._make_unlock_view(self.session)
        self.stack.addWidget(view)
        self.stack.removeWidget(self.unlock_view)
        self.unlock_view.deleteLater()
        self.unlock_view = view
        if unlocked:
            self._show_workspace()
            if self.workspace is not None and self._place[0] == "Settings":
                self.workspace.settings.language.combo.setFocus()  # the list just used
        else:
            self.stack.setCurrentWidget(view)
            view.setFocus()

    def _retranslate_frame(self) -> None:
        """The title, the menu bar and the tray, which outlive the views."""
        self.setWindowTitle(tr(TITLE))
        for action in (self.undo_action, self.redo_action):
            action.deleteLater()
        for action in (self.journal_menu.lock, self.journal_menu.quit):
            self.removeAction(action)
            action.deleteLater()
        self.menuBar().clear()
        self.journal_menu = JournalMenu(self.menuBar(), self, self.lock, self.quit)
        self.edit_menu = UndoMenu(self.menuBar(), self, self._undo_or_redo)
        self.undo_action, self.redo_action = self.edit_menu.undo, self.edit_menu.redo
        self._update_edit_menu()
        self.tray.retranslate()

    def _apply_settings(self) -> None:
        if self.session.is_unlocked:
            self.idle.set_minutes(self.session.journal.setting("idle_lock_minutes"))
            self.tray.set_enabled(bool(self.session.journal.setting("tray_reminders")))

    def _reload_reminders(self) -> None:
        """Fresh due days after a change (and on unlocking); locked, the last ones stay."""
        if not self.session.is_unlocked:
            return
        try:
            self.reminders.set_days(self.session.journal.planned_due_days())
        except SvJournalError as exc:
            log.warning("follow-up counts not refreshed: %s", type(exc).__name__)

    def quit(self) -> None:
        """Close and end the app, whether or not the tray would keep it running."""
        self._quitting = True
        self.close()

    def keep_running_in_tray(self) -> bool:
        """Asked once, the first time the window is closed with the tray on; remembered."""
        settings = QSettings()
        stored = settings.value(KEEP_RUNNING_KEY)
        if stored in ("yes", "no"):
            return stored == "yes"
        keep = self.ask_keep_running()
        settings.setValue(KEEP_RUNNING_KEY, "yes" if keep else "no")
        return keep

    def ask_keep_running(self) -> bool:
        return close_backup.ask_keep_running(self)

    def moveEvent(self, event: QMoveEvent) -> None:
        super().moveEvent(event)
        if not self._frame_fitted:
            self._frame_fitted = screen_fit.fit_frame(self)

    def bring_forward(self) -> None:
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.show()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._quitting and self.tray.active and self.keep_running_in_tray():
            self._hide_to_tray(event)
            return
        window_state.save_geometry(self)
        page = self.workspace.place()[0] if self.workspace is not None else self._place[0]
        window_state.save_page(page, PAGES)
        problem = None
        if self.session.is_unlocked:
            self.hide()  # the window goes at once; the backup runs behind it
            problem = self._backup_on_closing()
        self.lock()
        event.accept()
        app = QApplication.instance()
        if problem is None:
            app.quit()  # type: ignore[union-attr]
            return
        # Shown without blocking; the app ends when it is dismissed.
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Backup on closing"), problem)
        box.setAccessibleName(tr("Backup on closing"))
        box.finished.connect(app.quit)  # type: ignore[union-attr]
        self.close_problem_box = box
        box.open()

    def _hide_to_tray(self, event: QCloseEvent) -> None:
        """As closing does (draft kept, backup, lock), but the app stays in the tray."""
        window_state.save_geometry(self)
        problem = None
        if self.session.is_unlocked:
            problem = self._backup_on_closing()
        self.lock()
        event.ignore()
        self.hide()
        # Hidden, not closed: only Quit (the tray's or a signal's) ends the app now.
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(False)
        if problem is not None:
            log.warning("backup on hiding to the tray: %s", problem.split(":")[0])

    def _backup_on_closing(self, reason: str = "close") -> str | None:
        """Save the draft (into the backup too), take the close backup; what went wrong, if
        anything (ui/close_backup.py)."""
        if (failed := self._save_draft()) is not None:
            log.warning("draft not saved on closing: %s", failed)
        return close_backup.take(self.session, reason)
