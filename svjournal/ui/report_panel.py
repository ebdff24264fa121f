"""The Reports view: choose period, departments, format and threshold; preview; export.

Used as the Reports page (over this journal) and inside `ReportDialog` (over the merged
team data). The report is built on the thread pool; the preview shows exactly the cells
the file will hold, small counts already suppressed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from svjournal.core import i18n, periods
from svjournal.core.i18n import N_, ptr, tr
from svjournal.reports.model import ProgrammeReport
from svjournal.reports.programme import ReportRequest
from svjournal.reports.suppression import MIN_THRESHOLD
from svjournal.ui import errors, period_picker
from svjournal.ui.background import BackgroundRunner
from svjournal.ui.file_dialogs import ask_save_path
from svjournal.ui.formatting import date_format, format_date
from svjournal.ui.pages.common import busy_bar, heading, hint
from svjournal.ui.report_preview import report_html
from svjournal.ui.session import JournalSession

if TYPE_CHECKING:
    from svjournal.operations.sources import DataSource

FORMATS = (
    (N_("PDF document"), "pdf"),
    (N_("Excel workbook (XLSX)"), "xlsx"),
    (N_("CSV table"), "csv"),
)
# The file-type filters of the save dialog.
FILTERS = {
    "pdf": N_("PDF (*.pdf)"),
    # Translators: a file-type filter of the save dialog; keep "(*.xlsx)" as it is.
    "xlsx": N_("Excel workbook (*.xlsx)"),
    "csv": N_("CSV (*.csv)"),
}


def render_in_worker(report: ProgrammeReport, fmt: str, language: str | None = None) -> bytes:
    """The file's bytes, made by a drawing process (keeps this process small); here if the
    processes cannot run. `language`: the report's (None: the one spoken here)."""
    from concurrent.futures import CancelledError
    from concurrent.futures.process import BrokenProcessPool

    from svjournal.charts.pool import shared_pool, shutdown_shared_pool
    from svjournal.reports.write import render_report

    try:
        return shared_pool().render_document(
            render_report,  # type: ignore[arg-type]
            report,
            fmt,
            language=language,
        )
    except (BrokenProcessPool, CancelledError, OSError):
        shutdown_shared_pool()
        with i18n.speaking(language or i18n.current()):
            return render_report(report, fmt)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ReportSource:
    """Where the figures come from: the journal's own data, or the merged team data."""

    scope: str  # "Your journal", "Team: 3 supporters"
    data: DataSource  # queried on the worker thread
    days_only: bool = False  # team data: dates to the day, so waits in whole days


class ReportPanel(QWidget):
    def __init__(
        self,
        session: JournalSession,
        source: ReportSource,
        parent: QWidget | None = None,
        *,
        title: str | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.source = source
        self._today = today
        self.report: ProgrammeReport | None = None
        self._report_request: ReportRequest | None = None
        self.runner = BackgroundRunner(self)
        self.export_runner = BackgroundRunner(self)

        self.preset = QComboBox()
        self.preset.setAccessibleName(tr("Period"))
        # This year so far, as before; the names mean what they mean everywhere.
        period_picker.fill(self.preset, today(), periods.YEAR_SO_FAR)
        self.start = QDateEdit()
        self.end = QDateEdit()
        # Translators: the accessible names of the first and last day of the report period.
        for edit, name in ((self.start, tr("From")), (self.end, tr("To"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_format())
            edit.setAccessibleName(name)
            widest = format_date(date(2026, 9, 30))  # a long month name and two-digit day
            edit.setMinimumWidth(self.fontMetrics().horizontalAdvance(widest) + 44)
            edit.dateChanged.connect(self._dates_edited)
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        # Translators: between the first and the last day of the period ("1 Jan 2026 to ...").
        dates.addWidget(QLabel(ptr("period", "to")))
        dates.addWidget(self.end)

        self.all_departments = QCheckBox(tr("All departments"))
        self.all_departments.setChecked(True)
        self.departments = QListWidget()
        self.departments.setAccessibleName(tr("Departments"))
        self.departments.setMaximumHeight(self.fontMetrics().height() * 8)
        for dept in session.journal.setting("departments"):
            item = QListWidgetItem(dept["label"], self.departments)
            item.setData(Qt.ItemDataRole.UserRole, dept["code"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.departments.setEnabled(False)
        self.all_departments.toggled.connect(lambda on: self.departments.setEnabled(not on))
        self.all_departments.toggled.connect(self._changed)
        self.departments.itemChanged.connect(self._changed)

        self.threshold = QSpinBox()
        self.threshold.setRange(0, 50)
        self.threshold.setSpecialValueText(tr("Off — show every count"))
        self.threshold.setAccessibleName(tr("Hide counts below"))
        floor = session.journal.policy.threshold_min()
        if floor:  # the IT policy's smallest threshold: nothing below it, and no "off"
            self.threshold.setRange(floor, 50)
            self.threshold.setSpecialValueText("")
        self.threshold.setValue(int(session.journal.setting("small_count_threshold")))
        self._last_threshold = self.threshold.value()
        self.threshold.valueChanged.connect(self._threshold_changed)
        self.format = QComboBox()
        self.format.setAccessibleName(tr("Format"))
        for label, code in FORMATS:
            self.format.addItem(tr(label), code)

        # The report's own language: a coordinator abroad, or a funder, may read another.
        self.language = QComboBox()
        self.language.setAccessibleName(tr("Language of the report"))
        self.language.addItem(tr("As the window"), None)
        for code in i18n.shipped():
            self.language.addItem(i18n.LANGUAGES[code], code)
        self.language.currentIndexChanged.connect(self._changed)

        self.export_button = QPushButton(tr("Export…"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.busy = busy_bar(tr("Working"), (self.runner, self.export_runner), self._idle)
        self.status = hint("")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.show_folder = QPushButton(tr("Show in folder"))
        self.show_folder.hide()
        self.show_folder.clicked.connect(self._show_folder)
        self._last_path: Path | None = None

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # A long label ("Kleine Zahlen ausblenden unter") goes above its field, not over it.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(tr("Period"), self.preset)
        form.addRow("", dates)
        form.addRow(tr("Departments"), self.all_departments)
        form.addRow("", self.departments)
        form.addRow(tr("Hide counts below"), self.threshold)
        form.addRow(tr("Format"), self.format)
        form.addRow(tr("Language"), self.language)
        buttons = QHBoxLayout()
        buttons.addWidget(self.busy, 1)
        buttons.addWidget(self.export_button)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(
            hint(
                # Translators: “<N” and “c” are the marks the report prints; keep them as they are.
                tr(
                    "Reports hold aggregates only: no pseudonyms, contact details or notes. A "
                    "figure made of fewer people than the threshold prints as “<N” (zero too), "
                    "cells that could give one away as “c”; with fewer people than that in the "
                    "whole report, every table is withheld."
                )
            )
        )
        left.addLayout(buttons)
        left.addWidget(self.status)
        left.addWidget(self.show_folder, 0, Qt.AlignmentFlag.AlignLeft)
        left.addStretch(1)
        left_holder = QWidget()
        left_holder.setLayout(left)
        left_holder.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 38)

        self.preview = QTextBrowser()
        self.preview.setAccessibleName(tr("Report preview"))
        self.preview.setOpenLinks(False)
        body = QHBoxLayout()
        body.addWidget(left_holder)
        body.addWidget(self.preview, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(title or tr("Program report")))
        # Translators: {scope} is where the figures come from ("Your journal", "Team: 2 people").
        layout.addWidget(hint(tr("Figures from: {scope}").format(scope=source.scope)))
        layout.addLayout(body, 1)

        self.preset.currentIndexChanged.connect(self._preset_changed)
        self._apply_preset()  # no preview yet: it is built when the view is first shown

    # --- the request ------------------------------------------------------------------

    def request(self) -> ReportRequest:
        from svjournal.reports.report_export import request_from_settings

        departments: tuple[str, ...] = ()
        if not self.all_departments.isChecked():
            departments = tuple(
                self.departments.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.departments.count())
                if self.departments.item(i).checkState() == Qt.CheckState.Checked
            )
        period = period_picker.sync(self.preset, self.start, self.end, self._today())
        return request_from_settings(
            self.session.journal,
            period,
            departments=departments,
            threshold=self.threshold.value(),
            scope=self.source.scope,
            days_only=self.source.days_only,
        )

    def report_language(self) -> str:
        """The language the report is built and written in."""
        chosen = self.language.currentData()
        return chosen if isinstance(chosen, str) else i18n.current()

    def _problem(self) -> str | None:
        if period_picker.pydate(self.end.date()) < period_picker.pydate(self.start.date()):
            return tr("The period ends before it starts.")
        if not self.all_departments.isChecked() and not self.request().departments:
            return tr("Tick at least one department, or All departments.")
        return None

    def _preset_changed(self) -> None:
        self._apply_preset()
        self.refresh()

    def _apply_preset(self) -> None:
        period_picker.sync(self.preset, self.start, self.end, self._today())

    def _dates_edited(self) -> None:
        if self.preset.currentData() is not None:
            return
        self.refresh()

    def _threshold_changed(self, value: int) -> None:
        # 1 and 2 would hide nothing (a "<2" can only be 1): step past them.
        if 0 < value < MIN_THRESHOLD:
            self.threshold.setValue(MIN_THRESHOLD if value > self._last_threshold else 0)
            return
        self._last_threshold = value
        self.refresh()

    def _changed(self) -> None:
        self.refresh()

    # --- preview ----------------------------------------------------------------------

    def refresh(self) -> None:
        problem = self._problem()
        self.export_button.setEnabled(problem is None)
        self.show_folder.hide()
        if problem:
            self.status.setText(problem)
            self.report = None
            return
        request = self.request()
        data = self.source.data
        today = self._today()
        language = self.report_language()
        self.status.setText(tr("Preparing the preview…"))

        def build() -> tuple[ReportRequest, ProgrammeReport]:
            with i18n.speaking(language):  # this worker thread only
                return request, data.report(request, today=today)

        self.runner.submit(
            build,
            self._show,
            self._failed,
        )

    def _show(self, result: tuple[ReportRequest, ProgrammeReport]) -> None:
        self._report_request, self.report = result
        with i18n.speaking(self.report_language()):  # the preview's own words too
            self.preview.setHtml(report_html(self.report))
        self.status.setText(tr("Preview ready. The file will hold exactly these figures."))

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(tr("The report could not be prepared."))
        errors.show_error(self, exc)

    def _idle(self) -> None:
        if not (self.runner.busy or self.export_runner.busy):
            self.busy.hide()

    # --- export -----------------------------------------------------------------------

    def suggested_name(self, fmt: str) -> str:
        request = self.request()
        # Translators: the report's file name offered in the save dialog: lower case, no
        # spaces; {start} and {end} are ISO dates (2026-01-01).
        name = tr("program-report-{start}-to-{end}")
        return f"{name.format(start=request.period.start, end=request.period.end)}.{fmt}"

    def export(self) -> None:
        report, request = self.report, self._report_request
        if report is None or request is None or self.runner.busy:
            self.status.setText(tr("Wait for the preview, then export."))
            return
        fmt = self.format.currentData()
        dest = ask_save_path(
            self, tr("Export program report"), self.suggested_name(fmt), tr(FILTERS[fmt])
        )
        if dest is not None:
            self.export_to(dest)

    def export_to(self, dest: Path) -> None:
        """Write the previewed report to `dest` (on the thread pool) and log it."""
        from svjournal.operations.reports import write_report

        report, request = self.report, self._report_request
        if report is None or request is None:
            return
        fmt = self.format.currentData()
        journal = self.session.journal
        language = self.report_language()
        self.export_button.setEnabled(False)
        # Translators: {file} is the name of the file being written.
        self.status.setText(tr("Writing {file}…").format(file=dest.name))
        self.export_runner.submit(
            lambda: (
                write_report(
                    journal,
                    report,
                    request,
                    fmt,
                    dest,
                    render=lambda r, f: render_in_worker(r, f, language),
                ).value
            ),
            self._exported,
            self._export_failed,
        )

    def _exported(self, path: Path) -> None:
        self.export_button.setEnabled(True)
        self._last_path = path
        # Translators: {path} is where the report was saved.
        self.status.setText(tr("Saved to {path}").format(path=path))
        self.show_folder.show()

    def _export_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(tr("The report was not saved."))
        errors.show_error(self, exc)

    def _show_folder(self) -> None:
        if self._last_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._last_path.parent)))

    def clear(self) -> None:
        self.runner.cancel()
        self.export_runner.cancel()
        self.report = None
        self.preview.clear()
