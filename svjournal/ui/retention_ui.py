"""Retention in the windows: the Settings section, the preview dialog, and the run at unlock.

The work is `svjournal.operations.retention` (over `svjournal.core.retention`); this module
only asks, shows and reports. The
automatic run de-identifies the journal at unlock, before any page or restored draft shows a
case, so no form can hold (and save back) text retention has just removed; the backups,
which take longer (seconds each for a large journal), are cleaned in the background after.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from svjournal.core import retention
from svjournal.core.errors import SvJournalError
from svjournal.core.i18n import N_, ntr, tr
from svjournal.core.policy import Policy
from svjournal.operations import retention as retention_ops
from svjournal.ui import errors, screen_fit
from svjournal.ui.background import BackgroundRunner
from svjournal.ui.formatting import format_date
from svjournal.ui.pages.common import hint
from svjournal.ui.policy_notes import setting_note
from svjournal.ui.session import JournalSession

log = logging.getLogger(__name__)

SETTING = "retention_months"
EXPLAINED = N_(
    "Keep little: a case closed longer ago than this is de-identified. Its pseudonym becomes "
    "a code, and its notes, contact details and unsaved drafts are deleted, in the journal "
    "and in its backups. What you chose from lists (stage, tier, dates, referrals, outcome) "
    "stays, so program figures do not change. It cannot be undone."
)
WHEN = N_(
    "When on, it runs as you unlock the journal and tells you what it did. Backups older "
    "than this are deleted."
)


def _text(lines: list[str]) -> str:
    return "\n\n".join(lines)


class RetentionPreviewDialog(QDialog):
    """What retention would remove, with Apply now / Cancel; the result once applied."""

    applied = Signal(object)  # the RetentionResult

    def __init__(
        self,
        found: retention.RetentionPreview,
        work: Callable[[], retention.RetentionResult],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Retention preview"))
        self._work = work
        self._runner = BackgroundRunner(self)
        self.summary = QLabel(_text(found.lines(format_date)))
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAccessibleName(tr("What would be removed"))
        self.warnings = QLabel(_text([f"⚠ {w}" for w in found.warnings()]))
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.PlainText)
        self.warnings.setAccessibleName(tr("Warnings"))
        self.warnings.setVisible(bool(found.warnings()))
        self.status = hint("")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button: QPushButton = self.buttons.addButton(
            tr("Apply now"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.apply_button.clicked.connect(self._apply)
        self.apply_button.setVisible(not found.nothing_to_do)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        layout = QVBoxLayout(self)
        before = format_date(found.cutoff)
        # Translators: {n} months, {date} the first day kept.
        heading = ntr(
            "Cases closed more than {n} month ago (before {date})",
            "Cases closed more than {n} months ago (before {date})",
            found.months,
        )
        title = QLabel(heading.format(n=found.months, date=before))
        title.setWordWrap(True)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addWidget(self.warnings)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        screen_fit.keep_title_whole(self)
        screen = screen_fit.available_size(self)
        width = min(self.fontMetrics().averageCharWidth() * 70, screen.width() - 40)
        # The height its wrapped lines need at this width: the size hint is worked out for
        # another width, and cut the summary's last line off in longer languages.
        needed = max(layout.totalHeightForWidth(width), self.sizeHint().height())
        self.resize(width, min(needed, screen.height() - 40))

    def _apply(self) -> None:
        self.apply_button.setEnabled(False)
        self.status.setText(tr("De-identifying and cleaning the backups…"))
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        self._runner.submit(self._work, self._done, self._failed)

    def _done(self, result: retention.RetentionResult) -> None:
        QGuiApplication.restoreOverrideCursor()
        self.summary.setText(_text(result.lines(format_date)))
        warnings = result.warnings()
        self.warnings.setText(_text([f"⚠ {w}" for w in warnings]))
        self.warnings.setVisible(bool(warnings))
        self.status.setText(tr("Done."))
        self.apply_button.hide()
        close = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        close.setText(tr("Close"))
        self.applied.emit(result)

    def _failed(self, exc: BaseException) -> None:
        QGuiApplication.restoreOverrideCursor()
        self.apply_button.setEnabled(True)
        # Translators: {problem} is the title of the error ("Backup failed"), ended as a sentence.
        self.status.setText(tr("{problem}.").format(problem=errors.describe(exc)[0]))
        errors.show_error(self, exc)


class RetentionSection(QGroupBox):
    """Settings › Retention: the window in months (or Off) and Preview…."""

    applied = Signal()

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(tr("Retention"), parent)
        self._session = session
        self.months = QSpinBox()
        self.months.setRange(0, retention.MAX_MONTHS)
        self.months.valueChanged.connect(self._months_suffix)
        self._months_suffix(self.months.value())
        self.months.setSpecialValueText(tr("Off"))
        self.months.setAccessibleName(tr("De-identify closed cases after"))
        self.preview_button = QPushButton(tr("Preview…"))
        self.preview_button.clicked.connect(self.preview)
        self.months.valueChanged.connect(lambda value: self.preview_button.setEnabled(bool(value)))
        self.policy_note = hint("")
        self.policy_note.setWordWrap(False)
        self.policy_note.hide()
        self.dialog: RetentionPreviewDialog | None = None
        row = QHBoxLayout()
        row.addWidget(self.months)
        row.addWidget(self.preview_button)
        row.addStretch(1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        label = QLabel(tr("De-&identify closed cases after:"))
        label.setBuddy(self.months)
        form.addRow(label, row)
        form.addRow("", self.policy_note)
        layout = QVBoxLayout(self)
        layout.addWidget(hint(tr(EXPLAINED)))
        layout.addLayout(form)
        layout.addWidget(hint(tr(WHEN)))

    def _months_suffix(self, months: int) -> None:
        # Translators: the unit after the number in the retention field, with its leading space.
        self.months.setSuffix(ntr(" month", " months", months))

    def refresh(self) -> None:
        self.months.setValue(self._session.journal.setting(SETTING))
        self.preview_button.setEnabled(bool(self.months.value()))

    def apply_policy(self, policy: Policy) -> None:
        """A policy's months are the most allowed (Off is then refused), or exactly them."""
        ceiling = policy.retention_max()
        self.months.setMaximum(ceiling or retention.MAX_MONTHS)
        self.months.setMinimum(1 if ceiling else 0)
        self.months.setSpecialValueText("" if ceiling else tr("Off"))
        self.months.setEnabled(not policy.is_locked(SETTING))
        if ceiling and not policy.is_locked(SETTING):
            note = ntr(
                "Your IT department allows at most {n} month.",
                "Your IT department allows at most {n} months.",
                ceiling,
            ).format(n=ceiling)
        else:
            note = setting_note(policy, SETTING)
        self.policy_note.setText(note)
        self.policy_note.setVisible(bool(note))

    def values(self) -> dict[str, int]:
        return {SETTING: self.months.value()}

    def preview(self) -> None:
        """The preview for the months shown (saved or not) in a dialog offering Apply now."""
        months = self.months.value()
        if not months:
            return
        session = self._session
        today = date.today()
        try:
            found = retention_ops.preview_retention(session.vault, session.journal, months, today)
        except SvJournalError as exc:
            errors.show_error(self, exc)
            return

        def work() -> retention.RetentionResult:
            return retention_ops.apply_retention(
                session.vault, session.journal, months, today
            ).value

        self.dialog = RetentionPreviewDialog(found, work, self)
        self.dialog.applied.connect(lambda _result: self.applied.emit())
        self.dialog.open()

    def clear(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None


def run_due(session: JournalSession) -> retention.JournalDone | None:
    """The journal's part of retention as it unlocks, when retention is on and something is
    due; None otherwise. The backups are left to `finish_in_background`.

    A failure is logged (its type only) and left for the next unlock: it must not keep the
    supporter out of their journal."""
    today = date.today()
    try:
        found = retention_ops.retention_due(session.vault, session.journal, today)
        if found is None:
            return None
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return retention_ops.apply_to_journal(
                session.vault, session.journal, found.months, today
            ).value
        finally:
            QGuiApplication.restoreOverrideCursor()
    except SvJournalError as exc:
        log.warning("retention at unlock did not run (%s)", type(exc).__name__)
        return None


class BackgroundRetention(QObject):
    """The backups' part of an automatic run, on a worker thread, then the notice."""

    finished = Signal(object)  # the RetentionResult

    def __init__(self, window: QWidget, session: JournalSession) -> None:
        super().__init__(window)
        self._window = window
        self._session = session
        self._runner = BackgroundRunner(self)
        self.notice: QMessageBox | None = None

    @property
    def busy(self) -> bool:
        return self._runner.busy

    def start(self, done: retention.JournalDone) -> None:
        vault = self._session.vault
        key = vault.key_copy()  # taken now, while the journal is unlocked
        self._runner.submit(
            lambda: retention_ops.clean_backups(vault, done, key).value,
            self._finished,
            self._failed,
        )

    def _finished(self, result: retention.RetentionResult) -> None:
        self.finished.emit(result)
        if self._session.is_unlocked:  # never over the lock screen
            self.notice = show_notice(self._window, result)

    def _failed(self, exc: BaseException) -> None:
        log.warning("retention in the backups did not finish (%s)", type(exc).__name__)


def show_notice(parent: QWidget, result: retention.RetentionResult) -> QMessageBox:
    """Tell the supporter what the automatic run removed (counts only); not modal."""
    box = QMessageBox(
        QMessageBox.Icon.Information,
        tr("Retention"),
        ntr(
            "Cases closed more than {n} month ago were de-identified (Settings › Retention).",
            "Cases closed more than {n} months ago were de-identified (Settings › Retention).",
            result.preview.months,
        ).format(n=result.preview.months),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    warnings = [f"⚠ {w}" for w in result.warnings()]
    box.setInformativeText(_text(result.lines(format_date) + warnings))
    box.setObjectName("retention-notice")
    box.open()
    return box
