"""Problems shown where they are: under each field, all at once, with a count by the buttons.

The core reports every problem of an input in the form's order (`InvalidInput`); a form shows
each one in a row under its field, sums them up beside the buttons and puts the cursor in the
first. A problem goes away as soon as its field is changed: the person sees what is left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QBoxLayout,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from svjournal.core.errors import ValidationError
from svjournal.core.i18n import N_, ntr, tr
from svjournal.ui.form_widgets import reveal
from svjournal.ui.phi_highlighter import warning_colour

REQUIRED_MARK = " *"
REQUIRED_LEGEND = N_("Fields marked * are required.")


def required(text: str) -> str:
    """A field label marked as required (the legend above the form explains the mark)."""
    return text + REQUIRED_MARK


def field_wording(message: str) -> str:
    """'is required.' → 'Required.': the message stands under its field, not after its name."""
    if message.startswith("is "):
        message = message[3:]
    return message[:1].upper() + message[1:]


class ProblemLabel(QLabel):
    """One field's problem, in the warning colour, word-wrapped under the field."""

    def __init__(self, field_label: str) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        # Translators: the accessible name of the problem shown under a field; {field} is its label.
        self.setAccessibleName(tr("Problem with {field}").format(field=field_label))
        _in_warning_colour(self)


@dataclass
class _Field:
    label: str
    focus: QWidget
    problem: ProblemLabel
    set_visible: Callable[[bool], None]
    before_focus: list[QWidget]  # widgets to open first (a collapsed section)


class FieldProblems:
    """Where each field's problem goes, and the summary line beside the dialog's buttons."""

    def __init__(self, summary: QLabel) -> None:
        self.summary = summary
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(tr("Problems to fix before saving"))
        palette = summary.palette()
        palette.setColor(
            summary.foregroundRole(), warning_colour(palette, summary.backgroundRole())
        )
        summary.setPalette(palette)
        self.summary.hide()
        self._fields: dict[str, _Field] = {}
        self._unplaced: list[ValidationError] = []

    def attach(
        self,
        field: str,
        label: str,
        layout: QFormLayout | QBoxLayout,
        cell: QWidget,
        focus: QWidget | None = None,
    ) -> None:
        """Give `field`'s problems a row right under `cell` (a widget in `layout`).

        Changing the field (`focus`, else `cell`) clears its problem.
        """
        problem = ProblemLabel(label)
        set_visible: Callable[[bool], None]
        if isinstance(layout, QFormLayout):
            position = layout.getWidgetPosition(cell)
            row = cast(tuple[int, QFormLayout.ItemRole], position)[0]
            if row < 0:
                raise ValueError(f"{field}: the cell is not in the form")
            layout.insertRow(row + 1, QLabel(""), problem)
            form = layout

            def set_row_visible(visible: bool) -> None:
                form.setRowVisible(problem, visible)

            set_visible = set_row_visible
        else:
            index = layout.indexOf(cell)
            if index < 0:
                raise ValueError(f"{field}: the cell is not in the layout")
            layout.insertWidget(index + 1, problem)
            set_visible = problem.setVisible
        set_visible(False)
        target = focus or cell
        self._fields[field] = _Field(label, target, problem, set_visible, [])
        _on_change(target, lambda *_signal_args, field=field: self.clear_field(field))

    def open_first(self, field: str, widget: QWidget) -> None:
        """Before focusing `field`, make `widget` (a collapsible section's toggle) open it."""
        self._fields[field].before_focus.append(widget)

    def show(self, problems: Sequence[ValidationError]) -> None:
        """Show every problem under its field, sum them up, focus the first field."""
        self.clear()
        first: _Field | None = None
        for problem in problems:
            place = self._fields.get(problem.field)
            if place is None:
                self._unplaced.append(problem)
                continue
            text = field_wording(problem.message)
            if place.problem.text():  # a second problem of the same field
                text = f"{place.problem.text()} {text}"
            place.problem.setText(text)
            place.set_visible(True)
            first = first or place
        self._update_summary()
        if first is not None:
            for opener in first.before_focus:
                if isinstance(opener, QAbstractButton) and not opener.isChecked():
                    opener.click()
            reveal(first.problem)
            reveal(first.focus)
            first.focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_field(self, field: str) -> None:
        place = self._fields[field]
        if place.problem.text():
            place.problem.clear()
            place.set_visible(False)
            self._update_summary()

    def clear(self) -> None:
        for place in self._fields.values():
            place.problem.clear()
            place.set_visible(False)
        self._unplaced = []
        self._update_summary()

    def shown(self) -> list[tuple[str, str]]:
        """(field, text) of each problem on screen, in the form's order (for tests and tools)."""
        return [(f, p.problem.text()) for f, p in self._fields.items() if p.problem.text()]

    def _update_summary(self) -> None:
        open_fields = [p.label for p in self._fields.values() if p.problem.text()]
        # Translators: a problem of no field on screen; {field} is the field's name.
        unplaced = tr("{field}: {problem}")
        lines = [
            unplaced.format(field=_label(p.field), problem=field_wording(p.message))
            for p in self._unplaced
        ]
        if open_fields:
            count = len(open_fields)
            # Translators: beside the Save button; {fields} lists the labels of the fields.
            summary = ntr(
                "{n} entry needs attention: {fields}.",
                "{n} entries need attention: {fields}.",
                count,
            )
            lines.insert(0, summary.format(n=count, fields=", ".join(open_fields)))
        self.summary.setText("\n".join(lines))
        self.summary.setVisible(bool(lines))


def _in_warning_colour(label: QLabel) -> None:
    palette = label.palette()
    palette.setColor(label.foregroundRole(), warning_colour(palette, label.backgroundRole()))
    label.setPalette(palette)


def _label(field: str) -> str:
    return field.replace("_", " ").capitalize()


def _on_change(widget: QWidget, callback: Callable[..., None]) -> None:
    """Connect the signal that means 'the person changed this field'."""
    if isinstance(widget, (QLineEdit, QPlainTextEdit)):
        widget.textChanged.connect(callback)
    elif isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(callback)
    elif isinstance(widget, QDateTimeEdit):
        widget.dateTimeChanged.connect(callback)
    elif isinstance(widget, QAbstractSpinBox):
        value_changed = getattr(widget, "valueChanged", None)
        if value_changed is not None:
            value_changed.connect(callback)
    elif isinstance(widget, QAbstractButton):
        widget.toggled.connect(callback)
    elif (changed := getattr(widget, "changed", None)) is not None:  # our check groups
        changed.connect(callback)
