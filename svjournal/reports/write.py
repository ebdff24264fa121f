"""Render a programme report as PDF, XLSX or CSV bytes, and write it atomically, owner-only.

Also the wording the three writers share (periods, dates, symbol notices, definitions), so
a figure reads the same in every format. Each writer's library is imported only when that
format is asked for. Recording the export in the vault's log is the caller's job.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Literal, get_args

from svjournal.core.atomic import atomic_write_bytes
from svjournal.core.stats_model import Period
from svjournal.reports.model import Cell, CellState, ProgrammeReport

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


# --- wording shared by the writers ----------------------------------------------------------


def day_text(day: date, *, short: bool = False) -> str:
    """'1 January 2026', or '1 Jan 2026' (no locale lookup: the same on every machine)."""
    month = _MONTHS[day.month - 1]
    return f"{day.day} {month[:3] if short else month} {day.year}"


def period_text(period: Period, *, short: bool = False) -> str:
    """'1 January 2026 – 31 December 2026' ('1 Jan 2026 – 31 Dec 2026' when short)."""
    return f"{day_text(period.start, short=short)} – {day_text(period.end, short=short)}"


def generated_text(moment: datetime) -> str:
    """'26 November 2026, 12:00'."""
    return f"{day_text(moment.date())}, {moment:%H:%M}"


def departments_text(report: ProgrammeReport) -> str:
    return ", ".join(report.departments) if report.departments else "All departments"


def suppression_text(report: ProgrammeReport) -> str:
    if report.threshold <= 0:
        return "Off: every count is shown."
    t = report.threshold
    if not report.tables:
        return f"Fewer than {t} people in this report: every table withheld."
    return f"Figures made of fewer than {t} people are not shown (“<{t}”, zero included)."


def symbol_notices(report: ProgrammeReport) -> tuple[str, ...]:
    """The report's own notices; if it has none but hides cells, a plain note per symbol,
    so a reader never meets "<5" or "c" unexplained."""
    if report.notices:
        return report.notices
    hidden: dict[str, CellState] = {}
    for cell in _all_cells(report):
        if cell.state in (CellState.SMALL, CellState.PROTECTED):
            hidden.setdefault(cell.text, cell.state)
    notes = []
    for text, state in hidden.items():
        if state is CellState.SMALL:
            notes.append(f"“{text}”: a count too small to publish (fewer than the threshold).")
        else:
            notes.append(f"“{text}”: hidden so that a small count cannot be worked out.")
    return tuple(notes)


def all_definitions(report: ProgrammeReport) -> list[tuple[str, str]]:
    """The key figures' definitions first, then the report's own terms not already given."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for term, text in [*((k.label, k.definition) for k in report.kpis), *report.definitions]:
        key = term.casefold().strip()
        if key in seen or not text.strip():
            continue
        seen.add(key)
        out.append((term, text))
    return out


def _all_cells(report: ProgrammeReport) -> list[Cell]:
    cells: list[Cell] = [c for k in report.kpis for c in (k.current, k.previous)]
    for table in report.tables:
        rows = [*table.rows, *([table.total] if table.total else [])]
        cells.extend(c for row in rows for c in row.cells)
    return cells


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
