"""Item models over rows the journal service returns (no database reads inside a model)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from svjournal.core import vocab
from svjournal.core.i18n import N_, ntr, tr
from svjournal.core.journal import CaseFilter, CaseRow, FollowUpRow
from svjournal.ui import red_flags
from svjournal.ui.formatting import format_date, format_datetime

R = TypeVar("R")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


def short_date(value: date | datetime | None) -> str:
    """A date, or a date and time, in the one display format (ui/formatting.py)."""
    return format_datetime(value)


def stage_label(stage: int | None) -> str:
    # Translators: a recovery stage, its number and name: "3 · Intrusive reflections".
    return tr("{n} · {stage}").format(n=stage, stage=vocab.STAGES.label(stage)) if stage else "—"


class Column(Generic[R]):
    """One column: its header, its text, the value it sorts by, and an optional tooltip.

    `header` and `header_tip` are marked with `N_` and translated when shown (`headerData`),
    so a table built before the language changes still heads its columns in the new one."""

    def __init__(
        self,
        header: str,
        text: Callable[[R], str],
        sort: Callable[[R], Any] | None = None,
        tip: Callable[[R], str] | None = None,
        spoken: Callable[[R], str] | None = None,
        header_tip: str | None = None,
    ) -> None:
        self.header = header
        self.header_tip = header_tip  # the header in words, when the header is a symbol
        self.text = text
        self.sort = sort or text
        self.tip = tip
        self.spoken = spoken  # what a screen reader says when the text is a symbol


class RowTableModel(QAbstractTableModel, Generic[R]):
    """A read-only table of immutable rows; `set_rows` replaces them in one reset."""

    def __init__(self, columns: Sequence[Column[R]], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[R] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return _shown(column.header)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return _shown(column.header_tip)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == SORT_ROLE:
            return column.sort(row)
        if role == ID_ROLE:
            return getattr(row, "id", None)
        if role == Qt.ItemDataRole.ToolTipRole and column.tip is not None:
            return column.tip(row) or None
        if role == Qt.ItemDataRole.AccessibleTextRole and column.spoken is not None:
            return column.spoken(row)
        return None


def _shown(header: str | None) -> str | None:
    # tr("") would be the catalogue's own header entry, not an empty heading.
    return tr(header) if header else header


def _sortable(value: Any) -> Any:
    # None sorts last in either direction's natural reading: use a tuple flag.
    return (value is None, value if value is not None else "")


def flag_column() -> Column[Any]:
    """The red-flag marker of a row carrying the case's last_red_flag and tier3_referral:
    the symbol in the cell, the words in its tooltip and accessible text."""
    return Column(
        red_flags.MARKER,
        lambda r: red_flags.compact_flag(r.last_red_flag is not None),
        lambda r: _sortable(r.last_red_flag),
        tip=lambda r: (
            red_flags.case_flag_detail(r.last_red_flag, r.tier3_referral) if r.last_red_flag else ""
        ),
        spoken=lambda r: red_flags.case_flag(r.last_red_flag) or tr("No red flag"),
        header_tip=N_("Red flag"),
    )


class CaseTableModel(RowTableModel[CaseRow]):
    COL_ALIAS, COL_ROLE, COL_DEPARTMENT, COL_EVENT, COL_STAGE, COL_LAST, COL_NEXT, COL_STATUS = (
        range(8)
    )

    def __init__(self, department_labels: dict[str, str], parent: Any = None) -> None:
        depts = department_labels
        super().__init__(
            [
                # The red-flag marker leads the pseudonym: a column of its own does not fit
                # beside the descriptive columns in a 1024-px window.
                Column(
                    N_("Pseudonym"),
                    lambda r: red_flags.flagged_alias(r.alias, r.last_red_flag is not None),
                    lambda r: r.alias.casefold(),
                    tip=lambda r: (
                        red_flags.case_flag_detail(r.last_red_flag, r.tier3_referral)
                        if r.last_red_flag
                        else ""
                    ),
                    spoken=lambda r: (
                        # Translators: what a screen reader says: a pseudonym, then "⚑ Red flag".
                        tr("{alias}, {red_flag}").format(
                            alias=r.alias, red_flag=red_flags.red_flag()
                        )
                        if r.last_red_flag
                        else r.alias
                    ),
                ),
                Column(N_("Role"), lambda r: vocab.ROLES.label(r.role)),
                Column(N_("Department"), lambda r: depts.get(r.department, r.department)),
                Column(N_("Event"), lambda r: vocab.EVENT_CATEGORIES.label(r.event_category)),
                Column(
                    N_("Stage"),
                    lambda r: stage_label(r.current_stage),
                    lambda r: r.current_stage or 0,
                ),
                Column(
                    N_("Last contact"),
                    lambda r: short_date(r.last_contact),
                    lambda r: _sortable(r.last_contact),
                ),
                Column(
                    # Translators: a column heading, the next follow-up of a case (short: the
                    # column must fit in a 1024-px window).
                    N_("Follow-up"),
                    lambda r: short_date(r.next_follow_up),
                    lambda r: _sortable(r.next_follow_up),
                ),
                Column(N_("Status"), lambda r: vocab.CASE_STATUSES.label(r.status)),
            ],
            parent,
        )


class CaseFilterProxy(QSortFilterProxyModel):
    """Find box and filters applied in memory, so each keystroke is instant."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._filter = CaseFilter()
        self._needle = ""

    def set_filter(self, filt: CaseFilter) -> None:
        # Qt 6.10 replaced invalidateFilter() with a begin/end pair; older Qt has only the former.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            self._filter, self._needle = filt, filt.text.casefold()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - Qt before 6.10
            self._filter, self._needle = filt, filt.text.casefold()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, CaseTableModel)
        row = model.row_at(source_row)
        f = self._filter
        if self._needle and self._needle not in row.alias.casefold():
            return False
        return (
            (f.status is None or row.status == f.status)
            and (f.stage is None or row.current_stage == f.stage)
            and (f.role is None or row.role == f.role)
            and (f.department is None or row.department == f.department)
            and (f.kind is None or row.kind == f.kind)
            and (not f.red_flag or row.last_red_flag is not None)
        )


class FollowUpTableModel(RowTableModel[FollowUpRow]):
    COL_DUE, COL_ALIAS, COL_FLAG, COL_METHOD, COL_STATUS = range(5)

    def __init__(self, today: Callable[[], date], parent: Any = None) -> None:
        def due_text(row: FollowUpRow) -> str:
            due = format_date(row.due_on)
            if row.status != "planned":
                return due
            days = (row.due_on - today()).days
            if days == 0:
                return tr("{date} (today)").format(date=due)
            if days == 1:
                return tr("{date} (tomorrow)").format(date=due)
            if days < 0:
                # Translators: a follow-up's due date, then how many days ago it was due.
                return ntr("{date} ({n} day overdue)", "{date} ({n} days overdue)", -days).format(
                    date=due, n=-days
                )
            # Translators: a follow-up's due date, then in how many days it is due.
            return ntr("{date} (in {n} day)", "{date} (in {n} days)", days).format(date=due, n=days)

        super().__init__(
            [
                Column(N_("Due"), due_text, lambda r: r.due_on),
                Column(N_("Pseudonym"), lambda r: r.alias, lambda r: r.alias.casefold()),
                flag_column(),
                Column(N_("Method"), lambda r: vocab.MODES.label(r.method)),
                Column(N_("Status"), lambda r: vocab.FOLLOW_UP_STATUSES.label(r.status)),
            ],
            parent,
        )
