"""The Journal menu: Lock (Ctrl+L) and Quit (Ctrl+Q), first on the menu bar.

Locking is what a supporter does every time they step away from a shared workstation, so
it is named where people look for it, not only known as a key; Quit ends the app even when
the tray would keep it running.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenuBar, QWidget

from svjournal.core.i18n import tr


class JournalMenu:
    def __init__(
        self,
        bar: QMenuBar,
        owner: QWidget,
        lock: Callable[[], None],
        quit_app: Callable[[], None],
    ) -> None:
        menu = bar.addMenu(tr("&Journal"))
        self.lock = QAction(tr("&Lock"), owner)
        # Window scope (an application-wide one would be ambiguous with two windows); the
        # workspace gives the editor dialogs the same key.
        self.lock.setShortcut(QKeySequence("Ctrl+L"))
        self.quit = QAction(tr("&Quit"), owner)
        self.quit.setShortcut(QKeySequence("Ctrl+Q"))  # the platforms' own Quit is empty on Windows
        for action, run in ((self.lock, lock), (self.quit, quit_app)):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, run=run: run())
            menu.addAction(action)
            owner.addAction(action)  # its key works while the menu bar is hidden too

    def show_unlocked(self, unlocked: bool) -> None:
        """Lock is greyed while there is nothing to lock."""
        self.lock.setEnabled(unlocked)
