"""Today: red flags needing attention, overdue and due follow-ups, referrals waiting for a first
contact, recent encounters."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from svjournal.core import vocab
from svjournal.core.i18n import N_, ntr, tr
from svjournal.core.journal import RED_FLAG_ATTENTION_DAYS, CaseRow, Journal
from svjournal.ui import red_flags
from svjournal.ui.formatting import format_date
from svjournal.ui.pages.common import EmptyOr, RowTable, heading, hint
from svjournal.ui.table_models import (
    Column,
    FollowUpTableModel,
    RowTableModel,
    short_date,
    stage_label,
)


class _Recent:
    """A recent encounter as a row: what the table needs, nothing more."""

    def __init__(
        self, case_id: str, alias: str, when: str, stage: str, mode: str, flags: list[str]
    ) -> None:
        self.id, self.alias, self.when, self.stage, self.mode = case_id, alias, when, stage, mode
        self.flags = flags


FIRST_STEP = N_(
    "Your journal is empty. Start with the colleague you are supporting: add them as a "
    "case under a pseudonym, then log each contact as an encounter. Follow-ups that are "
    "due, referrals waiting for a first contact and recent encounters will appear here."
)


class TodayPage(QWidget):
    open_case = Signal(str)
    new_case = Signal()

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._journal = journal
        # Open cases with a recent red flag and no accepted Tier 3 referral: what to do first.
        self.attention_model: RowTableModel[CaseRow] = RowTableModel(
            [
                Column(
                    N_("Red flag"),
                    lambda r: f"{red_flags.MARKER} {short_date(r.last_red_flag)}",
                    lambda r: r.last_red_flag,
                    lambda r: red_flags.case_flag_detail(r.last_red_flag, r.tier3_referral),
                ),
                Column(N_("Pseudonym"), lambda r: r.alias),
                Column(
                    N_("Tier 3 referral"),
                    lambda r: red_flags.tier3_text(r.tier3_referral).capitalize(),
                ),
            ]
        )
        self.overdue_model = FollowUpTableModel(date.today)
        self.due_model = FollowUpTableModel(date.today)
        self.waiting_model: RowTableModel[CaseRow] = RowTableModel(
            [
                # Translators: a column: the day the person was referred.
                Column(
                    N_("Referred"), lambda r: format_date(r.referred_on), lambda r: r.referred_on
                ),
                Column(N_("Pseudonym"), lambda r: r.alias),
                Column(N_("Event"), lambda r: vocab.EVENT_CATEGORIES.label(r.event_category)),
            ]
        )
        self.recent_model: RowTableModel[_Recent] = RowTableModel(
            [
                Column(N_("When"), lambda r: r.when),
                Column(N_("Pseudonym"), lambda r: r.alias),
                Column(
                    red_flags.MARKER,
                    lambda r: red_flags.compact_flag(bool(r.flags)),
                    tip=lambda r: red_flags.encounter_flags_detail(r.flags),
                    spoken=lambda r: red_flags.encounter_flags(r.flags) or tr("No red flag"),
                    header_tip=N_("Red flag"),
                ),
                Column(N_("Stage"), lambda r: r.stage),
                Column(N_("Mode"), lambda r: r.mode),
            ]
        )
        content = QWidget()
        grid = QGridLayout(content)
        grid.setContentsMargins(0, 0, 0, 0)
        # (title, model, empty text, the column that takes the spare width and may elide,
        # columns not worth their width here, columns dropped when the list is narrow): a
        # pseudonym is never the one cut short.
        status = FollowUpTableModel.COL_STATUS  # always "Planned" in these two lists
        days = RED_FLAG_ATTENTION_DAYS
        # The method (and an encounter's mode) goes first when a list is narrow.
        method = (FollowUpTableModel.COL_METHOD,)
        sections: list[tuple[str, RowTableModel[Any], str, int, list[int], tuple[int, ...]]] = [
            (
                tr("Needs attention"),
                self.attention_model,
                ntr(
                    "No red flag in the last {n} day that waits for an accepted Tier 3 referral.",
                    "No red flag in the last {n} days that waits for an accepted Tier 3 referral.",
                    days,
                ).format(n=days),
                2,
                [],
                (),
            ),
            (
                tr("Overdue follow-ups"),
                self.overdue_model,
                tr("Nothing overdue."),
                1,
                [status],
                method,
            ),
            (
                tr("Due today"),
                self.due_model,
                tr("No follow-ups due today."),
                1,
                [status],
                method,
            ),
            (
                tr("Waiting for a first contact"),
                self.waiting_model,
                tr("No referral is waiting for a first contact."),
                2,
                [],
                (),
            ),
            (
                tr("Recent encounters"),
                self.recent_model,
                tr("No encounters logged yet."),
                3,
                [],
                (4,),
            ),
        ]
        self._empties: list[tuple[EmptyOr, RowTableModel[Any]]] = []
        self._tables: list[RowTable] = []
        for n, (title, model, empty_text, stretch, hidden, optional) in enumerate(sections):
            box = QGroupBox(title)
            box_layout = QVBoxLayout(box)
            # The pseudonym stays whole: optional columns go before it is cut.
            alias = 1 if model in (self.overdue_model, self.due_model) else None
            table = RowTable(
                model,
                title,
                stretch=stretch,
                optional=optional,
                keep_whole=(alias,) if alias is not None else (),
            )
            for column in hidden:
                table.setColumnHidden(column, True)
            table.activated_row.connect(lambda row, m=model: self.open_case.emit(_case_id(m, row)))
            table.selectionModel().selectionChanged.connect(
                lambda _new, _old, t=table: self._selected_in(t)
            )
            self._tables.append(table)
            wrapper = EmptyOr(table, empty_text)
            box_layout.addWidget(wrapper)
            self._empties.append((wrapper, model))
            if n == 0:  # Needs attention: across the top, first to be read
                box.setAccessibleDescription(
                    ntr(
                        "Open cases with a red flag in the last {n} day and no accepted Tier 3 "
                        "referral",
                        "Open cases with a red flag in the last {n} days and no accepted Tier 3 "
                        "referral",
                        days,
                    ).format(n=days)
                )
                grid.addWidget(box, 0, 0, 1, 2)
            else:
                grid.addWidget(box, (n + 1) // 2, (n + 1) % 2)
        # Needs attention is usually a line or two: less of the height than the lists below.
        for grid_row, share in ((0, 2), (1, 3), (2, 3)):
            grid.setRowStretch(grid_row, share)
        # No scroll area around the sections: each table scrolls itself (never two
        # scrollbars nested), and the page fits the smallest supported window.
        first = QWidget()
        first_layout = QVBoxLayout(first)
        first_layout.addWidget(hint(tr(FIRST_STEP)))
        start = QPushButton(tr("New case…"))
        start.setToolTip(tr("New case (Ctrl+Shift+N)"))
        start.clicked.connect(self.new_case)
        row = QHBoxLayout()
        row.addWidget(start)
        row.addStretch(1)
        first_layout.addLayout(row)
        first_layout.addStretch(1)
        self.first_step = first
        self.body = QStackedWidget()
        self.body.addWidget(content)
        self.body.addWidget(first)
        self.open_hint = hint(tr("Double-click or press Enter on a row to open the case."))
        layout = QVBoxLayout(self)
        layout.addWidget(heading(tr("Today")))
        layout.addWidget(self.open_hint)
        layout.addWidget(self.body, 1)
        self.body.setCurrentWidget(content)
        self.first_step.setAccessibleName(tr("First steps"))

    def refresh(self) -> None:
        j = self._journal
        self.attention_model.set_rows(j.needs_attention())
        self.overdue_model.set_rows(j.overdue())
        self.due_model.set_rows(j.due_today())
        self.waiting_model.set_rows(j.awaiting_first_contact())
        self.recent_model.set_rows(
            [
                _Recent(
                    e.case_id,
                    alias,
                    format_date(e.occurred_at),  # the day is enough here; the case has the time
                    stage_label(e.stage),
                    vocab.MODES.label(e.mode),
                    list(e.red_flags),
                )
                for e, alias in j.recent_encounters(10)
            ]
        )
        for wrapper, model in self._empties:
            wrapper.set_empty(model.rowCount() == 0)
        # Only when every list is empty can the journal be: then say how to begin.
        nothing = all(model.rowCount() == 0 for _wrapper, model in self._empties)
        empty_journal = nothing and not j.list_cases()
        self.body.setCurrentIndex(1 if empty_journal else 0)
        self.open_hint.setVisible(not empty_journal)

    def selected_case_id(self) -> str | None:
        """The case of the one selected row (what Ctrl+N logs an encounter for), if any."""
        for table in self._tables:
            row = table.selected_row()
            if row is not None:
                return _case_id(table.model(), row)  # type: ignore[arg-type]
        return None

    def _selected_in(self, table: RowTable) -> None:
        # One selection across the page's lists, so "the selected row" is never ambiguous.
        if table.selected_row() is None:
            return
        for other in self._tables:
            if other is not table:
                other.clearSelection()

    def clear(self) -> None:
        for _wrapper, model in self._empties:
            model.clear()


def _case_id(model: RowTableModel[Any], row: int) -> str:
    item = model.row_at(row)
    return str(getattr(item, "case_id", None) or item.id)
