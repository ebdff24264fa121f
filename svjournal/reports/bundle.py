"""Importing team bundles into a coordinator's journal: opening, accepting authors, merging.

A bundle opens only with this journal's team key, and only if its Ed25519 signature
verifies (`bundle_seal`). Its author is the fingerprint of the signing key inside it: a
supporter's first bundle is refused until the coordinator accepts that fingerprint (after
checking it with the supporter, e.g. over the phone), and from then on only bundles signed
by that very key count as theirs; a removed supporter's key stays revoked. Files of the
retired passphrase format still import, with a notice (`legacy`).

Each file is checked whole before any of it is written, then written in one transaction of
its own: one bad file among ten costs only that file. Files are written oldest export first,
so within one call the newest data is also written last (see `bundle_merge` for newer-wins).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine

from svjournal.core import team_keys
from svjournal.core.errors import ExportFileError, NotOurFile
from svjournal.core.gc_pause import collector_paused
from svjournal.core.i18n import tr
from svjournal.core.locale_format import format_datetime
from svjournal.core.models import now
from svjournal.reports import bundle_seal, legacy
from svjournal.reports.bundle_check import decode
from svjournal.reports.bundle_export import (
    EXPORT_KIND,
    SUFFIX,
    ExportedBundle,
    default_file_name,
    export_bundle,
)
from svjournal.reports.bundle_format import BundleData
from svjournal.reports.bundle_merge import BundleConflict, bulk_writes, merge, stamp
from svjournal.reports.bundle_results import (
    BundleAhead,
    BundleNotImported,
    BundleUnreadable,
    ImportedBundle,
    SupporterRevoked,
    UnknownSupporter,
    batch_summary,
)
from svjournal.reports.legacy_format import BundleInvalid

__all__ = [
    "EXPORT_KIND",
    "SUFFIX",
    "BundleAhead",
    "BundleConflict",
    "BundleInvalid",
    "BundleNotImported",
    "BundleUnreadable",
    "ExportedBundle",
    "ImportedBundle",
    "SupporterRevoked",
    "UnknownSupporter",
    "batch_summary",
    "default_file_name",
    "export_bundle",
    "import_bundle",
    "import_bundles",
    "new_authors",
]

# Files larger than this are not bundles we wrote (10,000 encounters take well under 1 MiB).
MAX_FILE_BYTES = 256 * 1024**2
# Bundle times are the supporter's local clock: a day covers time zones and a clock a little
# fast; anything further ahead is a wrong clock or a forgery.
MAX_AHEAD = timedelta(days=1)
# --- opening --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Incoming:
    """An opened, checked bundle and its author."""

    supporter_id: str
    signer: bytes | None  # None: the retired format (no signature)
    data: BundleData
    digest: str


def read_file_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise NotOurFile(tr("This file is far too large to be a team bundle."))
        return path.read_bytes()
    except OSError as exc:
        raise BundleUnreadable(
            tr("Cannot read {name}: {reason}.").format(name=path.name, reason=exc.strerror or exc)
        ) from None


def open_bundle(data: bytes, team_key: object, *, legacy_passphrase: str | None = None) -> Incoming:
    """The checked contents of a bundle file's bytes; typed errors, never a partial result."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    if data.startswith(legacy.MAGIC):
        old = legacy.open_legacy(data, legacy_passphrase)
        payload_digest = hashlib.sha256(data).hexdigest()
        return Incoming(old.supporter_id, None, legacy.to_v2(old), payload_digest)
    if not data.startswith(bundle_seal.MAGIC):
        if data[:3] == b"SVJ" and b"\n" in data[3:16]:
            raise NotOurFile(tr("This is another kind of svjournal file, not a team bundle."))
        raise NotOurFile(tr("This is not a team bundle (not a file svjournal wrote)."))
    key = team_key if isinstance(team_key, X25519PrivateKey) else None
    opened = bundle_seal.unseal(data, key)
    checked = decode(opened.payload)
    return Incoming(
        opened.fingerprint, opened.signer, checked, hashlib.sha256(opened.payload).hexdigest()
    )


def _open_path(path: Path, team_key: object, legacy_passphrase: str | None) -> Incoming:
    with _only_this_file():
        return open_bundle(read_file_bytes(path), team_key, legacy_passphrase=legacy_passphrase)


def new_authors(engine: Engine, paths: Iterable[Path]) -> list[tuple[Path, str]]:
    """The files whose author this journal has not accepted (or has revoked), with the
    fingerprint to check; files that do not open are left to the import to report."""
    team_key = team_keys.team_private_key(engine)
    found: list[tuple[Path, str]] = []
    with engine.connect() as conn:
        for path in paths:
            try:
                incoming = _open_path(Path(path), team_key, None)
            except ExportFileError:
                continue
            if incoming.signer is not None and _status(conn, incoming) != "accepted":
                found.append((Path(path), incoming.supporter_id))
    return found


# --- writing --------------------------------------------------------------------------------


def import_bundles(
    engine: Engine,
    paths: Iterable[Path],
    *,
    accept: Collection[str] = (),
    legacy_passphrase: str | None = None,
    clock: Callable[[], datetime] = now,
) -> list[ImportedBundle]:
    """Import each file on its own (one transaction each); a result per file, in order given.

    `accept`: fingerprints the coordinator has checked and accepts now (new supporters, or
    removed ones taken back); any other unknown author is refused."""
    paths = [Path(p) for p in paths]
    accepted = {team_keys.normalise_fingerprint(fp) for fp in accept}
    team_key = team_keys.team_private_key(engine)
    results: list[ImportedBundle | None] = [None] * len(paths)
    queued: list[tuple[datetime, int, Incoming]] = []
    with collector_paused():
        for i, path in enumerate(paths):
            try:
                incoming = _open_path(path, team_key, legacy_passphrase)
                queued.append((incoming.data.created, i, incoming))
            except ExportFileError as exc:
                results[i] = ImportedBundle(path, exc)
        queued.sort(key=lambda item: (item[0], item[1]))
        with bulk_writes(engine) as conn:
            for _created, i, incoming in queued:
                try:
                    with _only_this_file():
                        results[i] = _write(conn, paths[i], incoming, accepted, clock())
                except ExportFileError as exc:
                    results[i] = ImportedBundle(paths[i], exc)
    return [r for r in results if r is not None]


def import_bundle(
    engine: Engine,
    path: Path,
    *,
    accept: Collection[str] = (),
    legacy_passphrase: str | None = None,
    clock: Callable[[], datetime] = now,
) -> ImportedBundle:
    """Import one file; raises its typed error instead of returning it."""
    [result] = import_bundles(
        engine, [path], accept=accept, legacy_passphrase=legacy_passphrase, clock=clock
    )
    if result.error is not None:
        raise result.error
    return result


def _status(conn: Connection, incoming: Incoming) -> str:
    """ "accepted", "revoked", "unknown", or "other key" (a fingerprint collision: refused)."""
    row = conn.exec_driver_sql(
        "SELECT public_key, revoked_at FROM team_supporters WHERE supporter_id = ?",
        (incoming.supporter_id,),
    ).first()
    if row is None:
        return "unknown"
    if incoming.signer is not None and row[0] != incoming.signer.hex():
        return "other key"
    return "revoked" if row[1] is not None else "accepted"


def _admit(conn: Connection, incoming: Incoming, accepted: set[str], at: str) -> bool:
    """Check the author (and record a newly accepted one); True if accepted just now."""
    s = incoming.supporter_id
    if incoming.signer is None:  # retired format: known only by its plain supporter ID
        conn.exec_driver_sql(
            "INSERT INTO team_supporters (supporter_id, label, first_imported_at, "
            "last_imported_at) VALUES (?, '', ?, ?) ON CONFLICT (supporter_id) DO UPDATE "
            "SET last_imported_at = excluded.last_imported_at",
            (s, at, at),
        )
        return False
    status = _status(conn, incoming)
    if status == "other key":
        raise bundle_seal.BundleForged(
            tr(
                "The bundle's signature does not match the key accepted for that supporter; "
                "nothing was imported."
            )
        )
    if status in ("unknown", "revoked") and s not in accepted:
        raise UnknownSupporter(s) if status == "unknown" else SupporterRevoked(s)
    conn.exec_driver_sql(
        "INSERT INTO team_supporters (supporter_id, label, public_key, revoked_at, "
        "first_imported_at, last_imported_at) VALUES (?, '', ?, NULL, ?, ?) "
        "ON CONFLICT (supporter_id) DO UPDATE SET last_imported_at = excluded.last_imported_at, "
        "revoked_at = NULL",
        (s, incoming.signer.hex(), at, at),
    )
    return status != "accepted"


def _write(
    conn: Connection, path: Path, incoming: Incoming, accepted: set[str], imported_at: datetime
) -> ImportedBundle:
    data = incoming.data
    if data.created > imported_at + MAX_AHEAD:
        # Newer wins, so a bundle from the future would make every genuine later bundle of
        # its supporter "older" until removed: refused before anything is written.
        # Translators: {moment} is the bundle's date and time ("November 26, 2026, 9:40 AM").
        raise BundleAhead(
            tr(
                "The bundle is dated {moment}, more than a day ahead of this computer's clock "
                "(check the date on both computers); nothing was imported from it."
            ).format(moment=format_datetime(data.created.replace(second=0, microsecond=0)))
        )
    with conn.begin():  # the whole file, or (on any error) none of it
        newly = _admit(conn, incoming, accepted, stamp(imported_at))
        counts = merge(
            conn,
            incoming.supporter_id,
            data,
            digest=incoming.digest,
            imported_at=imported_at,
            retired=incoming.signer is None,
        )
    return ImportedBundle(
        path=path,
        supporter_id=incoming.supporter_id,
        first_month=data.first_month,
        last_month=data.last_month,
        created=data.created,
        records=data.records,
        written=counts.written,
        skipped=0 if counts.again else max(0, data.records - counts.written),
        removed=counts.removed,
        again=counts.again,
        retired=incoming.signer is None,
        accepted=newly,
    )


@contextmanager
def _only_this_file() -> Iterator[None]:
    """Any error other than our typed ones (a bug, a value no check foresaw) becomes this
    file's BundleNotImported: its transaction is rolled back and the batch goes on. The
    message names only the kind of error; its text might quote a value from the file."""
    try:
        yield
    except ExportFileError:
        raise
    except Exception as exc:  # the net under every file of a batch
        # Translators: {kind} is the name of a program error ("KeyError").
        raise BundleNotImported(
            tr(
                "svjournal could not import this file (an unexpected {kind}; please report "
                "it); nothing was taken from it."
            ).format(kind=type(exc).__name__)
        ) from exc
