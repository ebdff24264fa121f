"""Follow-ups: overdue, upcoming and settled, with mark done / reschedule / cancel."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QLocale, Signal, SignalInstance
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from svjournal.core.i18n import tr
from svjournal.core.journal import FollowUpRow, Journal
from svjournal.ui.pages.common import EmptyOr, RowTable, heading, hint
from svjournal.ui.table_models import FollowUpTableModel

KEYS = ("overdue", "upcoming", "settled")  # the tabs, in order


class FollowUpsPage(QWidget):
    """The workspace connects the action signals (they need dialogs and the editor)."""

    mark_done = Signal(object)  # FollowUpRow
    reschedule = Signal(object)
    cancel = Signal(object)
    open_case = Signal(str)

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._journal = journal
        self.tabs = QTabWidget()
        self.models: dict[str, FollowUpTableModel] = {}
        self.tables: dict[str, RowTable] = {}
        self._bodies: dict[str, EmptyOr] = {}
        self._titles: dict[str, str] = {}
        for key, title, name, empty in (
            # Translators: a tab of the Follow-ups page (the list's name follows it).
            ("overdue", tr("Overdue"), tr("Overdue follow-ups"), tr("Nothing overdue.")),
            (
                "upcoming",
                tr("Today and upcoming"),
                tr("Follow-ups due today and upcoming"),
                tr("No follow-ups planned."),
            ),
            (
                "settled",
                tr("Done, missed, canceled"),
                tr("Follow-ups done, missed or canceled"),
                tr("Nothing settled yet."),
            ),
        ):
            model = FollowUpTableModel(date.today)
            table = RowTable(model, name, stretch=FollowUpTableModel.COL_ALIAS)
            table.activated_row.connect(
                lambda row, m=model: self.open_case.emit(m.row_at(row).case_id)
            )
            body = EmptyOr(table, empty)
            self.models[key], self.tables[key], self._bodies[key] = model, table, body
            self._titles[key] = title
            self.tabs.addTab(body, title)
            table.selectionModel().selectionChanged.connect(self._update_actions)
        self.tabs.currentChanged.connect(self._update_actions)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, signal in (
            ("done", tr("Mark done…"), self.mark_done),
            ("reschedule", tr("Reschedule…"), self.reschedule),
            ("cancel", tr("Cancel follow-up"), self.cancel),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, s=signal: self._emit(s))
            buttons.addWidget(button)
            self.buttons[key] = button
        buttons.addStretch(1)
        self._update_actions()
        layout = QVBoxLayout(self)
        layout.addWidget(heading(tr("Follow-ups")))
        layout.addWidget(
            hint(
                tr("Mark done opens the encounter form, prefilled; the follow-up is linked to it.")
            )
        )
        layout.addLayout(buttons)
        layout.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        j = self._journal
        self.models["overdue"].set_rows(j.overdue())
        self.models["upcoming"].set_rows(j.due_today() + j.upcoming())
        self.models["settled"].set_rows(j.settled_follow_ups())
        for n, (key, body) in enumerate(self._bodies.items()):
            rows = self.models[key].rowCount()
            body.set_empty(rows == 0)
            # Translators: a tab's name and how many follow-ups it lists: "Overdue (3)".
            count = tr("{tab} ({n})").format(tab=self._titles[key], n=QLocale().toString(rows))
            self.tabs.setTabText(n, count)
        # Never open on an empty list while another has follow-ups to act on (nothing
        # overdue, one due today: show today's).
        if self.models[KEYS[self.tabs.currentIndex()]].rowCount() == 0:
            for n, key in enumerate(KEYS[:2]):
                if self.models[key].rowCount():
                    self.tabs.setCurrentIndex(n)
                    break
        self._update_actions()

    def clear(self) -> None:
        for model in self.models.values():
            model.clear()
        self._update_actions()

    def selected(self) -> FollowUpRow | None:
        key = KEYS[self.tabs.currentIndex()]
        row = self.tables[key].selected_row()
        return None if row is None else self.models[key].row_at(row)

    def selected_case_id(self) -> str | None:
        row = self.selected()
        return None if row is None else row.case_id

    def _update_actions(self, *_args: object) -> None:
        """The actions need a planned follow-up selected: disabled otherwise, never silent."""
        row = self.selected()
        for button in self.buttons.values():
            button.setEnabled(row is not None and row.status == "planned")

    def _emit(self, signal: SignalInstance) -> None:
        row = self.selected()
        if row is not None and row.status == "planned":
            signal.emit(row)
