"""Dialog to log or edit one encounter of a case, keeping a draft across an auto-lock."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from svjournal.core import vocab
from svjournal.core.errors import SvJournalError, ValidationError
from svjournal.core.i18n import N_, tr
from svjournal.core.inputs import EncounterInput
from svjournal.core.journal import Journal
from svjournal.core.records import CaseRecord, EncounterRecord
from svjournal.operations import OpResult
from svjournal.operations import encounters as encounter_ops
from svjournal.ui import errors
from svjournal.ui.contacts_table import escalation_contacts_for
from svjournal.ui.discard_guard import GuardedDialog
from svjournal.ui.encounter_form import EncounterForm
from svjournal.ui.field_problems import FieldProblems
from svjournal.ui.form_widgets import fit_to_screen, scrolling_layout
from svjournal.ui.qt_dates import py_datetime, qdatetime

log = logging.getLogger(__name__)

DRAFT_VERSION = 1
RESTORED_TEXT = N_("Restored the encounter you were writing when the journal locked.")


class RestoredBanner(QFrame):
    """Says a draft was restored, with Keep (hide this) and Discard (drop the draft)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("restoredBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(tr("Restored draft"))
        row = QHBoxLayout(self)
        self.label = QLabel(tr(RESTORED_TEXT))
        self.label.setWordWrap(True)
        self.keep = QPushButton(tr("&Keep"))
        self.keep.setAccessibleName(tr("Keep the restored encounter"))
        self.discard = QPushButton(tr("&Discard"))
        self.discard.setAccessibleName(tr("Discard the restored encounter"))
        row.addWidget(self.label, 1)
        row.addWidget(self.keep)
        row.addWidget(self.discard)
        self.keep.clicked.connect(self.hide)
        self.hide()


class EncounterEditor(GuardedDialog):
    """Log a new encounter for `case`, or edit `encounter`; `saved_encounter` holds the result.

    `prefill` (and `load_draft`) take the dict `draft_payload` returns, or any part of it;
    `occurred_at` may also be a datetime.
    """

    def __init__(
        self,
        journal: Journal,
        case: CaseRecord,
        encounter: EncounterRecord | None = None,
        parent: QWidget | None = None,
        *,
        prefill: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self._journal = journal
        self._case = case
        self._encounter = encounter
        self.saved_encounter: EncounterRecord | None = None
        self.op_result: OpResult[EncounterRecord] | None = None  # what Save did, for undo
        # The planned follow-up this encounter carries out (Mark done), marked done with it.
        self.follow_up_id: str | None = None
        # Never the alias: window titles reach task bars, window lists and screen sharing.
        self.setWindowTitle(tr("Edit encounter") if encounter else tr("Log encounter"))
        self.setAccessibleName(self.windowTitle())
        self.setSizeGripEnabled(True)

        # Planning the next follow-up is offered while logging; an edit changes the past only.
        cadence = journal.setting("follow_up_cadence_days") if encounter is None else None
        self.form = EncounterForm(case, escalation_contacts_for(journal), cadence_days=cadence)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        scrolling_layout(self, self.form, self.buttons)
        # Above the scrolling form, so the announcement is seen whatever the scroll position.
        self.restored_banner = RestoredBanner()
        self.restored_banner.discard.clicked.connect(self.discard)
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.insertWidget(0, self.restored_banner)
        self.problems = FieldProblems(QLabel())
        outer.insertWidget(2, self.problems.summary)  # above the buttons, always in view
        for field, (label, layout, cell, focus) in self.form.cells.items():
            self.problems.attach(field, label, layout, cell, focus)
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.activated.connect(self.save)

        with self.form.restoring():
            if encounter is not None:
                self._apply(_payload_of(encounter))
            if prefill:
                self._apply(prefill)
        fit_to_screen(self, self.form, self.buttons, min_chars=84)
        self.form.when.setFocus(Qt.FocusReason.OtherFocusReason)
        self.mark_clean()  # "Discard changes?" compares with the form as it opened

    @property
    def case(self) -> CaseRecord:
        return self._case

    @property
    def encounter(self) -> EncounterRecord | None:
        """The encounter being edited; None while logging a new one."""
        return self._encounter

    # --- values --------------------------------------------------------------------------

    def to_input(self) -> EncounterInput:
        f = self.form
        stage = f.stage.code()
        occurred = py_datetime(f.when.dateTime())
        return EncounterInput(
            occurred_at=occurred.replace(second=0, microsecond=0),
            mode=f.mode.code(),
            duration_minutes=f.duration.value(),
            tier=f.tier.code(),
            stage=stage,
            # A hidden outcome (stage changed away from 6) is kept on screen but not saved.
            outcome=f.outcome.code() if stage == vocab.MOVING_ON else None,
            group_size=(f.head_count.value() or None) if f.is_group else None,
            stress_zone=f.zone.code(),
            triggered=f.triggered.isChecked(),
            interventions=f.interventions.codes(),
            referrals=f.referrals.referrals(),
            red_flags=f.red_flags.codes(),
            support_declined=f.declined.isChecked(),
            needs_met=f.needs.code(),
            note=f.note.toPlainText() or None,
        )

    def draft_payload(self) -> dict[str, Any]:
        """Everything typed, JSON-ready, for an encrypted draft (restored by `load_draft`)."""
        f = self.form
        occurred = py_datetime(f.when.dateTime())
        return {
            "version": DRAFT_VERSION,
            "case_id": self._case.id,
            "encounter_id": self._encounter.id if self._encounter else None,
            "occurred_at": occurred.replace(microsecond=0).isoformat(),
            "mode": f.mode.code(),
            "duration_minutes": f.duration.value(),
            "group_size": f.head_count.value() or None,
            "tier": f.tier.code(),
            "stage": f.stage.code(),
            "outcome": f.outcome_choice(),
            "stress_zone": f.zone.code(),
            "triggered": f.triggered.isChecked(),
            "interventions": f.interventions.codes(),
            "referrals": f.referrals.payload(),
            "red_flags": f.red_flags.codes(),
            "support_declined": f.declined.isChecked(),
            "needs_met": f.needs.code(),
            "note": f.note.toPlainText(),
            "next_follow_up": f.next_follow_up.payload(),
        }

    def load_draft(self, payload: dict[str, Any]) -> None:
        """Restore what `draft_payload` returned; keys left out keep their current values."""
        with self.form.restoring():
            self._apply(payload)

    def restore_draft(self, payload: dict[str, Any]) -> None:
        """Load a draft kept at a lock and say so; Keep or Discard in the banner decide."""
        self.load_draft(payload)
        self.restored_banner.show()

    def clear_sensitive(self) -> None:
        """Empty every text field and the line naming the case (called when the journal locks)."""
        self.form.note.clear()
        self.form.case_label.clear()

    def _apply(self, values: dict[str, Any]) -> None:
        """Set the widgets named in `values`; unknown codes and wrong types are skipped."""
        f = self.form
        occurred = values.get("occurred_at")
        if isinstance(occurred, str):  # drafts hold ISO text; a prefill may hand a datetime
            try:
                occurred = datetime.fromisoformat(occurred)
            except ValueError:
                log.warning("draft: unreadable occurred_at ignored")
        if isinstance(occurred, datetime):
            f.when.setDateTime(qdatetime(occurred))
        combos = {
            "mode": f.mode,
            "tier": f.tier,
            "stage": f.stage,
            "outcome": f.outcome,
            "stress_zone": f.zone,
            "needs_met": f.needs,
        }
        for key, combo in combos.items():
            if key in values and not combo.set_code(values[key]):
                log.warning("draft: unknown %s code ignored", key)  # the key, never a value
        for key, spin in (("duration_minutes", f.duration), ("group_size", f.head_count)):
            if key in values:
                number = values[key]
                ok = isinstance(number, int) and not isinstance(number, bool)
                spin.setValue(number if ok else spin.minimum())
        for key, box in (("triggered", f.triggered), ("support_declined", f.declined)):
            if key in values:
                box.setChecked(values[key] is True)
        for key, group in (("interventions", f.interventions), ("red_flags", f.red_flags)):
            if isinstance(values.get(key), list):
                group.set_codes(str(code) for code in values[key])
        if isinstance(values.get("referrals"), list):
            f.referrals.set_referrals(values["referrals"])
        if "note" in values:
            note = values["note"]
            f.note.setPlainText(note if isinstance(note, str) else "")
        if "next_follow_up" in values:
            f.next_follow_up.apply(values["next_follow_up"])

    # --- saving --------------------------------------------------------------------------

    def save(self) -> None:
        data = self.to_input()
        try:
            if self._encounter is None:
                result = encounter_ops.log_encounter(
                    self._journal,
                    self._case.id,
                    data,
                    next_follow_up=self.form.next_follow_up.to_input(),
                    completes=self.follow_up_id,
                )
            else:
                result = encounter_ops.edit_encounter(self._journal, self._encounter.id, data)
        except ValidationError as exc:
            # Everything typed stays as it was; each problem shows under its field.
            self.problems.show(exc.problems)
            return
        except SvJournalError as exc:
            errors.show_error(self, exc)
            return
        self.problems.clear()
        self.saved_encounter = result.value
        self.op_result = result
        self.accept()


def _payload_of(encounter: EncounterRecord) -> dict[str, Any]:
    """A stored encounter in draft form, so that editing and restoring share one path."""
    return {
        "occurred_at": encounter.occurred_at.isoformat(),
        "mode": encounter.mode,
        "duration_minutes": encounter.duration_minutes,
        "group_size": encounter.group_size,
        "tier": encounter.tier,
        "stage": encounter.stage,
        "outcome": encounter.outcome,
        "stress_zone": encounter.stress_zone,
        "triggered": encounter.triggered,
        "interventions": list(encounter.interventions),
        "referrals": list(encounter.referrals),
        "red_flags": list(encounter.red_flags),
        "support_declined": encounter.support_declined,
        "needs_met": encounter.needs_met,
        "note": encounter.note or "",
    }
