"""The escalation contacts as an editable table (one row a contact, add, remove, reorder),
and the first-run page that asks for them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from svjournal.core.escalation import contacts_in_use, proposed_contacts
from svjournal.core.i18n import N_, tr
from svjournal.core.validation import MAX_PHONE, MAX_SHORT_TEXT

if TYPE_CHECKING:  # the service is not needed to show the table
    from svjournal.core.journal import Journal

_Index = QModelIndex | QPersistentModelIndex

# Column: the stored key, the header (translated where shown), and the longest text the
# setting accepts.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    # Translators: a column of the escalation contacts: who to call.
    ("name", N_("Name"), 80),
    # Translators: a column of the escalation contacts: the phone number or other way to reach.
    ("phone", N_("How to reach"), MAX_PHONE),
    # Translators: a column of the escalation contacts: when to call them (hours, situations).
    ("note", N_("When"), MAX_SHORT_TEXT),
)
_PLACEHOLDERS = (
    N_("e.g. Staff support line"),
    # Translators: an example phone number; use one in your country's format.
    N_("e.g. 0161 555 0100, ext. 4455"),
    N_("e.g. Weekdays 9–5"),
)


def locale_territory(locale: QLocale | None = None) -> str:
    """The two-letter territory of the locale (e.g. "US", "GB"); "" when it has none. No
    locale: the workstation's region, never one implied by the language spoken."""
    if locale is None:
        from svjournal.ui.language import region

        return region()
    name = locale.name()  # "en_US"; "C" has no territory
    _language, _sep, territory = name.partition("_")
    return territory.upper() if len(territory) == 2 else ""


def escalation_contacts_for(journal: Journal) -> list[dict[str, str]]:
    """The contacts a red flag shows here: the stored ones, or the locale's proposal until the
    supporter has entered their own (never the US line outside the US)."""
    locked = journal.policy.is_locked("escalation_contacts")
    return contacts_in_use(
        journal.setting("escalation_contacts"),
        confirmed=locked or journal.setting("escalation_contacts_confirmed"),
        territory=locale_territory(),
    )


class ContactsModel(QAbstractTableModel):
    """The list of {name, phone, note} dicts the setting stores, one row each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, str]] = []

    def set_contacts(self, contacts: Sequence[Mapping[str, str]]) -> None:
        self.beginResetModel()
        self._rows = [{key: str(c.get(key) or "") for key, _, _ in COLUMNS} for c in contacts]
        self.endResetModel()

    def contacts(self) -> list[dict[str, str]]:
        """The rows with anything in them, trimmed; a blank row is not a contact."""
        rows = [{k: v.strip() for k, v in row.items()} for row in self._rows]
        return [row for row in rows if any(row.values())]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        key = COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._rows[index.row()][key]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._rows[index.row()][key] or None
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        key, _header, limit = COLUMNS[index.column()]
        self._rows[index.row()][key] = str(value)[:limit]
        self.dataChanged.emit(index, index)
        return True

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() else base

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return tr(COLUMNS[section][1])
        return QLocale().toString(section + 1)

    def add_row(self) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append({key: "" for key, _, _ in COLUMNS})
        self.endInsertRows()
        return row

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def move_row(self, row: int, by: int) -> int:
        """Move `row` up (by=-1) or down (by=1); returns where it is now."""
        target = row + by
        if not (0 <= row < len(self._rows) and 0 <= target < len(self._rows)):
            return row
        # Qt's destination is the row the moved one lands before, counted before the move.
        destination = target + 1 if by > 0 else target
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self._rows.insert(target, self._rows.pop(row))
        self.endMoveRows()
        return target


class _LimitedEditor(QStyledItemDelegate):
    """A line editor that stops at the length the setting accepts and says what goes in."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        edit = QLineEdit(parent)
        _key, header, limit = COLUMNS[index.column()]
        edit.setMaxLength(limit)
        edit.setPlaceholderText(tr(_PLACEHOLDERS[index.column()]))
        # Translators: the editor of one cell: its column ("How to reach") and row number.
        name = tr("{column}, contact {n}")
        edit.setAccessibleName(
            name.format(column=tr(header), n=QLocale().toString(index.row() + 1))
        )
        return edit


class ContactsEditor(QWidget):
    """The table and its Add / Remove / Move up / Move down buttons."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ContactsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegate(_LimitedEditor(self.table))
        self.table.setAccessibleName(tr("Escalation contacts"))
        self.table.setAccessibleDescription(
            tr("One row a contact: name, how to reach them, and when. Press F2 or type to edit.")
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, as in every other field
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # The columns share the width the table gets: no sideways scrolling in the narrow
        # first-run wizard (fixed widths needed a horizontal scroll bar there).
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        rows = self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(header.sizeHint().height() + rows * 4 + 4)

        self.add_button = QPushButton(tr("&Add contact"))
        self.remove_button = QPushButton(tr("Re&move"))
        self.up_button = QPushButton(tr("Move &up"))
        self.down_button = QPushButton(tr("Move do&wn"))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            # Translators: a button's accessible name: its text ("Move up"), then what it acts on.
            name = tr("{button} (escalation contacts)")
            button.setAccessibleName(name.format(button=button.text().replace("&", "")))
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self.add_contact)
        self.remove_button.clicked.connect(self.remove_contact)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(lambda *_: self._update_buttons())
        for signal in (self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset):
            signal.connect(self._update_buttons)
        for signal in (self.model.dataChanged, self.model.rowsRemoved, self.model.rowsMoved):
            signal.connect(self.changed)
        self._update_buttons()

    def set_contacts(self, contacts: Sequence[Mapping[str, str]]) -> None:
        self.model.set_contacts(contacts)

    def contacts(self) -> list[dict[str, str]]:
        return self.model.contacts()

    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def add_contact(self) -> None:
        row = self.model.add_row()
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.edit(index)
        self.changed.emit()

    def remove_contact(self) -> None:
        row = self.current_row()
        self.model.remove_row(row)
        if self.model.rowCount():
            self._select(min(row, self.model.rowCount() - 1))

    def _move(self, by: int) -> None:
        self._select(self.model.move_row(self.current_row(), by))

    def _select(self, row: int) -> None:
        if row < 0:
            return
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)
        self._update_buttons()

    def _update_buttons(self) -> None:
        row, count = self.current_row(), self.model.rowCount()
        self.remove_button.setEnabled(0 <= row < count)
        self.up_button.setEnabled(0 < row < count)
        self.down_button.setEnabled(0 <= row < count - 1)


def _wrapped_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class ContactsPage(QWizardPage):
    """Optional: the local escalation contacts, shown whenever a red flag is ticked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(tr("Who to call when it is serious"))
        self.setSubTitle(tr("Optional. You can add or change them later in Settings."))
        self.contacts = ContactsEditor(self)
        # 988 only where the locale is the US; elsewhere nothing is assumed.
        self.contacts.set_contacts(proposed_contacts(locale_territory()))
        layout = QVBoxLayout(self)
        layout.addWidget(
            _wrapped_label(
                tr(
                    "When an encounter records a red flag (thoughts of suicide, self-harm, "
                    "impairment…), the journal shows these contacts. Enter the ones for where you "
                    "work: the local crisis line, the on-call or occupational health number, your "
                    "program lead. Leave the table empty to skip this for now."
                )
            )
        )
        layout.addWidget(self.contacts, 1)
