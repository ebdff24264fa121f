"""A case's facts in the "About this case" box: who, the event, high-risk events, the
referral, first contact, red flags, the Tier 3 referral and the status, each as a name and
a wrapped value."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from svjournal.core import vocab
from svjournal.core.i18n import tr
from svjournal.core.records import CaseRecord
from svjournal.ui import red_flags
from svjournal.ui.formatting import format_date
from svjournal.ui.table_models import short_date


def _red_flag_summary(case: CaseRecord) -> str:
    if case.last_red_flag_at is None:
        return tr("none recorded")
    # Translators: {marker} is the flag symbol ⚑; {date} the last encounter that recorded one.
    return tr("{marker} Red flag, last recorded {date}").format(
        marker=red_flags.MARKER, date=short_date(case.last_red_flag_at)
    )


def fact_rows(case: CaseRecord, department_label: str) -> list[tuple[str, str]]:
    """Each fact's name (with its colon: some languages put a space before it) and value."""
    kind = tr("Team / group") if case.kind == "group" else tr("Individual")
    status = vocab.CASE_STATUSES.label(case.status)
    if case.status == "closed" and case.closed_on:
        # Translators: a case's status and the day it changed: "Closed on Dec 3, 2026".
        status = tr("{status} on {date}").format(status=status, date=format_date(case.closed_on))
    if case.outcome:
        # Translators: a case's status, then its stage-6 outcome: "Closed · outcome: Thriving".
        status = tr("{status} · outcome: {outcome}").format(
            status=status, outcome=vocab.OUTCOMES.label(case.outcome)
        )
    event = vocab.EVENT_CATEGORIES.label(case.event_category)
    if case.event_date:
        # Translators: the kind of event and its date: "Patient death on Nov 2, 2026".
        event = tr("{event} on {date}").format(event=event, date=format_date(case.event_date))
    first = short_date(case.first_contact_at) if case.first_contact_at else tr("not yet")
    # Each label carries its colon: some languages put a space before it.
    rows = [
        (tr("Who:"), f"{kind} · {vocab.ROLES.label(case.role)} · {department_label}"),
        (tr("Event:"), event),
        (
            tr("High-risk:"),
            ", ".join(vocab.HIGH_RISK_EVENTS.label(c) for c in case.high_risk_events)
            or tr("none recorded"),
        ),
        (
            tr("Referral:"),
            f"{format_date(case.referred_on)} · "
            f"{vocab.REFERRAL_SOURCES.label(case.referral_source)}",
        ),
        (tr("First contact:"), first),
        (tr("Red flags:"), _red_flag_summary(case)),
        (tr("Tier 3 referral:"), red_flags.tier3_text(case.tier3_referral).capitalize()),
        (tr("Status:"), status),
    ]
    return rows


class CaseFacts(QFormLayout):
    """The facts as a form whose values wrap; a narrow box puts a value below its name."""

    def __init__(self) -> None:
        super().__init__()
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)

    def show_rows(self, rows: list[tuple[str, str]]) -> None:
        """The values set in place when the rows are the same ones (a case shown again after
        a save): removed and built anew, every row was squeezed to a few pixels until the
        layout next ran (in the real window, until the next change)."""
        shown = [self._row(n) for n in range(self.rowCount())]
        if len(shown) == len(rows) and all(
            name is not None and value is not None and name.text() == wanted
            for (name, value), (wanted, _text) in zip(shown, rows, strict=True)
        ):
            for (_name, value), (_wanted, text) in zip(shown, rows, strict=True):
                assert value is not None
                value.setText(text)
            return
        self.clear_rows()
        for name, text in rows:
            value = QLabel(text)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.addRow(name, value)

    def clear_rows(self) -> None:
        while self.rowCount():
            self.removeRow(0)

    def _row(self, row: int) -> tuple[QLabel | None, QLabel | None]:
        def label(role: QFormLayout.ItemRole) -> QLabel | None:
            item = self.itemAt(row, role)
            widget = item.widget() if item is not None else None
            return widget if isinstance(widget, QLabel) else None

        return label(QFormLayout.ItemRole.LabelRole), label(QFormLayout.ItemRole.FieldRole)


class FactsHolder(QWidget):
    """The facts' widget in their scroll area, as tall as the facts need at its width.

    A scroll area that resizes its widget gives it the height worked out for the width it
    had: narrower (a stage chip widened the title row, the window shrank), a fact wrapped
    onto one more line and lost it."""

    def __init__(self, facts: CaseFacts) -> None:
        super().__init__()
        self.setLayout(facts)
        facts.setContentsMargins(0, 0, 0, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth():
            layout.invalidate()  # its height-for-width cache outlives a change of width
            needed = layout.totalHeightForWidth(self.width())
            if needed != self.minimumHeight():
                self.setMinimumHeight(needed)
