"""Typed errors raised by the core; the CLI and the GUI translate them into words once."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class SvJournalError(Exception):
    """Base of every error the core raises on purpose."""


# --- vault -------------------------------------------------------------------------------


class VaultError(SvJournalError):
    """Something about the vault folder, its key file or its database."""


class VaultNotFound(VaultError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"No journal vault at {path}.")
        self.path = path


class VaultExists(VaultError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"A journal vault already exists at {path}.")
        self.path = path


class VaultDamaged(VaultError):
    """The database or key file is unreadable although the key is right (or missing)."""

    def __init__(self, path: Path, reason: str, newest_backup: Path | None = None) -> None:
        message = f"The journal at {path} is damaged: {reason}."
        if newest_backup is not None:
            message += f" The newest backup is {newest_backup}."
        else:
            message += " No backup was found in the vault's backups folder."
        super().__init__(message)
        self.path = path
        self.reason = reason
        self.newest_backup = newest_backup


class VaultInUse(VaultError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"The journal at {path} is already open in another svjournal window.")
        self.path = path


class VaultLocked(VaultError):
    def __init__(self) -> None:
        super().__init__("The journal is locked; unlock it first.")


class WrongPassphrase(VaultError):
    def __init__(self) -> None:
        super().__init__("That passphrase does not open this journal.")


class WrongRecoveryKey(VaultError):
    def __init__(self) -> None:
        super().__init__("That recovery key does not open this journal.")


class WeakPassphrase(VaultError):
    def __init__(self, feedback: str) -> None:
        super().__init__(f"That passphrase is too easy to guess. {feedback}".strip())
        self.feedback = feedback


class MigrationFailed(VaultError):
    def __init__(self, reason: str, backup: Path | None) -> None:
        where = f" The journal was left as it was; a backup is at {backup}." if backup else ""
        super().__init__(f"Upgrading the journal failed: {reason}.{where}")
        self.backup = backup


class UnsupportedVersion(VaultError):
    def __init__(self, what: str) -> None:
        super().__init__(
            f"This {what} was written by a newer svjournal; update the app to open it."
        )


# --- keyring -----------------------------------------------------------------------------


class KeyringUnavailable(SvJournalError):
    """No usable OS keyring on this machine (headless Linux, no backend, plaintext-only)."""

    def __init__(self, detail: str = "") -> None:
        text = "No secure system keyring is available on this workstation"
        super().__init__(f"{text}: {detail}." if detail else f"{text}.")


class KeyringFailed(SvJournalError):
    """The keyring exists but refused, is locked, or holds a key that does not fit."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"The system keyring could not be used: {detail}.")


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


class RecordNotFound(JournalError):
    def __init__(self, kind: str, record_id: str) -> None:
        super().__init__(f"No {kind} with id {record_id}.")
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
