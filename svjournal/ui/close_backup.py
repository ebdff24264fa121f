"""The backup taken as the window closes or the journal locks, and the tray question asked
the first time the window closes: what the main window does on its way out."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from svjournal.core.i18n import tr
from svjournal.ui import errors
from svjournal.ui.session import JournalSession

log = logging.getLogger(__name__)


def take(session: JournalSession, reason: str = "close") -> str | None:
    """The close backup (when anything changed; `reason` "lock" when the journal locks);
    what went wrong, in words, or None. A failure is logged by its kind only: closing and
    locking go on whatever happened."""
    try:
        result = session.close_backup(reason)
    except Exception as exc:  # closing must go on whatever went wrong
        log.warning("backup on closing failed: %s", type(exc).__name__)
        newest = session.vault.newest_backup()
        reason = errors.describe(exc)[1]
        if newest:
            return tr(
                "The backup on closing could not be made: {reason} Your journal itself "
                "is unchanged. The newest backup is {newest}."
            ).format(reason=reason, newest=newest)
        return tr(
            "The backup on closing could not be made: {reason} Your journal itself is unchanged."
        ).format(reason=reason)
    if result is not None and result.copy_problem:
        return tr(
            "The backup on closing was made ({name}), but it could not be copied to the "
            "extra backup folder: {problem}"
        ).format(name=result.path.name, problem=result.copy_problem)
    return None


def ask_keep_running(parent: QWidget) -> bool:
    """Whether the app should stay in the tray when the window closes (asked once)."""
    answer = QMessageBox.question(
        parent,
        tr("Keep running in the tray?"),
        tr(
            "Keep the journal running in the system tray after closing the window, to be "
            "reminded when follow-ups are due? It locks when the window closes; reminders "
            "show counts only. You will not be asked again."
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    return answer == QMessageBox.StandardButton.Yes
