"""The room the screen gives a window: one place, so every window sizes itself the same way
(and the layout test can put the app on a screen of any size)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QBoxLayout, QSizePolicy, QSpacerItem, QWidget

from svjournal import APP_NAME

# The smallest screen every page and dialog is laid out for (tests/ui/test_layout.py).
SMALLEST_SIZE = QSize(1024, 640)


# What a window manager's title bar needs besides the text: icon, buttons, padding.
TITLE_BAR_CHROME = 120


def title_width(window: QWidget) -> int:
    """The width at which `window`'s title (with the app name the platform adds) is whole."""
    title = window.windowTitle()
    if APP_NAME not in title:
        title += f" — {APP_NAME}"
    return window.fontMetrics().horizontalAdvance(title) + TITLE_BAR_CHROME


def keep_title_whole(window: QWidget) -> None:
    """Never so narrow that the title bar reads "Sched…ournal".

    Through the layout (an invisible strut), not setMinimumWidth: an explicit minimum would
    replace the layout's own, and the dialog could then squeeze its form."""
    layout = window.layout()
    assert isinstance(layout, QBoxLayout), "call it once the window has its box layout"
    layout.addItem(
        QSpacerItem(title_width(window), 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
    )


def available_size(widget: QWidget | None = None) -> QSize:
    """The available (work-area) size of the screen `widget` is on, else the primary one."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableSize() if screen is not None else SMALLEST_SIZE


def bounded_to_screen(size: QSize, widget: QWidget | None = None, share: float = 0.9) -> QSize:
    """`size`, but never more than `share` of the available screen."""
    return size.boundedTo(available_size(widget) * share)
