"""Unexpected errors: logged, then "Something went wrong" with a "Copy details" button.

Typed errors (the core's `SvJournalError`) and file errors are expected: `ui/errors.py` turns
them into words. Everything else is a bug, and reaches `report` from three places: an
exception escaping a slot (PySide6 hands it to `sys.excepthook`), one escaping a thread
(`threading.excepthook`), and a background task's failure (`ui/background.py`, or any caller
of `errors.show_error`). Each exception is reported once, one dialog at a time, and a dialog
that itself fails is only logged: the reporter must never raise or loop.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import PySide6
import shiboken6
from PySide6.QtCore import QObject, Qt, QThread, Signal, qVersion
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from svjournal.core import logsetup
from svjournal.core.crash import crash_details
from svjournal.core.errors import SvJournalError
from svjournal.core.i18n import tr

log = logging.getLogger(__name__)

_REPORTED = "_svjournal_reported"
_state: dict[str, object] = {"dialog": None, "busy": False}


def is_expected(exc: BaseException) -> bool:
    """Errors the program means to raise and knows how to put into words."""
    return isinstance(exc, SvJournalError | OSError)


def qt_versions() -> dict[str, str]:
    return {"Qt": qVersion(), "PySide6": PySide6.__version__}


class CrashDialog(QDialog):
    """Plain words, what to do, and the details a helper needs, shown before they are copied."""

    def __init__(self, details: str, log_file: Path | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.details = details
        self.setWindowTitle(tr("Something went wrong"))
        self.setAccessibleName(tr("Something went wrong"))
        layout = QVBoxLayout(self)
        heading = QLabel(tr("<b>svjournal ran into a problem it did not expect.</b>"))
        paragraphs = [
            tr(
                "What you had already saved is safe in the journal. If you were writing an "
                "entry, check that it is there before you go on."
            ),
            tr(
                "You can carry on working. If the same thing happens again, close svjournal and "
                "start it again."
            ),
            tr(
                "To help get it fixed, copy the details below and send them to whoever looks "
                "after svjournal for you. They name the place in the program where it happened, "
                "and never anything from your journal."
            ),
        ]
        body = QLabel("\n\n".join(paragraphs))
        body.setWordWrap(True)
        self.text = QPlainTextEdit(details)
        self.text.setReadOnly(True)
        self.text.setAccessibleName(tr("Details"))
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setMinimumHeight(self.fontMetrics().lineSpacing() * 8)
        self.status = QLabel("")
        if log_file is not None:
            # Translators: {file} is the log file's path, on a line of its own.
            self.status.setText(
                tr("This was also noted in the log file:\n{file}").format(file=log_file)
            )
            self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton(
            tr("Copy details"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        for widget in (heading, body, self.text, self.status, buttons):
            layout.addWidget(widget)
        self.resize(min(640, self.sizeHint().width() + 120), self.sizeHint().height())

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        # Translators: the Copy details button, once the details are on the clipboard.
        self.copy_button.setText(tr("Copied"))


def open_dialog() -> CrashDialog | None:
    dialog = _state["dialog"]
    if isinstance(dialog, CrashDialog) and shiboken6.isValid(dialog):
        return dialog
    _state["dialog"] = None  # closed, or gone with its parent window
    return None


def report(exc: BaseException, parent: QWidget | None = None, *, modal: bool = False) -> None:
    """Log an unexpected error and show the dialog (blocking only when `modal`: at start-up,
    before the event loop runs). Never raises."""
    try:
        if getattr(exc, _REPORTED, False):
            return
        with contextlib.suppress(AttributeError, TypeError):  # a type without a __dict__
            setattr(exc, _REPORTED, True)
        log.error("unexpected %s", exc, exc_info=exc)  # class and frames only: see logsafe
        if _state["busy"] or open_dialog() is not None or not _on_gui_thread():
            return  # one at a time; the log has this one
        _state["busy"] = True
        try:
            _show(exc, parent, modal)
        finally:
            _state["busy"] = False
    except Exception as inner:  # the reporter failing must not become a loop of reports
        log.error("the error dialog failed: %s", inner, exc_info=inner)


def _on_gui_thread() -> bool:
    app = QApplication.instance()
    return app is not None and QThread.currentThread() is app.thread()


def _show(exc: BaseException, parent: QWidget | None, modal: bool) -> None:
    parent = parent or QApplication.activeWindow()  # centred on, and above, the window in use
    dialog = CrashDialog(crash_details(exc, qt_versions()), logsetup.current_log_file(), parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _state["dialog"] = dialog
    dialog.finished.connect(lambda _code: _state.update(dialog=None))
    if modal:
        dialog.exec()
        return
    # Not exec(): a nested event loop inside a failing slot would run the rest of the
    # program from inside the failure. Application-modal, so nothing else is clicked first.
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.show()
    dialog.raise_()


def close_open_dialog() -> None:
    """For tests: close a crash dialog left open."""
    dialog = open_dialog()
    if dialog is not None:
        dialog.done(QDialog.DialogCode.Rejected)
    _state["dialog"] = None


# --- hooks ------------------------------------------------------------------------------


class _Relay(QObject):
    """Brings a thread's exception to the GUI thread (queued), where widgets may be made."""

    crashed = Signal(object)


_relay: list[_Relay] = []
_expected_handler: list[Callable[[BaseException], None]] = []


def excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit: Python's own way
        sys.__excepthook__(kind, exc, tb)
        return
    if exc.__traceback__ is None and tb is not None:
        exc = exc.with_traceback(tb)
    if is_expected(exc):
        _show_expected(exc)
    else:
        report(exc)


def _show_expected(exc: BaseException) -> None:
    log.warning("unhandled %s", exc)  # a typed error nobody caught: its class is enough
    show = _expected_handler[0] if _expected_handler else None
    if _state["busy"] or show is None:
        return
    _state["busy"] = True
    try:
        show(exc)
    except Exception as inner:
        log.error("the error message failed: %s", inner, exc_info=inner)
    finally:
        _state["busy"] = False


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    exc = args.exc_value
    if exc is None or not isinstance(exc, Exception):
        threading.__excepthook__(args)
        return
    if _relay:
        _relay[0].crashed.emit(exc)
    else:
        log.error("unexpected %s in a thread", exc, exc_info=exc)


def install(show_expected: Callable[[BaseException], None] | None = None) -> None:
    """Route every uncaught exception here; call once, on the GUI thread.

    `show_expected` puts a typed error nobody caught into words (ui/errors.py, passed in by
    the app: errors.py uses this module for the unexpected ones, so it is not imported here).
    """
    _expected_handler[:] = [show_expected] if show_expected is not None else []
    if not _relay:
        relay = _Relay()
        relay.crashed.connect(excepthook_for)
        _relay.append(relay)
    sys.excepthook = excepthook
    threading.excepthook = _thread_hook


def excepthook_for(exc: object) -> None:
    if isinstance(exc, BaseException):
        excepthook(type(exc), exc, exc.__traceback__)
