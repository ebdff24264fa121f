"""Choosing a secret: the one pair of fields, meter and rule every such dialog uses.

The journal's passphrase (first run, change, reset with the recovery key) and the personal
export's passphrase are chosen the same way: typed twice, with the strength meter between,
and the same reasons, in the same order, for why it is not good enough yet. The verdict is
the core's (`core.passphrase.assess`, which `require_strong` applies again when the secret
is used), so no dialog can accept what the core would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFormLayout, QWidget

from svjournal.core.i18n import N_, tr
from svjournal.ui.passphrase_widgets import PassphraseField, PassphraseStrengthMeter


@dataclass(frozen=True)
class Wording:
    """Every sentence naming one kind of secret, whole (word order differs by language)."""

    field: str
    repeat_field: str
    missing: str
    checking: str
    weak: str
    unconfirmed: str
    mismatch: str


WORDING: dict[str, Wording] = {
    "passphrase": Wording(
        N_("Passphrase"),
        N_("Repeat passphrase"),
        N_("Choose a passphrase to continue."),
        N_("Checking the passphrase…"),
        N_("The passphrase is not strong enough yet; see the advice above."),
        N_("Type the passphrase again to confirm it."),
        N_("The two passphrases do not match."),
    ),
    "new passphrase": Wording(
        N_("New passphrase"),
        N_("Repeat new passphrase"),
        N_("Choose a new passphrase to continue."),
        N_("Checking the new passphrase…"),
        N_("The new passphrase is not strong enough yet; see the advice above."),
        N_("Type the new passphrase again to confirm it."),
        N_("The two new passphrases do not match."),
    ),
    "export passphrase": Wording(
        # Translators: the passphrase of a personal export file, not the journal's.
        N_("Export passphrase"),
        N_("Repeat export passphrase"),
        N_("Choose an export passphrase to continue."),
        N_("Checking the export passphrase…"),
        N_("The export passphrase is not strong enough yet; see the advice above."),
        N_("Type the export passphrase again to confirm it."),
        N_("The two export passphrases do not match."),
    ),
}


class NewPassphrase(QObject):
    """Two fields and a meter; `reason()` says what is missing, "" when the secret will do."""

    changed = Signal()  # typing, or the meter's verdict arriving

    def __init__(self, noun: str, parent: QWidget) -> None:
        """`noun` names the secret, a key of WORDING: "passphrase", "new passphrase", …"""
        super().__init__(parent)
        self.noun = noun
        self.wording = WORDING[noun]
        # No parent yet: the widgets join the dialog's Tab chain where `add_rows` places them.
        self.first = PassphraseField(tr(self.wording.field))
        self.repeat = PassphraseField(tr(self.wording.repeat_field))
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
            return tr(self.wording.missing)
        strength = self.meter.flush() if settle else self.meter.strength
        if strength is None:
            return tr(self.wording.checking)
        if not strength.acceptable:
            return tr(self.wording.weak)
        if not again:
            return tr(self.wording.unconfirmed)
        if again != text:
            return tr(self.wording.mismatch)
        return ""

    def clear(self) -> None:
        """Empty both fields and the meter (after use, and when the dialog closes)."""
        self.first.clear()
        self.repeat.clear()
        self.meter.clear()
