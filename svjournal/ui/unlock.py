"""The in-window lock screen: passphrase, a growing wait after repeated misses, recovery."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from svjournal import APP_NAME
from svjournal.core.errors import (
    KeyringFailed,
    KeyringUnavailable,
    SvJournalError,
    VaultDamaged,
    WrongPassphrase,
)
from svjournal.core.i18n import N_, ntr, tr
from svjournal.core.policy import current_policy
from svjournal.core.vault import RestoreResult
from svjournal.ui import errors
from svjournal.ui.journal_switcher import JournalSwitcher, label_of
from svjournal.ui.passphrase_widgets import PassphraseField
from svjournal.ui.policy_notes import show_warning, warning_label
from svjournal.ui.recovery import RecoveryDialog
from svjournal.ui.session import JournalSession

log = logging.getLogger(__name__)

WRONG_PASSPHRASE_TEXT = N_("That passphrase does not open this journal.")
FREE_ATTEMPTS = 2
MAX_DELAY_MS = 60_000


def default_delay_ms(failures: int) -> int:
    """No wait for the first two misses, then 2 s, 4 s, 8 s … up to a minute.

    A speed bump against someone trying guesses at the keyboard; the key file's Argon2id
    cost is what protects against offline guessing.
    """
    if failures <= FREE_ATTEMPTS:
        return 0
    return min(1000 * 2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_MS)


def _keyring_reason(exc: BaseException) -> str:
    if isinstance(exc, KeyringUnavailable):
        # Translators: said in brackets in "The key remembered on this workstation could
        # not be used ({reason})."
        return tr("no secure system keyring is available")
    text = str(exc).rstrip(".")
    if isinstance(exc, KeyringFailed) and ": " in text:
        return text.split(": ", 1)[1]  # the detail, without "The system keyring could not…"
    return text


class UnlockView(QWidget):
    """A centered card asking for the passphrase; `session.unlocked` fires on success."""

    def __init__(
        self,
        session: JournalSession,
        parent: QWidget | None = None,
        *,
        delay_for: Callable[[int], int] = default_delay_ms,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._delay_for = delay_for
        self.failures = 0

        self._lockout = QTimer(self)
        self._lockout.setSingleShot(True)
        self._lockout.setTimerType(Qt.TimerType.PreciseTimer)  # the countdown shows its time
        self._lockout.timeout.connect(self._end_lockout)
        self._tick = QTimer(self)
        self._tick.setInterval(250)  # finer than a second, so the countdown never skips
        self._tick.timeout.connect(self._show_countdown)

        title = QLabel(APP_NAME, self)
        title_font = title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.8)
        title_font.setBold(True)
        title.setFont(title_font)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        heading_font = self.heading.font()
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.2)
        self.heading.setFont(heading_font)
        prompt = QLabel(tr("Enter your passphrase to open it."), self)
        prompt.setWordWrap(True)
        # A policy file that cannot be used is said here, where every user starts.
        self.policy_warning = warning_label(self)
        show_warning(self.policy_warning, current_policy())

        self.field = PassphraseField(tr("Passphrase"), self)
        field_label = QLabel(tr("&Passphrase:"), self)
        field_label.setBuddy(self.field)
        self.unlock_button = QPushButton(tr("&Unlock"), self)
        self.unlock_button.setDefault(True)
        self.forgot_button = QPushButton(tr("&Forgot passphrase?"), self)
        self.forgot_button.setFlat(True)
        self.forgot_button.setCursor(Qt.CursorShape.PointingHandCursor)
        link_font = self.forgot_button.font()
        link_font.setUnderline(True)
        self.forgot_button.setFont(link_font)

        self.status_icon = QLabel(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleDescription(tr("Status"))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Room for the usual messages (up to three lines) is kept even while there is none,
        # so that a message appearing does not move the card and the journals under it.
        self.status.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)

        # Shown only when the journal turns out to be damaged: its backups are the way back.
        self.restore_button = QPushButton(tr("&Restore from a backup…"), self)
        self.restore_button.hide()
        self._newest_backup: Path | None = None

        buttons = QHBoxLayout()
        buttons.addWidget(self.forgot_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_icon, 0, Qt.AlignmentFlag.AlignTop)
        status_row.addWidget(self.status, 1)

        card = QFrame(self)
        card.setObjectName("unlockCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setAutoFillBackground(True)
        # Wide enough for a long status message to wrap into a few lines, not a column.
        card.setMinimumWidth(self.fontMetrics().averageCharWidth() * 62)
        inner = QVBoxLayout(card)
        margin = self.fontMetrics().height() * 3 // 2
        inner.setContentsMargins(margin, margin, margin, margin)
        inner.addWidget(title)
        inner.addWidget(self.heading)
        inner.addWidget(prompt)
        inner.addWidget(self.policy_warning)
        inner.addSpacing(self.fontMetrics().height() // 2)
        inner.addWidget(field_label)
        inner.addWidget(self.field)
        inner.addLayout(buttons)
        inner.addLayout(status_row)
        inner.addWidget(self.restore_button, 0, Qt.AlignmentFlag.AlignRight)
        self.switcher = JournalSwitcher(session.vault.path, self)
        rule = QFrame(self)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        inner.addSpacing(self.fontMetrics().height() // 2)
        inner.addWidget(rule)
        inner.addWidget(self.switcher)

        outer = QGridLayout(self)
        outer.addWidget(card, 1, 1)
        outer.setRowStretch(0, 1)
        outer.setRowStretch(2, 2)  # a little above center reads as centered
        outer.setColumnStretch(0, 1)
        outer.setColumnStretch(2, 1)
        self.setFocusProxy(self.field)
        QWidget.setTabOrder(self.field.edit, self.field.toggle)
        QWidget.setTabOrder(self.field.toggle, self.unlock_button)
        QWidget.setTabOrder(self.unlock_button, self.forgot_button)

        self.field.returnPressed.connect(self.attempt_unlock)
        self.unlock_button.clicked.connect(self.attempt_unlock)
        self.forgot_button.clicked.connect(self.open_recovery)
        self.restore_button.clicked.connect(self.restore_from_backup)
        session.unlocked.connect(self._on_unlocked)
        self._set_status("")
        self._show_journals()

    # --- public ---------------------------------------------------------------------------

    def clear(self) -> None:
        self.field.clear()
        self._show_journals()  # a label changed in Settings, a journal opened meanwhile

    def _show_journals(self) -> None:
        # On a shared login the label its owner chose says whose journal this is.
        label = label_of(self.session.vault.path)
        # Translators: {label} is the name the owner gave this journal.
        locked = tr("“{label}” is locked").format(label=label) if label else None
        self.heading.setText(locked or tr("Journal locked"))
        self.switcher.refresh()

    def try_remembered_key(self) -> None:
        """Open with the key remembered on this workstation, if there is one (and the IT
        policy allows it); a problem is said here, never taken for a wrong passphrase."""
        try:
            self.session.unlock_with_keyring()
        except KeyringUnavailable:
            pass  # nothing remembered here, or no keyring: the passphrase it is
        except SvJournalError as exc:
            self.show_keyring_problem(exc)

    def show_keyring_problem(self, exc: BaseException) -> None:
        """The remembered key did not work; this is never the user's passphrase failing."""
        reason = _keyring_reason(exc)
        self._set_status(
            tr(
                "The key remembered on this workstation could not be used ({reason}). "
                "Enter your passphrase."
            ).format(reason=reason),
            QStyle.StandardPixmap.SP_MessageBoxInformation,
        )

    @property
    def is_waiting(self) -> bool:
        return self._lockout.isActive()

    def attempt_unlock(self) -> None:
        if self.is_waiting:
            return
        passphrase = self.field.text()
        if not passphrase:
            self._set_status(
                tr("Enter your passphrase."), QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            self.field.setFocus()
            return
        self._set_status(tr("Opening the journal…"))
        self.status.repaint()  # the key derivation blocks for a moment; show why
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.session.unlock(passphrase)
        except WrongPassphrase:
            QApplication.restoreOverrideCursor()
            self._wrong_passphrase()
        except Exception as exc:
            QApplication.restoreOverrideCursor()
            log.warning("unlock failed: %s", type(exc).__name__)
            title, message = errors.describe(exc)
            # Translators: an error's title, then what to do about it.
            text = tr("{title}. {message}").format(title=title, message=message)
            self._set_status(text, QStyle.StandardPixmap.SP_MessageBoxCritical)
            if isinstance(exc, VaultDamaged):
                self.field.clear()  # right, but of no use now: it should not stay on screen
                self._newest_backup = exc.newest_backup
                self.restore_button.show()
        else:
            QApplication.restoreOverrideCursor()

    def restore_from_backup(self) -> None:
        """Replace the damaged journal with a backup; then unlock it as usual."""
        from svjournal.operations import restore as restoring
        from svjournal.ui.restore_flow import restore_from_backup, start_folder

        vault = self.session.vault

        def restore(source: Path, passphrase: str | None, key: str | None) -> RestoreResult:
            return restoring.restore_backup(
                vault, source, passphrase=passphrase, recovery_key=key
            ).value

        folder = start_folder(vault.path, self._newest_backup)
        if restore_from_backup(self, restore, folder) is not None:
            self.restore_button.hide()
            self.field.clear()
            self._set_status(tr("Restored. Enter the passphrase of the backup's time."))
            self.field.setFocus()

    def open_recovery(self) -> RecoveryDialog:
        dialog = RecoveryDialog(self.session, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()  # window-modal without a nested event loop
        return dialog

    # --- internals ------------------------------------------------------------------------

    def _wrong_passphrase(self) -> None:
        self.failures += 1
        self.field.clear()
        self.field.setFocus()
        delay = self._delay_for(self.failures)
        if delay > 0:
            self._lockout.start(delay)
            self._tick.start()
            self.unlock_button.setEnabled(False)
            self._show_countdown()
        else:
            self._set_status(tr(WRONG_PASSPHRASE_TEXT), QStyle.StandardPixmap.SP_MessageBoxWarning)

    def _show_countdown(self) -> None:
        if not self._lockout.isActive():
            return
        seconds = max(1, math.ceil(self._lockout.remainingTime() / 1000))
        # Translators: the Unlock button while it waits; {n} is a number of seconds.
        self.unlock_button.setText(
            ntr("Unlock ({n} s)", "Unlock ({n} s)", seconds).format(n=seconds)
        )
        wait = ntr(
            "After several attempts each new try waits a little longer: try again in {n} s.",
            "After several attempts each new try waits a little longer: try again in {n} s.",
            seconds,
        ).format(n=seconds)
        self._set_status(
            # Translators: "That passphrase does not open this journal.", then the wait.
            tr("{wrong} {wait}").format(wrong=tr(WRONG_PASSPHRASE_TEXT), wait=wait),
            QStyle.StandardPixmap.SP_MessageBoxWarning,
        )

    def _end_lockout(self) -> None:
        self._tick.stop()
        self.unlock_button.setText(tr("&Unlock"))
        self.unlock_button.setEnabled(True)
        self._set_status(tr(WRONG_PASSPHRASE_TEXT), QStyle.StandardPixmap.SP_MessageBoxWarning)

    def _on_unlocked(self) -> None:
        self.failures = 0
        self._lockout.stop()
        self._end_lockout()
        self.field.clear()
        self._set_status("")

    def _set_status(self, text: str, icon: QStyle.StandardPixmap | None = None) -> None:
        self.status.setText(text)
        if icon is None or not text:
            self.status_icon.clear()
            self.status_icon.hide()
            return
        side = self.fontMetrics().height()
        self.status_icon.setPixmap(self.style().standardIcon(icon).pixmap(side, side))
        self.status_icon.show()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.field, self._focus_if_shown)

    def _focus_if_shown(self) -> None:
        # Deferred: the window may have moved on meanwhile (a language switch shows this
        # view for a moment, then the workspace): a hidden field must not take the typing.
        if self.isVisible():
            self.field.setFocus()
