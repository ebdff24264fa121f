"""One case: its header, the encounter timeline with stage chips, its follow-ups, its actions."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QBrush, QColor, QPalette, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from svjournal.core import vocab
from svjournal.core.i18n import N_, tr
from svjournal.core.records import CaseRecord, EncounterRecord, FollowUpRecord
from svjournal.ui import red_flags
from svjournal.ui.flow_layout import FlowRow
from svjournal.ui.formatting import format_date
from svjournal.ui.pages.case_facts import CaseFacts, FactsHolder, fact_rows
from svjournal.ui.pages.common import STAGE_COLOURS, EmptyOr, RowTable, heading, stage_chip
from svjournal.ui.scaled_image import ScaledImage
from svjournal.ui.table_models import Column, RowTableModel, short_date, stage_label
from svjournal.ui.theme import is_dark, text_on


def _referrals(e: EncounterRecord) -> str:
    return (
        ", ".join(
            # Translators: a referral of an encounter: where to, and the answer ("EAP (accepted)").
            tr("{target} ({response})").format(
                target=vocab.REFERRAL_TARGETS.label(r["target"]),
                response=vocab.REFERRAL_RESPONSES.label(r["response"]),
            )
            for r in e.referrals
        )
        or "—"
    )


def _stage_text(e: EncounterRecord) -> str:
    if not e.stage:
        return "—"
    if not e.outcome:
        return stage_label(e.stage)
    # Translators: an encounter's stage, then the outcome it recorded: "6 · Moving on (Thriving)".
    return tr("{stage} ({outcome})").format(
        stage=stage_label(e.stage), outcome=vocab.OUTCOMES.label(e.outcome)
    )


class EncounterTableModel(RowTableModel[EncounterRecord]):
    """The timeline; the stage column is painted as a colored chip."""

    COL_STAGE = 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Column(N_("When"), lambda e: short_date(e.occurred_at), lambda e: e.occurred_at),
                Column(N_("Stage"), _stage_text, lambda e: e.stage or 0),
                Column(
                    N_("Red flag"),
                    lambda e: red_flags.encounter_flags(e.red_flags),
                    lambda e: len(e.red_flags),
                    lambda e: red_flags.encounter_flags_detail(e.red_flags),
                ),
                # Translators: a column: whether the encounter found the person triggered.
                Column(N_("Triggered"), lambda e: tr("⚡ triggered") if e.triggered else ""),
                Column(N_("Mode"), lambda e: vocab.MODES.label(e.mode)),
                Column(
                    N_("Minutes"),
                    lambda e: QLocale().toString(e.duration_minutes),
                    lambda e: e.duration_minutes,
                ),
                Column(N_("Tier"), lambda e: QLocale().toString(e.tier), lambda e: e.tier),
                Column(
                    # Translators: a column: the stress continuum zone of the encounter.
                    N_("Zone"),
                    lambda e: vocab.STRESS_ZONES.label(e.stress_zone) if e.stress_zone else "—",
                ),
                Column(N_("Referrals"), _referrals),
            ],
            parent,
        )

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if index.isValid() and index.column() == self.COL_STAGE:
            stage = self.row_at(index.row()).stage
            if stage and role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(STAGE_COLOURS[stage]))
            if stage and role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(text_on(QColor(STAGE_COLOURS[stage])))
        return super().data(index, role)


def red_flag_border(palette: QPalette) -> QColor:
    """A red that reaches 4.5:1 on the palette's window: dark red on light, light on dark
    (#B3261E on the dark window was 2.1:1)."""
    return QColor("#ff8a80" if is_dark(palette) else "#b3261e")


def red_flag_chip(case: CaseRecord) -> QLabel:
    """The header's marker: text and a frame, so it does not rest on color alone."""
    if case.tier3_referral == "accepted":
        # Translators: {marker} is the flag symbol ⚑; the case's Tier 3 referral was accepted.
        text = tr("{marker} Red flag · Tier 3 accepted").format(marker=red_flags.MARKER)
    else:
        text = red_flags.red_flag()
    label = QLabel(text)
    label.setObjectName("redFlagChip")
    label.setStyleSheet(
        f"QLabel#redFlagChip {{ border: 2px solid {red_flag_border(label.palette()).name()};"
        " border-radius: 8px; padding: 1px 8px; font-weight: 600; }"
    )
    label.setAccessibleName(red_flags.case_flag_detail(case.last_red_flag_at, case.tier3_referral))
    label.setToolTip(label.accessibleName())
    return label


class CaseView(QWidget):
    """Shows one case; the workspace wires the action signals to dialogs."""

    log_encounter = Signal()
    edit_encounter = Signal(str)
    schedule_follow_up = Signal()
    edit_case = Signal()
    close_case = Signal()
    reopen_case = Signal()
    delete_case = Signal()
    delete_encounter = Signal(str)
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case: CaseRecord | None = None
        self.title = heading("")
        self.chip_holder = QHBoxLayout()
        self.details = CaseFacts()
        self.encounters = EncounterTableModel()
        self.follow_ups: RowTableModel[FollowUpRecord] = RowTableModel(
            [
                Column(N_("Due"), lambda f: format_date(f.due_on), lambda f: f.due_on),
                Column(N_("Method"), lambda f: vocab.MODES.label(f.method)),
                Column(N_("Status"), lambda f: vocab.FOLLOW_UP_STATUSES.label(f.status)),
                # Translators: a column of follow-ups: when it was done.
                Column(N_("Done"), lambda f: short_date(f.done_at)),
            ]
        )
        self.encounter_table = RowTable(self.encounters, tr("Encounters"))
        self.encounter_table.activated_row.connect(
            lambda row: self.edit_encounter.emit(self.encounters.row_at(row).id)
        )
        self.follow_up_table = RowTable(self.follow_ups, tr("Follow-ups of this case"), stretch=3)

        back = QPushButton(tr("‹ Cases"))
        back.setAccessibleName(tr("Back to cases"))
        back.clicked.connect(self.back)
        self.buttons: dict[str, QPushButton] = {}
        # Wraps onto a second line where the words are long (German, French) or the window
        # narrow, instead of pushing the window past the screen.
        actions = FlowRow()
        for key, text, signal in (
            ("log", tr("Log encounter…"), self.log_encounter),
            ("follow_up", tr("Schedule follow-up…"), self.schedule_follow_up),
            ("edit", tr("Edit case…"), self.edit_case),
            ("close", tr("Close case…"), self.close_case),
            ("reopen", tr("Reopen case"), self.reopen_case),
            ("delete", tr("Move to trash…"), self.delete_case),
        ):
            button = QPushButton(text)
            button.clicked.connect(signal)
            actions.addWidget(button)
            self.buttons[key] = button

        top = QHBoxLayout()
        top.addWidget(back)
        top.addWidget(self.title, 1)
        top.addLayout(self.chip_holder)
        header = QGroupBox(tr("About this case"))
        details = FactsHolder(self.details)
        # The details scroll in their box when the window is short: the window never grows.
        details_scroll = QScrollArea()
        details_scroll.setWidgetResizable(True)
        details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        details_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        details_scroll.setWidget(details)
        details_scroll.setAccessibleName(tr("About this case"))
        QVBoxLayout(header).addWidget(details_scroll)
        trajectory_box = QGroupBox(tr("Stage trajectory"))
        # Scales with the room it gets: a picture at its full size would push the window.
        self.trajectory = ScaledImage(minimum_width=160)
        self.trajectory.setText("…")
        self.trajectory.setAccessibleName(tr("Stage trajectory chart"))
        QVBoxLayout(trajectory_box).addWidget(self.trajectory)
        about_row = QWidget()
        about = QHBoxLayout(about_row)
        about.setContentsMargins(0, 0, 0, 0)
        about.addWidget(header, 1)
        about.addWidget(trajectory_box, 1)
        encounter_actions = QHBoxLayout()
        self.edit_encounter_button = QPushButton(tr("Edit encounter…"))
        self.edit_encounter_button.clicked.connect(lambda: self._with_selected(self.edit_encounter))
        self.delete_encounter_button = QPushButton(tr("Move encounter to trash…"))
        self.delete_encounter_button.clicked.connect(
            lambda: self._with_selected(self.delete_encounter)
        )
        encounter_actions.addWidget(self.edit_encounter_button)
        encounter_actions.addWidget(self.delete_encounter_button)
        # They act on the selected encounter: enabled only while one is selected.
        self.encounter_table.selectionModel().selectionChanged.connect(
            self._update_encounter_actions
        )
        self._update_encounter_actions()
        encounter_actions.addStretch(1)
        timeline = QGroupBox(tr("Encounters (oldest first: the stage history)"))
        self.encounter_body = EmptyOr(
            self.encounter_table, tr("No encounters yet: log the first contact.")
        )
        timeline_layout = QVBoxLayout(timeline)
        timeline_layout.addWidget(self.encounter_body)
        timeline_layout.addLayout(encounter_actions)
        follow = QGroupBox(tr("Follow-ups"))
        QVBoxLayout(follow).addWidget(self.follow_up_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(about_row)
        splitter.addWidget(timeline)
        splitter.addWidget(follow)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 1)
        self.splitter = splitter
        # The sections share the height sensibly until the user drags a divider.
        self._user_sized = False
        splitter.splitterMoved.connect(lambda _pos, _index: setattr(self, "_user_sized", True))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(actions)
        layout.addWidget(splitter, 1)

    def show_case(
        self,
        case: CaseRecord,
        encounters: list[EncounterRecord],
        follow_ups: list[FollowUpRecord],
        department_label: str,
    ) -> None:
        self.case = case
        self.title.setText(case.alias)
        # Translators: the accessible name of a case's heading; {alias} is its pseudonym.
        self.title.setAccessibleName(tr("Case {alias}").format(alias=case.alias))
        self._clear_chips()
        self.chip_holder.addWidget(stage_chip(case.current_stage))
        if case.last_red_flag_at is not None:
            self.chip_holder.addWidget(red_flag_chip(case))
        self.details.show_rows(fact_rows(case, department_label))
        self.encounters.set_rows(encounters)
        self.follow_ups.set_rows(follow_ups)
        self.encounter_body.set_empty(not encounters)
        self._balance()
        self._update_encounter_actions()
        closed = case.status == "closed"
        self.buttons["log"].setEnabled(not closed)
        self.buttons["follow_up"].setEnabled(not closed)
        self.buttons["close"].setVisible(not closed)
        self.buttons["reopen"].setVisible(closed)

    @staticmethod
    def trajectory_figsize(page: QSize) -> tuple[float, float]:
        """The trajectory's size in inches (100 dpi) for its box on a page of size `page`:
        half the width, at most the 45 % of the height the top row gets (see _balance)."""
        # Never under 5 × 3.4 in, the smallest size the chart is checked to draw cleanly at
        # (tests/unit/test_chart_layout.py): a smaller box shows it scaled down instead.
        width = max(500, page.width() // 2 - 50)
        height = max(340, min(int(width * 0.6), int(page.height() * 0.45) - 60))
        return round(width / 100, 2), round(height / 100, 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._balance()

    def _clear_chips(self) -> None:
        while self.chip_holder.count():
            item = self.chip_holder.takeAt(0)
            widget = item.widget() if item else None
            if widget is not None:
                widget.deleteLater()

    def _balance(self) -> None:
        """About and trajectory at their natural height (at most 45 %), the follow-ups a
        fifth, the timeline the rest: no section squeezed to a sliver by the others."""
        if self._user_sized:
            return
        total = self.splitter.height() - 2 * self.splitter.handleWidth()
        if total <= 0:
            return
        about = self.splitter.widget(0)
        if about is None:
            return
        natural = about.heightForWidth(about.width()) if about.hasHeightForWidth() else -1
        natural = max(natural, about.sizeHint().height())
        top = min(natural, int(total * 0.45))
        follow = int(total * 0.2)
        self.splitter.setSizes([top, total - top - follow, follow])

    def show_trajectory(self, png: bytes, scale: float) -> None:
        pixmap = QPixmap()
        pixmap.loadFromData(png, "PNG")
        pixmap.setDevicePixelRatio(scale)
        self.trajectory.setPixmap(pixmap)
        # The picture changes what the top row would like, once its layout has taken it in.
        # With self as context: a lock may delete this page before the timer fires.
        QTimer.singleShot(0, self, self._balance)

    def _update_encounter_actions(self, *_args: object) -> None:
        selected = self.encounter_table.selected_row() is not None
        self.edit_encounter_button.setEnabled(selected)
        self.delete_encounter_button.setEnabled(selected)

    def _with_selected(self, signal: SignalInstance) -> None:
        row = self.encounter_table.selected_row()
        if row is not None:
            signal.emit(self.encounters.row_at(row).id)

    def clear(self) -> None:
        self.case = None
        self.trajectory.clear()
        self.title.clear()
        self.encounters.clear()
        self.follow_ups.clear()
        self._update_encounter_actions()
        self.details.clear_rows()
        self._clear_chips()
