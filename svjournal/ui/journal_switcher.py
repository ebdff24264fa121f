"""Shared logins: the lock screen's way to another journal of this computer account.

The other journals are listed by the label their owner chose and nothing else; opening one
releases the current journal first (MainWindow.switch_to), creating one runs the first-run
wizard with a label and without remembering.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from svjournal.core.errors import SvJournalError
from svjournal.core.i18n import N_, tr
from svjournal.core.journals import MAX_LABEL, JournalList
from svjournal.core.vault import Vault
from svjournal.ui.file_dialogs import ask_folder
from svjournal.ui.pages.common import hint

log = logging.getLogger(__name__)

LABEL_HINT = N_(
    "Shown on this computer's lock screen to everyone who uses this account, so that each "
    "person finds their own journal. Never a name from your cases."
)
MAX_SHOWN = 4  # enough for a shared unit; older ones stay reachable with "Open another…"
UNLABELLED = N_("Unlabeled journal")


class JournalSwitcher(QWidget):
    """Under the passphrase: the other journals by label, "Open another…", "Create…"."""

    open_requested = Signal(Path)
    create_requested = Signal()

    def __init__(self, current: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._current = current
        self.caption = hint(tr("Other journals on this computer account:"))
        self.journal_buttons: list[QPushButton] = []
        self._list = QVBoxLayout()
        self._list.setContentsMargins(0, 0, 0, 0)
        self._list.setSpacing(0)
        self.open_button = QPushButton(tr("&Open another journal…"), self)
        self.create_button = QPushButton(tr("Create a &new journal…"), self)
        self.open_button.clicked.connect(self.browse)
        self.create_button.clicked.connect(self.create_requested)
        actions = QHBoxLayout()
        actions.setContentsMargins(0, 0, 0, 0)
        actions.addWidget(self.open_button)
        actions.addWidget(self.create_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addLayout(self._list)
        layout.addLayout(actions)
        self.refresh()

    def refresh(self) -> None:
        for button in self.journal_buttons:
            self._list.removeWidget(button)
            button.deleteLater()
        self.journal_buttons = []
        try:
            others = JournalList().others(self._current)[:MAX_SHOWN]
        except OSError as exc:  # an unreadable config folder: the buttons below still work
            log.warning("journals list unavailable: %s", type(exc).__name__)
            others = []
        for known in others:
            text = known.label or tr(UNLABELLED)
            button = QPushButton(text, self)
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            # Translators: {label} is the label a journal's owner gave it on the lock screen.
            button.setAccessibleName(tr("Open the journal {label}").format(label=text))
            button.setStyleSheet("text-align: left; padding-left: 0;")
            font = button.font()
            font.setUnderline(True)
            button.setFont(font)
            button.clicked.connect(lambda _=False, p=known.path: self.open_requested.emit(p))
            self._list.addWidget(button)
            self.journal_buttons.append(button)
        self.caption.setVisible(bool(others))

    def browse(self) -> None:
        """Pick a journal's folder anywhere (a network home, another user data folder)."""
        # A journal's folder is not where files go: the remembered folder stays as it was.
        folder = ask_folder(self, tr("Open another journal"), self._current.parent, remember=False)
        if folder is None:
            return
        if not Vault.exists(folder):
            QMessageBox.information(
                self,
                tr("No journal there"),
                tr(
                    "That folder holds no svjournal journal. Choose the folder that contains "
                    "journal.db and journal.key."
                ),
            )
            return
        self.open_requested.emit(folder)


def open_vault(parent: QWidget, path: Path) -> Vault | None:
    """The vault at `path`, opened (locked) for switching to; None after saying why not."""
    from svjournal.ui import errors

    try:
        return Vault.open(path)
    except SvJournalError as exc:
        errors.show_error(parent, exc)
        return None


def record_opened(path: Path, label: str | None = None) -> None:
    """Note that this account opened `path`; a config folder that refuses is not an error."""
    try:
        JournalList().opened(path, label)
    except (OSError, SvJournalError) as exc:
        log.warning("journals list not updated: %s", type(exc).__name__)


def label_of(path: Path) -> str:
    try:
        return JournalList().label_of(path)
    except OSError:
        return ""


def label_edit(*, required: bool = False) -> QLineEdit:
    """The field for a journal's lock-screen label (wizard and Settings)."""
    edit = QLineEdit()
    edit.setMaxLength(MAX_LABEL)
    edit.setAccessibleName(tr("Label on this computer's lock screen"))
    edit.setPlaceholderText(
        tr("Initials or a first name") if required else tr("Initials or a first name (optional)")
    )
    return edit
