"""Typed errors raised by the core; the CLI and the GUI translate them into words once."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from svjournal.core.error_base import SvJournalError as SvJournalError
from svjournal.core.i18n import N_, tr

# --- vault -------------------------------------------------------------------------------


class VaultError(SvJournalError):
    """Something about the vault folder, its key file or its database."""


class VaultNotFound(VaultError):
    def __init__(self, path: Path) -> None:
        super().__init__(tr("No journal vault at {path}.").format(path=path))
        self.path = path


class VaultExists(VaultError):
    def __init__(self, path: Path) -> None:
        super().__init__(tr("A journal vault already exists at {path}.").format(path=path))
        self.path = path


class VaultDamaged(VaultError):
    """The database or key file is unreadable although the key is right (or missing)."""

    def __init__(self, path: Path, reason: str, newest_backup: Path | None = None) -> None:
        if newest_backup is not None:
            # Translators: {reason} says what is wrong, e.g. "the key file is missing".
            message = tr(
                "The journal at {path} is damaged: {reason}. The newest backup is {backup}."
            )
        else:
            # Translators: {reason} says what is wrong, e.g. "the key file is missing".
            message = tr(
                "The journal at {path} is damaged: {reason}. "
                "No backup was found in the vault's backups folder."
            )
        super().__init__(message.format(path=path, reason=reason, backup=newest_backup))
        self.path = path
        self.reason = reason
        self.newest_backup = newest_backup


class VaultInUse(VaultError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            tr("The journal at {path} is already open in another svjournal window.").format(
                path=path
            )
        )
        self.path = path


class VaultLocked(VaultError):
    def __init__(self) -> None:
        super().__init__(tr("The journal is locked; unlock it first."))


class WrongPassphrase(VaultError):
    def __init__(self) -> None:
        super().__init__(tr("That passphrase does not open this journal."))


class WrongRecoveryKey(VaultError):
    def __init__(self) -> None:
        super().__init__(tr("That recovery key does not open this journal."))


class WeakPassphrase(VaultError):
    def __init__(self, feedback: str) -> None:
        super().__init__(
            tr("That passphrase is too easy to guess. {advice}").format(advice=feedback).strip()
        )
        self.feedback = feedback


class MigrationFailed(VaultError):
    def __init__(self, reason: str, backup: Path | None) -> None:
        if backup:
            # Translators: {reason} names a technical error, e.g. "OperationalError".
            message = tr(
                "Upgrading the journal failed: {reason}. "
                "The journal was left as it was; a backup is at {backup}."
            )
        else:
            # Translators: {reason} names a technical error, e.g. "OperationalError".
            message = tr("Upgrading the journal failed: {reason}.")
        super().__init__(message.format(reason=reason, backup=backup))
        self.backup = backup


# What a newer svjournal wrote, by the word callers name it with (UnsupportedVersion).
_NEWER = {
    "journal": N_("This journal was written by a newer svjournal; update the app to open it."),
    "key file": N_("This key file was written by a newer svjournal; update the app to open it."),
    "": N_("This file was written by a newer svjournal; update the app to open it."),
}


class UnsupportedVersion(VaultError):
    def __init__(self, what: str) -> None:
        message = _NEWER.get(what, _NEWER[""])
        super().__init__(tr(message))
        self.what = what


# --- keyring -----------------------------------------------------------------------------


class KeyringUnavailable(SvJournalError):
    """No usable OS keyring on this machine (headless Linux, no backend, plaintext-only)."""

    def __init__(self, detail: str = "") -> None:
        if detail:
            # Translators: {detail} says why, e.g. "the keyring is locked", or names an error.
            message = tr("No secure system keyring is available on this workstation: {detail}.")
        else:
            message = tr("No secure system keyring is available on this workstation.")
        super().__init__(message.format(detail=detail))


class KeyringFailed(SvJournalError):
    """The keyring exists but refused, is locked, or holds a key that does not fit."""

    def __init__(self, detail: str) -> None:
        # Translators: {detail} says why, e.g. "the keyring is locked".
        super().__init__(
            tr("The system keyring could not be used: {detail}.").format(detail=detail)
        )


# --- journal service ---------------------------------------------------------------------


class JournalError(SvJournalError):
    """A request to the journal service that cannot be carried out."""


class ValidationError(JournalError):
    """Bad input at the service's edge; `field` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    @property
    def problems(self) -> tuple[ValidationError, ...]:
        """Every problem found in the input, in form order (here: this one)."""
        return (self,)


class InvalidInput(ValidationError):
    """Several problems in one input, all found in one pass, in the order a form shows them.

    A ValidationError itself (naming the first problem), so callers that handle one problem
    keep working; a form reads `problems` to mark every field at once.
    """

    def __init__(self, problems: Sequence[ValidationError]) -> None:
        found = tuple(p for problem in problems for p in problem.problems)
        if len(found) < 2:
            raise ValueError("InvalidInput needs two problems or more; raise the one instead.")
        super().__init__(found[0].field, found[0].message)
        self.args = ("; ".join(str(p) for p in found),)
        self._problems = found

    @property
    def problems(self) -> tuple[ValidationError, ...]:
        return self._problems


# Which record was not found, by its kind (RecordNotFound): each a whole sentence.
_NOT_FOUND = {
    "case": N_("No case with id {record_id}."),
    "encounter": N_("No encounter with id {record_id}."),
    "followup": N_("No follow-up with id {record_id}."),
    "supporter": N_("No supporter with id {record_id}."),
    "": N_("No record with id {record_id}."),
}


class RecordNotFound(JournalError):
    def __init__(self, kind: str, record_id: str) -> None:
        message = _NOT_FOUND.get(kind, _NOT_FOUND[""])
        super().__init__(tr(message).format(record_id=record_id))
        self.kind = kind
        self.record_id = record_id


class InvalidState(JournalError):
    """The record exists but is not in a state that allows the request."""


# --- export files (backups, personal exports, team bundles) -------------------------------


class ExportFileError(SvJournalError):
    """A file svjournal wrote earlier (backup, export, bundle) cannot be used as asked."""


class NotOurFile(ExportFileError):
    """The file is not the kind of svjournal file that was expected (foreign or wrong kind)."""


class FileDamaged(ExportFileError):
    """The file is of the right kind but truncated or altered; nothing was taken from it."""


class WrongFilePassphrase(ExportFileError):
    """The passphrase (or key) does not open this file."""


class FileTooNew(ExportFileError):
    """The file was written by a newer svjournal whose format this version cannot read."""


# --- IT policy -----------------------------------------------------------------------------


class PolicyRefused(SvJournalError):
    """The administrator's policy (or portable use) does not allow what was asked."""
