"""Dialogs of the Team view: the retired team passphrase, and exporting a bundle."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
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
from svjournal.core.team_keys import TeamCard
from svjournal.ui import screen_fit
from svjournal.ui.dialogs import buttons_after_fields
from svjournal.ui.formatting import date_format
from svjournal.ui.pages.common import hint
from svjournal.ui.passphrase_widgets import PassphraseField


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class TeamPassphraseDialog(QDialog):
    """Asks once for the old team passphrase, for bundles of the retired format only."""

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Old team passphrase")
        self.field = PassphraseField("Old team passphrase", self)
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
        files = "One bundle is" if count == 1 else f"{count} bundles are"
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(f"{files} in the retired passphrase format. The old team passphrase:")
        )
        layout.addWidget(self.field)
        layout.addWidget(
            hint(
                "The format is still read in this release. Ask those supporters to join the "
                "team with its card: their next bundles need no passphrase."
            )
        )
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
    """The period of the bundle (whole months), and where it goes."""

    def __init__(
        self,
        today: date,
        parent: QWidget | None = None,
        *,
        card: TeamCard | None = None,
        can_merge: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export my team bundle")
        period = periods.DEFAULT.period(today)  # the previous calendar quarter
        self.start = QDateEdit(_qdate(period.start), self)
        self.end = QDateEdit(_qdate(period.end), self)
        for edit, name in ((self.start, "From"), (self.end, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_format())
            edit.setAccessibleName(name)
            edit.dateChanged.connect(self._check)
        self.merged_box = QCheckBox("The team's merged data (for the higher team), not mine")
        self.merged_box.setVisible(can_merge)
        self._can_merge = can_merge
        self.problem = QLabel("")
        self.problem.setWordWrap(True)

        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.end)
        dates.addStretch(1)
        # What the proposed dates are, in the words the Charts and Reports pickers use.
        self.period_hint = hint(
            f"{periods.DEFAULT.definition(today)} Change the dates if needed; the bundle "
            "covers the whole months they fall in."
        )
        form = QFormLayout()
        form.addRow("Period", dates)
        form.addRow("", self.period_hint)
        if card is not None:
            form.addRow("Goes to", QLabel(f"{card.name} ({card.fingerprint})"))
        form.addRow("", self.merged_box)
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
                "counts, months and durations only: no day, pseudonym, contact detail or note. "
                "It is encrypted so that only your coordinator's journal opens it, and signed "
                "by yours."
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

    def merged(self) -> bool:
        return self._can_merge and self.merged_box.isChecked()

    def _check(self) -> None:
        period = self.period()
        problem = "The period ends before it starts." if period.end < period.start else ""
        self.problem.setText(problem)
        self.ok.setEnabled(not problem)
