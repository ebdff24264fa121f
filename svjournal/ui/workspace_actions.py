"""What the workspace's pages and case view ask for that changes records through a dialog or
a confirmation: new and edited cases, closing, reopening, the trash, and follow-ups scheduled,
marked done, rescheduled or cancelled. Each runs its operation through the workspace's
OpRunner, which refreshes the pages from what changed."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from svjournal.core import vocab
from svjournal.core.i18n import tr
from svjournal.core.journal import FollowUpRow
from svjournal.operations import cases as case_ops
from svjournal.operations import encounters as encounter_ops
from svjournal.operations import follow_ups as follow_up_ops
from svjournal.ui.dialogs import CloseCaseDialog, FollowUpDialog, confirm
from svjournal.ui.pages import PAGES

if TYPE_CHECKING:
    from PySide6.QtWidgets import QListWidget

    from svjournal.ui.op_runner import OpRunner
    from svjournal.ui.pages.case_view import CaseView
    from svjournal.ui.session import JournalSession

    # Mixed into Workspace (a QWidget), which has these; mypy reads the mixin as one.
    _Base = QWidget
else:
    _Base = object


class RecordActions(_Base):
    """Mixed into `Workspace` (ui/workspace.py)."""

    if TYPE_CHECKING:
        session: JournalSession
        ops: OpRunner
        case_view: CaseView
        nav: QListWidget

        def open_case(self, case_id: str) -> None: ...
        def show_page(self, index: int) -> None: ...
        def log_encounter(
            self, prefill: dict[str, Any] | None = None, follow_up: FollowUpRow | None = None
        ) -> None: ...

    def new_case(self) -> None:
        from svjournal.ui.case_editor import CaseEditor

        editor = CaseEditor(self.session.journal, None, self)

        def saved() -> None:
            result = editor.op_result  # set by Save, the only way the editor is accepted
            if result is not None:
                self.ops.record(result)
                self.open_case(result.value.id)

        editor.accepted.connect(saved)
        editor.open()

    def edit_case(self) -> None:
        from svjournal.ui.case_editor import CaseEditor

        if self.case_view.case is None:
            return
        editor = CaseEditor(self.session.journal, self.case_view.case, self)

        def saved() -> None:
            if editor.op_result is not None:
                self.ops.record(editor.op_result)

        editor.accepted.connect(saved)
        editor.open()

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
        needs_tier3 = case.last_red_flag_at is not None and case.tier3_referral != "accepted"
        dialog = CloseCaseDialog(
            self.session.journal.setting("purge_contacts_on_close"),
            case.outcome,
            self,
            red_flag_without_tier3=case.last_red_flag_at if needs_tier3 else None,
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
            tr("Move case to trash"),
            tr(
                "Move this case and its encounters to the trash? You can restore it from "
                "Settings › Trash until the trash is emptied."
            ),
            tr("Move to trash"),
        ):
            return
        if self.ops.run(self, lambda j: case_ops.trash_case(j, case.id)) is not None:
            self.case_view.clear()
            self.nav.setCurrentRow(PAGES.index("Cases"))
            self.show_page(PAGES.index("Cases"))

    def delete_encounter(self, encounter_id: str) -> None:
        if not confirm(
            self,
            tr("Move encounter to trash"),
            tr("Move this encounter to the trash? You can restore it from Settings › Trash."),
            tr("Move to trash"),
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
            title=tr("Reschedule follow-up"),
            due=max(row.due_on, date.today()),
            with_method=False,
        )

        def done() -> None:
            due = dialog.due_on()
            self.ops.run(self, lambda j: follow_up_ops.reschedule_follow_up(j, row.id, due))

        dialog.accepted.connect(done)
        dialog.open()

    def follow_up_cancel(self, row: FollowUpRow) -> None:
        # Translators: the title and the button of the question "Cancel this follow-up?".
        title = tr("Cancel follow-up")
        if confirm(self, title, tr("Cancel this follow-up?"), title):
            self.ops.run(self, lambda j: follow_up_ops.cancel_follow_up(j, row.id))

    def open_trash(self) -> None:
        from svjournal.ui.trash import TrashDialog

        TrashDialog(self.session.journal, self.ops, self).open()
