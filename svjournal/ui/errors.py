"""Typed core errors turned into words, once, for every window and dialog."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from svjournal.core.backup import BackupError
from svjournal.core.errors import (
    ExportFileError,
    FileDamaged,
    FileTooNew,
    InvalidState,
    KeyringFailed,
    KeyringUnavailable,
    MigrationFailed,
    NotOurFile,
    RecordNotFound,
    SvJournalError,
    UnsupportedVersion,
    ValidationError,
    VaultDamaged,
    VaultExists,
    VaultInUse,
    VaultLocked,
    VaultNotFound,
    WeakPassphrase,
    WrongFilePassphrase,
    WrongPassphrase,
    WrongRecoveryKey,
)

log = logging.getLogger(__name__)

FIELD_LABELS = {
    "alias": "Pseudonym",
    "occurred_at": "Date and time",
    "duration_minutes": "Duration",
    "group_size": "Head count",
    "referred_on": "Referral date",
    "event_date": "Event date",
    "due_on": "Due date",
    "note": "Note",
    "outcome": "Outcome",
    "stage": "Stage",
}

_TITLES: list[tuple[type[BaseException], str]] = [
    (WrongPassphrase, "Wrong passphrase"),
    (WrongRecoveryKey, "Wrong recovery key"),
    (WeakPassphrase, "Passphrase too weak"),
    (VaultDamaged, "The journal is damaged"),
    (VaultInUse, "Journal already open"),
    (VaultNotFound, "No journal found"),
    (VaultExists, "A journal already exists"),
    (VaultLocked, "The journal is locked"),
    (MigrationFailed, "Upgrade failed"),
    (UnsupportedVersion, "Newer journal"),
    (KeyringUnavailable, "No system keyring"),
    (KeyringFailed, "Keyring problem"),
    (ValidationError, "Please check this entry"),
    (RecordNotFound, "Not found"),
    (InvalidState, "Not possible right now"),
    (WrongFilePassphrase, "Wrong passphrase for this file"),
    (NotOurFile, "Not the expected file"),
    (FileDamaged, "The file is damaged"),
    (FileTooNew, "Made by a newer svjournal"),
    (ExportFileError, "File problem"),
    (BackupError, "Backup failed"),
]


def describe(exc: BaseException) -> tuple[str, str]:
    """(title, message) for an error; messages never contain journal text beyond the field."""
    if isinstance(exc, ValidationError):
        label = FIELD_LABELS.get(exc.field, exc.field.replace("_", " ").capitalize())
        return "Please check this entry", f"{label}: {exc.message}"
    if isinstance(exc, KeyringFailed):
        return "Keyring problem", (
            f"{exc} Your passphrase still opens the journal; nothing in it has changed."
        )
    for kind, title in _TITLES:
        if isinstance(exc, kind):
            return title, str(exc)
    if isinstance(exc, SvJournalError):
        return "Something went wrong", str(exc)
    if isinstance(exc, OSError):  # a folder that vanished, a full disk, no permission
        where = f" ({exc.filename})" if exc.filename else ""
        return "File problem", f"{exc.strerror or type(exc).__name__}{where}."
    log.error("unexpected error: %s", type(exc).__name__)
    return "Unexpected error", (
        f"Something unexpected went wrong. Your saved entries are safe. ({type(exc).__name__})"
    )


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """The error in words; an unexpected one (a bug) gets the crash dialog instead."""
    from svjournal.ui import crash_dialog

    if not crash_dialog.is_expected(exc):
        crash_dialog.report(exc, parent)
        return
    title, message = describe(exc)
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent
    )
    box.setAccessibleName(title)
    box.exec()
