"""Form pieces the case and encounter editors share: coded combos, check lists, panels."""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from svjournal.core import vocab
from svjournal.core.inputs import ReferralInput
from svjournal.core.vocab import Term
from svjournal.ui import screen_fit
from svjournal.ui.phi_highlighter import blend, warning_colour

Choice = tuple[Any, str, str]  # code, label, tooltip


def help_label(text: str = "", *, rich: bool = False) -> QLabel:
    """Secondary, word-wrapped text under a field; rich only for our own escaped markup."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


class ReservedLabel(QLabel):
    """Help text that keeps the height of the tallest text it may show, at its current width,
    so changing the text never moves the controls below it (a click aimed at one red-flag box
    must not land on another)."""

    def __init__(self, texts: Iterable[str], *, rich: bool = False) -> None:
        super().__init__()
        fmt = Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText
        self.setTextFormat(fmt)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self._probe = QLabel()  # never shown: measures each possible text at our width
        self._probe.setTextFormat(fmt)
        self._probe.setWordWrap(True)
        self._texts = [t for t in texts if t]

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        self._probe.setFont(self.font())
        own = super().heightForWidth(width)
        tallest = 0
        for text in self._texts:
            self._probe.setText(text)
            tallest = max(tallest, self._probe.heightForWidth(width))
        return max(own, tallest)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self.heightForWidth(hint.width()))


def form_layout() -> QFormLayout:
    form = QFormLayout()
    # Fields take the width they are given on every style (macOS keeps size hints otherwise),
    # and a long label (a translation, large text) puts its field below instead of squeezing it.
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form


def labelled_row(
    form: QFormLayout, text: str, buddy: QWidget, cell: QWidget | None = None
) -> QLabel:
    """A form row whose label (with its Alt mnemonic) focuses `buddy`, shown in `cell`."""
    label = QLabel(text)
    label.setBuddy(buddy)
    form.addRow(label, cell or buddy)
    return label


def align_labels(*forms: QFormLayout) -> None:
    """Give the label column of several stacked forms one width, so their fields line up."""
    labels = [
        item.widget()
        for form in forms
        for row in range(form.rowCount())
        if (item := form.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None
        and item.widget() is not None
    ]
    width = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setMinimumWidth(width)


def chain_tab_order(widgets: Sequence[QWidget]) -> None:
    """Tab visits `widgets` in this order (reading order), whatever order they were built in."""
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)


def reveal(widget: QWidget) -> None:
    """Scroll the nearest enclosing scroll area so that `widget` is in view."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(widget)


def stacked(*widgets: QWidget) -> QWidget:
    """A field and its help text as one form cell (the label's buddy stays the field)."""
    cell = QWidget()
    layout = QVBoxLayout(cell)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return cell


def choices(vocabulary: Iterable[Term[Any]]) -> list[Choice]:
    return [(t.code, t.label, t.description) for t in vocabulary]


class CodeCombo(QComboBox):
    """A combo box showing labels and handing back the stored code (None for the blank item)."""

    def __init__(
        self, items: Sequence[Choice], accessible_name: str, *, none_label: str | None = None
    ) -> None:
        super().__init__()
        self._codes: list[Any] = []
        if none_label is not None:
            self.add_choice(None, none_label)
        for code, label, tip in items:
            self.add_choice(code, label, tip)
        self.setAccessibleName(accessible_name)
        # Long labels must not force the dialog wider than the screen: the popup still shows
        # them in full, the closed box elides.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def add_choice(self, code: Any, label: str, tip: str = "") -> None:
        self.addItem(label)
        if tip:
            self.setItemData(self.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self._codes.append(code)

    def code(self) -> Any:
        index = self.currentIndex()
        return self._codes[index] if 0 <= index < len(self._codes) else None

    def set_code(self, code: Any) -> bool:
        """Select `code`; False (selection unchanged) when it is not offered."""
        for index, known in enumerate(self._codes):
            if known == code and type(known) is type(code):
                self.setCurrentIndex(index)
                return True
        return False


class CheckGroup(QWidget):
    """One checkbox per vocabulary term, in columns, read and written as a list of codes."""

    changed = Signal()

    def __init__(self, terms: Iterable[Term[str]], kind: str, *, columns: int = 1) -> None:
        super().__init__()
        self._boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        terms = list(terms)
        per_column = -(-len(terms) // max(1, columns))
        for index, term in enumerate(terms):
            box = QCheckBox(term.label)
            box.setAccessibleName(term.label)
            box.setAccessibleDescription(kind)
            if term.description:
                box.setToolTip(term.description)
            box.toggled.connect(self.changed)
            grid.addWidget(box, index % per_column, index // per_column)
            self._boxes[str(term.code)] = box
        self.setAccessibleName(kind)

    def codes(self) -> list[str]:
        return [code for code, box in self._boxes.items() if box.isChecked()]

    def set_codes(self, codes: Iterable[str]) -> None:
        wanted = set(codes)
        for code, box in self._boxes.items():
            box.setChecked(code in wanted)

    def box(self, code: str) -> QCheckBox:
        return self._boxes[code]

    def boxes(self) -> list[QCheckBox]:
        return list(self._boxes.values())


class ReferralPicker(QWidget):
    """Each referral target: a checkbox, and whether the person accepted, declined or not yet."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[str, tuple[QCheckBox, CodeCombo]] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(0, 1)
        for row, term in enumerate(vocab.REFERRAL_TARGETS):
            text = f"{term.label} (Tier 3)" if term.tier3 else term.label
            box = QCheckBox(text)
            box.setAccessibleName(f"Referral: {text}")
            response = CodeCombo(
                choices(vocab.REFERRAL_RESPONSES), f"Response to the {term.label} referral"
            )
            response.setMinimumContentsLength(10)
            response.setEnabled(False)
            box.toggled.connect(response.setEnabled)
            box.toggled.connect(self.changed)
            response.currentIndexChanged.connect(self.changed)
            grid.addWidget(box, row, 0)
            grid.addWidget(response, row, 1)
            self._rows[term.code] = (box, response)
        self.setAccessibleName("Referrals")

    def referrals(self) -> list[ReferralInput]:
        return [
            ReferralInput(target, str(response.code()))
            for target, (box, response) in self._rows.items()
            if box.isChecked()
        ]

    def payload(self) -> list[dict[str, str]]:
        return [{"target": r.target, "response": r.response} for r in self.referrals()]

    def set_referrals(self, items: Iterable[Mapping[str, Any] | ReferralInput]) -> None:
        chosen: dict[str, str] = {}
        for item in items:
            if isinstance(item, ReferralInput):
                chosen[item.target] = item.response
            elif isinstance(item, Mapping):
                chosen[str(item.get("target"))] = str(item.get("response", "pending"))
        for target, (box, response) in self._rows.items():
            box.setChecked(target in chosen)
            if not response.set_code(chosen.get(target, "pending")):
                response.set_code("pending")

    def has_tier3(self) -> bool:
        return any(vocab.REFERRAL_TARGETS.get(r.target).tier3 for r in self.referrals())

    def first_tier3_box(self) -> QCheckBox:
        return next(
            box for t, (box, _r) in self._rows.items() if vocab.REFERRAL_TARGETS.get(t).tier3
        )

    def row(self, target: str) -> tuple[QCheckBox, CodeCombo]:
        return self._rows[target]

    def focus_chain(self) -> list[QWidget]:
        return [w for pair in self._rows.values() for w in pair]


def _tinted(palette: QPalette) -> tuple[QColor, QColor]:
    """The panel's background (the window colour with a touch of amber) and its accent."""
    accent = warning_colour(palette, QPalette.ColorRole.Window)
    return blend(palette.color(QPalette.ColorRole.Window), accent, 0.14), accent


class EscalationPanel(QFrame):
    """Shown while a red flag is ticked: the local escalation contacts and the Tier 3 proposal."""

    referralRequested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("escalationPanel")
        self.setAccessibleName("Escalation contacts")
        layout = QVBoxLayout(self)
        title = QLabel("Escalate now — Tier 3")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        self.tier_note = help_label(
            "A red flag calls for the expedited referral network: the tier below is set to "
            "Tier 3. Change it back if that does not fit."
        )
        layout.addWidget(self.tier_note)
        self.contacts_label = help_label(rich=True)
        self.contacts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.contacts_label.setAccessibleName("Escalation contacts")
        layout.addWidget(self.contacts_label)
        suggestion = QHBoxLayout()
        targets = ", ".join(t.label.lower() for t in vocab.REFERRAL_TARGETS if t.tier3)
        self.suggestion = help_label(f"Consider a Tier 3 referral ({targets}).")
        self.referral_button = QPushButton("Choose a Tier 3 referral")
        self.referral_button.setAccessibleName("Choose a Tier 3 referral")
        self.referral_button.clicked.connect(self.referralRequested)
        suggestion.addWidget(self.suggestion, 1)
        suggestion.addWidget(self.referral_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(suggestion)
        self._restyle()

    def set_contacts(self, contacts: Sequence[Mapping[str, str]]) -> None:
        if not contacts:
            self.contacts_label.setText(
                "No escalation contacts are configured yet: add your local crisis line and "
                "referral network in Settings."
            )
            return
        lines = []
        for contact in contacts:
            name = html.escape(contact.get("name", ""))
            phone = html.escape(contact.get("phone", ""))
            note = html.escape(contact.get("note", ""))
            line = f"<b>{name}</b>" + (f" · {phone}" if phone else "")
            lines.append(line + (f"<br>{note}" if note else ""))
        self.contacts_label.setText("<p style='margin:0'>" + "</p><p>".join(lines) + "</p>")

    def set_referral_suggested(self, suggested: bool) -> None:
        self.suggestion.setVisible(suggested)
        self.referral_button.setVisible(suggested)

    def _restyle(self) -> None:
        tint, accent = _tinted(QGuiApplication.palette())
        self.setStyleSheet(
            f"QFrame#escalationPanel {{ background: {tint.name()};"
            f" border: 1px solid {accent.name()}; border-left: 4px solid {accent.name()};"
            " border-radius: 4px; }"
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            self._restyle()


class CollapsibleSection(QWidget):
    """A titled section whose body folds away; the header is a keyboard-reachable toggle."""

    def __init__(self, title: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.toggle = QToolButton()
        self.toggle.setText(title)
        self.toggle.setAccessibleName(title)
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.toggle.toggled.connect(self.set_expanded)
        # A frame like the group boxes around it, so the fields inside line up with theirs.
        self.body = QGroupBox()
        layout.addWidget(self.toggle)
        layout.addWidget(self.body)
        self.set_expanded(False)

    def set_expanded(self, expanded: bool) -> None:
        self.toggle.setChecked(expanded)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)

    def is_expanded(self) -> bool:
        return self.toggle.isChecked()


def scrolling_layout(dialog: QDialog, content: QWidget, buttons: QDialogButtonBox) -> QScrollArea:
    """Put the form in a scroll area with the buttons below it, always in view."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(content)
    outer = QVBoxLayout(dialog)
    outer.addWidget(scroll, 1)
    outer.addWidget(buttons)
    for button in buttons.buttons():
        button.setAccessibleName(button.text().replace("&", ""))
    return scroll


def fit_to_screen(
    dialog: QDialog, content: QWidget, buttons: QWidget, *, min_chars: int = 72
) -> None:
    """Open at the form's natural size, at least `min_chars` wide, never beyond the screen."""
    hint = content.sizeHint()
    outer = dialog.layout()
    margins = outer.contentsMargins()
    scrollbar = dialog.style().pixelMetric(dialog.style().PixelMetric.PM_ScrollBarExtent)
    # "n" is about as wide as an average letter in prose; averageCharWidth() runs narrow.
    width = max(hint.width(), content.fontMetrics().horizontalAdvance("n" * min_chars))
    width += margins.left() + margins.right() + scrollbar
    height = hint.height() + buttons.sizeHint().height() + outer.spacing()
    height += margins.top() + margins.bottom()
    available = screen_fit.available_size(dialog)
    width = min(width, int(available.width() * 0.9))
    height = min(height, int(available.height() * 0.9))
    dialog.resize(width, height)
