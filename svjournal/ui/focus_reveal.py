"""The widget the keyboard moves the focus to is scrolled into view, wherever it sits.

A scroll area scrolls to the field Tab reaches, but not to the one an Alt+letter reaches
(a label's buddy far down the encounter form or Settings): the person typed into a field
they could not see. One application-wide watch covers every form; a focus taken with the
mouse is left alone (the field clicked is in view, and the page must not jump).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from svjournal.ui.form_widgets import reveal


def _focus_changed(_old: QWidget | None, new: QWidget | None) -> None:
    if new is not None and QApplication.mouseButtons() == Qt.MouseButton.NoButton:
        reveal(new)


def install(app: QApplication) -> None:
    """Watch `app`'s focus changes (once)."""
    if not app.property("svjournal_focus_reveal"):
        app.focusChanged.connect(_focus_changed)
        app.setProperty("svjournal_focus_reveal", True)
