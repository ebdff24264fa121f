"""Form pieces the case and encounter editors share: labels, layouts, panels, and (from
`ui/choice_widgets.py`, imported here too) the coded combos and check lists."""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Mapping, Sequence

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
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
from svjournal.core.i18n import tr
from svjournal.ui import screen_fit
from svjournal.ui.choice_widgets import CheckGroup, Choice, CodeCombo, ReferralPicker, choices
from svjournal.ui.phi_highlighter import blend, warning_colour

__all__ = [
    "CheckGroup",
    "Choice",
    "CodeCombo",
    "CollapsibleSection",
    "EscalationPanel",
    "ReferralPicker",
    "ReservedLabel",
    "align_labels",
    "chain_tab_order",
    "choices",
    "fit_to_screen",
    "form_layout",
    "help_label",
    "labelled_row",
    "reveal",
    "scrolling_layout",
    "stacked",
    "wrapped_label",
]


def wrapped_label(text: str) -> QLabel:
    """A word-wrapped label; rich text when it starts with markup (ours, escaped)."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if text.startswith("<") else Qt.TextFormat.PlainText)
    return label


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
        label
        for form in forms
        for row in range(form.rowCount())
        if (item := form.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None
        and (label := item.widget()) is not None
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
        self.setAccessibleName(tr("Escalation contacts"))
        layout = QVBoxLayout(self)
        title = QLabel(tr("Escalate now — Tier 3"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        self.tier_note = help_label(
            tr(
                "A red flag calls for the expedited referral network: the tier below is set to "
                "Tier 3. Change it back if that does not fit."
            )
        )
        layout.addWidget(self.tier_note)
        self.contacts_label = help_label(rich=True)
        self.contacts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.contacts_label.setAccessibleName(tr("Escalation contacts"))
        layout.addWidget(self.contacts_label)
        suggestion = QHBoxLayout()
        # Labels as they are: lowercasing them is English only (German nouns keep capitals).
        targets = ", ".join(t.label for t in vocab.REFERRAL_TARGETS if t.tier3)
        # Translators: {targets} lists the Tier 3 referral targets, separated by commas.
        suggestion_text = tr("Consider a Tier 3 referral ({targets}).").format(targets=targets)
        self.suggestion = help_label(suggestion_text)
        self.referral_button = QPushButton(tr("Choose a Tier 3 referral"))
        self.referral_button.setAccessibleName(tr("Choose a Tier 3 referral"))
        self.referral_button.clicked.connect(self.referralRequested)
        suggestion.addWidget(self.suggestion, 1)
        suggestion.addWidget(self.referral_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(suggestion)
        self._restyle()

    def set_contacts(self, contacts: Sequence[Mapping[str, str]]) -> None:
        if not contacts:
            self.contacts_label.setText(
                tr(
                    "No escalation contacts are configured yet: add your local crisis line and "
                    "referral network in Settings."
                )
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
    assert outer is not None, "call it once the dialog has its layout"
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
