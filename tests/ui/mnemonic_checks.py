"""Alt+letter mnemonics that clash: two visible labels, buttons or tabs of one window that
underline the same letter. Qt then only cycles the focus between them (a button is not
pressed), so the keyboard user loses the shortcut; each language is checked, as every
translator picks the letters anew."""

from __future__ import annotations

import re
from collections import defaultdict

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenuBar, QTabBar, QWidget

from tests.ui.layout_checks import describe

_MNEMONIC = re.compile(r"(?<!&)&([^&\s])")


def mnemonic(text: str) -> str | None:
    """The letter `text` underlines ("&Save" → "s"; "R&&D" underlines nothing)."""
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def _visible(root: QWidget, widget: QWidget) -> bool:
    return widget.isVisible() and widget.window() is root.window()


def mnemonics(root: QWidget) -> dict[str, list[str]]:
    """Each letter underlined among the visible, enabled widgets of `root`'s window, with
    the widgets that underline it."""
    window = root.window()
    owners: dict[str, list[str]] = defaultdict(list)
    for label in window.findChildren(QLabel):
        letter = mnemonic(label.text()) if label.buddy() is not None else None
        if letter and _visible(window, label) and label.buddy().isEnabled():
            owners[letter].append(describe(label))
    for button in window.findChildren(QAbstractButton):
        letter = mnemonic(button.text())
        if letter and _visible(window, button) and button.isEnabled():
            owners[letter].append(describe(button))
    for box in window.findChildren(QGroupBox):
        letter = mnemonic(box.title())
        if letter and _visible(window, box) and box.isCheckable():
            owners[letter].append(describe(box))
    for menus in window.findChildren(QMenuBar):  # the menu bar's titles (Alt+E: Edit)
        if _visible(window, menus):
            for action in menus.actions():
                letter = mnemonic(action.text())
                if letter and action.isVisible() and action.isEnabled():
                    owners[letter].append(f"menu {action.text()!r}")
    for bar in window.findChildren(QTabBar):
        if _visible(window, bar):
            for index in range(bar.count()):
                letter = mnemonic(bar.tabText(index))
                if letter and bar.isTabVisible(index):
                    owners[letter].append(f"tab {bar.tabText(index)!r}")
    return owners


def mnemonic_problems(root: QWidget) -> list[str]:
    """Every letter underlined more than once among the visible widgets of `root`'s window."""
    owners = mnemonics(root)
    return [
        f"Alt+{letter.upper()} is underlined {len(names)} times: " + "; ".join(names)
        for letter, names in sorted(owners.items())
        if len(names) > 1
    ]
