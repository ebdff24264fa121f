"""Small dialogs: schedule or reschedule a follow-up, close a case, confirm a deletion."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFocusEvent, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from svjournal.core import vocab
from svjournal.core.i18n import tr
from svjournal.ui import screen_fit
from svjournal.ui.discard_guard import GuardedDialog
from svjournal.ui.formatting import date_format, format_date
from svjournal.ui.qt_dates import py_date, qdate
from svjournal.ui.red_flags import MARKER as RED_FLAG_MARKER


class DayFirstDateEdit(QDateEdit):
    """A date box whose arrows change the day however focus arrived: Shift+Tab selected the
    year, and three presses of Up moved a follow-up by three years."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.setSelectedSection(QDateTimeEdit.Section.DaySection)


def _date_edit(initial: date, name: str) -> QDateEdit:
    edit = DayFirstDateEdit(qdate(initial))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(date_format())
    edit.setAccessibleName(name)
    edit.setCurrentSection(QDateTimeEdit.Section.DaySection)
    return edit


def buttons_after_fields(dialog: QWidget, box: QDialogButtonBox) -> None:
    """Tab through the fields first, then the buttons as they stand left to right.

    A dialog that builds its button box before its fields would otherwise Tab from Cancel
    up to the first field, and a box's buttons keep the order they were added in, not the
    order the platform's layout shows them in.
    """
    layout = dialog.layout()
    if layout is not None:
        layout.activate()  # the buttons' places, before the dialog is first painted
    buttons = [b for b in box.buttons() if b.isVisibleTo(dialog)]
    chain: list[QWidget] = []
    widget = dialog.nextInFocusChain()
    while widget is not None and widget is not dialog and len(chain) < 1000:
        if (
            widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget not in buttons
            and dialog.isAncestorOf(widget)
        ):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    ordered = sorted(buttons, key=lambda b: b.mapTo(box, QPoint(0, 0)).x())
    previous = chain[-1] if chain else None
    for button in ordered:
        if previous is not None:
            QWidget.setTabOrder(previous, button)
        previous = button


class _FormDialog(GuardedDialog):
    def __init__(self, title: str, intro: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        screen_fit.keep_title_whole(self)

    def showEvent(self, event: QShowEvent) -> None:
        # The first field, not OK: the buttons are made first, so Qt's focus started on OK
        # and the keyboard user met the dialog's only decision by Shift+Tab (the year).
        super().showEvent(event)
        focused = self.focusWidget()
        if focused is None or self.buttons.isAncestorOf(focused):
            first = self._first_field()
            if first is not None:
                first.setFocus(Qt.FocusReason.TabFocusReason)

    def _first_field(self) -> QWidget | None:
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            widget = item.widget() if item is not None else None
            if (
                widget is not None
                and widget.isEnabled()
                and not widget.isHidden()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            ):
                return widget
        return None


class FollowUpDialog(_FormDialog):
    """Schedule a follow-up (or move one): a day and a method."""

    def __init__(
        self,
        cadence_days: int,
        parent: QWidget | None = None,
        *,
        title: str | None = None,
        due: date | None = None,
        with_method: bool = True,
    ) -> None:
        """`title` defaults to "Schedule a follow-up" (in the language of the moment)."""
        super().__init__(title or tr("Schedule a follow-up"), "", parent)
        day = due or date.today() + timedelta(days=cadence_days)
        self.due = _date_edit(day, tr("Due date"))
        self.form.addRow(tr("Due &date:"), self.due)
        self.method = QComboBox()
        self.method.setAccessibleName(tr("Method"))
        for term in vocab.MODES:
            self.method.addItem(term.label, term.code)
        self.method.setCurrentIndex(self.method.findData("phone"))
        if with_method:
            self.form.addRow(tr("&Method:"), self.method)
        else:
            self.method.hide()
        self.mark_clean()

    def due_on(self) -> date:
        return py_date(self.due.date())


class CloseCaseDialog(_FormDialog):
    """Close a case, optionally with its stage-6 outcome."""

    def __init__(
        self,
        purge_contacts: bool,
        current_outcome: str | None,
        parent: QWidget | None = None,
        *,
        red_flag_without_tier3: datetime | None = None,
    ) -> None:
        """`red_flag_without_tier3`: when the case last recorded a red flag, if no Tier 3
        referral has been accepted since (the dialog says so before anything is closed)."""
        intro = tr("Closing cancels the case's planned follow-ups.")
        if purge_contacts:
            more = tr("Its contact details are deleted (Settings can change this).")
            intro = f"{intro} {more}"
        super().__init__(tr("Close case"), intro, parent)
        self.red_flag_warning: QLabel | None = None
        if red_flag_without_tier3 is not None:
            # Translators: {marker} is the red-flag symbol; {date} the day the flag was recorded.
            text = tr(
                "{marker} A red flag was recorded on {date} and no Tier 3 referral has been "
                "accepted. Close the case only if the person no longer needs one."
            )
            warning = QLabel(
                text.format(marker=RED_FLAG_MARKER, date=format_date(red_flag_without_tier3))
            )
            warning.setWordWrap(True)
            warning.setStyleSheet("font-weight: bold")
            warning.setAccessibleName(tr("Red flag warning"))
            layout = self.layout()
            assert isinstance(layout, QVBoxLayout)
            layout.insertWidget(0, warning)
            self.red_flag_warning = warning
        self.outcome = QComboBox()
        self.outcome.setAccessibleName(tr("Outcome"))
        self.outcome.addItem(tr("Not recorded"), None)
        for term in vocab.OUTCOMES:
            # The name in the box, what it means under it: a box holding both was wider
            # than the screen in longer languages.
            self.outcome.addItem(term.label, term.code)
            self.outcome.setItemData(
                self.outcome.count() - 1, term.description, Qt.ItemDataRole.ToolTipRole
            )
        self.outcome_meaning = QLabel()
        self.outcome_meaning.setWordWrap(True)
        self.outcome_meaning.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.outcome.currentIndexChanged.connect(self._show_outcome_meaning)
        if current_outcome:
            self.outcome.setCurrentIndex(self.outcome.findData(current_outcome))
        self._show_outcome_meaning()
        self.form.addRow(tr("&Outcome (stage 6):"), self.outcome)
        self.form.addRow("", self.outcome_meaning)
        self.closed_on = _date_edit(date.today(), tr("Closed on"))
        self.form.addRow(tr("Clo&sed on:"), self.closed_on)
        # Off by default: notes are the supporter's memory of the case until they choose.
        self.delete_notes = QCheckBox(tr("&Delete this case's notes now"))
        self.delete_notes.setToolTip(
            tr(
                "Every note of its encounters and any unsaved draft; the coded record stays. "
                "This cannot be undone."
            )
        )
        self.form.addRow("", self.delete_notes)
        self.mark_clean()

    def _show_outcome_meaning(self) -> None:
        code = self.outcome.currentData()
        meaning = vocab.OUTCOMES.get(code).description if code else ""
        self.outcome_meaning.setText(meaning)
        self.outcome_meaning.setVisible(bool(meaning))

    def chosen_outcome(self) -> str | None:
        value = self.outcome.currentData()
        return str(value) if value else None

    def chosen_date(self) -> date:
        return py_date(self.closed_on.date())


def confirm(parent: QWidget | None, title: str, text: str, action: str) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, parent
    )
    ok = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is ok
