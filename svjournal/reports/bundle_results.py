"""What a bundle import says: its typed refusals and one result per file, with the lines the
CLI and the GUI print for each file and for the batch (counts only, no record content)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from svjournal.core.errors import ExportFileError
from svjournal.core.i18n import N_, ntr, tr

# A message (N_): said in the current language where a result is summed up.
RETIRED_NOTICE = N_(
    "the retired passphrase format, still read in this release: ask the supporter to join "
    "the team with its card"
)


class BundleUnreadable(ExportFileError):
    """The file could not be read at all (missing, a folder, no permission)."""


class BundleAhead(ExportFileError):
    """The bundle is dated more than a day ahead of this computer's clock."""


class BundleNotImported(ExportFileError):
    """Something unexpected went wrong with this one file (a bug); nothing was taken from it."""


class UnknownSupporter(ExportFileError):
    """The bundle is signed by a key this journal has not accepted yet."""

    def __init__(self, fingerprint: str) -> None:
        super().__init__(
            tr(
                "The bundle is signed by a supporter not accepted yet (fingerprint "
                "{fingerprint}): check the fingerprint with them, then accept it; nothing was "
                "imported."
            ).format(fingerprint=fingerprint)
        )
        self.fingerprint = fingerprint


class SupporterRevoked(ExportFileError):
    """The bundle is signed by the key of a supporter the coordinator removed."""

    def __init__(self, fingerprint: str) -> None:
        super().__init__(
            tr(
                "The bundle is signed by a removed supporter's revoked key ({fingerprint}); "
                "nothing was imported."
            ).format(fingerprint=fingerprint)
        )
        self.fingerprint = fingerprint


@dataclass(frozen=True)
class ImportedBundle:
    """What became of one file: an error, or how many records were written, kept or removed."""

    path: Path
    error: ExportFileError | None = None
    supporter_id: str = ""  # the author's fingerprint (or a retired-format supporter ID)
    first_month: str = ""
    last_month: str = ""
    created: datetime | None = None
    records: int = 0  # in the file
    written: int = 0  # inserted or updated
    skipped: int = 0  # left out: newer data of that supporter was already imported
    removed: int = 0  # deleted: the supporter no longer has them
    again: bool = False  # this very bundle had been imported before
    retired: bool = False  # the retired passphrase format
    accepted: bool = False  # its author was accepted with this import

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def outcome(self) -> str:
        """One of "imported", "nothing to add", "already imported", "refused" (a code;
        `OUTCOME_LABELS` says it)."""
        if self.error is not None:
            return "refused"
        if self.again:
            return "already imported"
        if self.written == 0 and self.removed == 0:
            return "nothing to add"
        return "imported"

    def summary(self) -> str:
        """One line for the CLI and the GUI (no record content, only counts), in the current
        language; the months are the bundle's own (YYYY-MM)."""
        if self.error is not None:
            # Translators: a bundle file that was not imported; {error} says why.
            return tr("refused: {error}").format(error=self.error)
        months = (
            self.first_month
            if self.first_month == self.last_month
            else tr("{first} to {last}").format(first=self.first_month, last=self.last_month)
        )
        # Translators: {fingerprint} is the supporter's key fingerprint, {months} one month
        # (2026-03) or a span of them.
        where = tr("supporter {fingerprint}, {months}").format(
            fingerprint=self.supporter_id, months=months
        )
        outcome = self.outcome
        if outcome == "already imported":
            line = tr("already imported ({where}); nothing changed").format(where=where)
        elif outcome == "nothing to add":
            why = (
                tr("the bundle holds no records")
                if self.records == 0
                else ntr(
                    "{n} record kept from a newer bundle",
                    "{n} records kept from a newer bundle",
                    self.skipped,
                ).format(n=self.skipped)
            )
            line = tr("nothing to add ({where}: {why})").format(where=where, why=why)
        else:
            line = ntr(
                "imported {n} record ({where})", "imported {n} records ({where})", self.written
            ).format(n=self.written, where=where)
            if self.skipped:
                # Translators: added to "imported 12 records (…)"; keep the leading comma.
                line += ntr(
                    ", {n} kept from a newer bundle", ", {n} kept from a newer bundle", self.skipped
                ).format(n=self.skipped)
            if self.removed:
                # Translators: added to "imported 12 records (…)"; keep the leading comma.
                line += ntr(
                    ", {n} removed (deleted by the supporter)",
                    ", {n} removed (deleted by the supporter)",
                    self.removed,
                ).format(n=self.removed)
        if self.retired:
            line = tr("{summary}; {notice}").format(summary=line, notice=tr(RETIRED_NOTICE))
        return line


OUTCOMES = ("imported", "nothing to add", "already imported", "refused")
# How each outcome is said in the batch's tally ("3 files: 2 imported, 1 refused").
OUTCOME_LABELS = {
    "imported": N_("imported"),
    "nothing to add": N_("nothing to add"),
    "already imported": N_("already imported"),
    "refused": N_("refused"),
}


def batch_summary(results: Sequence[ImportedBundle]) -> str:
    """The tally under the per-file lines: how many files ended each way."""
    counts = {name: 0 for name in OUTCOMES}
    for result in results:
        counts[result.outcome] += 1
    # Translators: one part of the batch's tally: "2 imported"; {outcome} is one of
    # "imported", "nothing to add", "already imported", "refused".
    parts = ", ".join(
        tr("{count} {outcome}").format(count=counts[name], outcome=tr(OUTCOME_LABELS[name]))
        for name in OUTCOMES
    )
    n = len(results)
    line = ntr("{n} file: {parts}", "{n} files: {parts}", n).format(n=n, parts=parts)
    if counts["refused"]:
        line += tr("; nothing was taken from the refused ones")
    return line + "."
