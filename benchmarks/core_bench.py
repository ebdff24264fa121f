"""Core benchmarks: unlock, hot queries, dashboard SQL, report, saves, backup; SQLCipher vs plain.

The plain-SQLite twin is the vault exported by SQLCipher into an unkeyed database (same schema,
rows and indexes; see benchmarks/vaults.py), opened by the same library with the same pragmas
and queried through the same Journal / stats code path, so the ratio is the cost of encryption
alone.
"""

from __future__ import annotations

import itertools
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from svjournal.core import stats, summaries
from svjournal.core.db import CONNECTION_PRAGMAS
from svjournal.core.inputs import CaseInput, EncounterInput
from svjournal.core.journal import CaseFilter, Journal
from svjournal.core.keyfile import KeyFile
from svjournal.core.vault import Vault

PASSPHRASE = "benchmark passphrase with several words"
ANCHOR = date(2026, 11, 26)


@dataclass
class Timing:
    name: str
    median_ms: float
    p95_ms: float
    runs: int
    target_ms: float | None = None
    plain_median_ms: float | None = None  # the floor: plain SQLite, or a bare Qt window
    note: str = ""
    ratio_target: float | None = None  # the target as a ratio to the floor

    @property
    def ratio(self) -> float | None:
        if not self.plain_median_ms:
            return None
        return self.median_ms / self.plain_median_ms

    @property
    def meets_target(self) -> bool | None:
        if self.ratio_target is not None:
            ratio = self.ratio
            return None if ratio is None else ratio <= self.ratio_target
        return None if self.target_ms is None else self.median_ms <= self.target_ms


def measure(action: Callable[[], Any], runs: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def measure_pair(
    cipher: Callable[[], Any], plain: Callable[[], Any], runs: int, warmup: int = 2
) -> tuple[list[float], list[float]]:
    """Both sides run by turns, so a change in the machine's load falls on both alike."""
    for _ in range(warmup):
        cipher()
        plain()
    cipher_ms: list[float] = []
    plain_ms: list[float] = []
    for _ in range(runs):
        cipher_ms += measure(cipher, 1, warmup=0)
        plain_ms += measure(plain, 1, warmup=0)
    return cipher_ms, plain_ms


def summarise(name: str, samples: list[float], **extra: Any) -> Timing:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return Timing(name, statistics.median(samples), p95, len(samples), **extra)


def plain_engine(path: Path) -> Engine:
    """The same engine shape as db.make_engine, with the same library left unkeyed.

    sqlcipher3 without `PRAGMA key` is plain SQLite of exactly the same version, so the
    ratio measures encryption and nothing else.
    """

    def creator() -> sqlcipher3.Connection:
        conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
        for pragma in CONNECTION_PRAGMAS:
            conn.execute(pragma).fetchall()
        return conn

    engine = create_engine(
        "sqlite+pysqlite://", creator=creator, module=sqlcipher3.dbapi2, poolclass=QueuePool
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def bench_unlock(path: Path, runs: int) -> Timing:
    def unlock() -> None:
        opened = Vault.open(path)
        opened.unlock(PASSPHRASE)
        opened.close()

    samples = measure(unlock, runs, warmup=1)
    kdf = KeyFile.from_bytes((path / "journal.key").read_bytes()).passphrase.params
    return summarise(
        "Unlock (open + Argon2id + schema check)",
        samples,
        target_ms=600,
        note=(
            f"Argon2id t={kdf.time_cost}, {kdf.memory_kib // 1024} MiB, p={kdf.parallelism}: "
            "calibrated when the vault was built, as a real vault is"
        ),
    )


def bench_saves(vault: Vault, plain: Engine, count: int) -> Timing:
    """`count` encounters saved one by one through the service (one transaction each) into
    the vault, as many into the twin, by turns."""

    def saver(engine: Engine) -> Callable[[int], None]:
        journal = Journal(engine, clock=lambda: datetime(2026, 11, 26, 18, 0))
        case_id = journal.open_case(
            CaseInput(
                alias="Bench case",
                role="nurse",
                department="icu",
                event_category="near_miss",
                referral_source="self",
                referred_on=date(2026, 11, 20),
            )
        ).id
        start = datetime(2026, 11, 26, 9, 0)
        data = EncounterInput(occurred_at=start, mode="phone", duration_minutes=20, stage=3)

        def save(i: int) -> None:
            data.occurred_at = start + timedelta(seconds=i)
            journal.log_encounter(case_id, data)

        return save

    save_cipher, save_plain = saver(vault.engine), saver(plain)
    moments = itertools.count()
    cipher, plain_samples = measure_pair(
        lambda: save_cipher(next(moments)), lambda: save_plain(next(moments)), count, warmup=0
    )
    total_s = sum(cipher) / 1000
    return summarise(
        "Save one encounter (service call, one transaction each)",
        cipher,
        target_ms=50,
        plain_median_ms=statistics.median(plain_samples),
        note=f"{count:,} saved one by one took {total_s:.1f} s in all (fsync per save)",
    )


def bench_queries(vault: Vault, plain: Engine, runs: int) -> list[Timing]:
    period = stats.Period(ANCHOR - timedelta(days=364), ANCHOR)
    scenarios: list[tuple[str, Callable[[Engine], Callable[[], Any]]]] = [
        (
            "Due today + overdue follow-ups",
            lambda e: lambda: (Journal(e).due_today(ANCHOR), Journal(e).overdue(ANCHOR)),
        ),
        (
            "Case list (all cases, with last contact and next follow-up)",
            lambda e: lambda: Journal(e).list_cases(),
        ),
        (
            "Case list filtered (open, stage 2, text 'he')",
            lambda e: lambda: Journal(e).list_cases(CaseFilter(text="he", status="open", stage=2)),
        ),
        (
            "Encounters per month x stage, one year",
            lambda e: lambda: stats.encounters_by_month_and_stage(e, period),
        ),
    ]
    timings = []
    for name, make in scenarios:
        cipher, plain_samples = measure_pair(make(vault.engine), make(plain), runs)
        timings.append(
            summarise(name, cipher, target_ms=50, plain_median_ms=statistics.median(plain_samples))
        )
    return timings


def bench_dashboard(vault: Vault, plain: Engine, runs: int) -> Timing:
    """Every figure of the statistics page for a year: the SQL behind the Dashboard."""
    filt = stats.StatsFilter(stats.Period(ANCHOR - timedelta(days=364), ANCHOR))
    cipher, plain_samples = measure_pair(
        lambda: stats.dashboard(vault.engine, filt, today=ANCHOR),
        lambda: stats.dashboard(plain, filt, today=ANCHOR),
        runs,
    )
    return summarise(
        "Dashboard figures for one year (the SQL only, no charts)",
        cipher,
        plain_median_ms=statistics.median(plain_samples),
        ratio_target=1.1,  # issue 15: encryption costs at most a tenth here
    )


def bench_summaries(vault: Vault, plain: Engine, runs: int) -> Timing:
    """Every case's summary columns recomputed (as after a migration or a demo load), each
    run rolled back so that every run finds the same rows."""

    def refresh(engine: Engine) -> Callable[[], None]:
        def run() -> None:
            with engine.connect() as conn:
                trans = conn.begin()
                summaries.refresh(conn)
                trans.rollback()

        return run

    cipher, plain_samples = measure_pair(refresh(vault.engine), refresh(plain), runs, warmup=1)
    return summarise(
        "Case summaries refreshed, every case (one statement)",
        cipher,
        target_ms=2000,
        plain_median_ms=statistics.median(plain_samples),
    )


def run_core(
    vault_path: Path,
    plain_path: Path,
    *,
    saves: int,
    runs: int,
    heavy_runs: int,
    growth_only: bool = False,
) -> list[Timing]:
    """Every core figure on a working copy of a demo vault and its plain twin.

    Saves come last: they add rows, and every other figure is for the size asked for.
    `growth_only` (sizes above what the app is measured at): unlock, the queries, the
    dashboard SQL and the summaries, the figures whose growth with the data matters; the
    report, saves, backup and re-key of a gigabyte journal would take most of an hour.
    """
    from benchmarks.export_bench import bench_backup, bench_rekey, bench_report

    timings = [bench_unlock(vault_path, max(5, runs // 3))]
    vault = Vault.open(vault_path)
    plain = plain_engine(plain_path)
    try:
        vault.unlock(PASSPHRASE)
        timings.extend(bench_queries(vault, plain, runs))
        timings.append(bench_dashboard(vault, plain, runs))
        timings.append(bench_summaries(vault, plain, heavy_runs))
        if growth_only:
            return timings
        timings.append(bench_report(vault.engine, heavy_runs))
        timings.append(bench_saves(vault, plain, saves))
    finally:
        vault.close()
        plain.dispose()
    timings.extend(bench_backup(vault_path, heavy_runs))
    # Last: the vault's passphrase stays, but its key and recovery key change.
    timings.extend(bench_rekey(vault_path, heavy_runs))
    return timings
