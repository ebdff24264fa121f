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


# What a window manager adds around the window (a title bar, thin borders), before it is
# shown and can be measured.
WINDOW_FRAME = QSize(8, 40)


def default_window_size(available: QSize) -> QSize:
    """Most of the screen, at least the smallest supported size, never more than the screen
    with the window manager's frame (title bar) around it.

    Not the size hint: pages with long content scroll rather than ask for more room."""
    wanted = QSize(int(available.width() * 0.85), int(available.height() * 0.85))
    return wanted.expandedTo(SMALLEST_SIZE).boundedTo(available - WINDOW_FRAME)


def fit_frame(window: QWidget) -> bool:
    """Once the window manager has framed the window (its title bar and borders are known
    only then), keep the whole frame on the screen: a window as large as a small screen
    would otherwise have its title bar or bottom edge off it (seen at 1024×640 under
    openbox by tools/real_window.py). False while the window is not framed yet."""
    if QGuiApplication.platformName() in ("offscreen", "minimal"):
        return True  # no window manager: the margins there are made up
    frame, inner = window.frameGeometry(), window.geometry()
    if frame.size() == inner.size():
        return False  # not framed yet
    room = window.screen().availableGeometry()
    if frame.width() <= room.width() and frame.height() <= room.height():
        return True
    margins = frame.size() - inner.size()
    window.resize(inner.size().boundedTo(room.size() - margins))
    window.move(room.topLeft())
    return True
