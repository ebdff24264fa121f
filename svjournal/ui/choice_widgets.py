"""The editors' choice widgets: a combo box of coded terms, a check list of terms, and the
referral picker (a target, and whether the person accepted, declined or not yet)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QSizePolicy, QWidget

from svjournal.core import vocab
from svjournal.core.i18n import tr
from svjournal.core.inputs import ReferralInput
from svjournal.core.vocab import Term

Choice = tuple[Any, str, str]  # code, label, tooltip


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
            # Translators: {target} is a referral target of the expedited (Tier 3) network.
            tier3 = tr("{target} (Tier 3)")
            text = tier3.format(target=term.label) if term.tier3 else term.label
            box = QCheckBox(text)
            box.setAccessibleName(tr("Referral: {target}").format(target=text))
            # Translators: the accessible name of the combo box beside a referral target.
            response_name = tr("Response to the {target} referral").format(target=term.label)
            response = CodeCombo(choices(vocab.REFERRAL_RESPONSES), response_name)
            # As wide as its longest answer in this language, never cut ("Noch nicht bekannt").
            longest = max(len(label) for _code, label, _tip in choices(vocab.REFERRAL_RESPONSES))
            response.setMinimumContentsLength(max(10, longest))
            response.setEnabled(False)
            box.toggled.connect(response.setEnabled)
            box.toggled.connect(self.changed)
            response.currentIndexChanged.connect(self.changed)
            grid.addWidget(box, row, 0)
            grid.addWidget(response, row, 1)
            self._rows[term.code] = (box, response)
        self.setAccessibleName(tr("Referrals"))

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
