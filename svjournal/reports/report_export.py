"""From a request to a written programme report: settings, build, write, export log.

The CLI and the Reports view both come through here, so the same settings apply and every
report leaves a line in the vault's export log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from svjournal.core.journal import Journal
from svjournal.core.stats_model import Period
from svjournal.reports.model import ProgrammeReport
from svjournal.reports.programme import ReportRequest, build_report
from svjournal.reports.write import ReportFormat, write_report


def request_from_settings(
    journal: Journal,
    period: Period,
    *,
    departments: tuple[str, ...] = (),
    threshold: int | None = None,
    scope: str = "Your journal",
    days_only: bool = False,
) -> ReportRequest:
    """A request with the vault's programme name, threshold and department names."""
    labels = {d["code"]: d["label"] for d in journal.setting("departments")}
    if threshold is not None:
        journal.policy.check_threshold(threshold)  # the IT policy's floor holds here too
    return ReportRequest(
        period=period,
        programme_name=journal.setting("programme_name"),
        threshold=journal.setting("small_count_threshold") if threshold is None else threshold,
        departments=departments,
        department_labels=labels,
        scope=scope,
        days_only=days_only,
    )


def export_report(
    journal: Journal,
    source: Engine,
    request: ReportRequest,
    fmt: ReportFormat,
    dest: Path,
    *,
    today: date | None = None,
) -> tuple[ProgrammeReport, Path]:
    """Build the report over `source` (the vault's engine, or the merged team data), write
    it, and log it in `journal`'s export log."""
    report = build_report(source, request, today=today)
    return report, write_logged(journal, report, request, fmt, dest)


def write_logged(
    journal: Journal,
    report: ProgrammeReport,
    request: ReportRequest,
    fmt: ReportFormat,
    dest: Path,
    *,
    render: Callable[[ProgrammeReport, ReportFormat], bytes] | None = None,
) -> Path:
    """Write an already built report and log it (the Reports view exports its preview)."""
    path = write_report(report, fmt, dest, render=render)
    encounters = next((k.current.value for k in report.kpis if k.key == "encounters"), None)
    journal.record_export(
        f"report-{fmt}",
        str(path),
        records=int(encounters) if isinstance(encounters, int) else None,
        detail=f"{request.scope}; {request.period.start} to {request.period.end}; "
        f"threshold {request.threshold}",
    )
    return path
