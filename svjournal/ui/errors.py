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
from svjournal.core.i18n import N_, tr

log = logging.getLogger(__name__)

FIELD_LABELS = {
    "alias": N_("Pseudonym"),
    "occurred_at": N_("Date and time"),
    "duration_minutes": N_("Duration"),
    "group_size": N_("Head count"),
    "referred_on": N_("Referral date"),
    "event_date": N_("Event date"),
    "due_on": N_("Due date"),
    "note": N_("Note"),
    "outcome": N_("Outcome"),
    "stage": N_("Stage"),
}

_TITLES: list[tuple[type[BaseException], str]] = [
    (WrongPassphrase, N_("Wrong passphrase")),
    (WrongRecoveryKey, N_("Wrong recovery key")),
    (WeakPassphrase, N_("Passphrase too weak")),
    (VaultDamaged, N_("The journal is damaged")),
    (VaultInUse, N_("Journal already open")),
    (VaultNotFound, N_("No journal found")),
    (VaultExists, N_("A journal already exists")),
    (VaultLocked, N_("The journal is locked")),
    (MigrationFailed, N_("Upgrade failed")),
    (UnsupportedVersion, N_("Newer journal")),
    (KeyringUnavailable, N_("No system keyring")),
    (KeyringFailed, N_("Keyring problem")),
    (ValidationError, N_("Please check this entry")),
    (RecordNotFound, N_("Not found")),
    (InvalidState, N_("Not possible right now")),
    (WrongFilePassphrase, N_("Wrong passphrase for this file")),
    (NotOurFile, N_("Not the expected file")),
    (FileDamaged, N_("The file is damaged")),
    (FileTooNew, N_("Made by a newer svjournal")),
    (ExportFileError, N_("File problem")),
    (BackupError, N_("Backup failed")),
]


def describe(exc: BaseException) -> tuple[str, str]:
    """(title, message) for an error; messages never contain journal text beyond the field."""
    if isinstance(exc, ValidationError):
        known = FIELD_LABELS.get(exc.field)
        label = tr(known) if known else exc.field.replace("_", " ").capitalize()
        # Translators: a problem with an entry; {field} is the field's name, {problem} the problem.
        message = tr("{field}: {problem}").format(field=label, problem=exc.message)
        return tr("Please check this entry"), message
    if isinstance(exc, KeyringFailed):
        # Translators: {error} is the keyring's problem, already a sentence.
        message = tr("{error} Your passphrase still opens the journal; nothing in it has changed.")
        return tr("Keyring problem"), message.format(error=exc)
    for kind, title in _TITLES:
        if isinstance(exc, kind):
            return tr(title), str(exc)
    if isinstance(exc, SvJournalError):
        return tr("Something went wrong"), str(exc)
    if isinstance(exc, OSError):  # a folder that vanished, a full disk, no permission
        reason = exc.strerror or type(exc).__name__  # the system's words, in its language
        if exc.filename:
            # Translators: {error} is the system's reason ("No space left on device").
            message = tr("{error} ({file}).").format(error=reason, file=exc.filename)
        else:
            # Translators: {error} is the system's reason, ended as a sentence.
            message = tr("{error}.").format(error=reason)
        return tr("File problem"), message
    log.error("unexpected error: %s", type(exc).__name__)
    # Translators: {kind} is the programmer's name of the error (e.g. KeyError); keep it as is.
    message = tr("Something unexpected went wrong. Your saved entries are safe. ({kind})")
    return tr("Unexpected error"), message.format(kind=type(exc).__name__)


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
