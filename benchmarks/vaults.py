"""Demo vaults for the benchmarks: built once per size (cached in the work folder), copied per run.

Generating 10,000 demo cases takes minutes, so each size is built once: a real vault (SQLCipher,
KDF calibrated as at creation) and its plain-SQLite twin, exported from the vault by SQLCipher
itself (`sqlcipher_export` into an unkeyed database), so the twin has the very same schema, rows
and indexes. Every benchmark process works on a fresh copy, since saves add rows.
Only fictional demo data is ever written in plaintext, and only into the work folder.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.core_bench import ANCHOR, PASSPHRASE
from svjournal.core import demo, schema
from svjournal.core.keyfile import KdfParams
from svjournal.core.vault import Vault

SEED = 42
# Bump when the way the cached vaults are built changes, so stale caches are rebuilt.
CACHE_FORMAT = 1


@dataclass(frozen=True)
class DemoPair:
    vault: Path  # a vault folder, unlocked with PASSPHRASE
    plain: Path  # the plain-SQLite twin (one database file)
    cases: int
    per_case: int

    @property
    def encounters(self) -> int:
        return self.cases * self.per_case


def prepare(workdir: Path, cases: int, per_case: int, seed: int = SEED) -> tuple[DemoPair, float]:
    """The cached pair for this size, built if missing, and seconds spent building (0: cached).

    The schema revision is part of the cache key: a vault built by older code would be
    migrated on unlock, and the migration (with its backup) would be timed.
    """
    key = f"demo-{cases}x{per_case}-seed{seed}-{schema.head_revision()}-v{CACHE_FORMAT}"
    folder = workdir / "cache" / key
    pair = DemoPair(folder / "vault", folder / "plain.db", cases, per_case)
    if (folder / "READY").exists():
        return pair, 0.0
    started = time.perf_counter()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    vault, _recovery = Vault.create(pair.vault, PASSPHRASE, kdf=KdfParams.calibrated())
    try:
        demo.generate(
            vault.engine, cases=cases, seed=seed, anchor=ANCHOR, exact_encounters=per_case
        )
        _export_plain(vault, pair.plain)
    finally:
        vault.close()
    (folder / "READY").write_text(f"{cases} cases x {per_case} encounters, seed {seed}\n")
    return pair, time.perf_counter() - started


def _export_plain(vault: Vault, dest: Path) -> None:
    raw = vault.engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert conn is not None
        conn.execute("ATTACH DATABASE ? AS plaintext KEY ''", (str(dest),))
        conn.execute("SELECT sqlcipher_export('plaintext')").fetchall()
        conn.execute("DETACH DATABASE plaintext")
    finally:
        raw.close()


def working_copy(pair: DemoPair, dest: Path) -> DemoPair:
    """A fresh copy of the pair under `dest` (replacing any earlier one) for one process."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    shutil.copytree(pair.vault, dest / "vault")  # copy2 keeps the owner-only modes
    shutil.copy2(pair.plain, dest / "plain.db")
    return DemoPair(dest / "vault", dest / "plain.db", pair.cases, pair.per_case)
