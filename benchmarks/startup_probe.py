"""Start-up as a user sees it, and its floor: run in a new interpreter, prints `painted`.

`app VAULT` runs exactly what the `svjournal` command runs (`svjournal.cli.entry_point`, the
same arguments) until the first window is painted; `floor` paints a bare PySide6 window with
a label, a password field and a button, what any Qt app must do at the least. Nothing of
the benchmarks is imported here (this file imports PySide6 and, for `app`, svjournal's
command only), so the figure is the app's own: `benchmarks.ui_bench` times the two by turns
from outside and reads the elapsed time until the `painted` line.

For `app`, QApplication.exec is wrapped: when the app enters its event loop, the window it
has shown is painted (grab forces the paint the first loop iteration would do), `painted`
is printed, and exec returns 0 as if the user had closed the window at once. Both paint
the same way: show, then grab, no event processed in between (what the app defers until
after its first paint, such as the keyring, is not counted, as the user does not wait
for it to see the lock screen).
"""

from __future__ import annotations

import sys


def _painted() -> None:
    print("painted", flush=True)


def floor() -> int:
    from PySide6.QtWidgets import (
        QApplication,
        QLabel,
        QLineEdit,
        QPushButton,
        QVBoxLayout,
        QWidget,
    )

    qt = QApplication(sys.argv)
    window = QWidget()
    layout = QVBoxLayout(window)
    layout.addWidget(QLabel("Passphrase"))
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    layout.addWidget(field)
    layout.addWidget(QPushButton("Unlock"))
    window.show()
    window.grab()
    _painted()
    del qt
    return 0


def app(vault: str) -> int:
    from PySide6.QtWidgets import QApplication

    def exec_once(self: QApplication) -> int:
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        assert shown, "the app entered its event loop with no window shown"
        for widget in shown:
            widget.grab()
        _painted()
        return 0

    QApplication.exec = exec_once  # type: ignore[method-assign]
    from svjournal.cli import entry_point

    sys.argv = ["svjournal", "--vault", vault]
    entry_point()  # exits with the app's status
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["floor"]:
        raise SystemExit(floor())
    if len(sys.argv) == 3 and sys.argv[1] == "app":
        raise SystemExit(app(sys.argv[2]))
    raise SystemExit("usage: python benchmarks/startup_probe.py floor | app VAULT")
