"""The programme report as a workbook: a summary sheet, one sheet per table, definitions.

Published figures are real numbers (with a number format that shows them as the report
does, "38%", "26.5 h"; the spreadsheet writes their digits as its own locale does);
suppressed and protected cells are the report's text ("<5", "c"), so a sum over a column
can never silently include a hidden count. Every word (sheet names, headings, notes) is in
the language the report is written in.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

from svjournal.core.i18n import N_, tr
from svjournal.reports.model import Cell, ProgrammeReport, ReportRow, ReportTable
from svjournal.reports.wording import (
    all_definitions,
    departments_text,
    generated_text,
    language_tag,
    period_text,
    subject_text,
    suppression_text,
    symbol_notices,
    total_label,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# Translators: the name of a spreadsheet tab (at most 31 characters).
SUMMARY_SHEET = N_("Summary")
# Translators: the name of a spreadsheet tab (at most 31 characters).
DEFINITIONS_SHEET = N_("Definitions")
MAX_SHEET_NAME = 31

# Rows above a table's header: its title and its note; the header row is frozen.
HEADER_ROW = 3
_MIN_WIDTH, _MAX_WIDTH = 8, 60
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_RESERVED = {"history"}  # Excel refuses a sheet of this name
_NUMBER_TEXT = re.compile(r"(-?\d[\d,\u00a0\u202f]*(?:\.(\d+))?)\s*(%|h)?")


def render_xlsx(report: ProgrammeReport) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    summary = workbook.active
    assert summary is not None  # a new workbook always has one sheet
    summary_name = sheet_name(tr(SUMMARY_SHEET), set())
    definitions_name = sheet_name(tr(DEFINITIONS_SHEET), {summary_name.casefold()})
    summary.title = summary_name
    _summary(summary, report)
    taken = {summary_name.casefold(), definitions_name.casefold()}
    for table in report.tables:
        name = sheet_name(table.title or table.key, taken)
        taken.add(name.casefold())
        _table(workbook.create_sheet(name), table, symbol_notices(report))
    _definitions(workbook.create_sheet(definitions_name), report)
    workbook.properties.title = report.programme_name
    workbook.properties.creator = "svjournal"
    workbook.properties.lastModifiedBy = "svjournal"
    workbook.properties.subject = subject_text(report)
    workbook.properties.language = language_tag()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_name(title: str, taken: set[str]) -> str:
    """At most 31 characters, none of []:*?/\\, unique ignoring case (as Excel compares)."""
    base = _BAD_SHEET_CHARS.sub(" ", title)
    base = " ".join(base.split()).strip("'") or tr("Table")
    if base.casefold() in _RESERVED:
        # Translators: a spreadsheet tab named after a table whose own name Excel refuses
        # ("History"); {name} is that name.
        base = tr("{name} table").format(name=base)
    name, n = base[:MAX_SHEET_NAME].rstrip(), 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = base[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix, n + 1
    return name


def number_for(cell: Cell) -> tuple[float | int, str] | None:
    """(value, Excel number format) for a published figure whose text shows that value;
    None to write the text instead (a hidden cell, or text that is not a plain number)."""
    if not cell.published or cell.value is None or isinstance(cell.value, bool):
        return None
    if cell.kind:
        return _number_of_kind(cell.value, cell.kind)
    match = _NUMBER_TEXT.fullmatch(cell.text.strip())
    if match is None:
        return None
    shown = float(re.sub(r"[,\u00a0\u202f]", "", match.group(1)))
    decimals = len(match.group(2) or "")
    unit = match.group(3)
    digits = "0" if decimals == 0 else "0." + "0" * decimals
    value = cell.value
    if unit == "%":
        # The model may hold the fraction (0.38) or the percentage (38) behind "38 %".
        for fraction in (value, value / 100):
            if _rounds_to(fraction * 100, shown, decimals):
                return fraction, digits + "%"
        return None
    if not _rounds_to(value, shown, decimals):
        return None
    if unit == "h":
        return value, f'{digits} "h"'
    return value, "#,##" + digits


def _number_of_kind(value: float | int, kind: str) -> tuple[float | int, str]:
    """A figure whose kind the report says: its number and format, whatever the language
    of its text ("38 %", "26,5 h")."""
    if kind == "percent":
        return value, "0%"
    if kind == "hours":
        return value, f'0.0 "{_unit(tr("{hours} h"), "hours")}"'
    if kind == "days":
        return value, f'0.0 "{_unit(tr("{days} days"), "days")}"'
    if kind == "decimal":
        return value, "#,##0.0"
    return value, "#,##0"


def _unit(pattern: str, field: str) -> str:
    """The unit of a translated "{hours} h" for a number format: "h", "Std." ("" and
    quotes taken out: Excel would read them as the format's own)."""
    return pattern.replace("{" + field + "}", "").replace('"', "").strip()


def _rounds_to(value: float, shown: float, decimals: int) -> bool:
    return abs(value - shown) <= 0.5 * 10**-decimals + 1e-9


# --- sheets ---------------------------------------------------------------------------------


def _summary(ws: Worksheet, report: ProgrammeReport) -> None:
    from openpyxl.styles import Alignment, Font

    _put(ws, 1, 1, report.programme_name).font = Font(bold=True, size=14)
    _put(ws, 2, 1, tr("Program report"))
    facts = [
        (tr("Scope"), report.scope),
        (tr("Period"), period_text(report.period)),
        # Translators: the previous period, which the report's figures are compared with.
        (tr("Compared with"), period_text(report.previous_period)),
        (tr("Departments"), departments_text(report)),
        # Translators: when the report was made ("Generated: November 26, 2026").
        (tr("Generated"), generated_text(report.generated_at)),
        # Translators: the heading of the small-count suppression setting of the report.
        (tr("Small counts"), suppression_text(report)),
        (tr("Confidentiality"), report.CONFIDENTIALITY),
    ]
    row = 4
    for label, text in facts:
        _put(ws, row, 1, label).font = Font(bold=True)
        _put(ws, row, 2, text)
        row += 1
    row += 1
    headers = (
        tr("Key figure"),
        tr("This period ({period})").format(period=period_text(report.period, short=True)),
        tr("Previous period ({period})").format(
            period=period_text(report.previous_period, short=True)
        ),
    )
    _header(ws, row, headers, right_from=2)
    for kpi in report.kpis:
        row += 1
        _put(ws, row, 1, kpi.label)
        _figure(ws, row, 2, kpi.current)
        _figure(ws, row, 3, kpi.previous)
    row += 2
    for notice in symbol_notices(report):
        _put(ws, row, 1, notice).alignment = Alignment(wrap_text=False)
        row += 1
    _fit_columns(ws, first_row=4, last_row=4 + len(facts) + 1 + len(report.kpis) + 1)


def _table(ws: Worksheet, table: ReportTable, notices: tuple[str, ...]) -> None:
    from openpyxl.styles import Border, Font, Side

    _put(ws, 1, 1, table.title).font = Font(bold=True, size=13)
    if table.note:
        _put(ws, 2, 1, table.note).font = Font(italic=True)
    _header(ws, HEADER_ROW, (table.dimension, *table.columns), right_from=2)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    row = HEADER_ROW
    for line in table.rows:
        row += 1
        _row(ws, row, line, line.label)
    if table.total is not None:
        row += 1
        _row(ws, row, table.total, table.total.label or total_label())
        rule = Border(top=Side(style="thin"))
        for col in range(1, len(table.columns) + 2):
            cell = ws.cell(row, col)
            cell.font = Font(bold=True)
            cell.border = rule
    last = row
    row += 2
    for notice in notices:
        _put(ws, row, 1, notice).font = Font(italic=True)
        row += 1
    _fit_columns(ws, first_row=HEADER_ROW, last_row=last)


def _definitions(ws: Worksheet, report: ProgrammeReport) -> None:
    from openpyxl.styles import Alignment, Font

    _header(ws, 1, (tr("Term"), tr("Definition")), right_from=None)
    ws.freeze_panes = ws.cell(2, 1)
    row = 1
    wrap = Alignment(wrap_text=True, vertical="top")
    for term, text in all_definitions(report):
        row += 1
        _put(ws, row, 1, term).alignment = wrap
        _put(ws, row, 2, text).alignment = wrap
    notices = symbol_notices(report)
    if notices:
        row += 2
        _put(ws, row, 1, tr("Symbols")).font = Font(bold=True)
        for notice in notices:
            row += 1
            _put(ws, row, 2, notice).alignment = wrap
    _fit_columns(ws, first_row=1, last_row=row)
    ws.column_dimensions["A"].width = min(ws.column_dimensions["A"].width, 34)
    ws.column_dimensions["B"].width = 90


# --- cells ----------------------------------------------------------------------------------


def _put(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    cell = ws.cell(row, col)
    cell.value = value
    if isinstance(value, str):
        # openpyxl stores a string starting with "=" as a formula; a label never is one.
        cell.data_type = "s"
    return cell


def _header(ws: Worksheet, row: int, headings: tuple[str, ...], right_from: int | None) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side

    rule = Border(bottom=Side(style="thin"))
    for col, heading in enumerate(headings, start=1):
        cell = _put(ws, row, col, heading)
        cell.font = Font(bold=True)
        cell.border = rule
        if right_from is not None and col >= right_from:
            cell.alignment = Alignment(horizontal="right", wrap_text=False)


def _row(ws: Worksheet, row: int, line: ReportRow, label: str) -> None:
    _put(ws, row, 1, label)
    for col, cell in enumerate(line.cells, start=2):
        _figure(ws, row, col, cell)


def _figure(ws: Worksheet, row: int, col: int, cell: Cell) -> None:
    from openpyxl.styles import Alignment

    number = number_for(cell)
    if number is None:
        target = _put(ws, row, col, cell.text)
    else:
        target = _put(ws, row, col, number[0])
        target.number_format = number[1]
    target.alignment = Alignment(horizontal="right")


def _fit_columns(ws: Worksheet, first_row: int, last_row: int) -> None:
    """Widths from the longest text in rows first_row..last_row (titles and notes above or
    below may run on into empty cells)."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for cells in ws.iter_rows(min_row=first_row, max_row=max(first_row, last_row)):
        for cell in cells:
            if cell.value is None:
                continue
            shown = _shown_length(cell.value)
            widths[cell.column] = max(widths.get(cell.column, 0), shown)
    for col, width in widths.items():
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = max(_MIN_WIDTH, min(_MAX_WIDTH, width + 2))


def _shown_length(value: Any) -> int:
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    if isinstance(value, int):
        return len(f"{value:,}")
    return max((len(line) for line in str(value).splitlines()), default=0)
