"""The unlocked journal: navigation on the left, pages on the right, and the dialogs they open.

A Workspace exists only while the journal is unlocked; locking destroys it, so no widget
keeps journal text behind a lock screen.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QStackedWidget, QWidget

from svjournal.core import vocab
from svjournal.core.errors import SvJournalError
from svjournal.core.journal import FollowUpRow
from svjournal.operations import Changes
from svjournal.operations import cases as case_ops
from svjournal.operations import encounters as encounter_ops
from svjournal.operations import follow_ups as follow_up_ops
from svjournal.ui import errors
from svjournal.ui.background import BackgroundRunner
from svjournal.ui.dialogs import CloseCaseDialog, FollowUpDialog, confirm
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

log = logging.getLogger(__name__)
__all__ = ["ENCOUNTER_DRAFT_KEY", "PAGES", "Workspace"]  # PAGES: where the tests look too

ENCOUNTER_DRAFT_KEY = "encounter-editor"


class Workspace(QWidget):
    lock_requested = Signal()
    settings_changed = Signal()

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        journal = session.journal
        self.nav = QListWidget()
        self.nav.setAccessibleName("Sections")
        for name in PAGES:
            QListWidgetItem(name, self.nav)
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
        for page in (
            self.today,
            self.cases,
            self.follow_ups,
            self.charts,
            self.reports,
            self.team,
            self.reference,
            self.settings,
        ):
            self.stack.addWidget(page)
        self.stack.addWidget(self.case_view)
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
        for page, extra in (
            ("Today", f"{counts.overdue} overdue" if counts.overdue else ""),
            ("Follow-ups", f"{counts.due} due" if counts.due else ""),
        ):
            item = self.nav.item(PAGES.index(page))
            item.setText(f"{page}\n{extra}" if extra else page)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{page}, {extra}" if extra else page)

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

        self.case_view.trajectory.setText("Drawing…")
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

    # --- dialogs ---------------------------------------------------------------------

    def new_case(self) -> None:
        from svjournal.ui.case_editor import CaseEditor

        editor = CaseEditor(self.session.journal, None, self)

        def saved() -> None:
            self.ops.record(editor.op_result)
            self.open_case(editor.saved_case.id)

        editor.accepted.connect(saved)
        editor.open()

    def edit_case(self) -> None:
        from svjournal.ui.case_editor import CaseEditor

        if self.case_view.case is None:
            return
        editor = CaseEditor(self.session.journal, self.case_view.case, self)
        editor.accepted.connect(lambda: self.ops.record(editor.op_result))
        editor.open()

    def log_encounter(
        self, prefill: dict[str, Any] | None = None, follow_up: FollowUpRow | None = None
    ) -> None:
        from svjournal.ui.encounter_editor import EncounterEditor

        page = self.stack.currentWidget()
        if page is not self.case_view and prefill is None:
            # Ctrl+N on a list with a row selected (Cases, Today, Follow-ups): that row's case.
            picked = page.selected_case_id() if hasattr(page, "selected_case_id") else None
            if picked is not None:
                self.open_case(picked)
                if self.case_view.case is None or self.case_view.case.id != picked:
                    return  # it could not be opened; open_case has said why
                page = self.case_view
        case = self.case_view.case
        if case is None or (page is not self.case_view and prefill is None):
            # Ctrl+N outside a case: an encounter needs a case, so go and pick one.
            self.nav.setCurrentRow(PAGES.index("Cases"))
            self.cases.find.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.cases.count.setText(
                "Select or open a case, then press Ctrl+N to log an encounter."
            )
            return
        if case.status == "closed":
            return
        editor = EncounterEditor(self.session.journal, case, None, self, prefill=prefill)
        self._track_editor(editor, follow_up.id if follow_up is not None else None)
        editor.open()

    def edit_encounter(self, encounter_id: str) -> None:
        from svjournal.ui.encounter_editor import EncounterEditor

        case = self.case_view.case
        if case is None:
            return
        try:
            encounter = self.session.journal.get_encounter(encounter_id)
        except SvJournalError as exc:
            errors.show_error(self, exc)
            return
        editor = EncounterEditor(self.session.journal, case, encounter, self)
        self._track_editor(editor, None)
        editor.open()

    def _track_editor(self, editor: Any, follow_up_id: str | None) -> None:
        self.encounter_editor = editor
        # Marked done with the encounter; kept in a draft, so Mark done survives a lock.
        editor.follow_up_id = follow_up_id
        QShortcut(QKeySequence("Ctrl+L"), editor).activated.connect(self.lock_requested)

        def saved() -> None:
            # The follow-up, if any, was marked done in the same step (editor.follow_up_id).
            self.session.journal.discard_draft(ENCOUNTER_DRAFT_KEY)
            self.ops.record(editor.op_result)

        def discarded() -> None:
            # A draft ends when its form is saved or thrown away; only a lock keeps it.
            if self.session.is_unlocked:
                self.session.journal.discard_draft(ENCOUNTER_DRAFT_KEY)

        editor.accepted.connect(saved)
        editor.discarded.connect(discarded)
        editor.finished.connect(lambda _result: setattr(self, "encounter_editor", None))

    def schedule_follow_up(self) -> None:
        case = self.case_view.case
        if case is None:
            return
        dialog = FollowUpDialog(self.session.journal.setting("follow_up_cadence_days"), self)

        def done() -> None:
            due, method = dialog.due_on(), dialog.method.currentData()
            self.ops.run(self, lambda j: follow_up_ops.schedule_follow_up(j, case.id, due, method))

        dialog.accepted.connect(done)
        dialog.open()

    def close_case(self) -> None:
        case = self.case_view.case
        if case is None:
            return
        dialog = CloseCaseDialog(
            self.session.journal.setting("purge_contacts_on_close"), case.outcome, self
        )

        def done() -> None:
            outcome, closed_on = dialog.chosen_outcome(), dialog.chosen_date()
            delete_notes = dialog.delete_notes.isChecked()
            self.ops.run(
                self,
                lambda j: case_ops.close_case(
                    j, case.id, outcome=outcome, closed_on=closed_on, delete_notes=delete_notes
                ),
            )

        dialog.accepted.connect(done)
        dialog.open()

    def reopen_case(self) -> None:
        case = self.case_view.case
        if case is None:
            return
        self.ops.run(self, lambda j: case_ops.reopen_case(j, case.id))

    def delete_case(self) -> None:
        case = self.case_view.case
        if case is None:
            return
        if not confirm(
            self,
            "Move case to trash",
            "Move this case and its encounters to the trash? You can restore it from "
            "Settings › Trash until the trash is emptied.",
            "Move to trash",
        ):
            return
        if self.ops.run(self, lambda j: case_ops.trash_case(j, case.id)) is not None:
            self.case_view.clear()
            self.nav.setCurrentRow(PAGES.index("Cases"))
            self.show_page(PAGES.index("Cases"))

    def delete_encounter(self, encounter_id: str) -> None:
        if not confirm(
            self,
            "Move encounter to trash",
            "Move this encounter to the trash? You can restore it from Settings › Trash.",
            "Move to trash",
        ):
            return
        self.ops.run(self, lambda j: encounter_ops.trash_encounter(j, encounter_id))

    def follow_up_done(self, row: FollowUpRow) -> None:
        self.open_case(row.case_id)
        prefill: dict[str, Any] = {
            "mode": row.method,
            "occurred_at": datetime.now().replace(second=0, microsecond=0),
        }
        case = self.case_view.case
        if case is not None and case.id == row.case_id and case.current_stage is not None:
            # A follow-up usually finds the person where the last contact left them.
            prefill["stage"] = case.current_stage
            if case.current_stage == vocab.MOVING_ON and case.outcome:
                prefill["outcome"] = case.outcome
        self.log_encounter(prefill=prefill, follow_up=row)

    def follow_up_reschedule(self, row: FollowUpRow) -> None:
        dialog = FollowUpDialog(
            0,
            self,
            title="Reschedule follow-up",
            due=max(row.due_on, date.today()),
            with_method=False,
        )

        def done() -> None:
            due = dialog.due_on()
            self.ops.run(self, lambda j: follow_up_ops.reschedule_follow_up(j, row.id, due))

        dialog.accepted.connect(done)
        dialog.open()

    def follow_up_cancel(self, row: FollowUpRow) -> None:
        if confirm(self, "Cancel follow-up", "Cancel this follow-up?", "Cancel follow-up"):
            self.ops.run(self, lambda j: follow_up_ops.cancel_follow_up(j, row.id))

    def open_trash(self) -> None:
        from svjournal.ui.trash import TrashDialog

        TrashDialog(self.session.journal, self.ops, self).open()

    # --- drafts and locking ----------------------------------------------------------

    def save_draft(self) -> None:
        """Keep what is being typed in an encrypted draft before the lock drops the key."""
        editor = self.encounter_editor
        if editor is None:
            return
        payload = {"case_id": editor.case.id, "form": editor.draft_payload()}
        encounter = getattr(editor, "encounter", None)
        if encounter is not None:
            payload["encounter_id"] = encounter.id
        if getattr(editor, "follow_up_id", None):
            payload["follow_up_id"] = editor.follow_up_id
        self.session.journal.save_draft(ENCOUNTER_DRAFT_KEY, "encounter", payload)
        editor.clear_sensitive()
        editor.close_without_asking()  # kept, not discarded: the draft stays

    def restore_draft(self) -> bool:
        """Reopen the encounter form as it was before the lock; True when there was one.

        The form says it was restored and offers Keep / Discard; Cancel (after "Discard
        changes?") or Discard ends the draft, as Save does.
        """
        journal = self.session.journal
        draft = journal.load_draft(ENCOUNTER_DRAFT_KEY)
        if draft is None:
            return False
        from svjournal.ui.encounter_editor import EncounterEditor

        payload = draft.payload
        try:
            self.open_case(payload["case_id"])
            case = journal.get_case(payload["case_id"])
            encounter = (
                journal.get_encounter(payload["encounter_id"])
                if payload.get("encounter_id")
                else None
            )
            form = payload["form"]
            if not isinstance(form, dict) or (encounter is None and case.status == "closed"):
                raise KeyError("form")
        except (SvJournalError, KeyError):
            journal.discard_draft(ENCOUNTER_DRAFT_KEY)
            return False
        planned = {f.id for f in journal.follow_ups(case.id) if f.status == "planned"}
        follow_up_id = payload.get("follow_up_id")
        editor = EncounterEditor(journal, case, encounter, self)
        editor.restore_draft(form)
        self._track_editor(editor, follow_up_id if follow_up_id in planned else None)
        editor.open()
        return True

    def clear(self) -> None:
        self._trajectory_runner.cancel()
        for page in (
            self.today,
            self.cases,
            self.follow_ups,
            self.charts,
            self.reports,
            self.team,
            self.settings,
            self.case_view,
        ):
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
