"""The unlocked journal: navigation on the left, pages on the right, and the dialogs they open.

A Workspace exists only while the journal is unlocked; locking destroys it, so no widget
keeps journal text behind a lock screen.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QStackedWidget, QWidget

from svjournal.core.errors import SvJournalError
from svjournal.core.i18n import N_, ntr, tr
from svjournal.operations import Changes
from svjournal.ui import errors
from svjournal.ui.background import BackgroundRunner
from svjournal.ui.op_runner import OpRunner
from svjournal.ui.pages import PAGES
from svjournal.ui.pages.case_view import CaseView
from svjournal.ui.pages.cases import CasesPage
from svjournal.ui.pages.charts import ChartsPage
from svjournal.ui.pages.follow_ups import FollowUpsPage
from svjournal.ui.pages.reference import ReferencePage
from svjournal.ui.pages.reports import ReportsPage
from svjournal.ui.pages.settings import SettingsPage
from svjournal.ui.pages.team import TeamPage
from svjournal.ui.pages.today import TodayPage
from svjournal.ui.session import JournalSession
from svjournal.ui.tray import DueCounts
from svjournal.ui.workspace_actions import RecordActions
from svjournal.ui.workspace_editor import ENCOUNTER_DRAFT_KEY, EncounterEditing

log = logging.getLogger(__name__)
__all__ = ["ENCOUNTER_DRAFT_KEY", "PAGES", "Workspace"]  # PAGES: where the tests look too

# What the navigation shows for each page; PAGES themselves are names kept in the settings.
PAGE_LABELS = {
    "Today": N_("Today"),
    "Cases": N_("Cases"),
    "Follow-ups": N_("Follow-ups"),
    "Charts": N_("Charts"),
    "Reports": N_("Reports"),
    "Team": N_("Team"),
    "Reference": N_("Reference"),
    "Settings": N_("Settings"),
}


def page_label(page: str) -> str:
    """The page's name in the language of the moment."""
    return tr(PAGE_LABELS.get(page, page))


class Workspace(EncounterEditing, RecordActions, QWidget):
    """The shell: navigation, the pages, the case view, refreshing after every operation.
    What changes records through dialogs is in `RecordActions` (ui/workspace_actions.py),
    the encounter editor and its draft in `EncounterEditing` (ui/workspace_editor.py)."""

    lock_requested = Signal()
    settings_changed = Signal()

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        journal = session.journal
        self.nav = QListWidget()
        self.nav.setAccessibleName(tr("Sections"))
        for name in PAGES:
            QListWidgetItem(page_label(name), self.nav)
        self.nav.setObjectName("sections")
        self.nav.setStyleSheet(
            "QListWidget#sections { border: none; background: transparent; outline: 0; }"
            "QListWidget#sections::item { padding: 10px 14px; border-radius: 6px; }"
            # The same strong highlight whether or not the list has focus: it says where you are.
            "QListWidget#sections::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }"
        )
        font = self.nav.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.nav.setFont(font)
        # Wide enough for the longest section name in this font (and at any scaling), and
        # for the counts that go on a second line under Today and Follow-ups.
        self.show_counts(DueCounts(overdue=888, today=888))
        self.nav.setFixedWidth(self.nav.sizeHintForColumn(0) + 40)
        self.show_counts(DueCounts())
        self.stack = QStackedWidget()
        self.today = TodayPage(journal)
        self.cases = CasesPage(journal)
        self.follow_ups = FollowUpsPage(journal)
        self.charts = ChartsPage(session)
        self.reports = ReportsPage(session)
        self.team = TeamPage(session)
        self.reference = ReferencePage()
        # Every user action goes through it; pages refresh from what it says changed. The
        # undo history goes with this workspace, which a lock destroys.
        self.ops = OpRunner(lambda: session.journal, self)
        self.settings = SettingsPage(session, self.ops)
        self.case_view = CaseView()
        # In the order of PAGES, then the case view; all but the reference hold journal data.
        self._pages: tuple[Any, ...] = (
            self.today,
            self.cases,
            self.follow_ups,
            self.charts,
            self.reports,
            self.team,
            self.reference,
            self.settings,
            self.case_view,
        )
        for page in self._pages:
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self.show_page)
        layout = QHBoxLayout(self)
        # No margin above or below: the pages keep their own, and the menu bar's height must
        # not push the smallest supported window (1024×640) past its screen.
        margins = layout.contentsMargins()
        layout.setContentsMargins(margins.left(), 0, margins.right(), 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)

        self.encounter_editor: Any = None  # the open EncounterEditor, kept for drafts on lock
        self._trajectory_runner = BackgroundRunner(self)
        self.ops.changed.connect(self._refresh_from)
        self._wire()
        self._shortcuts()
        self.nav.setCurrentRow(0)

    # --- navigation ------------------------------------------------------------------

    def show_page(self, index: int) -> None:
        page = self.stack.widget(index)
        if page is None:
            return
        self.stack.setCurrentIndex(index)
        # Laid out now, not on the next event: a page that draws for its size (Charts)
        # must not draw for the size it had while hidden and then again.
        page.setGeometry(self.stack.contentsRect())
        try:
            if hasattr(page, "refresh"):
                page.refresh()
        except SvJournalError as exc:
            errors.show_error(self, exc)

    def show_counts(self, counts: DueCounts) -> None:
        """The navigation's reminders: "Today · 1 overdue", "Follow-ups · 3 due" (on a second
        line, so the list keeps its width), refreshed at midnight and after every change."""
        locale = QLocale()
        # Translators: under "Today" in the navigation; {n} follow-ups are overdue.
        overdue = ntr("{n} overdue", "{n} overdue", counts.overdue)
        # Translators: under "Follow-ups" in the navigation; {n} follow-ups are due.
        due = ntr("{n} due", "{n} due", counts.due)
        for page, extra in (
            ("Today", overdue.format(n=locale.toString(counts.overdue)) if counts.overdue else ""),
            ("Follow-ups", due.format(n=locale.toString(counts.due)) if counts.due else ""),
        ):
            item = self.nav.item(PAGES.index(page))
            name = page_label(page)
            item.setText(f"{name}\n{extra}" if extra else name)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{name}, {extra}" if extra else name)

    def place(self) -> tuple[str, str | None]:
        """Where the user is: the page's name, and the open case's id on the case view."""
        case = self.case_view.case
        if self.stack.currentWidget() is self.case_view and case is not None:
            return "Cases", case.id
        index = self.stack.currentIndex()
        return (PAGES[index] if 0 <= index < len(PAGES) else PAGES[0]), None

    def go_to(self, page: str, case_id: str | None = None) -> None:
        """Back to a place(); a case gone meanwhile (deleted, purged) leaves its page."""
        if case_id is not None:
            try:
                self.session.journal.get_case(case_id)
            except SvJournalError:
                case_id = None
            else:
                self.open_case(case_id)
                return
        if page in PAGES:
            self.nav.setCurrentRow(PAGES.index(page))

    def open_case(self, case_id: str) -> None:
        j = self.session.journal
        try:
            case = j.get_case(case_id)
            encounters = j.encounters(case_id)
            follow_ups = j.follow_ups(case_id)
        except SvJournalError as exc:
            errors.show_error(self, exc)
            return
        labels = {d["code"]: d["label"] for d in j.setting("departments")}
        self.case_view.show_case(
            case, encounters, follow_ups, labels.get(case.department, case.department)
        )
        self._draw_trajectory(case_id)
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(PAGES.index("Cases"))
        self.nav.blockSignals(False)
        self.stack.setCurrentWidget(self.case_view)

    def _draw_trajectory(self, case_id: str) -> None:
        """The stage-over-time chart, computed and drawn off the GUI thread."""
        from svjournal.charts.dashboard import render_png
        from svjournal.ui.theme import is_dark

        data, dark, scale = (
            self.session.data,
            is_dark(self.palette()),
            self.devicePixelRatioF(),
        )
        # Drawn for the room its box will have, so it is shown at its own size, not shrunk.
        figsize = self.case_view.trajectory_figsize(self.stack.contentsRect().size())

        def work() -> bytes:
            # Drawn by the chart processes: drawing here would hold the GUI process's GIL.
            from concurrent.futures.process import BrokenProcessPool

            from svjournal.charts.pool import shared_pool, shutdown_shared_pool

            points = data.case_trajectory(case_id)
            try:
                return shared_pool().render_trajectory(points, dark, figsize, scale)
            except (BrokenProcessPool, OSError):
                shutdown_shared_pool()
                # Only now: the chart modules bring matplotlib (~50 MB) into this process.
                from svjournal.charts import ChartStyle, case_trajectory

                style = ChartStyle.dark() if dark else ChartStyle.light()
                return render_png(case_trajectory(points, style, figsize=figsize), scale)

        def done(png: bytes) -> None:
            case = self.case_view.case
            if case is not None and case.id == case_id:
                self.case_view.show_trajectory(png, scale)

        # Translators: where the case's stage chart will show, while it is being drawn.
        self.case_view.trajectory.setText(tr("Drawing…"))
        self._trajectory_runner.submit(work, done, lambda exc: self.case_view.trajectory.clear())

    def _reopen_current_case(self) -> None:
        if self.case_view.case is not None:
            self.open_case(self.case_view.case.id)

    def _refresh_from(self, changes: Changes) -> None:
        """After an operation (or its undo): what shows changed records is shown anew."""
        if changes.settings or changes.everything:
            self.settings_changed.emit()
        shown = self.case_view.case
        on_case_view = self.stack.currentWidget() is self.case_view
        if shown is not None and changes.touches_case(shown.id):
            try:
                self.session.journal.get_case(shown.id)
            except SvJournalError:  # gone (an undone "New case", the trash)
                self.case_view.clear()
                if on_case_view:
                    self.show_page(PAGES.index("Cases"))
                return
            if on_case_view:
                self.open_case(shown.id)
                return
        page = self.stack.currentWidget()
        if page is not self.case_view and hasattr(page, "refresh"):
            self.show_page(self.stack.currentIndex())  # the other pages refresh when shown

    def undo(self) -> None:
        self.ops.undo(self)

    def redo(self) -> None:
        self.ops.redo(self)

    # --- locking ---------------------------------------------------------------------

    def clear(self) -> None:
        self._trajectory_runner.cancel()
        for page in self._pages:
            if page is not self.reference:
                page.clear()

    # --- wiring ----------------------------------------------------------------------

    def _wire(self) -> None:
        self.today.open_case.connect(self.open_case)
        self.today.new_case.connect(self.new_case)
        self.cases.open_case.connect(self.open_case)
        self.cases.new_case.connect(self.new_case)
        self.follow_ups.open_case.connect(self.open_case)
        self.follow_ups.mark_done.connect(self.follow_up_done)
        self.follow_ups.reschedule.connect(self.follow_up_reschedule)
        self.follow_ups.cancel.connect(self.follow_up_cancel)
        self.case_view.back.connect(lambda: self.show_page(PAGES.index("Cases")))
        self.case_view.log_encounter.connect(lambda: self.log_encounter())
        self.case_view.edit_encounter.connect(self.edit_encounter)
        self.case_view.schedule_follow_up.connect(self.schedule_follow_up)
        self.case_view.edit_case.connect(self.edit_case)
        self.case_view.close_case.connect(self.close_case)
        self.case_view.reopen_case.connect(self.reopen_case)
        self.case_view.delete_case.connect(self.delete_case)
        self.case_view.delete_encounter.connect(self.delete_encounter)
        self.settings.settings_changed.connect(self.settings_changed)
        self.settings.open_trash.connect(self.open_trash)

    def _shortcuts(self) -> None:
        # Ctrl+L lives on the main window: it must work whatever is shown.
        def find() -> None:
            self.nav.setCurrentRow(PAGES.index("Cases"))
            self.cases.find.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.cases.find.selectAll()

        for keys, action in (
            ("Ctrl+N", lambda: self.log_encounter()),
            ("Ctrl+Shift+N", self.new_case),
            (QKeySequence.StandardKey.Find, find),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(action)
