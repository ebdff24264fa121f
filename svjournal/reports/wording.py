"""The wording the three report writers share (periods, dates, symbol notices, definitions),
so that a figure reads the same in the PDF, the workbook and the CSV."""

from __future__ import annotations

from datetime import date, datetime

from svjournal.core.stats_model import Period
from svjournal.reports.model import Cell, CellState, ProgrammeReport

TOTAL_LABEL = "Total"  # a table's total line when the table names none


def day_text(day: date, *, short: bool = False) -> str:
    """'1 January 2026', or '1 Jan 2026' (no locale lookup: the same on every machine)."""
    month = _MONTHS[day.month - 1]
    return f"{day.day} {month[:3] if short else month} {day.year}"


def period_text(period: Period, *, short: bool = False) -> str:
    """'1 January 2026 – 31 December 2026' ('1 Jan 2026 – 31 Dec 2026' when short)."""
    return f"{day_text(period.start, short=short)} – {day_text(period.end, short=short)}"


def subject_text(report: ProgrammeReport) -> str:
    """The document's subject property: 'Programme report, <period>'."""
    return f"Programme report, {period_text(report.period)}"


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
