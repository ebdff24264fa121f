"""Finds English that was never marked for translation, in the pseudo-locale.

In `en_XA` every marked string comes back accented ("[Šåṽé ~~~]"): the only plain ASCII
words left on screen are unmarked strings, or data (a pseudonym, a department, a number, a
month name Qt's own locale writes). `unmarked_problems` lists each visible text holding a
word of three or more ASCII letters that is not in the data words it is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QLocale, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from svjournal.core import i18n
from tests.ui.layout_checks import describe

_NO_BUTTON = QDialogButtonBox.StandardButton.NoButton
_WORD = re.compile(r"[A-Za-z]{3,}")
_FILE_NAME = re.compile(r"^[\w.-]+\.\w{2,9}$")
_TAG = re.compile(r"<[^>]*>|&\w+;")
# Written by Qt, the platform or the product itself, never by a translator.
ALWAYS_ALLOWED = {"svjournal", "ctrl", "shift", "alt", "esc", "pdf", "csv", "xlsx", "ics"} | {
    word.lower() for name in i18n.LANGUAGES.values() for word in _WORD.findall(name)
}  # each language is offered in its own name


def locale_words() -> set[str]:
    """Month and day names (long and short) of the locale Qt writes dates in."""
    locale = QLocale()
    words: set[str] = set()
    for month in range(1, 13):
        for form in (QLocale.FormatType.LongFormat, QLocale.FormatType.ShortFormat):
            words.update(_WORD.findall(locale.monthName(month, form)))
            words.update(_WORD.findall(locale.standaloneMonthName(month, form)))
    for day in range(1, 8):
        for form in (QLocale.FormatType.LongFormat, QLocale.FormatType.ShortFormat):
            words.update(_WORD.findall(locale.dayName(day, form)))
    words.update(_WORD.findall(locale.amText() + " " + locale.pmText()))
    return {w.lower() for w in words}


def data_words(texts: Iterable[str]) -> set[str]:
    """The ASCII words of the journal's own data (pseudonyms, departments, contacts)."""
    return {w.lower() for text in texts for w in _WORD.findall(text or "")}


def _texts(root: QWidget) -> list[tuple[QWidget, str]]:
    found: list[tuple[QWidget, str]] = []

    def shown(widget: QWidget) -> bool:
        return widget.isVisibleTo(root) or widget is root

    for label in root.findChildren(QLabel):
        if shown(label):
            found.append((label, label.text()))
    for button in root.findChildren(QAbstractButton):
        box = button.parent()
        if isinstance(box, QDialogButtonBox) and box.standardButton(button) != _NO_BUTTON:
            continue  # Qt's own OK/Cancel: translated by Qt's catalogue, which has no pseudo
        if shown(button):
            found.append((button, button.text()))
            found.append((button, button.toolTip()))
    for box in root.findChildren(QGroupBox):
        if shown(box):
            found.append((box, box.title()))
    for edit in root.findChildren(QLineEdit):
        if shown(edit):
            found.append((edit, edit.placeholderText()))
    for document in root.findChildren(QTextEdit):  # the reference page, notes, help text
        if shown(document) and document.isReadOnly():
            found.append((document, document.toPlainText()))
    for combo in root.findChildren(QComboBox):
        if shown(combo):
            found += [(combo, combo.itemText(i)) for i in range(combo.count())]
    for bar in root.findChildren(QTabBar):
        if shown(bar):
            found += [(bar, bar.tabText(i)) for i in range(bar.count())]
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if not shown(view) or model is None:
            continue
        root_index = QModelIndex()
        try:
            columns = model.columnCount(root_index)
        except TypeError:  # a list widget's model keeps it private: one column
            columns = 1
        for column in range(columns):
            header = model.headerData(column, Qt.Orientation.Horizontal)
            if isinstance(header, str):
                found.append((view, header))
        for row in range(min(model.rowCount(root_index), 12)):
            for column in range(columns):
                value = model.data(model.index(row, column, root_index))
                if isinstance(value, str):
                    found.append((view, value))
    if root.isWindow():
        found.append((root, root.windowTitle()))
    return found


def _english(plain: str, allowed: set[str]) -> list[str]:
    """The words of `plain` no translator wrote and no data explains. Codes in capitals
    (key fingerprints, recovery-key groups) and file names are data."""
    if _FILE_NAME.match(plain.strip()):
        return []
    return [w for w in _WORD.findall(plain) if w.lower() not in allowed and not w.isupper()]


def unmarked_problems(root: QWidget, allowed: set[str]) -> list[str]:
    problems = []
    seen: set[str] = set()
    for widget, text in _texts(root):
        plain = _TAG.sub(" ", text or "")
        words = _english(plain, allowed)
        if words and plain not in seen:
            seen.add(plain)
            problems.append(f"{describe(widget)}: unmarked English {words[:4]} in {plain[:80]!r}")
    return problems
