"""What a bundle import says: its typed refusals and one result per file, with the lines the
CLI and the GUI print for each file and for the batch (counts only, no record content)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from svjournal.core.errors import ExportFileError

RETIRED_NOTICE = (
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
            f"The bundle is signed by a supporter not accepted yet (fingerprint {fingerprint}): "
            "check the fingerprint with them, then accept it; nothing was imported."
        )
        self.fingerprint = fingerprint


class SupporterRevoked(ExportFileError):
    """The bundle is signed by the key of a supporter the coordinator removed."""

    def __init__(self, fingerprint: str) -> None:
        super().__init__(
            f"The bundle is signed by a removed supporter's revoked key ({fingerprint}); "
            "nothing was imported."
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
        """One of "imported", "nothing to add", "already imported", "refused"."""
        if self.error is not None:
            return "refused"
        if self.again:
            return "already imported"
        if self.written == 0 and self.removed == 0:
            return "nothing to add"
        return "imported"

    def summary(self) -> str:
        """One line for the CLI and the GUI (no record content, only counts)."""
        if self.error is not None:
            return f"refused: {self.error}"
        months = (
            self.first_month
            if self.first_month == self.last_month
            else f"{self.first_month} to {self.last_month}"
        )
        where = f"supporter {self.supporter_id}, {months}"
        outcome = self.outcome
        if outcome == "already imported":
            line = f"already imported ({where}); nothing changed"
        elif outcome == "nothing to add":
            why = (
                "the bundle holds no records"
                if self.records == 0
                else f"{self.skipped} records kept from a newer bundle"
            )
            line = f"nothing to add ({where}: {why})"
        else:
            line = f"imported {self.written} records ({where})"
            if self.skipped:
                line += f", {self.skipped} kept from a newer bundle"
            if self.removed:
                line += f", {self.removed} removed (deleted by the supporter)"
        if self.retired:
            line += f"; {RETIRED_NOTICE}"
        return line


OUTCOMES = ("imported", "nothing to add", "already imported", "refused")


def batch_summary(results: Sequence[ImportedBundle]) -> str:
    """The tally under the per-file lines: how many files ended each way."""
    counts = {name: 0 for name in OUTCOMES}
    for result in results:
        counts[result.outcome] += 1
    files = "file" if len(results) == 1 else "files"
    parts = ", ".join(f"{counts[name]} {name}" for name in OUTCOMES)
    line = f"{len(results)} {files}: {parts}"
    if counts["refused"]:
        line += "; nothing was taken from the refused ones"
    return line + "."
