"""Choosing a secret: the one pair of fields, meter and rule every such dialog uses.

The journal's passphrase (first run, change, reset with the recovery key) and the personal
export's passphrase are chosen the same way: typed twice, with the strength meter between,
and the same reasons, in the same order, for why it is not good enough yet. The verdict is
the core's (`core.passphrase.assess`, which `require_strong` applies again when the secret
is used), so no dialog can accept what the core would refuse.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFormLayout, QWidget

from svjournal.ui.passphrase_widgets import PassphraseField, PassphraseStrengthMeter


class NewPassphrase(QObject):
    """Two fields and a meter; `reason()` says what is missing, "" when the secret will do."""

    changed = Signal()  # typing, or the meter's verdict arriving

    def __init__(self, noun: str, parent: QWidget) -> None:
        """`noun` names the secret in the reasons: "passphrase", "new passphrase", …"""
        super().__init__(parent)
        self.noun = noun
        # No parent yet: the widgets join the dialog's Tab chain where `add_rows` places them.
        self.first = PassphraseField(noun.capitalize())
        self.repeat = PassphraseField(f"Repeat {noun}")
        self.meter = PassphraseStrengthMeter()
        self.first.textChanged.connect(self.meter.set_passphrase)
        for signal in (self.first.textChanged, self.repeat.textChanged, self.meter.assessed):
            signal.connect(lambda *_args: self.changed.emit())

    def add_rows(self, form: QFormLayout, label: str, repeat_label: str) -> None:
        """The field, the meter under it, then the repeat field (each dialog's own labels)."""
        form.addRow(label, self.first)
        form.addRow("", self.meter)
        form.addRow(repeat_label, self.repeat)
        self.chain_tab_order()

    def chain_tab_order(self, *, waited: bool = False) -> None:
        """Tab: field, its show/hide button, the repeat field, its button (reading order)."""
        if not all(shiboken6.isValid(w) for w in (self.first.edit, self.repeat.edit)):
            return  # the dialog closed before its form was placed
        if self.first.edit.window() is not self.repeat.edit.window():
            # The form is not in its dialog yet (Qt warns and ignores the order): once it is,
            # on the next turn of the event loop, unless the fields are gone by then.
            if not waited:
                QTimer.singleShot(0, self.first.edit, lambda: self.chain_tab_order(waited=True))
            return
        QWidget.setTabOrder(self.first.edit, self.first.toggle)
        QWidget.setTabOrder(self.first.toggle, self.repeat.edit)
        QWidget.setTabOrder(self.repeat.edit, self.repeat.toggle)

    def text(self) -> str:
        return self.first.text()

    def reason(self, *, settle: bool = False) -> str:
        """Why the secret cannot be used yet; "" when it can. `settle` waits for the meter
        (before acting on it); otherwise a pending estimate reads "Checking…"."""
        text, again = self.first.text(), self.repeat.text()
        if not text:
            return f"Choose a {self.noun} to continue."
        strength = self.meter.flush() if settle else self.meter.strength
        if strength is None:
            return f"Checking the {self.noun}…"
        if not strength.acceptable:
            return f"The {self.noun} is not strong enough yet; see the advice above."
        if not again:
            return f"Type the {self.noun} again to confirm it."
        if again != text:
            return f"The two {plural(self.noun)} do not match."
        return ""

    def clear(self) -> None:
        """Empty both fields and the meter (after use, and when the dialog closes)."""
        self.first.clear()
        self.repeat.clear()
        self.meter.clear()


def plural(noun: str) -> str:
    return noun + "s"
