"""Small building blocks the pages share: headings, tables, empty states, stage chips."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from svjournal.core import vocab

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
        label = QLabel("No stage yet")
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        return label
    colour = QColor(STAGE_COLOURS[stage])
    text_colour = "#000000" if colour.lightness() > 110 else "#FFFFFF"
    label = QLabel(f"Stage {stage} · {vocab.STAGES.label(stage)}")
    label.setStyleSheet(
        f"QLabel {{ background: {colour.name()}; color: {text_colour}; border-radius: 8px;"
        " padding: 2px 8px; }"
    )
    label.setAccessibleName(f"Stage {stage}: {vocab.STAGES.label(stage)}")
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
    ) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName(accessible_name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
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

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
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
