"""Every file dialog in the app, opening in one remembered folder.

The folder of the last file saved or opened (or the last folder chosen) is where the next
dialog opens, whatever it is for; the first time, ~/Documents when there is one, else home.
It is kept with the window state (window_state.settings(): QSettings, a plaintext file, on the
stick in portable use): a folder path only, never a file name (a report's
name tells its period). A folder's path is no secret from anyone who can read that file: they
can list the folders themselves. Dialogs given a better start of their own (restoring at first
run or from a damaged journal: the newest backup's folder) do not change the remembered one.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from svjournal.ui import window_state

FOLDER_KEY = "files/last_folder"


def start_folder() -> Path:
    value = window_state.settings().value(FOLDER_KEY)
    if isinstance(value, str) and value and Path(value).is_dir():
        return Path(value)
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


def remember_folder(folder: Path) -> None:
    window_state.settings().setValue(FOLDER_KEY, str(folder))


def _remember_file(path: Path, remember: bool) -> Path:
    if remember:
        remember_folder(path.parent)
    return path


def ask_save_path(
    parent: QWidget | None, title: str, name: str, filters: str, *, remember: bool = True
) -> Path | None:
    """A file name to save `name` under, starting in the remembered folder. `remember=False`
    for a file whose whereabouts should not be noted (the recovery key)."""
    suggested = str(start_folder() / name)
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return _remember_file(Path(chosen), remember) if chosen else None


def ask_open_path(
    parent: QWidget | None, title: str, filters: str, folder: Path | None = None
) -> Path | None:
    """One file to open; `folder` when a better start is known (the newest backup's)."""
    start = folder if folder is not None and folder.is_dir() else start_folder()
    chosen, _filter = QFileDialog.getOpenFileName(parent, title, str(start), filters)
    return _remember_file(Path(chosen), folder is None) if chosen else None


def ask_open_paths(parent: QWidget | None, title: str, filters: str) -> list[Path]:
    chosen, _filter = QFileDialog.getOpenFileNames(parent, title, str(start_folder()), filters)
    paths = [Path(name) for name in chosen]
    if paths:
        remember_folder(paths[0].parent)
    return paths


def ask_folder(
    parent: QWidget | None, title: str, start: Path | None = None, *, remember: bool = True
) -> Path | None:
    """A folder; opens at `start` (the one already set) when given, else the remembered one."""
    begin = start if start is not None and start.is_dir() else start_folder()
    chosen = QFileDialog.getExistingDirectory(parent, title, str(begin))
    if not chosen:
        return None
    if remember:
        remember_folder(Path(chosen))
    return Path(chosen)
