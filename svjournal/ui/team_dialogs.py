"""Dialogs of the Team view: the team passphrase, and exporting one's own bundle."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from svjournal.core import periods
from svjournal.core.stats_model import Period
from svjournal.ui import screen_fit
from svjournal.ui.dialogs import buttons_after_fields
from svjournal.ui.formatting import date_format
from svjournal.ui.pages.common import hint
from svjournal.ui.passphrase_widgets import PassphraseField, PassphraseStrengthMeter


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class TeamPassphraseDialog(QDialog):
    """Asks once for the team passphrase that opens the bundles being imported."""

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Team passphrase")
        self.field = PassphraseField("Team passphrase", self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Import")
        self.ok.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.field.textChanged.connect(lambda text: self.ok.setEnabled(bool(text)))
        self.field.returnPressed.connect(self._submit)
        files = "this bundle" if count == 1 else f"these {count} bundles"
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"The team passphrase that opens {files}:"))
        layout.addWidget(self.field)
        layout.addWidget(hint("Each file is checked whole, and imported whole or not at all."))
        layout.addWidget(buttons)
        screen_fit.keep_title_whole(self)

    def passphrase(self) -> str:
        return self.field.text()

    def _submit(self) -> None:
        if self.ok.isEnabled():
            self.accept()

    def done(self, result: int) -> None:
        if result != QDialog.DialogCode.Accepted:
            self.field.clear()
        super().done(result)


class ExportBundleDialog(QDialog):
    """The period of the bundle and the team passphrase, twice, with its strength."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export my team bundle")
        period = periods.DEFAULT.period(today)  # the previous calendar quarter
        # Made with the dialog as parent, before the passphrase fields: Tab follows the order
        # widgets join the dialog, and the period comes first on screen.
        self.start = QDateEdit(_qdate(period.start), self)
        self.end = QDateEdit(_qdate(period.end), self)
        for edit, name in ((self.start, "From"), (self.end, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_format())
            edit.setAccessibleName(name)
            edit.dateChanged.connect(self._check)
        self.passphrase = PassphraseField("Team passphrase", self)
        self.repeat = PassphraseField("Repeat the team passphrase", self)
        self.meter = PassphraseStrengthMeter(self)
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        self.passphrase.textChanged.connect(self.meter.set_passphrase)
        for field in (self.passphrase, self.repeat):
            field.textChanged.connect(self._check)
        self.meter.assessed.connect(lambda _strength: self._check())

        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.end)
        dates.addStretch(1)
        # What the proposed dates are, in the words the Charts and Reports pickers use.
        self.period_hint = hint(f"{periods.DEFAULT.definition(today)} Change the dates if needed.")
        form = QFormLayout()
        form.addRow("Period", dates)
        form.addRow("", self.period_hint)
        form.addRow("Team passphrase", self.passphrase)
        form.addRow("", self.meter)
        form.addRow("Repeat it", self.repeat)
        self.buttons = buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Choose file and export…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                "Your coordinator merges the bundles of the team. A bundle holds codes, "
                "counts and days only: no pseudonyms, contact details, notes or times of day. "
                "It is sealed with the passphrase your team agreed on."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        self._check()

    def showEvent(self, event: QShowEvent) -> None:
        buttons_after_fields(self, self.buttons)  # Tab: the fields, then the buttons
        super().showEvent(event)

    def period(self) -> Period:
        return Period(_day(self.start.date()), _day(self.end.date()))

    def team_passphrase(self) -> str:
        return self.passphrase.text()

    def _check(self) -> None:
        period = self.period()
        text, again = self.passphrase.text(), self.repeat.text()
        strength = self.meter.strength
        problem = ""
        if period.end < period.start:
            problem = "The period ends before it starts."
        elif text and strength is not None and not strength.acceptable:
            problem = "Choose a stronger team passphrase."
        elif again and again != text:
            problem = "The two passphrases differ."
        self.problem.setText(problem)
        self.ok.setEnabled(
            not problem and bool(text) and again == text and bool(strength and strength.acceptable)
        )

    def done(self, result: int) -> None:
        if result != QDialog.DialogCode.Accepted:
            self.passphrase.clear()
        self.repeat.clear()
        self.meter.clear()
        super().done(result)
