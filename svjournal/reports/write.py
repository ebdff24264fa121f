"""Render a programme report as PDF, XLSX or CSV bytes, and write it atomically, owner-only.

The format dispatcher only: the words the three writers share are in reports/wording.py.
Each writer's library is imported only when that format is asked for. Recording the export
in the vault's log is the caller's job (operations/reports.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal, get_args

from svjournal.core.atomic import atomic_write_bytes
from svjournal.reports.model import ProgrammeReport

ReportFormat = Literal["pdf", "xlsx", "csv"]
FORMATS: tuple[ReportFormat, ...] = get_args(ReportFormat)
SUFFIXES: dict[ReportFormat, str] = {"pdf": ".pdf", "xlsx": ".xlsx", "csv": ".csv"}


def render_report(report: ProgrammeReport, fmt: ReportFormat) -> bytes:
    """The whole file in memory: nothing touches the disk until it is complete."""
    if fmt == "pdf":
        from svjournal.reports.pdf import render_pdf

        return render_pdf(report)
    if fmt == "xlsx":
        from svjournal.reports.xlsx import render_xlsx

        return render_xlsx(report)
    if fmt == "csv":
        from svjournal.reports.csv_table import render_csv

        return render_csv(report)
    raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")


def write_report(
    report: ProgrammeReport,
    fmt: ReportFormat,
    dest: Path,
    *,
    render: Callable[[ProgrammeReport, ReportFormat], bytes] | None = None,
) -> Path:
    """Render, then replace `dest` atomically with a 0600 file; returns the path written.

    A `dest` without any suffix gets the format's (".pdf", …). `render` may make the bytes
    elsewhere (the app uses a drawing process); by default they are made here. OSError
    (missing folder, no permission, disk full) propagates with the old file, if any, left
    untouched.
    """
    data = (render or render_report)(report, fmt)
    path = Path(dest)
    if not path.suffix:
        path = path.with_name(path.name + SUFFIXES[fmt])
    atomic_write_bytes(path, data, clean_stale=True)
    return path
