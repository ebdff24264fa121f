"""The wording the three report writers share (periods, dates, symbol notices, definitions),
so that a figure reads the same in the PDF, the workbook and the CSV."""

from __future__ import annotations

from datetime import date, datetime

from svjournal.core import i18n
from svjournal.core.i18n import tr
from svjournal.core.locale_format import format_date, format_datetime
from svjournal.core.stats_model import Period
from svjournal.reports.model import Cell, CellState, ProgrammeReport, slug
from svjournal.reports.tables import TOTAL

TOTAL_LABEL = TOTAL  # a message: a table's total line when the table names none


def total_label() -> str:
    return tr(TOTAL_LABEL)


def language_tag() -> str:
    """The report's language as documents name it ('en-US', 'de', 'pt-BR'): the PDF's and
    the workbook's language property, so screen readers speak it right."""
    language = i18n.current()
    return "en" if language == i18n.PSEUDO else language.replace("_", "-")


def day_text(day: date, *, short: bool = False) -> str:
    """'January 1, 2026', or 'Jan 1, 2026' in US English; '1. Januar 2026' in German …
    (CLDR's long and medium dates of the report's language)."""
    return format_date(day, "medium" if short else "long")


def period_text(period: Period, *, short: bool = False) -> str:
    """'January 1, 2026 – December 31, 2026' ('Jan 1, 2026 – Dec 31, 2026' when short)."""
    # Translators: a report's period, both days included: "{start} – {end}".
    return tr("{start} – {end}").format(
        start=day_text(period.start, short=short), end=day_text(period.end, short=short)
    )


def subject_text(report: ProgrammeReport) -> str:
    """The document's subject property: 'Program report, <period>'."""
    return tr("Program report, {period}").format(period=period_text(report.period))


def generated_text(moment: datetime) -> str:
    """'November 26, 2026, 12:00 PM' in US English: the long date and the time."""
    return format_datetime(moment, "long")


def departments_text(report: ProgrammeReport) -> str:
    return ", ".join(report.departments) if report.departments else tr("All departments")


def suppression_text(report: ProgrammeReport) -> str:
    if report.threshold <= 0:
        return tr("Off: every count is shown.")
    t = report.threshold
    if not report.tables:
        # Translators: {t} is the small-count threshold, a number of people.
        return tr("Fewer than {t} people in this report: every table withheld.").format(t=t)
    # Translators: {t} is the small-count threshold; keep “<{t}”, the report's symbol.
    return tr(
        "Figures made of fewer than {t} people are not shown (“<{t}”, zero included)."
    ).format(t=t)


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
            notes.append(
                # Translators: {symbol} is the report's mark for a small count, e.g. “<5”.
                tr("“{symbol}”: a count too small to publish (fewer than the threshold).").format(
                    symbol=text
                )
            )
        else:
            notes.append(
                # Translators: {symbol} is the report's mark for a hidden cell, “c”.
                tr("“{symbol}”: hidden so that a small count cannot be worked out.").format(
                    symbol=text
                )
            )
    return tuple(notes)


def all_definitions(report: ProgrammeReport) -> list[tuple[str, str]]:
    """The key figures' definitions first, then the report's own terms not already given."""
    return [(term, text) for _key, term, text in keyed_definitions(report)]


def keyed_definitions(report: ProgrammeReport) -> list[tuple[str, str, str]]:
    """`all_definitions` with a stable id each, the same in every language: the key
    figure's key, or the report's id for the term (made from the term when it has none)."""
    own = report.definition_keys
    if len(own) != len(report.definitions):
        own = tuple(slug(term) for term, _text in report.definitions)
    seen: set[str] = set()
    out: list[tuple[str, str, str]] = []
    every = [
        *((k.key, k.label, k.definition) for k in report.kpis),
        *((key, term, text) for key, (term, text) in zip(own, report.definitions, strict=True)),
    ]
    for key, term, text in every:
        folded = term.casefold().strip()
        if folded in seen or not text.strip():
            continue
        seen.add(folded)
        out.append((key, term, text))
    return out


def _all_cells(report: ProgrammeReport) -> list[Cell]:
    cells: list[Cell] = [c for k in report.kpis for c in (k.current, k.previous)]
    for table in report.tables:
        rows = [*table.rows, *([table.total] if table.total else [])]
        cells.extend(c for row in rows for c in row.cells)
    return cells
