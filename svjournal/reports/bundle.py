"""Team bundles: a supporter's de-identified records sealed for the coordinator, and merging.

Export reads the vault with plain SQL (days only, codes only; see `bundle_format` for what is
left out and why), checks its own payload with the importer's rules, seals it under the team
passphrase and writes it atomically, owner-only, with a line in the export log.

Import checks a whole file before writing any of it, then writes it in one transaction of
its own: one bad file among ten costs only that file, and each file lands whole or not at
all. Records are upserted by UUID. Per supporter, newer data always wins:
- a bundle replaces that supporter's encounters and follow-ups whose day lies in its period
  (ones the supporter deleted since disappear), and the newest bundle's list of live case
  ids removes the cases the supporter deleted, with their records;
- an older bundle (exported before one already imported for that supporter) changes only
  days no newer bundle covers, never overwrites a record written by a newer bundle, and
  brings back no case the newest bundle did not list as live.
"""

from __future__ import annotations

import gc
import json
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text

from svjournal.core import sealed
from svjournal.core.atomic import atomic_write_bytes
from svjournal.core.errors import ExportFileError, FileDamaged, NotOurFile, ValidationError
from svjournal.core.keyfile import KdfParams
from svjournal.core.models import now
from svjournal.core.passphrase import require_strong
from svjournal.core.stats_model import Period
from svjournal.reports import bundle_format as fmt
from svjournal.reports.bundle_check import decode
from svjournal.reports.bundle_format import BundleData, BundleInvalid
from svjournal.reports.bundle_merge import BundleConflict, bulk_writes, merge, stamp

if TYPE_CHECKING:
    from svjournal.core.journal import Journal

__all__ = [
    "BundleAhead",
    "BundleConflict",
    "BundleInvalid",
    "BundleNotImported",
    "BundleUnreadable",
    "ExportedBundle",
    "ImportedBundle",
    "batch_summary",
    "export_bundle",
    "import_bundle",
    "import_bundles",
    "supporter_id",
]

SUFFIX = ".svjbundle"
EXPORT_KIND = "team_bundle"
SUPPORTER_SETTING = "team_supporter_id"
# Files larger than this are not bundles we wrote (10,000 encounters take well under 1 MiB).
MAX_FILE_BYTES = 256 * 1024**2
# Key-derivation costs beyond these would only stall the importer (a hostile header).
MAX_KDF_MEMORY_KIB = 1024 * 1024
MAX_KDF_TIME = 64
# Bundle times are the supporter's local clock: a day covers time zones and a clock a little
# fast; anything further ahead is a wrong clock or a forgery.
MAX_AHEAD = timedelta(days=1)


class BundleUnreadable(ExportFileError):
    """The file could not be read at all (missing, a folder, no permission)."""


class BundleAhead(ExportFileError):
    """The bundle is dated more than a day ahead of this computer's clock."""


class BundleNotImported(ExportFileError):
    """Something unexpected went wrong with this one file (a bug); nothing was taken from it."""


@dataclass(frozen=True)
class ExportedBundle:
    path: Path
    supporter_id: str
    period: Period
    cases: int
    encounters: int
    follow_ups: int

    @property
    def records(self) -> int:
        return self.cases + self.encounters + self.follow_ups


@dataclass(frozen=True)
class ImportedBundle:
    """What became of one file: an error, or how many records were written, kept or removed."""

    path: Path
    error: ExportFileError | None = None
    supporter_id: str = ""
    period: Period | None = None
    created: datetime | None = None
    records: int = 0  # in the file
    written: int = 0  # inserted or updated
    skipped: int = 0  # left out: newer data of that supporter was already imported
    removed: int = 0  # deleted: the supporter no longer has them
    again: bool = False  # this very bundle had been imported before

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
        assert self.period is not None
        where = f"supporter {self.supporter_id}, {self.period.start} to {self.period.end}"
        outcome = self.outcome
        if outcome == "already imported":
            return f"already imported ({where}); nothing changed"
        if outcome == "nothing to add":
            why = (
                "the bundle holds no records"
                if self.records == 0
                else f"{self.skipped} records kept from a newer bundle"
            )
            return f"nothing to add ({where}: {why})"
        text_ = f"imported {self.written} records ({where})"
        if self.skipped:
            text_ += f", {self.skipped} kept from a newer bundle"
        if self.removed:
            text_ += f", {self.removed} removed (deleted by the supporter)"
        return text_


def batch_summary(results: Sequence[ImportedBundle]) -> str:
    """The tally under the per-file lines: how many files ended each way."""
    counts = {name: 0 for name in OUTCOMES}
    for result in results:
        counts[result.outcome] += 1
    files = "file" if len(results) == 1 else "files"
    parts = ", ".join(f"{counts[name]} {name}" for name in OUTCOMES)
    text_ = f"{len(results)} {files}: {parts}"
    if counts["refused"]:
        text_ += "; nothing was taken from the refused ones"
    return text_ + "."


OUTCOMES = ("imported", "nothing to add", "already imported", "refused")


# --- the supporter ID --------------------------------------------------------------------------


def supporter_id(engine: Engine) -> str:
    """This vault's random supporter ID, created on first use and kept in its settings."""
    fresh = "".join(secrets.choice(fmt.SUPPORTER_ALPHABET) for _ in range(10))
    fresh = f"{fresh[:5]}-{fresh[5:]}"
    with engine.begin() as conn:
        conn.execute(
            text("INSERT OR IGNORE INTO settings (key, value, updated_at) VALUES (:k, :v, :at)"),
            {"k": SUPPORTER_SETTING, "v": json.dumps(fresh), "at": stamp(now())},
        )
        stored = conn.execute(
            text("SELECT value FROM settings WHERE key = :k"), {"k": SUPPORTER_SETTING}
        ).scalar_one()
    value = json.loads(stored)
    if not isinstance(value, str) or not fmt.SUPPORTER_ID.match(value):
        raise ValidationError("supporter ID", "the stored supporter ID is not valid.")
    return value


# --- export ------------------------------------------------------------------------------------

_LIVE_CASE = "c.deleted_at IS NULL"
_ENCOUNTER_IN_PERIOD = (
    "e.deleted_at IS NULL AND e.occurred_at >= :start AND e.occurred_at < :after_end"
)
_FOLLOW_UP_IN_PERIOD = "f.deleted_at IS NULL AND f.due_on >= :start AND f.due_on <= :end"

# Cases open at some time in the period (referred by its end, not closed before its start),
# and any case with an encounter or follow-up in it.
_EXPORT_CASES = text(
    f"""
    SELECT c.id, c.kind, c.role, c.department, c.event_category, c.high_risk_events,
           c.referral_source, c.referred_on, c.status, c.current_stage, c.outcome,
           substr(c.first_contact_at, 1, 10), substr(c.last_contact_at, 1, 10),
           c.next_follow_up_on
    FROM cases AS c
    WHERE {_LIVE_CASE} AND (
        (c.referred_on <= :end AND (c.status = 'open' OR c.closed_on IS NULL
                                    OR c.closed_on >= :start))
        OR c.id IN (SELECT e.case_id FROM encounters AS e WHERE {_ENCOUNTER_IN_PERIOD})
        OR c.id IN (SELECT f.case_id FROM follow_ups AS f WHERE {_FOLLOW_UP_IN_PERIOD})
    )
    ORDER BY c.referred_on, c.id
    """
)
_EXPORT_ENCOUNTERS = text(
    f"""
    SELECT e.id, e.case_id, substr(e.occurred_at, 1, 10), e.mode, e.duration_minutes,
           e.group_size, e.tier, e.stage, e.outcome, e.triggered, e.referrals,
           e.support_declined
    FROM encounters AS e JOIN cases AS c ON c.id = e.case_id
    WHERE {_ENCOUNTER_IN_PERIOD} AND {_LIVE_CASE}
    ORDER BY e.occurred_at, e.id
    """
)
_EXPORT_FOLLOW_UPS = text(
    f"""
    SELECT f.id, f.case_id, f.due_on, f.method, f.status, substr(f.done_at, 1, 10)
    FROM follow_ups AS f JOIN cases AS c ON c.id = f.case_id
    WHERE {_FOLLOW_UP_IN_PERIOD} AND {_LIVE_CASE}
    ORDER BY f.due_on, f.id
    """
)
_EXPORT_LIVE = text("SELECT c.id FROM cases AS c WHERE c.deleted_at IS NULL ORDER BY c.id")


def read_bundle_data(engine: Engine, period: Period, *, created: datetime) -> BundleData:
    """The de-identified records of `period` from a supporter's vault."""
    params = {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "after_end": (period.end + timedelta(days=1)).isoformat(),
    }
    ident = supporter_id(engine)
    with engine.connect() as conn, conn.begin():  # one snapshot for all four reads
        cases = [tuple(r) for r in conn.execute(_EXPORT_CASES, params)]
        encounters = [tuple(r) for r in conn.execute(_EXPORT_ENCOUNTERS, params)]
        follow_ups = [tuple(r) for r in conn.execute(_EXPORT_FOLLOW_UPS, params)]
        live = [r[0] for r in conn.execute(_EXPORT_LIVE)]
    return BundleData(ident, period.start, period.end, created, cases, encounters, follow_ups, live)


def export_bundle(
    engine: Engine,
    period: Period,
    team_passphrase: str,
    dest: Path,
    *,
    journal: Journal,
    kdf: KdfParams | None = None,
    created: datetime | None = None,
    check_strength: bool = True,
) -> ExportedBundle:
    """Write the bundle of `period` to `dest` (atomic, owner-only) and log the export."""
    if period.end < period.start:
        raise ValidationError("period", "ends before it starts.")
    if check_strength:
        require_strong(team_passphrase)
    data = read_bundle_data(engine, period, created=created or now())
    payload = fmt.encode(data)
    meta = fmt.metadata(data, fmt.sealed_size(payload))
    # The importer's own checks, here: a supporter learns of a problem, not the coordinator.
    decode(payload, meta)
    sealed_bytes = sealed.seal(fmt.MAGIC, payload, team_passphrase, metadata=meta, kdf=kdf)
    _header, start = sealed.read_header(fmt.MAGIC, sealed_bytes)
    if len(sealed_bytes) - start != meta["sealed_bytes"]:  # zlib not deterministic: a bug
        raise RuntimeError("the sealed bundle's length differs from its header")
    dest = Path(dest)
    atomic_write_bytes(dest, sealed_bytes, clean_stale=True)
    result = ExportedBundle(
        dest, data.supporter_id, period, len(data.cases), len(data.encounters), len(data.follow_ups)
    )
    journal.record_export(
        EXPORT_KIND,
        str(dest),
        records=result.records,
        detail=(
            f"{period.start} to {period.end}: {result.cases} cases, {result.encounters} "
            f"encounters, {result.follow_ups} follow-ups (supporter {data.supporter_id})"
        ),
    )
    return result


# --- import: reading and checking a file --------------------------------------------------------


def open_bundle(data: bytes, team_passphrase: str) -> BundleData:
    """The checked contents of a bundle file's bytes; typed errors, never a partial result."""
    if not data.startswith(fmt.MAGIC):
        if data[:3] == b"SVJ" and b"\n" in data[3:16]:
            raise NotOurFile("This is another kind of svjournal file, not a team bundle.")
        raise NotOurFile("This is not a team bundle (not a file svjournal wrote).")
    header, start = sealed.read_header(fmt.MAGIC, data)
    fmt.check_header_version(header.metadata)
    kdf = header.kdf
    if kdf.memory_kib > MAX_KDF_MEMORY_KIB or kdf.time_cost > MAX_KDF_TIME:
        raise FileDamaged("The file's header asks for an implausible key derivation.")
    expected = header.metadata.get("sealed_bytes")
    if isinstance(expected, int) and len(data) - start != expected:
        raise FileDamaged(
            "The file is truncated (or has bytes added); nothing was imported from it."
        )
    header, payload = sealed.unseal(fmt.MAGIC, data, team_passphrase)
    return decode(payload, header.metadata)


def _is_bundle(data: bytes) -> bool:
    return data.startswith(fmt.MAGIC)


def read_file_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise NotOurFile("This file is far too large to be a team bundle.")
        return path.read_bytes()
    except OSError as exc:
        raise BundleUnreadable(f"Cannot read {path.name}: {exc.strerror or exc}.") from None


def read_bundle_file(path: Path, team_passphrase: str) -> BundleData:
    """The checked contents of a bundle file."""
    return open_bundle(read_file_bytes(path), team_passphrase)


# --- import: writing ------------------------------------------------------------------------


def import_bundles(
    engine: Engine,
    paths: Iterable[Path],
    team_passphrase: str,
    *,
    clock: Callable[[], datetime] = now,
) -> list[ImportedBundle]:
    """Import each file on its own (one transaction each); a result per file, in order given.

    Files are written oldest export first (by their public header), so within one call the
    newest data is also written last. While one file is written, the next ones are opened
    on worker threads: Argon2 and SQLite both run without the GIL, so the key derivations
    overlap the writes.
    """
    paths = [Path(p) for p in paths]
    results: list[ImportedBundle | None] = [None] * len(paths)
    queued: list[tuple[str, int, bytes]] = []
    for i, path in enumerate(paths):
        try:
            with _only_this_file():
                data = read_file_bytes(path)
                header, _start = (
                    sealed.read_header(fmt.MAGIC, data) if _is_bundle(data) else (None, 0)
                )
                created = str(header.metadata.get("created", "")) if header else ""
            queued.append((created, i, data))
        except ExportFileError as exc:
            results[i] = ImportedBundle(path, exc)
    queued.sort(key=lambda item: (item[0], item[1]))
    with (
        _collector_paused(),
        ThreadPoolExecutor(max_workers=2, thread_name_prefix="svj-bundle") as pool,
        bulk_writes(engine) as conn,
    ):
        opening = [(i, pool.submit(open_bundle, data, team_passphrase)) for _c, i, data in queued]
        for i, future in opening:
            try:
                with _only_this_file():
                    results[i] = _write(conn, paths[i], future.result(), clock())
            except ExportFileError as exc:
                results[i] = ImportedBundle(paths[i], exc)
    return [r for r in results if r is not None]


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
        raise BundleNotImported(
            f"svjournal could not import this file (an unexpected {type(exc).__name__}; "
            "please report it); nothing was taken from it."
        ) from exc


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Ten bundles are a million small acyclic objects (rows, tuples, strings): the cyclic
    collector would scan them over and over, a third of the checking time, finding nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def import_bundle(
    engine: Engine, path: Path, team_passphrase: str, *, clock: Callable[[], datetime] = now
) -> ImportedBundle:
    """Import one file; raises its typed error instead of returning it."""
    [result] = import_bundles(engine, [path], team_passphrase, clock=clock)
    if result.error is not None:
        raise result.error
    return result


def _write(conn: Connection, path: Path, data: BundleData, imported_at: datetime) -> ImportedBundle:
    if data.created > imported_at + MAX_AHEAD:
        # Newer wins, so a bundle from the future would make every genuine later bundle of
        # its supporter "older" until removed: refused before anything is written.
        raise BundleAhead(
            f"The bundle is dated {data.created:%Y-%m-%d %H:%M}, more than a day ahead of "
            "this computer's clock (check the date on both computers); nothing was imported "
            "from it."
        )
    with conn.begin():  # the whole file, or (on any error) none of it
        counts = merge(conn, data, imported_at)
    return ImportedBundle(
        path=path,
        supporter_id=data.supporter_id,
        period=Period(data.period_start, data.period_end),
        created=data.created,
        records=data.records,
        written=counts.written,
        skipped=0 if counts.again else data.records - counts.written,
        removed=counts.removed,
        again=counts.again,
    )


def default_file_name(period: Period) -> str:
    """A name that says what the file is, without anything identifying."""
    return f"team-bundle-{period.start}-to-{period.end}{SUFFIX}"
