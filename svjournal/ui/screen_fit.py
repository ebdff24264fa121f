"""The room the screen gives a window: one place, so every window sizes itself the same way
(and the layout test can put the app on a screen of any size)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# The smallest screen every page and dialog is laid out for (tests/ui/test_layout.py).
SMALLEST_SIZE = QSize(1024, 640)


def available_size(widget: QWidget | None = None) -> QSize:
    """The available (work-area) size of the screen `widget` is on, else the primary one."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableSize() if screen is not None else SMALLEST_SIZE


def bounded_to_screen(size: QSize, widget: QWidget | None = None, share: float = 0.9) -> QSize:
    """`size`, but never more than `share` of the available screen."""
    return size.boundedTo(available_size(widget) * share)
