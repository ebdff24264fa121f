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
from svjournal.core.i18n import ntr, ptr, tr
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
        self.setWindowTitle(tr("Old team passphrase"))
        self.field = PassphraseField(tr("Old team passphrase"), self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(tr("Import"))
        self.ok.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.field.textChanged.connect(lambda text: self.ok.setEnabled(bool(text)))
        self.field.returnPressed.connect(self._submit)
        # Translators: above the passphrase field; {n} is how many team bundles need it.
        files = ntr(
            "One bundle is in the retired passphrase format. The old team passphrase:",
            "{n} bundles are in the retired passphrase format. The old team passphrase:",
            count,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(files.format(n=count)))
        layout.addWidget(self.field)
        layout.addWidget(
            hint(
                tr(
                    "The format is still read in this release. Ask those supporters to join the "
                    "team with its card: their next bundles need no passphrase."
                )
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
        self.setWindowTitle(tr("Export my team bundle"))
        period = periods.DEFAULT.period(today)  # the previous calendar quarter
        self.start = QDateEdit(_qdate(period.start), self)
        self.end = QDateEdit(_qdate(period.end), self)
        # Translators: the accessible names of the first and last day of the period.
        for edit, name in ((self.start, tr("From")), (self.end, tr("To"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_format())
            edit.setAccessibleName(name)
            edit.dateChanged.connect(self._check)
        self.merged_box = QCheckBox(tr("The team's merged data (for the higher team), not mine"))
        self.merged_box.setVisible(can_merge)
        self._can_merge = can_merge
        self.problem = QLabel("")
        self.problem.setWordWrap(True)

        dates = QHBoxLayout()
        dates.addWidget(self.start)
        # Translators: between the first and the last day of the period ("1 Jan 2026 to ...").
        dates.addWidget(QLabel(ptr("period", "to")))
        dates.addWidget(self.end)
        dates.addStretch(1)
        # What the proposed dates are, in the words the Charts and Reports pickers use.
        # Translators: {definition} says which period the dates propose ("The last quarter: ...").
        about = tr(
            "{definition} Change the dates if needed; the bundle covers the whole months they "
            "fall in."
        )
        self.period_hint = hint(about.format(definition=periods.DEFAULT.definition(today)))
        form = QFormLayout()
        form.addRow(tr("Period"), dates)
        form.addRow("", self.period_hint)
        if card is not None:
            form.addRow(tr("Goes to"), QLabel(f"{card.name} ({card.fingerprint})"))
        form.addRow("", self.merged_box)
        self.buttons = buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(tr("Choose file and export…"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                tr(
                    "Your coordinator merges the bundles of the team. A bundle holds codes, "
                    "counts, months and durations only: no day, pseudonym, contact detail or "
                    "note. It is encrypted so that only your coordinator's journal opens it, and "
                    "signed by yours."
                )
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
        problem = tr("The period ends before it starts.") if period.end < period.start else ""
        self.problem.setText(problem)
        self.ok.setEnabled(not problem)
