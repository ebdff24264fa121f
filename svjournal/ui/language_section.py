"""Settings › Language: the window's language on this workstation (ui/language.py keeps it).

Applied the moment it is picked, with no Save: it is not a setting of the journal (the
lock screen speaks it too), and seeing the page change is the confirmation.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QSizePolicy, QWidget

from svjournal.core import i18n
from svjournal.core.i18n import tr
from svjournal.ui import language
from svjournal.ui.pages.common import field_hint, hint


class LanguageSection(QGroupBox):
    """The language list; `language_chosen(code)` when a pick changes the language."""

    language_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Language"), parent)
        self.combo = QComboBox()
        self.combo.setAccessibleName(tr("Language of the window"))
        for code, name in language.options():
            self.combo.addItem(name, code)
        self.policy_note = hint("")
        # The list keeps its own width; the help lines under it take the row's (at their
        # size hint they wrapped into a column as narrow as the list).
        self.combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(tr("Lan&guage:"), self.combo)
        form.addRow(
            "",
            field_hint(
                tr(
                    "For this workstation, the lock screen included. A report can be "
                    "written in another language on the Reports page."
                )
            ),
        )
        form.addRow("", self.policy_note)
        self.refresh()
        self.combo.activated.connect(self._picked)

    def refresh(self) -> None:
        """Show the choice in force, greyed with a note when the IT policy sets it."""
        chosen = language.chosen()
        if chosen is None and i18n.explicitly_chosen():
            # Asked for at start (--lang, $SVJOURNAL_LANG): the list shows what the window
            # speaks, not "As the system" naming another language.
            chosen = i18n.current()
        index = self.combo.findData(chosen) if chosen in i18n.shipped() else 0
        self.combo.setCurrentIndex(max(0, index))
        ruled = language.policy_locks_language()
        self.combo.setEnabled(ruled is None)
        self.policy_note.setText(
            tr("Set by your organization's IT policy: {language}.").format(
                language=i18n.LANGUAGES.get(ruled, ruled)
            )
            if ruled
            else ""
        )
        self.policy_note.setVisible(ruled is not None)

    def _picked(self, index: int) -> None:
        choice = self.combo.itemData(index)
        language.remember(choice if isinstance(choice, str) else None)
        wanted = language.for_choice(choice if isinstance(choice, str) else None)
        if wanted != i18n.current():
            self.language_chosen.emit(wanted)
