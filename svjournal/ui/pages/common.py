"""Small building blocks the pages share: headings, tables, empty states, stage chips."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractItemModel, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from svjournal.core import vocab
from svjournal.core.i18n import tr
from svjournal.ui.background import BackgroundRunner
from svjournal.ui.theme import text_on

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
STAGE_COLOURS = {
    1: "#D55E00",
    2: "#E69F00",
    3: "#F0E442",
    4: "#56B4E9",
    5: "#0072B2",
    6: "#009E73",
}


def heading(text: str, level: int = 1) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * (1.5 if level == 1 else 1.15))
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    label.setAccessibleName(text)
    label.setWordWrap(True)
    return label


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def field_hint(text: str) -> QLabel:
    """A hint under a field of a form that keeps number fields narrow (ExpandingFieldsGrow):
    it takes the field column's whole width instead of wrapping at half of it."""
    label = hint(text)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return label


def stage_chip(stage: int | None) -> QLabel:
    """A rounded label naming the stage, coloured by stage, readable on light and dark."""
    if not stage:
        label = QLabel(tr("No stage yet"))
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        return label
    colour = QColor(STAGE_COLOURS[stage])
    text_colour = text_on(colour).name()
    name = vocab.STAGES.label(stage)
    # Translators: a chip naming a case's recovery stage: "Stage 3 · Intrusive reflections".
    label = QLabel(tr("Stage {n} · {stage}").format(n=stage, stage=name))
    label.setStyleSheet(
        f"QLabel {{ background: {colour.name()}; color: {text_colour}; border-radius: 8px;"
        " padding: 2px 8px; }"
    )
    # Translators: what a screen reader says for the stage chip: "Stage 3: Intrusive reflections".
    label.setAccessibleName(tr("Stage {n}: {stage}").format(n=stage, stage=name))
    return label


class RowTable(QTableView):
    """A read-only, row-selecting table; Enter or double-click activates a row."""

    activated_row = Signal(int)

    def __init__(
        self,
        model: QAbstractItemModel,
        accessible_name: str,
        parent: QWidget | None = None,
        *,
        stretch: int | tuple[int, ...] | None = None,
        optional: tuple[int, ...] = (),
        keep_whole: tuple[int, ...] = (),
    ) -> None:
        """`stretch`: the columns that share the spare width (and may elide); `optional`:
        columns, least needed last, shown only while the others fit (`keep_whole` ones
        whole, other stretching ones at a readable width)."""
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName(accessible_name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        # Tab leaves the table for the next control (its buttons); arrows move between rows.
        # Qt's default moved Tab from cell to cell, so nothing after a table was reachable.
        self.setTabKeyNavigation(False)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        # Sized from the rows in view and 200 more, not Qt's default 1,000: ten thousand cases
        # made every resize (and unlocking) measure a thousand rows per column. Set before
        # the resize mode, which measures the columns at once with the precision it finds.
        header.setResizeContentsPrecision(200)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if stretch is None:
            header.setStretchLastSection(True)
        else:
            # The wide, descriptive columns share the spare room and elide, so no sideways
            # scrolling; the others keep their content's width.
            for column in (stretch,) if isinstance(stretch, int) else stretch:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.doubleClicked.connect(lambda index: self.activated_row.emit(index.row()))
        self._optional = optional
        self._keep_whole = keep_whole
        self._dropped: set[int] = set()  # optional columns hidden for want of room
        # Refitted once new rows are laid out; a timer of the table's own, so nothing is
        # left to fire at a table that locking has destroyed.
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_columns)
        if optional:
            for signal in (model.modelReset, model.layoutChanged, model.rowsInserted):
                signal.connect(self._schedule_fit)

    def _schedule_fit(self, *_args: object) -> None:
        self._fit_timer.start()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._optional:
            self._fit_columns()

    def _fit_columns(self) -> None:
        """A narrow table drops its optional columns rather than cut a pseudonym."""
        header = self.horizontalHeader()

        # A stretching column that may elide (a stage, an event) needs its heading and a
        # readable start; one that must stay whole (a pseudonym) its whole content.
        readable = self.fontMetrics().averageCharWidth() * 14

        widths: dict[int, int] = {}

        def content(column: int) -> int:
            # sizeHintForColumn reads up to a thousand rows: once per column per fit, and
            # only where Qt has not sized the section to its contents already.
            if column not in widths:
                fitted = header.sectionResizeMode(column) == QHeaderView.ResizeMode.ResizeToContents
                if fitted and not self.isColumnHidden(column):
                    widths[column] = header.sectionSize(column)
                else:
                    widths[column] = self.sizeHintForColumn(column)
            return max(widths[column], header.sectionSizeHint(column))

        def need(column: int) -> int:
            stretching = header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch
            if not stretching or column in self._keep_whole:
                return content(column)
            # Its heading and a readable start: never the cost of measuring every row.
            return max(header.sectionSizeHint(column), readable)

        def stretches(column: int) -> bool:
            return header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch

        essential = [c for c in range(header.count()) if c not in self._optional]
        shown = [c for c in essential if not self.isColumnHidden(c)]
        # Stretching sections share the spare room equally (in whole pixels, so each may get
        # one less): together they need as much as the widest of them needs, each.
        stretched = [c for c in shown if stretches(c)]
        widest = max((need(c) for c in stretched), default=0) + 1
        used = sum(need(c) for c in shown if not stretches(c)) + widest * len(stretched)
        room = self.viewport().width()
        fits = True
        for column in self._optional:
            if column not in self._dropped and self.isColumnHidden(column):
                continue  # hidden by the page for good, not for room
            extra = widest if stretches(column) else need(column)
            fits = fits and used + extra <= room
            if fits:
                used += extra
                self._dropped.discard(column)
            else:
                self._dropped.add(column)
            self.setColumnHidden(column, not fits)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)

    def selected_row(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else None


class EmptyOr(QStackedWidget):
    """Shows a friendly message instead of an empty table."""

    def __init__(self, content: QWidget, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        empty = QWidget()
        layout = QVBoxLayout(empty)
        self._label = hint(message)
        self._label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self._label)
        self.addWidget(content)
        self.addWidget(empty)

    def set_message(self, message: str) -> None:
        self._label.setText(message)

    def set_empty(self, empty: bool) -> None:
        self.setCurrentIndex(1 if empty else 0)


def action_button(text: str, action: Callable[[], object]) -> QPushButton:
    """A push button that runs `action`, named for screen readers without its "…"."""
    button = QPushButton(text)
    button.setAccessibleName(text.rstrip("…"))
    button.clicked.connect(lambda: action())
    return button


def busy_bar(
    name: str, runners: Sequence[BackgroundRunner], on_idle: Callable[[], None]
) -> QProgressBar:
    """An indeterminate bar one text line tall, shown while any of `runners` works;
    `on_idle` runs as each finishes (and decides whether to hide it)."""
    bar = QProgressBar()
    bar.setRange(0, 0)  # indeterminate
    bar.setMaximumHeight(bar.fontMetrics().height())
    bar.setAccessibleName(name)
    bar.hide()
    for runner in runners:
        runner.started.connect(bar.show)
        runner.finished.connect(on_idle)
    return bar
