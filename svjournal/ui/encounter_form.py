"""The encounter form's widgets and live behaviour: help texts, outcome row, Tier 3 proposal."""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from PySide6.QtCore import QDateTime, QLocale, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from svjournal.core import vocab
from svjournal.core.i18n import N_, ntr, tr
from svjournal.core.inputs import MAX_DURATION_MINUTES, MAX_GROUP_SIZE
from svjournal.core.records import CaseRecord
from svjournal.core.validation import MAX_NOTE
from svjournal.ui.field_problems import REQUIRED_LEGEND, required
from svjournal.ui.form_widgets import (
    CheckGroup,
    CodeCombo,
    EscalationPanel,
    ReferralPicker,
    ReservedLabel,
    align_labels,
    chain_tab_order,
    choices,
    form_layout,
    help_label,
    labelled_row,
    reveal,
    stacked,
)
from svjournal.ui.formatting import datetime_format
from svjournal.ui.next_follow_up import NextFollowUp
from svjournal.ui.phi_highlighter import IdentifierHighlighter, IdentifierWarning, warning_colour
from svjournal.ui.qt_dates import qdate

_OUTCOME_CHOOSE = N_("Choose an outcome…")
_OUTCOME_NOT_YET = N_("Only with stage 6 (moving on)")


def _zone_choices() -> list[tuple[str, str, str]]:
    """The stress zones with their colors, in the language of the moment (not at import)."""
    # Translators: a stress zone and its color on the continuum, e.g. "Reacting (yellow)".
    labelled = tr("{zone} ({color})")
    return [
        (t.code, labelled.format(zone=t.label, color=t.colour), t.description)
        for t in vocab.STRESS_ZONES
    ]


class EncounterForm(QWidget):
    """Every field of an encounter, grouped; the dialog around it reads and writes the values."""

    def __init__(
        self,
        case: CaseRecord,
        escalation_contacts: Sequence[Mapping[str, str]],
        *,
        cadence_days: int | None = None,
    ) -> None:
        """`cadence_days` offers to plan the next follow-up that many days on (None: not)."""
        super().__init__()
        self.cells: dict[str, tuple[str, QFormLayout | QBoxLayout, QWidget, QWidget]] = {}
        self.is_group = case.kind == "group"
        self._restoring = False  # no Tier 3 proposal while values are being restored
        self._tier_proposed = False
        self._tier_before_flags: int | None = None
        self._setting_tier = False
        column = QVBoxLayout(self)
        self.case_label = help_label()
        self.case_label.setAccessibleName(tr("Case"))
        self.show_case(case)
        column.addWidget(self.case_label)
        column.addWidget(help_label(tr(REQUIRED_LEGEND)))
        column.addWidget(self._build_when(case))
        column.addWidget(self._build_assessment())
        column.addWidget(self._build_red_flags(escalation_contacts))
        column.addWidget(self._build_support())
        self.next_follow_up = NextFollowUp(case, cadence_days or 1)
        self.next_follow_up.setVisible(cadence_days is not None)
        self.when.dateTimeChanged.connect(self.next_follow_up.follow_encounter_day)
        self.next_follow_up.follow_encounter_day(self.when.dateTime())
        column.addWidget(self.next_follow_up)
        column.addWidget(self._build_note())
        column.addStretch(1)
        align_labels(
            self._when_form, self._assessment, self._support_form, self.next_follow_up.form
        )
        self.cells.update(self.next_follow_up.cells)
        self.tier.set_code(2)
        self.refresh()
        self._set_tab_order()

    # --- building ------------------------------------------------------------------------

    def _build_when(self, case: CaseRecord) -> QGroupBox:
        box = QGroupBox(tr("When and how"))
        self._when_form = form = form_layout()
        self.when = QDateTimeEdit(QDateTime.currentDateTime())
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat(datetime_format())
        self.when.setAccessibleName(tr("Date and time"))
        # The service refuses an encounter before the referral or the event: say so up front.
        self.when.setMinimumDate(qdate(max(d for d in (case.referred_on, case.event_date) if d)))
        labelled_row(form, required(tr("&Date and time")), self.when)
        self.cells["occurred_at"] = (tr("Date and time"), form, self.when, self.when)
        self.mode = CodeCombo(choices(vocab.MODES), tr("Mode"))
        labelled_row(form, required(tr("&Mode")), self.mode)
        self.cells["mode"] = (tr("Mode"), form, self.mode, self.mode)
        self.duration = QSpinBox()
        self.duration.setRange(1, MAX_DURATION_MINUTES)
        self.duration.setValue(30)
        # Translators: the unit after the duration, with its leading space ("30 min").
        self.duration.setSuffix(tr(" min"))
        self.duration.setAccessibleName(tr("Duration in minutes"))
        labelled_row(form, required(tr("D&uration")), self.duration)
        self.cells["duration_minutes"] = (tr("Duration"), form, self.duration, self.duration)
        self.head_count = QSpinBox()
        # 0 reads "Required" and is sent as "not given", so the service asks for a number.
        self.head_count.setRange(0, MAX_GROUP_SIZE)
        # Translators: shown in the head count field while it is 0 (not given yet).
        self.head_count.setSpecialValueText(tr("Required"))
        self.head_count.setAccessibleName(tr("Head count (people attending)"))
        labelled_row(form, required(tr("&Head count")), self.head_count)
        form.setRowVisible(self.head_count, self.is_group)
        if self.is_group:
            self.cells["group_size"] = (tr("Head count"), form, self.head_count, self.head_count)
        box.setLayout(form)
        return box

    def _build_assessment(self) -> QGroupBox:
        box = QGroupBox(tr("Assessment"))
        self._assessment = form = form_layout()
        # Numbered as the chips, tables and charts show stages ("4 · Enduring the inquisition").
        numbered = [(t.code, f"{t.code} · {t.label}", t.description) for t in vocab.STAGES]
        self.stage = CodeCombo(numbered, tr("Stage"), none_label=tr("Not assessed"))
        self.stage_help = ReservedLabel([_stage_help(t.code) for t in vocab.STAGES], rich=True)
        self.stage_help.setAccessibleName(tr("About the selected stage"))
        stage_cell = stacked(self.stage, self.stage_help)
        labelled_row(form, tr("&Stage"), self.stage, stage_cell)
        self.cells["stage"] = (tr("Stage"), form, stage_cell, self.stage)
        # Always shown, enabled with stage 6 only: a row that came and went moved the red
        # flags below it (a click meant for one box landed on another).
        self.outcome = CodeCombo(
            choices(vocab.OUTCOMES), tr("Outcome (stage 6)"), none_label=tr(_OUTCOME_NOT_YET)
        )
        labelled_row(form, required(tr("&Outcome")), self.outcome)
        self.cells["outcome"] = (tr("Outcome"), form, self.outcome, self.outcome)
        self._outcome_kept: str | None = None  # the choice while another stage is chosen
        self.zone = CodeCombo(_zone_choices(), tr("Stress zone"), none_label=tr("Not assessed"))
        self.zone_help = ReservedLabel(t.description for t in vocab.STRESS_ZONES)
        zone_cell = stacked(self.zone, self.zone_help)
        labelled_row(form, tr("Stress &zone"), self.zone, zone_cell)
        self.cells["stress_zone"] = (tr("Stress zone"), form, zone_cell, self.zone)
        self.triggered = QCheckBox(tr("&Triggered: something brought the event back"))
        self.triggered.setAccessibleName(tr("Triggered"))
        form.addRow("", self.triggered)
        self.stage.currentIndexChanged.connect(self._stage_changed)
        self.zone.currentIndexChanged.connect(self._zone_changed)
        box.setLayout(form)
        return box

    def _build_red_flags(self, contacts: Sequence[Mapping[str, str]]) -> QGroupBox:
        box = QGroupBox(tr("Red flags"))
        column = QVBoxLayout(box)
        self.red_flags = CheckGroup(vocab.RED_FLAGS, tr("Red flag"))
        self.escalation = EscalationPanel()
        self.escalation.set_contacts(contacts)
        self.escalation.referralRequested.connect(self.show_tier3_referrals)
        self.escalation.hide()
        column.addWidget(self.red_flags)
        column.addWidget(self.escalation)
        self.red_flags.changed.connect(self._red_flags_changed)
        return box

    def _build_support(self) -> QGroupBox:
        box = QGroupBox(tr("Support"))
        self._support_form = form = form_layout()
        self.tier = CodeCombo(choices(vocab.TIERS), tr("Tier"))
        self.tier_help = help_label()
        tier_cell = stacked(self.tier, self.tier_help)
        labelled_row(form, required(tr("T&ier")), self.tier, tier_cell)
        self.cells["tier"] = (tr("Tier"), form, tier_cell, self.tier)
        self.tier.currentIndexChanged.connect(self._tier_changed)
        self.interventions = CheckGroup(vocab.INTERVENTIONS, tr("Intervention"))
        labelled_row(form, tr("Inter&ventions"), self.interventions.boxes()[0], self.interventions)
        interventions = self.interventions
        self.cells["interventions"] = (tr("Interventions"), form, interventions, interventions)
        self.referrals = ReferralPicker()
        self.referrals.changed.connect(self._referrals_changed)
        labelled_row(form, tr("&Referrals"), self.referrals.focus_chain()[0], self.referrals)
        first_referral = self.referrals.focus_chain()[0]
        self.cells["referrals"] = (tr("Referrals"), form, self.referrals, first_referral)
        self.declined = QCheckBox(tr("Support decli&ned"))
        self.declined.setAccessibleName(tr("Support declined"))
        form.addRow("", self.declined)
        self.needs = CodeCombo(
            choices(vocab.NEEDS_MET), tr("Needs met"), none_label=tr("Not asked")
        )
        labelled_row(form, tr("N&eeds met"), self.needs)
        self.cells["needs_met"] = (tr("Needs met"), form, self.needs, self.needs)
        box.setLayout(form)
        return box

    def _build_note(self) -> QGroupBox:
        box = QGroupBox(tr("Note (optional)"))
        column = QVBoxLayout(box)
        column.addWidget(
            help_label(
                tr(
                    "A few words for yourself. No patient details, names or conversation "
                    "content; notes are never exported."
                )
            )
        )
        self.note = QPlainTextEdit()
        self.note.setAccessibleName(tr("Note"))
        self.note.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.note.setMinimumHeight(self.note.fontMetrics().lineSpacing() * 5)
        self.highlighter = IdentifierHighlighter(self.note)
        self.phi_warning = IdentifierWarning()
        # Beside the note, level with its top: whenever the note is in view, so is the warning
        # (below it, it sat out of view until one scrolled). Its column is kept while hidden,
        # so the note never changes width as the warning comes and goes.
        policy = self.phi_warning.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.phi_warning.setSizePolicy(policy)
        beside = QHBoxLayout()
        beside.addWidget(self.note, 3)
        beside.addWidget(self.phi_warning, 2, Qt.AlignmentFlag.AlignTop)
        self.counter = QLabel()
        self.counter.setAccessibleName(tr("Characters used"))
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        column.addLayout(beside)
        column.addWidget(self.counter)
        self.cells["note"] = (tr("Note"), column, self.counter, self.note)
        self.highlighter.hitsChanged.connect(self.phi_warning.show_hits)
        self.note.textChanged.connect(self._count)
        self._count()
        return box

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [self.when, self.mode, self.duration, self.head_count]
        chain += [self.stage, self.outcome, self.zone, self.triggered]
        chain += [*self.red_flags.boxes(), self.escalation.referral_button, self.tier]
        chain += self.interventions.boxes() + self.referrals.focus_chain()
        chain += [self.declined, self.needs, *self.next_follow_up.focus_chain(), self.note]
        chain_tab_order(chain)

    # --- reactions -----------------------------------------------------------------------

    def show_case(self, case: CaseRecord) -> None:
        # Translators: above the encounter form; {alias} is the case's pseudonym, {kind} its kind.
        text = tr("Case {alias} · {kind}")
        self.case_label.setText(
            text.format(alias=case.alias, kind=vocab.CASE_KINDS.label(case.kind))
        )

    @contextmanager
    def restoring(self) -> Iterator[None]:
        """Set values without the live reactions a person's clicks would trigger."""
        self._restoring = True
        try:
            yield
        finally:
            self._restoring = False
        # Restored red flags keep the restored tier: the proposal was made before.
        self._tier_proposed = bool(self.red_flags.codes())
        self._tier_before_flags = None
        self.refresh()

    def refresh(self) -> None:
        self._stage_changed()
        self._zone_changed()
        self._tier_changed()
        self._red_flags_changed()
        self._referrals_changed()

    def _stage_changed(self) -> None:
        stage = self.stage.code()
        self.stage_help.setText(_stage_help(stage))
        moving_on = stage == vocab.MOVING_ON
        if moving_on and not self.outcome.isEnabled():
            self.outcome.setItemText(0, tr(_OUTCOME_CHOOSE))
            self.outcome.set_code(self._outcome_kept)
        elif not moving_on and (self.outcome.isEnabled() or self.outcome.code() is not None):
            # Shown as "only with stage 6", kept should the person come back to stage 6.
            self._outcome_kept = self.outcome.code()
            self.outcome.setItemText(0, tr(_OUTCOME_NOT_YET))
            self.outcome.setCurrentIndex(0)
        self.outcome.setEnabled(moving_on)

    def outcome_choice(self) -> str | None:
        """The outcome chosen, also while another stage greys it out (drafts keep it)."""
        return self.outcome.code() if self.outcome.isEnabled() else self._outcome_kept

    def _zone_changed(self) -> None:
        zone = self.zone.code()
        self.zone_help.setText(vocab.STRESS_ZONES.get(zone).description if zone else "")

    def _tier_changed(self) -> None:
        tier = self.tier.code()
        self.tier_help.setText(vocab.TIERS.get(tier).description if tier else "")
        if not self._restoring and not self._setting_tier:
            self._tier_before_flags = None  # the user chose: never undo their choice

    def _set_tier(self, tier: int) -> None:
        self._setting_tier = True
        try:
            self.tier.set_code(tier)
        finally:
            self._setting_tier = False

    def _red_flags_changed(self) -> None:
        flagged = bool(self.red_flags.codes())
        self.escalation.setVisible(flagged)
        if self._restoring:
            return
        if flagged and not self._tier_proposed:
            # Propose Tier 3 once per run of ticked flags: if the person then picks another
            # tier, that choice stands even when they tick a second flag.
            self._tier_proposed = True
            self._tier_before_flags = self.tier.code()
            self._set_tier(vocab.ESCALATION_TIER)
        elif not flagged and self._tier_proposed:
            self._tier_proposed = False
            if self._tier_before_flags is not None:
                self._set_tier(self._tier_before_flags)
            self._tier_before_flags = None

    def _referrals_changed(self) -> None:
        self.escalation.set_referral_suggested(not self.referrals.has_tier3())

    def show_tier3_referrals(self) -> None:
        box = self.referrals.first_tier3_box()
        reveal(box)
        box.setFocus(Qt.FocusReason.OtherFocusReason)

    def _count(self) -> None:
        used = len(self.note.toPlainText())  # code points, as the service counts
        over = used - MAX_NOTE
        locale = QLocale()
        shown = {"used": locale.toString(used), "limit": locale.toString(MAX_NOTE)}
        if over > 0:
            # Translators: under the note; {used} characters typed of {limit} allowed.
            text = ntr(
                "{used} / {limit} — {n} too many to save",
                "{used} / {limit} — {n} too many to save",
                over,
            )
            self.counter.setText(text.format(n=locale.toString(over), **shown))
        else:
            # Translators: under the note; {used} characters typed of {limit} allowed.
            self.counter.setText(tr("{used} / {limit}").format(**shown))
        palette = self.palette()
        if over > 0:
            role = self.counter.foregroundRole()
            palette.setColor(role, warning_colour(palette, self.counter.backgroundRole()))
        self.counter.setPalette(palette)


def _stage_help(stage: int | None) -> str:
    """The help under the stage picker: the stage, its description and typical questions."""
    if stage is None:
        return tr("Leave as not assessed when the contact gave no clear picture.")
    term = vocab.STAGES.get(stage)
    # Translators: the help under the stage picker; keep the markup, {stage} is the stage's name.
    text = tr("<b>{stage}</b>: {description}").format(
        stage=html.escape(term.label), description=html.escape(term.description)
    )
    if term.questions:
        # Translators: one typical question, in your language's quotation marks.
        quoted = tr("“{question}”")
        asks = " ".join(quoted.format(question=html.escape(q)) for q in term.questions)
        # Translators: keep the markup; {questions} are the questions, each in quotation marks.
        text += tr("<br>Typical questions: <i>{questions}</i>").format(questions=asks)
    return text
