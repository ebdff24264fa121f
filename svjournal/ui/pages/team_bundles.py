"""The Team view's bundle flows: importing (with new supporters accepted once) and exporting.

A mixin of `TeamPage` (kept apart to keep each file to one purpose): it uses the page's
session, runner, `today`, and its `_busy` / `_idle` / `_tell` / `_failed` / `_team_changed`.
Opening files, importing and exporting run on the page's worker; questions (a new
supporter's fingerprint, the retired format's passphrase) are asked on the GUI thread
between those steps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from svjournal.core.errors import ExportFileError
from svjournal.core.i18n import ntr, tr
from svjournal.core.stats_model import Period
from svjournal.operations import OpResult
from svjournal.operations import team as team_ops
from svjournal.ui import errors
from svjournal.ui.background import BackgroundRunner
from svjournal.ui.dialogs import confirm
from svjournal.ui.file_dialogs import ask_open_paths, ask_save_path
from svjournal.ui.session import JournalSession

if TYPE_CHECKING:
    from svjournal.reports.bundle import ExportedBundle, ImportedBundle


def bundle_filter() -> str:
    """The file dialog's filter: team bundles, or any file."""
    return ";;".join((tr("Team bundles (*.svjbundle)"), tr("All files (*)")))


class BundleFlows(QWidget):
    session: JournalSession
    runner: BackgroundRunner
    today: Callable[[], date]

    def _busy(self, text: str) -> None:
        raise NotImplementedError

    def _idle(self) -> None:
        raise NotImplementedError

    def _tell(self, title: str, text: str, icon: QMessageBox.Icon) -> None:
        raise NotImplementedError

    def _failed(self, exc: BaseException) -> None:
        raise NotImplementedError

    def _team_changed(self) -> None:
        raise NotImplementedError

    # --- importing ---------------------------------------------------------------------------

    def ask_files(self) -> list[str]:
        chosen = ask_open_paths(self, tr("Import team bundles"), bundle_filter())
        return [str(p) for p in chosen]

    def ask_team_passphrase(self, count: int) -> str | None:
        """The old team passphrase, for bundles of the retired format only."""
        from svjournal.ui.team_dialogs import TeamPassphraseDialog

        dialog = TeamPassphraseDialog(count, self)
        if dialog.exec() != TeamPassphraseDialog.DialogCode.Accepted:
            return None
        secret = dialog.passphrase()
        dialog.field.clear()
        return secret

    def confirm_author(self, file_name: str, fingerprint: str) -> bool:
        """Asked once per new supporter: accept the fingerprint they read out?"""
        return confirm(
            self,
            tr("New supporter"),
            tr(
                "{file} is signed by a supporter not accepted yet. Their fingerprint:\n\n"
                "{fingerprint}\n\nAccept only if they read you this same fingerprint (it is in "
                "their Team view). From then on only bundles signed by them count as theirs."
            ).format(file=file_name, fingerprint=fingerprint),
            tr("Accept"),
        )

    def import_bundles(self) -> None:
        paths = [Path(p) for p in self.ask_files()]
        if not paths:
            return
        vault = self.session.vault
        retired = sum(_is_retired(p) for p in paths)
        secret = self.ask_team_passphrase(retired) if retired else None
        if retired and not secret:
            return
        self._busy(ntr("Opening {n} file…", "Opening {n} files…", len(paths)).format(n=len(paths)))
        self.runner.submit(
            lambda: team_ops.new_authors(vault, paths),
            lambda found: self._accept_then_import(paths, found, secret),
            self._failed,
        )

    def _accept_then_import(
        self, paths: list[Path], found: list[tuple[Path, str]], secret: str | None
    ) -> None:
        accepted: set[str] = set()
        asked: set[str] = set()
        for path, fingerprint in found:
            if fingerprint not in asked:
                asked.add(fingerprint)
                if self.confirm_author(path.name, fingerprint):
                    accepted.add(fingerprint)
        self.import_files(paths, accept=accepted, legacy_passphrase=secret)

    def import_files(
        self,
        paths: Sequence[Path],
        *,
        accept: Sequence[str] | set[str] = (),
        legacy_passphrase: str | None = None,
    ) -> None:
        """Import on a worker thread; the summary appears when done."""
        vault = self.session.vault
        chosen = set(accept)
        self._busy(
            ntr("Importing {n} file…", "Importing {n} files…", len(paths)).format(n=len(paths))
        )
        self.runner.submit(
            lambda: team_ops.import_bundles(
                vault, list(paths), accept=chosen, legacy_passphrase=legacy_passphrase
            ),
            self._imported,
            self._failed,
        )

    def _imported(self, imported: OpResult[list[ImportedBundle]]) -> None:
        """A line per file, in the order chosen (imported / nothing to add / already imported /
        refused: why), then the tally."""
        from svjournal.reports.bundle import batch_summary

        self._idle()
        if imported.changes.team_data:
            self._team_changed()
        results = imported.value
        done = sum(r.ok for r in results)
        lines = []
        for result in results:
            if result.error is None:
                # Translators: a file imported, and what it added.
                line = tr("✔ {file}: {summary}")
                lines.append(line.format(file=result.path.name, summary=result.summary()))
            else:
                title, message = errors.describe(result.error)
                # Translators: a file refused; {title} and {message} say why.
                line = tr("✘ {file}: refused: {title}. {message}")
                lines.append(line.format(file=result.path.name, title=title, message=message))
        if len(results) > 1:
            lines.append(batch_summary(results))
        total = len(results)
        # Translators: {done} of the {total} bundles chosen were imported.
        title = ntr(
            "{done} of {total} bundle imported", "{done} of {total} bundles imported", total
        ).format(done=done, total=total)
        icon = QMessageBox.Icon.Information if done == len(results) else QMessageBox.Icon.Warning
        self._tell(title, "\n\n".join(lines), icon)

    # --- exporting ---------------------------------------------------------------------------

    def export_bundle(self) -> None:
        from svjournal.core import team_keys
        from svjournal.reports.bundle import default_file_name
        from svjournal.ui.team_dialogs import ExportBundleDialog

        card = team_ops.joined_team(self.session.vault)
        if card is None:
            errors.show_error(
                self,
                team_keys.NoTeam(
                    tr(
                        "This journal has not joined a team yet: ask your coordinator for the "
                        "team card, and use “Join a team…” above."
                    )
                ),
            )
            return
        has_team = team_ops.team_status(self.session.vault).own is not None
        dialog = ExportBundleDialog(self.today(), self, card=card, can_merge=has_team)
        if dialog.exec() != ExportBundleDialog.DialogCode.Accepted:
            return
        period, merged = dialog.period(), dialog.merged()
        path = ask_save_path(
            self, tr("Save team bundle"), default_file_name(period), bundle_filter()
        )
        if path is not None:
            self.export_to(path, period, merged=merged)

    def export_to(self, path: Path, period: Period, *, merged: bool = False) -> None:
        """Export on a worker thread (owner-only, atomic, logged); a note appears when done."""
        from svjournal.reports.bundle import SUFFIX

        if not path.suffix:
            path = path.with_suffix(SUFFIX)
        vault, journal = self.session.vault, self.session.journal

        def work() -> ExportedBundle:
            try:
                return team_ops.export_bundle(vault, journal, period, path, merged=merged).value
            except OSError as exc:
                # Translators: {file} could not be written; {reason} is the system's reason.
                message = tr("Cannot write {file}: {reason}.")
                reason = exc.strerror or exc
                raise ExportFileError(message.format(file=path.name, reason=reason)) from None

        self._busy(tr("Exporting your bundle…"))
        self.runner.submit(work, self._exported, self._failed)

    def _exported(self, result: ExportedBundle) -> None:
        self._idle()
        # Translators: the counts of a saved bundle: "3 cases, 12 encounters, 4 follow-ups".
        counts = tr("{cases}, {encounters}, {follow_ups}").format(
            cases=ntr("{n} case", "{n} cases", result.cases).format(n=result.cases),
            encounters=ntr("{n} encounter", "{n} encounters", result.encounters).format(
                n=result.encounters
            ),
            follow_ups=ntr("{n} follow-up", "{n} follow-ups", result.follow_ups).format(
                n=result.follow_ups
            ),
        )
        self._tell(
            tr("Bundle saved"),
            # Translators: {months} are the months the bundle covers ("Jul to Sep 2026");
            # {team} and {team_fingerprint} name the team, {fingerprint} is the supporter's own.
            tr(
                "Saved {file}: {counts}, {months} (months, no days).\n\n"
                "Only the coordinator of {team} ({team_fingerprint}) can open it. It is signed "
                "by you: {fingerprint}."
            ).format(
                file=result.path.name,
                counts=counts,
                months=result.months_text,
                team=result.team.name,
                team_fingerprint=result.team.fingerprint,
                fingerprint=result.fingerprint,
            ),
            QMessageBox.Icon.Information,
        )


def _is_retired(path: Path) -> bool:
    """A bundle of the retired passphrase format (which needs the old team passphrase)."""
    from svjournal.reports.legacy import MAGIC

    try:
        with path.open("rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False
