"""Edit › Undo and Redo: two actions whose words follow the undo history ("Undo Close case"),
greyed when there is nothing to undo or redo."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenuBar, QWidget

from svjournal.core.i18n import tr

if TYPE_CHECKING:
    from svjournal.operations.undo import UndoHistory


class UndoMenu:
    """The Edit menu on `bar`; `step("undo")` / `step("redo")` runs when one is chosen."""

    def __init__(self, bar: QMenuBar, owner: QWidget, step: Callable[[str], None]) -> None:
        edit = bar.addMenu(tr("&Edit"))
        self.undo = QAction(tr("&Undo"), owner)
        self.undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo = QAction(tr("&Redo"), owner)
        # The platform's Redo (Ctrl+Shift+Z on Linux and macOS, Ctrl+Y on Windows) and Ctrl+Y
        # everywhere: people who move between a Windows ward PC and Linux expect both.
        redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        ctrl_y = QKeySequence("Ctrl+Y")
        self.redo.setShortcuts(redo_keys + ([] if ctrl_y in redo_keys else [ctrl_y]))
        for action, name in ((self.undo, "undo"), (self.redo, "redo")):
            # A text field with focus keeps Ctrl+Z for its own typing (Qt gives it first).
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, name=name: step(name))
            edit.addAction(action)

    def show_history(self, history: UndoHistory | None) -> None:
        """'Undo Close case' / 'Redo Close case', greyed when there is nothing to do."""
        # Translators: the Edit menu's items; {action} is what they undo or redo ("Close case").
        undo_one, redo_one = tr("&Undo {action}"), tr("&Redo {action}")
        for action, verb, one, label in (
            (self.undo, tr("&Undo"), undo_one, history.undo_label() if history else None),
            (self.redo, tr("&Redo"), redo_one, history.redo_label() if history else None),
        ):
            action.setText(one.format(action=label) if label else verb)
            action.setEnabled(label is not None)
