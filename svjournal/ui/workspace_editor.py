"""The encounter editor as the workspace opens it: for a new encounter (from a case, a list's
selected row or a follow-up) or an existing one, and its encrypted draft, saved when the
journal locks and offered again after unlocking."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from svjournal.core.errors import SvJournalError
from svjournal.core.i18n import tr
from svjournal.core.journal import FollowUpRow
from svjournal.ui import errors
from svjournal.ui.pages import PAGES

if TYPE_CHECKING:
    from PySide6.QtWidgets import QListWidget, QStackedWidget

    from svjournal.ui.op_runner import OpRunner
    from svjournal.ui.pages.case_view import CaseView
    from svjournal.ui.pages.cases import CasesPage
    from svjournal.ui.session import JournalSession

    # Mixed into Workspace (a QWidget), which has these; mypy reads the mixin as one.
    _Base = QWidget
else:
    _Base = object

ENCOUNTER_DRAFT_KEY = "encounter-editor"


class EncounterEditing(_Base):
    """Mixed into `Workspace` (ui/workspace.py)."""

    if TYPE_CHECKING:
        session: JournalSession
        ops: OpRunner
        case_view: CaseView
        cases: CasesPage
        nav: QListWidget
        stack: QStackedWidget
        encounter_editor: Any
        lock_requested: Signal

        def open_case(self, case_id: str) -> None: ...

    def log_encounter(
        self, prefill: dict[str, Any] | None = None, follow_up: FollowUpRow | None = None
    ) -> None:
        from svjournal.ui.encounter_editor import EncounterEditor

        page = self.stack.currentWidget()
        if page is not self.case_view and prefill is None:
            # Ctrl+N on a list with a row selected (Cases, Today, Follow-ups): that row's case.
            picked = (
                page.selected_case_id()
                if page is not None and hasattr(page, "selected_case_id")
                else None
            )
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
                tr("Select or open a case, then press Ctrl+N to log an encounter.")
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
