"""The Settings page's own fields: departments typed one a line, the prompt for escalation
contacts, a text box that grows with its lines, a labelled spin box."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from svjournal.core.i18n import N_, tr


def spin_box(name: str, low: int, high: int, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    spin.setAccessibleName(name)
    return spin


def departments_to_text(departments: list[dict[str, str]]) -> str:
    return "\n".join(d["label"] for d in departments)


def departments_from_text(text: str, existing: list[dict[str, str]]) -> list[dict[str, str]]:
    """One label a line; known labels keep their codes, new ones get a code made from the label."""
    by_label = {d["label"]: d["code"] for d in existing}
    result: list[dict[str, str]] = []
    used: set[str] = set()
    for line in text.splitlines():
        label = line.strip()
        if not label:
            continue
        code = by_label.get(label) or re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40]
        code = code or "department"
        base, n = code, 2
        while code in used:
            code, n = f"{base}_{n}", n + 1
        used.add(code)
        result.append({"code": code, "label": label})
    return result


CONTACTS_PROMPT = N_(
    "Add the escalation contacts for where you work: the local crisis line, the on-call or "
    "occupational health number, your program lead. They are shown whenever a red flag is "
    "ticked, and no number is assumed for your country."
)


class ContactsPrompt(QFrame):
    """Asks for the local escalation contacts until they are saved; a button goes to them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactsPrompt")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(tr("Escalation contacts needed"))
        self.text = QLabel(tr(CONTACTS_PROMPT))
        self.text.setWordWrap(True)
        self.button = QPushButton(tr("E&nter contacts"))
        self.button.setAccessibleName(tr("Enter escalation contacts"))
        row = QHBoxLayout(self)
        row.addWidget(self.text, 1)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)


def grow_with_lines(edit: QPlainTextEdit, minimum_lines: int) -> None:
    """Keep `edit` exactly as tall as its text (at least `minimum_lines`), never scrolling."""
    edit.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def fit() -> None:
        lines = max(minimum_lines, int(edit.document().size().height()) + 1)
        margins = edit.contentsMargins()
        frame = 2 * edit.frameWidth() + margins.top() + margins.bottom()
        document = 2 * int(edit.document().documentMargin())
        edit.setFixedHeight(lines * edit.fontMetrics().lineSpacing() + frame + document)

    edit.document().documentLayout().documentSizeChanged.connect(lambda _size: fit())
    fit()
