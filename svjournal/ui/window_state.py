"""What the app remembers about its window between runs: geometry and the last page's name.

QSettings is a plaintext file (~/.config/svjournal/svjournal.conf on Linux), readable while
the journal is locked, so it holds only the window geometry and one of the fixed page names,
never a case id or anything from the journal. Why not the vault's own settings: the geometry
is needed before unlocking (the lock screen opens at it), it belongs to this workstation's
screens rather than to the journal (a restored backup must not bring another desk's window
positions), and a write into the vault on every page change would count as a change and so
trigger a backup on closing each time. The case that was open is kept in memory only.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QWidget

from svjournal import APP_NAME
from svjournal.core import portable

SETTINGS_NAME = (APP_NAME, APP_NAME)  # organisation, application
GEOMETRY_KEY = "window/geometry"
PAGE_KEY = "window/page"


def settings() -> QSettings:
    """Where the app's remembered window and folder state lives (plaintext)."""
    root = portable.portable_root()
    if root is not None:  # portable use: kept on the stick, nothing left on the computer
        return QSettings(str(portable.data_folder(root) / "window.ini"), QSettings.Format.IniFormat)
    return QSettings(*SETTINGS_NAME)


def restore_geometry(window: QWidget) -> bool:
    """Put the window where it was last closed; Qt moves it onto a screen that is there now
    and shrinks it to fit. False (nothing done) when nothing was saved or it is unreadable."""
    value = settings().value(GEOMETRY_KEY)
    if not isinstance(value, QByteArray | bytes) or not value:
        return False
    return window.restoreGeometry(QByteArray(value))


def save_geometry(window: QWidget) -> None:
    settings().setValue(GEOMETRY_KEY, window.saveGeometry())


def last_page(pages: tuple[str, ...]) -> str | None:
    """The page open when the app last closed, if it is still one of `pages`."""
    value = settings().value(PAGE_KEY)
    return value if isinstance(value, str) and value in pages else None


def save_page(name: str, pages: tuple[str, ...]) -> None:
    if name in pages:  # a fixed name, never anything typed or stored in the journal
        settings().setValue(PAGE_KEY, name)
