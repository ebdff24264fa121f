"""Reports page: the program report over this journal (see `ui.report_panel`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QWidget

from svjournal.core.i18n import tr
from svjournal.ui.report_panel import ReportPanel, ReportSource
from svjournal.ui.session import JournalSession


class ReportsPage(ReportPanel):
    def __init__(
        self,
        session: JournalSession,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(
            session,
            ReportSource(tr("Your journal"), session.data),
            parent,
            today=today,
        )
