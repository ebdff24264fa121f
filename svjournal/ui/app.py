"""Start the desktop app: one instance, first-run wizard or unlock, then the main window."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from svjournal import APP_NAME, __version__
from svjournal.core import logsetup
from svjournal.core.errors import (
    SvJournalError,
    VaultDamaged,
)
from svjournal.core.i18n import tr
from svjournal.core.secrets import KeyStore, OSKeyStore
from svjournal.core.vault import RestoreResult, Vault
from svjournal.ui import crash_dialog, errors, focus_reveal
from svjournal.ui.language import speak_locale
from svjournal.ui.quit_signals import QuitOnSignal
from svjournal.ui.session import JournalSession
from svjournal.ui.theme import follow_os, install_style

if TYPE_CHECKING:
    from svjournal.ui.main_window import MainWindow
    from svjournal.ui.single_instance import SingleInstance

log = logging.getLogger(__name__)
RESOURCES = Path(__file__).resolve().parent.parent.parent / "resources"


def application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("svjournal")
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    icon = RESOURCES / "svjournal.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_style(app)
    focus_reveal.install(app)  # a field reached by Alt+letter is scrolled into view
    follow_os(app)
    speak_locale()  # the process language the command line set (ui/language.py)
    return app


def _stop_chart_pool() -> None:
    from svjournal.charts.pool import shutdown_shared_pool

    shutdown_shared_pool()


def _prewarm() -> None:
    # What unlocking needs and the lock screen does not: Argon2 and AES-GCM, the service
    # with SQLModel and SQLAlchemy (its engine and pool come with it), Alembic's schema
    # check (~0.5 s). The UI imports no SQLAlchemy itself: the core modules bring it.
    import argon2.low_level  # noqa: F401
    import cryptography.hazmat.primitives.ciphers.aead  # noqa: F401

    import svjournal.core.journal
    import svjournal.core.schema  # noqa: F401


class _AfterFirstPaint(QObject):
    """Runs `then` once, just after `widget` has been painted for the first time."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then: Callable[[], None] | None = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._then is not None:
            then, self._then = self._then, None
            watched.removeEventFilter(self)
            QTimer.singleShot(0, then)  # once this paint has reached the screen
        return False


def _when_lock_screen_shown(window: MainWindow) -> None:
    if window.session.is_unlocked:
        return
    window.unlock_view.try_remembered_key()
    if not window.session.is_unlocked:
        threading.Thread(target=_prewarm, name="prewarm", daemon=True).start()


def open_session(vault_path: Path, keystore: KeyStore) -> JournalSession | None:
    """The first-run wizard for a new vault, else the vault opened (still locked)."""
    if not Vault.exists(vault_path):
        from svjournal.ui.wizard import FirstRunWizard

        wizard = FirstRunWizard(vault_path, keystore)
        if wizard.exec() != FirstRunWizard.DialogCode.Accepted:
            return None
        if wizard.restored is not None:  # set up from a backup: unlock it as usual
            return JournalSession(Vault.open(vault_path), keystore)
        if wizard.vault is None:
            return None
        session = JournalSession(wizard.vault, keystore)
        session.adopt_unlocked()
        return session
    return JournalSession(Vault.open(vault_path), keystore)


def _offer_restore(vault_path: Path, exc: VaultDamaged) -> bool:
    """The journal cannot be opened: say why, and offer its newest backup. True if restored."""
    from svjournal.ui.restore_flow import restore_from_backup, start_folder

    title, message = errors.describe(exc)
    box = QMessageBox(QMessageBox.Icon.Critical, title, message)
    restore = box.addButton(tr("Restore from a backup…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(restore)
    box.exec()
    if box.clickedButton() is not restore:
        return False

    def into(source: Path, passphrase: str | None, key: str | None) -> RestoreResult:
        from svjournal.operations import restore as restore_ops

        return restore_ops.restore_into(
            vault_path, source, passphrase=passphrase, recovery_key=key
        ).value

    folder = start_folder(vault_path, exc.newest_backup)
    return restore_from_backup(None, into, folder) is not None


def run_app(vault_path: Path, keystore: KeyStore | None = None, *, log_file: bool = True) -> int:
    from svjournal.ui import language
    from svjournal.ui.single_instance import SingleInstance

    app = application()
    language.start()  # the policy's, --lang, the one chosen in Settings, or the system's
    single = SingleInstance(str(vault_path.expanduser().resolve()))
    if single.ask_running_instance():
        return 0
    single.listen()
    if log_file:
        logsetup.configure("app")  # done already when started from the command line
    crash_dialog.install(lambda exc: errors.show_error(None, exc))
    # Until the main window exists, a signal closes the wizard or message box on screen.
    quitter = QuitOnSignal(QApplication.closeAllWindows)
    try:
        return _run(app, vault_path, keystore, single, quitter)
    except Exception as exc:  # before the event loop runs: show it before the process ends
        if crash_dialog.is_expected(exc):
            errors.show_error(None, exc)
        else:
            crash_dialog.report(exc, modal=True)
        return 1
    finally:
        quitter.uninstall()
        single.close()  # removes the socket file, so the next start need not clean up


def _run(
    app: QApplication,
    vault_path: Path,
    keystore: KeyStore | None,
    single: SingleInstance,
    quitter: QuitOnSignal,
) -> int:
    from svjournal.ui.main_window import MainWindow

    store = keystore or OSKeyStore()
    while True:
        try:
            session = open_session(vault_path, store)
            break
        except VaultDamaged as exc:
            if not _offer_restore(vault_path, exc):
                return 1
        except SvJournalError as exc:
            title, message = errors.describe(exc)
            QMessageBox.critical(None, title, message)
            return 1
    if session is None:
        return 0
    window = MainWindow(session)
    quitter.close = window.quit  # as closing the window (draft kept, backup), never to the tray
    single.activation_requested.connect(window.bring_forward)
    if not session.is_unlocked:
        # The lock screen is shown first, as soon as Qt can paint it; only then the keyring
        # is asked for a remembered key (its libraries take ~0.4 s to load), and the code
        # unlocking needs is loaded in the background while the passphrase is typed.
        _AfterFirstPaint(window.unlock_view, lambda: _when_lock_screen_shown(window))
    window.show()
    # The window's session, not this one: the user may have switched to another journal.
    app.aboutToQuit.connect(lambda: window.session.close())
    app.aboutToQuit.connect(_stop_chart_pool)
    return app.exec()
