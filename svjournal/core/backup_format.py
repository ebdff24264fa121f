"""The backup file's format: its layout, the header and its MAC, and reading the header of a
file someone picked (with a word for the other svjournal files it may be instead).

Layout: the magic `SVJBACKUP\\n`, a 4-byte big-endian header length, a JSON header, then the
database part. Writing is in `core/backup.py`; the backups folder in `core/backup_folders.py`.
"""

from __future__ import annotations

import hmac
import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from svjournal.core import strict_json
from svjournal.core.db import PAGE_SIZE
from svjournal.core.errors import ExportFileError, FileDamaged, NotOurFile, SvJournalError
from svjournal.core.i18n import N_, tr

MAGIC = b"SVJBACKUP\n"
# 2: the header carries `header_mac`, an HMAC-SHA256 over the other fields under a key derived
# from the data key (HKDF), so a changed date or row count is damage. 1: no MAC (older
# backups, still read; their database part is verified against the counts as before).
FORMAT_VERSION = 2
_MAC_INFO = b"svjournal backup header v2"
SUFFIX = ".svjbackup"
RECORD_TABLES = ("cases", "encounters", "follow_ups")  # what "N records" counts
MAX_HEADER = 1_000_000
CHUNK = 1 << 20


def header_mac_key(data_key: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_MAC_INFO).derive(data_key)


def _signed_part(fields: dict[str, Any]) -> bytes:
    body = {k: v for k, v in fields.items() if k != "header_mac"}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def header_mac(mac_key: bytes, fields: dict[str, Any]) -> str:
    return hmac.new(mac_key, _signed_part(fields), "sha256").hexdigest()


# Other svjournal files someone may pick by mistake: named, so the error can say what it is.
_OTHER_KINDS = {
    b"SVJEXPORT\n": N_("This file is a personal export, not a backup."),
    b"SVJBUNDLE\n": N_("This file is a team bundle, not a backup."),
}


class BackupError(SvJournalError):
    """A backup could not be written (the copy failed its checks, the disk is full, ...)."""

    def __init__(self, reason: str) -> None:
        # Translators: {reason} says why, e.g. "the folder /media/usb is not available".
        super().__init__(tr("The backup could not be made: {reason}.").format(reason=reason))
        self.reason = reason


@dataclass(frozen=True)
class BackupHeader:
    created_at: str
    reason: str
    schema_revision: str | None
    key_file: bytes
    db_size: int
    db_sha256: str
    row_counts: dict[str, int] | None = None
    db_offset: int = 0  # where the database part starts in the file
    mac: str | None = None  # format 2: HMAC over `signed`
    signed: bytes = b""

    def authentic(self, data_key: bytes) -> bool:
        """Whether the header is as written under this data key (format 1: no MAC, so
        only what the database part proves — counts and checksum — is checked)."""
        if self.mac is None:
            return True
        want = hmac.new(header_mac_key(data_key), self.signed, "sha256").hexdigest()
        return hmac.compare_digest(want, self.mac)

    @property
    def records(self) -> int | None:
        """Cases + encounters + follow-ups, when the header lists them."""
        if self.row_counts is None:
            return None
        return sum(self.row_counts.get(table, 0) for table in RECORD_TABLES)

    @property
    def vault_id(self) -> str | None:
        try:
            return str(strict_json.loads(self.key_file)["vault_id"])
        except (ValueError, KeyError, TypeError):
            return None


def read_header(path: Path) -> BackupHeader:
    """The backup's public header; raises NotOurFile, FileDamaged or FileTooNew."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            start = handle.read(len(MAGIC) + 4)
            if not start.startswith(MAGIC):
                raise NotOurFile(_not_a_backup(start))
            if len(start) < len(MAGIC) + 4:
                raise FileDamaged(tr("The backup file is truncated."))
            (length,) = struct.unpack(">I", start[len(MAGIC) :])
            if length > MAX_HEADER:
                raise FileDamaged(tr("The backup file's header is damaged."))
            raw = handle.read(length)
    except FileNotFoundError:
        raise ExportFileError(tr("There is no file at {path}.").format(path=path)) from None
    except IsADirectoryError:
        raise NotOurFile(tr("{path} is a folder, not a backup file.").format(path=path)) from None
    except OSError as exc:
        raise ExportFileError(
            tr("{path} cannot be read ({reason}).").format(path=path, reason=exc.strerror or exc)
        ) from None
    if len(raw) < length:
        raise FileDamaged(tr("The backup file is truncated."))
    header = _parse_header(raw, len(MAGIC) + 4 + length)
    if size < header.db_offset + header.db_size:
        raise FileDamaged(tr("The backup file is truncated."))
    if size > header.db_offset + header.db_size:
        raise FileDamaged(tr("The backup file has bytes after its end; it was altered."))
    return header


def _not_a_backup(start: bytes) -> str:
    for magic, kind in _OTHER_KINDS.items():
        if start.startswith(magic):
            return tr(kind)
    return tr("This is not an svjournal backup file.")


def _parse_header(raw: bytes, db_offset: int) -> BackupHeader:
    data, version = strict_json.versioned_header(
        raw,
        FORMAT_VERSION,
        damaged=tr("The backup file's header is damaged."),
        too_new=tr("This backup was written by a newer svjournal; update the app first."),
    )
    try:
        counts = data.get("row_counts")
        if counts is not None:
            counts = {str(k): strict_json.small_int(v, 0, 10**12) for k, v in dict(counts).items()}
        revision = data.get("schema_revision")
        header = BackupHeader(
            created_at=str(data["created_at"]),
            reason=str(data["reason"]),
            schema_revision=None if revision is None else str(revision),
            key_file=str(data["key_file"]).encode("utf-8"),
            db_size=strict_json.small_int(data["db_size"], PAGE_SIZE, 1 << 44),
            db_sha256=str(data["db_sha256"]),
            row_counts=counts,
            db_offset=db_offset,
            mac=None if version < 2 else str(data["header_mac"]),
            signed=_signed_part(data),
        )
    except (ValueError, KeyError, TypeError, UnicodeError) as exc:
        raise FileDamaged(tr("The backup file's header is damaged.")) from exc
    if version < 1 or header.db_size < PAGE_SIZE or header.db_size % PAGE_SIZE:
        raise FileDamaged(tr("The backup file's header is damaged."))
    return header
