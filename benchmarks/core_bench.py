"""Core benchmarks: unlock, saving encounters, and the hot queries on SQLCipher vs plain SQLite.

The plain-SQLite twin has the same schema (built by the same migrations), the same data (the
same demo seed) and is queried through the same Journal / stats code path, so the ratio is
the cost of encryption alone.
"""

from __future__ import annotations

import shutil
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

from svjournal.core import demo, schema, stats
from svjournal.core.db import CONNECTION_PRAGMAS
from svjournal.core.inputs import CaseInput, EncounterInput
from svjournal.core.journal import CaseFilter, Journal
from svjournal.core.keyfile import KdfParams
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
    plain_median_ms: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.plain_median_ms in (None, 0):
            return None
        return self.median_ms / self.plain_median_ms  # type: ignore[operator]

    @property
    def meets_target(self) -> bool | None:
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


def build_pair(workdir: Path, cases: int, per_case: int) -> tuple[Vault, Engine]:
    """A SQLCipher vault and its plain twin holding identical demo data."""
    vault_dir = workdir / f"vault-{cases}x{per_case}"
    plain_path = workdir / f"plain-{cases}x{per_case}.db"
    shutil.rmtree(vault_dir, ignore_errors=True)
    plain_path.unlink(missing_ok=True)
    vault, _ = Vault.create(vault_dir, PASSPHRASE, kdf=KdfParams.calibrated())
    plain = plain_engine(plain_path)
    schema.upgrade(plain)
    for engine in (vault.engine, plain):
        demo.generate(engine, cases=cases, seed=42, anchor=ANCHOR, exact_encounters=per_case)
    return vault, plain


def bench_unlock(vault: Vault, runs: int) -> Timing:
    path = vault.path
    vault.close()

    def unlock() -> None:
        opened = Vault.open(path)
        opened.unlock(PASSPHRASE)
        opened.close()

    samples = measure(unlock, runs, warmup=1)
    return summarise(
        "Unlock (open + Argon2id + schema check)",
        samples,
        target_ms=600,
        note="KDF calibrated at creation as a real vault is",
    )


def bench_saves(vault: Vault, plain: Engine, count: int) -> Timing:
    """`count` encounters saved one by one through the service: one transaction each."""

    def run(engine: Engine) -> list[float]:
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
        samples = []
        for i in range(count):
            data.occurred_at = start + timedelta(seconds=i)
            started = time.perf_counter()
            journal.log_encounter(case_id, data)
            samples.append((time.perf_counter() - started) * 1000)
        return samples

    cipher = run(vault.engine)
    plain_samples = run(plain)
    total_s = sum(cipher) / 1000
    return summarise(
        f"Save one encounter (of {count:,} saved one by one)",
        cipher,
        target_ms=50,
        plain_median_ms=statistics.median(plain_samples),
        note=f"{count:,} saves took {total_s:.1f} s in all (fsync per save)",
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
        cipher = measure(make(vault.engine), runs)
        plain_samples = measure(make(plain), runs)
        timings.append(
            summarise(name, cipher, target_ms=50, plain_median_ms=statistics.median(plain_samples))
        )
    return timings


def run_core(workdir: Path, *, cases: int, per_case: int, saves: int, runs: int) -> list[Timing]:
    vault, plain = build_pair(workdir, cases, per_case)
    try:
        timings = bench_queries(vault, plain, runs)
        timings.append(bench_saves(vault, plain, saves))
        timings.insert(0, bench_unlock(vault, max(5, runs // 3)))
    finally:
        vault.close()
        plain.dispose()
    return timings
