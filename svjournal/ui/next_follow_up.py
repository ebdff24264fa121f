"""The encounter form's "Next follow-up" section: plan the next contact while logging this one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import QBoxLayout, QCheckBox, QDateEdit, QFormLayout, QGroupBox, QWidget

from svjournal.core import vocab
from svjournal.core.i18n import ntr, tr
from svjournal.core.inputs import FollowUpInput
from svjournal.core.records import CaseRecord
from svjournal.ui.form_widgets import CodeCombo, choices, form_layout, help_label, labelled_row
from svjournal.ui.formatting import date_format, format_date
from svjournal.ui.qt_dates import py_date, qdate


class NextFollowUp(QGroupBox):
    """A tick, a day (the encounter's day plus the cadence, until the person picks one) and a
    method; saved with the encounter in one step, so neither exists without the other."""

    def __init__(self, case: CaseRecord, cadence_days: int) -> None:
        super().__init__(tr("Next follow-up"))
        self._cadence = timedelta(days=cadence_days)
        self._day_chosen = False  # once the person picks a day, the encounter's day stops leading
        self._following = False
        self.form: QFormLayout = form_layout()
        self.plan = QCheckBox(tr("&Plan the next follow-up"))
        self.plan.setAccessibleName(tr("Plan the next follow-up"))
        self.form.addRow("", self.plan)
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat(date_format())
        self.due.setMinimumDate(qdate(case.referred_on))
        self.due.setAccessibleName(tr("Next follow-up due"))
        labelled_row(self.form, tr("Due o&n"), self.due)
        self.method = CodeCombo(choices(vocab.MODES), tr("Next follow-up method"))
        self.method.set_code("phone")
        # No Alt letter: every letter of "Method" is taken in the encounter form.
        labelled_row(self.form, tr("Method"), self.method)
        # Translators: "Settings › Journal › Next follow-up in" names the setting's place.
        proposed = ntr(
            "Proposed {n} day after this encounter (Settings › Journal › Next follow-up in).",
            "Proposed {n} days after this encounter (Settings › Journal › Next follow-up in).",
            cadence_days,
        ).format(n=cadence_days)
        if case.next_follow_up_on is not None:
            planned = tr("Already planned: {date}.").format(
                date=format_date(case.next_follow_up_on)
            )
        else:
            planned = tr("No follow-up is planned for this case yet.")
        self.form.addRow("", help_label(f"{proposed} {planned}"))
        self.setLayout(self.form)
        self.cells: dict[str, tuple[str, QFormLayout | QBoxLayout, QWidget, QWidget]] = {
            "due_on": (tr("Next follow-up day"), self.form, self.due, self.due),
            "method": (tr("Next follow-up method"), self.form, self.method, self.method),
        }
        self.due.dateChanged.connect(self._day_picked)
        self.plan.toggled.connect(self._enable)
        self._enable(False)

    def focus_chain(self) -> list[QWidget]:
        return [self.plan, self.due, self.method]

    def follow_encounter_day(self, when: QDateTime) -> None:
        """Keep the proposed day the encounter's day plus the cadence, until one is picked."""
        if self._day_chosen:
            return
        self._following = True
        try:
            self.due.setDate(when.date().addDays(self._cadence.days))
        finally:
            self._following = False

    def to_input(self) -> FollowUpInput | None:
        if self.isHidden() or not self.plan.isChecked():  # hidden: editing, not logging
            return None
        return FollowUpInput(due_on=py_date(self.due.date()), method=self.method.code())

    def payload(self) -> dict[str, Any]:
        return {
            "planned": self.plan.isChecked(),
            # The draft's stored form (ISO), never shown to anyone.
            "due_on": self.due.date().toString(Qt.DateFormat.ISODate) if self._day_chosen else None,
            "method": self.method.code(),
        }

    def apply(self, values: Any) -> None:
        """Restore `payload()`; wrong types are skipped (drafts are read defensively)."""
        if not isinstance(values, dict):
            return
        due = values.get("due_on")
        if isinstance(due, str):
            parsed = QDate.fromString(due, Qt.DateFormat.ISODate)
            if parsed.isValid():
                self.due.setDate(parsed)  # marks the day as chosen
        if isinstance(values.get("method"), str):
            self.method.set_code(values["method"])
        self.plan.setChecked(values.get("planned") is True)

    def _day_picked(self) -> None:
        if not self._following:
            self._day_chosen = True

    def _enable(self, on: bool) -> None:
        self.due.setEnabled(on)
        self.method.setEnabled(on)
