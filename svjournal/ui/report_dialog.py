"""The programme report over another source (the merged team data) in its own window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from svjournal.core.i18n import tr
from svjournal.ui import screen_fit
from svjournal.ui.report_panel import ReportPanel, ReportSource
from svjournal.ui.session import JournalSession

if TYPE_CHECKING:
    from svjournal.operations.sources import DataSource


class ReportDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        source: DataSource,
        scope_label: str,
        session: JournalSession,
        days_only: bool = False,
    ) -> None:
        super().__init__(parent)
        # Translators: {scope} is where the figures come from ("Team: 3 supporters").
        self.setWindowTitle(tr("Program report — {scope}").format(scope=scope_label))
        self.panel = ReportPanel(session, ReportSource(scope_label, source, days_only), self)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addWidget(close)
        # Roomy where the screen allows, never beyond it (a 1024×640 screen is supported).
        self.resize(screen_fit.bounded_to_screen(QSize(1100, 760), self))
        self.panel.refresh()

    def done(self, result: int) -> None:
        self.panel.clear()
        super().done(result)
