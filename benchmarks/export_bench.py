"""The programme report as a PDF for one year, and a verified backup, timed end to end."""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from benchmarks.core_bench import ANCHOR, PASSPHRASE, Timing, measure, summarise
from svjournal.core.stats_model import Period
from svjournal.reports.programme import ReportRequest, build_report
from svjournal.reports.write import render_report

YEAR = Period(ANCHOR - timedelta(days=364), ANCHOR)
REPORT_TARGET_MS = 5000


def report_pdf(engine: Engine) -> tuple[float, float, int]:
    """One PDF report for the year: seconds building (stats + suppression), rendering
    (charts + layout), and the PDF's size in bytes."""
    started = time.perf_counter()
    report = build_report(
        engine,
        ReportRequest(YEAR, "Benchmark programme", threshold=5),
        today=ANCHOR,
        now=datetime.combine(ANCHOR, datetime.min.time()).replace(hour=12),
    )
    built = time.perf_counter()
    pdf = render_report(report, "pdf")
    return built - started, time.perf_counter() - built, len(pdf)


def report_pdf_as_the_app_does(engine: Engine) -> int:
    """The Reports view's way: figures built here, the file made by a drawing process."""
    from svjournal.ui.report_panel import render_in_worker

    report = build_report(
        engine, ReportRequest(YEAR, "Benchmark programme", threshold=5), today=ANCHOR
    )
    return len(render_in_worker(report, "pdf"))


def bench_report(engine: Engine, runs: int) -> Timing:
    """The whole pipeline; the split between its two halves in the note.

    No plain-SQLite twin here: the SQL half is the dashboard's, whose ratio is given, and
    the other half never touches the database.
    """
    parts: list[tuple[float, float, int]] = []
    samples = measure(lambda: parts.append(report_pdf(engine)), runs, warmup=1)
    measured = parts[1:]  # the first call was the warm-up
    build_ms = statistics.median(p[0] for p in measured) * 1000
    render_ms = statistics.median(p[1] for p in measured) * 1000
    return summarise(
        "PDF programme report for one year (stats + suppression + charts + layout)",
        samples,
        target_ms=REPORT_TARGET_MS,
        note=(
            f"median {build_ms:.0f} ms building the figures, {render_ms:.0f} ms drawing the "
            f"charts and laying out the PDF ({measured[0][2] / 1024:.0f} KiB)"
        ),
    )


def bench_backup(vault_folder: Path, runs: int) -> list[Timing]:
    """Backups of the (closed) vault, and one restore, by benchmarks/backup_bench.py."""
    from benchmarks.backup_bench import bench_backup as backup_and_restore

    found = backup_and_restore(vault_folder, PASSPHRASE, runs=runs)
    restore_ms = found["restore_s"] * 1000
    return [
        summarise(
            "Backup (consistent encrypted copy, verified, written atomically)",
            [s * 1000 for s in found["runs_s"]],
            target_ms=found["target_s"] * 1000,
            note=(
                f"a {found['size_bytes'] / 1_000_000:.0f} MB file; no plain twin: the path "
                "is SQLCipher's own"
            ),
        ),
        Timing("… one of them restored into a new vault (verified)", restore_ms, restore_ms, 1),
    ]


def bench_rekey(vault_folder: Path, runs: int) -> list[Timing]:
    """Re-keys of the (closed) vault, by benchmarks/rekey_bench.py (last: it changes the key)."""
    from benchmarks.rekey_bench import bench_rekey as rekey

    found = rekey(vault_folder, PASSPHRASE, runs=runs)
    return [
        summarise(
            "Re-key (new data key: database re-encrypted and verified, new key file)",
            [s * 1000 for s in found["runs_s"]],
            target_ms=found["target_s"] * 1000,
            note=(
                f"a {found['size_bytes'] / 1_000_000:.0f} MB database, no backups to re-seal "
                "(each adds about one verified backup's time); KDF included"
            ),
        )
    ]
