"""Team view: team keys, importing supporters' bundles, who is in, and the merged charts.

Imports, exports and building the merged data all run off the GUI thread. The merged data
(`operations.sources.TeamData`, memory only) is built on first use by whichever worker
needs it (the charts or the report) and dropped whenever the team data changes or the
journal locks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QSizePolicy,
    QSpacerItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from svjournal.core.errors import SvJournalError
from svjournal.core.i18n import N_, ntr, tr
from svjournal.operations import team as team_ops
from svjournal.operations.sources import TeamData
from svjournal.ui import errors
from svjournal.ui.background import BackgroundRunner
from svjournal.ui.dialogs import confirm
from svjournal.ui.pages.charts import ChartsPage
from svjournal.ui.pages.common import EmptyOr, RowTable, action_button, heading, hint
from svjournal.ui.pages.team_bundles import BundleFlows
from svjournal.ui.pages.team_keys_panel import TeamKeysPanel
from svjournal.ui.session import JournalSession
from svjournal.ui.table_models import Column, RowTableModel, short_date

if TYPE_CHECKING:
    from svjournal.reports.team import SupporterRow


def _count(value: int) -> str:
    return QLocale().toString(value)


SUPPORTER_COLUMNS: list[Column[SupporterRow]] = [
    # Translators: a column of the supporter list: the coordinator's own name for them.
    Column(N_("Name"), lambda r: r.label or "—", lambda r: (r.label == "", r.label.lower())),
    Column(N_("Fingerprint"), lambda r: r.supporter_id, lambda r: r.supporter_id),
    # Translators: a column of the supporter list: accepted, removed, or the retired format.
    Column(N_("State"), lambda r: r.state, lambda r: r.state),
    Column(N_("Months covered"), lambda r: r.periods_text(), lambda r: r.periods),
    Column(N_("Bundles"), lambda r: _count(r.bundles), lambda r: r.bundles),
    Column(N_("Cases"), lambda r: _count(r.cases), lambda r: r.cases),
    Column(N_("Encounters"), lambda r: _count(r.encounters), lambda r: r.encounters),
    Column(N_("Follow-ups"), lambda r: _count(r.follow_ups), lambda r: r.follow_ups),
    Column(
        N_("Last imported"), lambda r: short_date(r.last_imported_at), lambda r: r.last_imported_at
    ),
]


class TeamPage(BundleFlows):
    def __init__(
        self,
        session: JournalSession,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.today = today
        self.merged = TeamData(session.vault)
        self.runner = BackgroundRunner(self)  # imports and exports, one at a time
        self.rows: list[SupporterRow] = []
        self.last_message: QMessageBox | None = None  # the latest result, kept for tests
        self.report_dialog: QWidget | None = None

        self.model: RowTableModel[SupporterRow] = RowTableModel(SUPPORTER_COLUMNS, self)
        self.table = RowTable(self.model, tr("Supporters"), stretch=1)
        self.table_or_empty = EmptyOr(
            self.table,
            tr(
                "No bundles imported yet. Each supporter exports one with “Export my bundle…” "
                "in their own journal; import them here."
            ),
        )
        self.import_button = action_button(tr("Import bundles…"), self.import_bundles)
        self.export_button = action_button(tr("Export my bundle…"), self.export_bundle)
        # Translators: a button: give the selected supporter a name of your own.
        self.name_button = action_button(tr("Name…"), self.name_supporter)
        self.remove_button = action_button(tr("Remove supporter…"), self.remove_supporter)
        self.report_button = action_button(tr("Program report…"), self.open_report)
        self.status = hint("")
        self.keys = TeamKeysPanel(session)
        self.keys.changed.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        buttons = QHBoxLayout()
        for button in (self.import_button, self.export_button, self.name_button):
            buttons.addWidget(button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.report_button)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(heading(tr("Team")))
        top_layout.addWidget(
            hint(
                tr(
                    "Supporters join with the team's card; their signed bundles open only in the "
                    "coordinator's journal and carry months and codes, never a day."
                )
            )
        )
        top_layout.addWidget(self.keys)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.table_or_empty, 1)
        top_layout.addWidget(self.status)

        # Bundles carry months: follow-ups are charted by month (a week would be invented).
        self.charts = ChartsPage(session, source=self.merged, title="", months_only=True)
        # Inside this page's own margins: its filter row alone is as wide as a framed
        # 1024-px screen allows, and a second pair of margins widened the window past it.
        inner = self.charts.layout()
        if inner is not None:
            margins = inner.contentsMargins()
            inner.setContentsMargins(0, margins.top(), 0, margins.bottom())
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(heading(tr("Charts over the merged data"), level=2))
        bottom_layout.addWidget(self.charts, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        # The supporter list keeps its natural height; the charts take the rest of the page.
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        # Room for the header and four supporters before the table scrolls.
        row = self.table.verticalHeader().defaultSectionSize()
        self._table_height = self.table.horizontalHeader().sizeHint().height() + 4 * row + 4
        self.table.setMinimumHeight(self._table_height)
        # The supporter list at its least, the charts the rest, until a divider is dragged.
        self._user_sized = False
        self.splitter.splitterMoved.connect(lambda *_args: setattr(self, "_user_sized", True))
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self._selection_changed()

    # --- the table ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the supporter list (a few indexed counts) and redraw the charts."""
        self.keys.refresh()
        self.rows = team_ops.supporters(self.session.vault)
        self.model.set_rows(self.rows)
        self.table_or_empty.set_empty(not self.rows)
        # Without supporters the list is one line of text: it keeps no room for four rows.
        self.table.setMinimumHeight(self._table_height if self.rows else 0)
        self._balance()
        self._selection_changed()
        self.charts.refresh()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._balance()

    def _balance(self) -> None:
        if self._user_sized:
            return
        total = self.splitter.height() - self.splitter.handleWidth()
        upper = self.splitter.widget(0)
        if upper is None:  # the splitter is built with both panes: never so
            return
        # At its real width: the minimum size hint wraps the intro text at a few words a line.
        layout = upper.layout()
        top = (
            layout.minimumHeightForWidth(upper.width())
            if layout is not None and layout.hasHeightForWidth() and upper.width() > 0
            else upper.minimumSizeHint().height()
        )
        # An explicit minimum replaces that hint for the splitter, which would not go lower.
        upper.setMinimumHeight(top)
        if total > top:
            self.splitter.setSizes([top, total - top])

    def selected(self) -> SupporterRow | None:
        row = self.table.selected_row()
        return None if row is None else self.model.row_at(row)

    def _selection_changed(self) -> None:
        chosen = self.selected() is not None
        self.name_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)
        self.report_button.setEnabled(bool(self.rows))

    def _team_changed(self) -> None:
        self.merged.invalidate()
        self.refresh()

    def clear(self) -> None:
        """On lock: forget everything shown and drop the merged database."""
        self.runner.cancel()
        self.keys.clear()
        self.charts.clear()
        self.model.clear()
        self.rows = []
        self.merged.invalidate()
        for window in (self.last_message, self.report_dialog):
            if window is not None:
                window.close()

    # --- supporters --------------------------------------------------------------------------

    def name_supporter(self) -> None:
        row = self.selected()
        if row is None:
            return
        label, ok = QInputDialog.getText(
            self,
            tr("Name supporter"),
            # Translators: {fingerprint} identifies the supporter (a code of letters and digits).
            tr("Your own name for supporter {fingerprint} (kept in this journal only):").format(
                fingerprint=row.supporter_id
            ),
            QLineEdit.EchoMode.Normal,
            row.label,
        )
        if not ok:
            return
        try:
            team_ops.set_supporter_label(self.session.vault, row.supporter_id, label)
        except SvJournalError as exc:
            errors.show_error(self, exc)
            return
        self.refresh()  # a name changes no figure: the merged data stays

    def remove_supporter(self) -> None:
        row = self.selected()
        if row is None or not confirm(
            self,
            tr("Remove supporter"),
            tr(
                "Remove everything imported from {name} and revoke their key? Their own "
                "journal is not touched; their later bundles are refused unless you accept their "
                "fingerprint again."
            ).format(name=row.name),
            tr("Remove"),
        ):
            return
        try:
            removed = team_ops.remove_supporter(self.session.vault, row.supporter_id).value
        except SvJournalError as exc:
            errors.show_error(self, exc)
            return
        # Translators: {name} is the supporter's name or fingerprint; {n} the records removed.
        text = ntr("Removed {name} ({n} record).", "Removed {name} ({n} records).", removed)
        self.status.setText(text.format(name=row.name, n=_count(removed)))
        self._team_changed()

    # --- report ------------------------------------------------------------------------------

    def open_report(self) -> None:
        from svjournal.ui.report_dialog import ReportDialog

        count = len(self.rows)
        # Translators: what a team report covers (its heading says it): "Team: 3 supporters".
        scope = ntr("Team: {n} supporter", "Team: {n} supporters", count).format(n=_count(count))
        dialog = ReportDialog(
            self,
            source=self.merged,
            scope_label=scope,
            session=self.session,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.report_dialog = dialog
        dialog.destroyed.connect(lambda: setattr(self, "report_dialog", None))
        dialog.show()

    # --- shared ------------------------------------------------------------------------------

    def _busy(self, text: str) -> None:
        self.status.setText(text)
        for button in (self.import_button, self.export_button):
            button.setEnabled(False)

    def _idle(self) -> None:
        self.status.setText("")
        for button in (self.import_button, self.export_button):
            button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self._idle()
        if self.session.is_unlocked:
            errors.show_error(self, exc)

    def _tell(self, title: str, text: str, icon: QMessageBox.Icon) -> None:
        """A result note that does not block (window-modal, closed with the page on lock)."""
        box = QMessageBox(icon, tr("Team"), title, QMessageBox.StandardButton.Ok, self)
        box.setInformativeText(text)
        box.setAccessibleName(title)
        # Wide enough that a line per file stays a line (QMessageBox sizes to its text).
        grid = box.layout()
        if isinstance(grid, QGridLayout):
            width = self.fontMetrics().averageCharWidth() * 80
            spacer = QSpacerItem(width, 0, QSizePolicy.Policy.Minimum)
            grid.addItem(spacer, grid.rowCount(), 0, 1, grid.columnCount())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(lambda: setattr(self, "last_message", None))
        self.last_message = box
        box.open()
