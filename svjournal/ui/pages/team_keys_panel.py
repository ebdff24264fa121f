"""The Team view's key panel: this journal's team card, the team it joined, its fingerprint.

Coordinators create a team here and save its card; supporters join a team from its card
after checking the fingerprint the coordinator reads out to them. Only public halves and
fingerprints are ever shown; private keys stay in the vault.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QInputDialog, QLabel, QWidget

from svjournal.core import team_keys
from svjournal.core.errors import SvJournalError
from svjournal.core.i18n import tr
from svjournal.operations import team as team_ops
from svjournal.ui import errors
from svjournal.ui.dialogs import confirm
from svjournal.ui.file_dialogs import ask_open_path, ask_save_path
from svjournal.ui.pages.common import action_button
from svjournal.ui.session import JournalSession


def card_filter() -> str:
    """The file dialog's filter: team cards, or any file."""
    cards = tr("Team cards (*{suffix})").format(suffix=team_keys.CARD_SUFFIX)
    return ";;".join((cards, tr("All files (*)")))


class TeamKeysPanel(QWidget):
    """Fingerprints to read out, and the create / save card / join buttons."""

    changed = Signal()  # a team was created or joined

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.own = QLabel("")
        self.joined = QLabel("")
        self.mine = QLabel("")
        for label in (self.own, self.joined, self.mine):
            label.setWordWrap(True)
            label.setTextInteractionFlags(label.textInteractionFlags() | _selectable())
        self.create_button = action_button(tr("Create team…"), self.create_team)
        self.card_button = action_button(tr("Save team card…"), self.save_card)
        self.join_button = action_button(tr("Join a team…"), self.join_team)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        # One row: the page's height belongs to the supporter list and the charts.
        for column, widget in enumerate(
            (self.own, self.create_button, self.card_button, self.joined, self.join_button)
        ):
            grid.addWidget(widget, 0, column)
        grid.addWidget(self.mine, 0, 5)
        # Said once, on every fingerprint: a full hint line would cost the page its height.
        for label in (self.own, self.joined, self.mine):
            label.setToolTip(
                tr(
                    "Read fingerprints out over the phone or in person: a card or bundle whose "
                    "fingerprint does not match what the other person reads was not theirs."
                )
            )
        for column in (0, 3, 5):
            grid.setColumnStretch(column, 1)

    def refresh(self) -> None:
        status = team_ops.team_status(self.session.vault)
        own, joined = status.own, status.joined
        if own is None:
            self.own.setText(tr("Your team: none yet."))
        else:
            # Translators: rich text: the team's name, then its fingerprint in bold below.
            text = tr("Your team {name}:<br><b>{fingerprint}</b>")
            self.own.setText(text.format(name=_escape(own.name), fingerprint=own.fingerprint))
        self.create_button.setVisible(own is None)
        self.card_button.setVisible(own is not None)
        if joined is None:
            self.joined.setText(tr("Sending to: no team joined yet."))
            self.mine.setText("")
        else:
            # Translators: rich text: the team the bundles go to, its fingerprint in bold below.
            text = tr("Sending to {name}:<br><b>{fingerprint}</b>")
            self.joined.setText(
                text.format(name=_escape(joined.name), fingerprint=joined.fingerprint)
            )
        if status.fingerprint is not None:
            # Translators: rich text: this journal's own fingerprint, in bold below.
            text = tr("You:<br><b>{fingerprint}</b>")
            self.mine.setText(text.format(fingerprint=status.fingerprint))
        self.join_button.setText(tr("Join another…") if joined else tr("Join a team…"))

    def clear(self) -> None:
        for label in (self.own, self.joined, self.mine):
            label.setText("")

    # --- actions -----------------------------------------------------------------------------

    def ask_team_name(self) -> str | None:
        name, ok = QInputDialog.getText(
            self, tr("Create team"), tr("The team's name (on its card):")
        )
        return name if ok else None

    def create_team(self) -> None:
        name = self.ask_team_name()
        if name is None:
            return
        try:
            team_ops.create_team(self.session.vault, name)
        except SvJournalError as exc:
            errors.show_error(self, exc)
            return
        self.refresh()
        self.changed.emit()

    def ask_card_path(self) -> Path | None:
        return ask_save_path(
            self, tr("Save team card"), f"team-card{team_keys.CARD_SUFFIX}", card_filter()
        )

    def save_card(self) -> None:
        path = self.ask_card_path()
        if path is None:
            return
        try:
            team_ops.write_card(self.session.vault, path)
        except OSError as exc:
            # Translators: {file} could not be written; {reason} is the system's reason.
            message = tr("Cannot write {file}: {reason}.").format(file=path.name, reason=exc)
            errors.show_error(self, team_keys.TeamError(message))
        except SvJournalError as exc:
            errors.show_error(self, exc)

    def ask_card_file(self) -> Path | None:
        return ask_open_path(self, tr("Join a team: open its card"), card_filter())

    def confirm_join(self, card: team_keys.TeamCard) -> bool:
        return confirm(
            self,
            tr("Join team"),
            tr(
                "Team card: {name}\n\nFingerprint: {fingerprint}\n\n"
                "Join only if your coordinator reads you this same fingerprint. Your bundles "
                "will then be readable by that team's coordinator only."
            ).format(name=card.name, fingerprint=card.fingerprint),
            tr("Join"),
        )

    def join_team(self) -> None:
        path = self.ask_card_file()
        if path is None:
            return
        try:
            card = team_keys.read_card_file(path)
        except SvJournalError as exc:
            errors.show_error(self, exc)
            return
        if not self.confirm_join(card):
            return
        team_ops.join_team(self.session.vault, card)
        self.refresh()
        self.changed.emit()


def _selectable() -> Qt.TextInteractionFlag:
    return Qt.TextInteractionFlag.TextSelectableByMouse


def _escape(text: str) -> str:
    import html

    return html.escape(text)
