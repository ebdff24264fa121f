"""Inside the app, under a real X server: the scripted tours of tools/real_window.py.

Run by tools/real_window.py, never by hand: `python -m tools.real_window_driver smoke|shots
--vault V [--out DIR --scheme light|dark]`, with DISPLAY set and the passphrase on stdin.

The real `run_app` runs (single instance, lock screen, main window); a scenario runs beside it
on the event loop. Keys go through the X server with xdotool, so focus, shortcuts and the
window manager are the real ones; navigation between pages goes through the widgets, which
is deterministic. Qt's messages are recorded by a message handler: any warning fails the run,
and so does any exception, and the window ever larger than the screen.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QDialog, QTabWidget, QWidget

# A step yields how long to wait before the next one (seconds), or a condition polled
# every 50 ms until it holds (with a deadline): `until(lambda: ..., "what")`.
Step = Iterator["float | Until"]


class Until:
    def __init__(self, test: Callable[[], bool], what: str, seconds: float = 30) -> None:
        self.test, self.what, self.seconds = test, what, seconds


class Report:
    """What the run found; printed as one JSON line on stdout when the app has quit."""

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.errors: list[str] = []
        self.oversize: list[str] = []
        self.steps: list[str] = []
        self.shots: list[str] = []

    def failed(self) -> bool:
        return bool(self.warnings or self.errors or self.oversize)

    def dump(self) -> str:
        return json.dumps(self.__dict__)


REPORT = Report()


def _qt_message(kind: QtMsgType, context: object, message: str) -> None:
    print(f"qt: {message}", file=sys.stderr)
    if kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
        REPORT.warnings.append(message)


def _exception(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    text = "".join(traceback.format_exception(kind, exc, tb))
    print(text, file=sys.stderr)
    REPORT.errors.append(f"{kind.__name__}: {exc}")
    QApplication.exit(3)


def check_fits() -> None:
    """Note any visible window larger than its screen (polled: an application-wide event
    filter in Python would slow every event down)."""
    for window in QApplication.topLevelWidgets():
        if not window.isVisible():
            continue
        screen = window.screen().geometry()
        frame = window.frameGeometry()
        if frame.width() > screen.width() or frame.height() > screen.height():
            seen = (
                f"{type(window).__name__} {frame.width()}x{frame.height()} on a "
                f"{screen.width()}x{screen.height()} screen"
            )
            if not any(o.startswith(seen) for o in REPORT.oversize):
                REPORT.oversize.append(f"{seen} (first at {REPORT.steps[-1:]})")


def xdotool(*args: str, stdin: str | None = None) -> None:
    subprocess.run(["xdotool", *args], input=stdin, text=True, check=True, timeout=20)


class Runner:
    """Drives a scenario (a generator of waits) from the event loop."""

    def __init__(self, scenario: Step) -> None:
        self.scenario = scenario

    def start(self) -> None:
        QTimer.singleShot(0, self._next)

    def _next(self) -> None:
        try:
            wait = next(self.scenario)
        except StopIteration:
            return
        except Exception as exc:
            _exception(type(exc), exc, exc.__traceback__)
            return
        if isinstance(wait, Until):
            self._poll(wait, time.monotonic() + wait.seconds)
        else:
            QTimer.singleShot(int(wait * 1000), self._next)

    def _poll(self, until: Until, deadline: float) -> None:
        if until.test():
            QTimer.singleShot(0, self._next)
        elif time.monotonic() > deadline:
            REPORT.errors.append(f"timed out waiting for: {until.what}")
            QApplication.exit(4)
        else:
            QTimer.singleShot(50, lambda: self._poll(until, deadline))


def main_window() -> object:
    from svjournal.ui.main_window import MainWindow

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            return widget
    return None


def idle(workspace: QWidget) -> bool:
    """No chart or report still being computed in the background."""
    from svjournal.ui.background import BackgroundRunner

    return not any(r.busy for r in workspace.findChildren(BackgroundRunner))


def modal() -> QDialog | None:
    widget = QApplication.activeModalWidget()
    return widget if isinstance(widget, QDialog) else None


def step(name: str) -> None:
    check_fits()
    REPORT.steps.append(name)
    print(f"step: {name}", file=sys.stderr, flush=True)


def unlock(passphrase: str) -> Step:
    """Wait for the lock screen to have focus, then type the passphrase as a user does."""
    window: object = None

    def shown() -> bool:
        nonlocal window
        window = main_window()
        return window is not None and window.isActiveWindow()  # type: ignore[attr-defined]

    yield Until(shown, "the main window, active")
    step("lock screen")
    field = window.unlock_view.field  # type: ignore[attr-defined]
    focus = QApplication.focusWidget()
    if focus is None or not (focus is field or field.isAncestorOf(focus)):
        REPORT.errors.append(f"the passphrase field has no focus at start ({focus!r})")
    yield 0.3
    xdotool("type", "--delay", "5", "--file", "-", stdin=passphrase)
    xdotool("key", "Return")
    yield Until(lambda: window.session.is_unlocked, "the journal to unlock", 60)  # type: ignore[attr-defined]


def pages(window: object, visit: Callable[[str], Step]) -> Step:
    """Every page, every tab on it, waiting for charts and reports to be drawn."""
    from svjournal.ui.workspace import PAGES

    workspace = window.workspace  # type: ignore[attr-defined]
    for index, name in enumerate(PAGES):
        step(f"page {name}")
        workspace.nav.setCurrentRow(index)
        yield Until(lambda: idle(workspace), f"{name} to be drawn", 60)
        page = workspace.stack.currentWidget()
        yield from visit(name)
        tabs = [t for t in page.findChildren(QTabWidget) if t.isVisible()]
        for tab in tabs:
            for i in range(1, tab.count()):
                step(f"page {name} › {tab.tabText(i)}")
                tab.setCurrentIndex(i)
                yield Until(lambda: idle(workspace), f"{name} › {tab.tabText(i)}", 60)
                yield from visit(f"{name}-{i}")
            tab.setCurrentIndex(0)


def open_a_case(window: object) -> Step:
    """From the Cases list, with the keyboard: focus the table, first row, Enter."""
    from svjournal.ui.workspace import PAGES

    workspace = window.workspace  # type: ignore[attr-defined]
    step("open a case")
    workspace.nav.setCurrentRow(PAGES.index("Cases"))
    table = workspace.cases.table
    table.setFocus()
    table.selectRow(0)
    yield 0.2
    xdotool("key", "Return")
    yield Until(lambda: workspace.stack.currentWidget() is workspace.case_view, "the case view")
    yield Until(lambda: idle(workspace), "the case trajectory", 60)


def encounter_form(window: object, visit: Callable[[str], Step]) -> Step:
    """Ctrl+N on the case view opens the encounter form; Esc cancels it, untouched."""
    workspace = window.workspace  # type: ignore[attr-defined]
    step("encounter form")
    workspace.case_view.setFocus()
    xdotool("key", "ctrl+n")
    yield Until(lambda: workspace.encounter_editor is not None, "the encounter form")
    editor = workspace.encounter_editor
    yield Until(lambda: editor.isActiveWindow(), "the encounter form, active")
    yield 0.3
    yield from visit("encounter-editor")
    xdotool("key", "Escape")
    yield Until(lambda: workspace.encounter_editor is None, "the encounter form to close")


def smoke(passphrase: str) -> Step:
    yield from unlock(passphrase)
    window = main_window()

    def nothing(_name: str) -> Step:
        yield 0.05

    yield from pages(window, nothing)
    yield from open_a_case(window)
    yield from encounter_form(window, nothing)
    step("lock (Ctrl+L)")
    xdotool("key", "ctrl+l")
    yield Until(lambda: not window.session.is_unlocked, "the journal to lock")  # type: ignore[attr-defined]
    step("quit (Alt+F4, the window manager's close)")
    xdotool("key", "alt+F4")
    yield Until(lambda: False, "the app to quit", 20)


def shots(passphrase: str, out: Path, scheme: str) -> Step:
    """The tour with a picture of the whole screen at each stop."""
    out.mkdir(parents=True, exist_ok=True)

    def shoot(name: str) -> Step:
        yield 0.4  # let the window manager and the compositor-less X server settle
        path = out / f"{name.lower()}-{scheme}.png"
        subprocess.run(["import", "-window", "root", str(path)], check=True, timeout=30)
        REPORT.shots.append(str(path))
        yield 0.05

    yield Until(lambda: main_window() is not None, "the main window")
    yield 0.8
    yield from shoot("unlock")
    yield from unlock(passphrase)
    window = main_window()
    yield from pages(window, shoot)
    yield from open_a_case(window)
    yield from shoot("case-view")
    yield from encounter_form(window, shoot)
    step("quit")
    window.close()  # type: ignore[attr-defined]
    yield Until(lambda: False, "the app to quit", 20)


class NoKeyring:
    """A workstation without a keyring: the lock screen asks for the passphrase."""

    def available(self) -> tuple[bool, str]:
        return False, "no keyring in a scripted run"

    def load(self, vault_id: str) -> bytes | None:
        return None

    def save(self, vault_id: str, data_key: bytes) -> None:
        raise RuntimeError("no keyring in a scripted run")

    def delete(self, vault_id: str) -> None:
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("tour", choices=("smoke", "shots"))
    parser.add_argument("--vault", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("build/screenshots-x11"))
    parser.add_argument("--scheme", choices=("light", "dark"), default="light")
    args = parser.parse_args()
    passphrase = sys.stdin.readline().rstrip("\n")
    if not os.environ.get("DISPLAY"):
        print("no DISPLAY: run tools/real_window.py, which starts Xvfb", file=sys.stderr)
        return 2
    qInstallMessageHandler(_qt_message)

    from svjournal.ui.app import application, run_app
    from svjournal.ui.theme import dark_palette

    app = application()
    if args.scheme == "dark":
        app.setPalette(dark_palette())
    guard = QTimer(app)
    guard.timeout.connect(check_fits)
    guard.start(100)
    if args.tour == "smoke":
        scenario = smoke(passphrase)
    else:
        scenario = shots(passphrase, args.out, args.scheme)

    runner = Runner(scenario)  # kept here: Qt holds bound methods by weak reference only

    def begin() -> None:
        sys.excepthook = _exception  # run_app set its own (a message box) by now
        runner.start()

    QTimer.singleShot(0, begin)
    code = run_app(args.vault, keystore=NoKeyring())
    if code != 0:
        REPORT.errors.append(f"the app exited with {code}")
    print(REPORT.dump(), flush=True)
    return 1 if REPORT.failed() else 0


if __name__ == "__main__":
    sys.exit(main())
