"""Dialogs that ask "Discard changes?" before Esc, Cancel or the close button throw input away.

A form remembers what its inputs held when it opened; leaving it asks only when something
differs from that. Locking the journal closes forms without asking (the encounter form's
content is kept in an encrypted draft first), so nothing waits on a question behind the lock.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDoubleSpinBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QTextEdit,
    QWidget,
)

from svjournal.core.i18n import N_, tr

DISCARD_TITLE = N_("Discard changes?")
DISCARD_TEXT = N_("What you typed in this form has not been saved.")


def snapshot(root: QWidget) -> list[Any]:
    """The values of every input under `root`, in creation order (comparable, not stored)."""
    values: list[Any] = []
    for widget in root.findChildren(QWidget):
        parent = widget.parentWidget()
        if isinstance(widget, QLineEdit):
            # The line edits inside spin boxes and combo boxes are read through their owner.
            if not isinstance(parent, (QAbstractSpinBox, QComboBox)):
                values.append(widget.text())
        elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
            values.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            values.append(widget.currentIndex())
        elif isinstance(widget, (QCheckBox, QRadioButton)):
            values.append(widget.isChecked())
        elif isinstance(widget, QDateTimeEdit):  # QDateEdit too
            values.append(widget.dateTime().toSecsSinceEpoch())
        elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
            values.append(widget.value())
    return values


def ask_discard(parent: QWidget) -> bool:
    """True when the person chooses Discard; Keep editing (the default, and Esc) is False."""
    title = tr(DISCARD_TITLE)
    box = QMessageBox(QMessageBox.Icon.Question, title, tr(DISCARD_TEXT), parent=parent)
    box.setAccessibleName(title)
    # Translators: a button: throw away what was typed in the form.
    discard = box.addButton(tr("Discard"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(tr("Keep editing"), QMessageBox.ButtonRole.RejectRole)
    assert isinstance(discard, QAbstractButton) and isinstance(keep, QAbstractButton)
    discard.setAccessibleName(discard.text())
    keep.setAccessibleName(keep.text())
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


class GuardedDialog(QDialog):
    """A QDialog whose reject() asks before losing changes; `discarded` says it was let go."""

    discarded = Signal()  # the person chose to throw the form away (never on a lock)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._baseline: list[Any] = []
        self._asking = False

    def mark_clean(self) -> None:
        """What the inputs hold now is the form's starting point (call once it is built)."""
        self._baseline = snapshot(self)

    def has_changes(self) -> bool:
        return snapshot(self) != self._baseline

    def reject(self) -> None:
        if self._asking:  # a second Esc while the question is open
            return
        if self.isVisible() and self.has_changes():
            self._asking = True
            try:
                if not ask_discard(self) or not self.isVisible():
                    return  # kept, or the journal locked while the question was open
            finally:
                self._asking = False
        self.discarded.emit()
        super().reject()

    def discard(self) -> None:
        """Throw the form away without asking (an explicit Discard elsewhere in the form)."""
        self.discarded.emit()
        super().reject()

    def close_without_asking(self) -> None:
        """Close for a lock or a quit: no question, and not a discard (a draft may remain)."""
        super().reject()
