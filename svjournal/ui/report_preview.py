"""The programme report as HTML for the on-screen preview (the same cells the files get)."""

from __future__ import annotations

from html import escape

from svjournal.core.i18n import tr
from svjournal.reports.model import Cell, ProgrammeReport, ReportTable
from svjournal.ui.formatting import format_span


def _cell(cell: Cell, *, bold: bool = False) -> str:
    text = escape(cell.text)
    if bold:
        text = f"<b>{text}</b>"
    return f'<td align="right">{text}</td>'


def _table(table: ReportTable) -> str:
    head = "".join(f'<th align="right">{escape(c)}</th>' for c in table.columns)
    rows = [
        f"<tr><td>{escape(row.label)}</td>{''.join(_cell(c) for c in row.cells)}</tr>"
        for row in table.rows
    ]
    if table.total is not None:
        cells = "".join(_cell(c, bold=True) for c in table.total.cells)
        rows.append(f"<tr><td><b>{escape(table.total.label)}</b></td>{cells}</tr>")
    note = f"<p><i>{escape(table.note)}</i></p>" if table.note else ""
    return (
        f"<h3>{escape(table.title)}</h3>{note}"
        '<table cellspacing="0" cellpadding="4" border="1" style="border-collapse: collapse">'
        f'<tr><th align="left">{escape(table.dimension)}</th>{head}</tr>'
        f"{''.join(rows)}</table>"
    )


def report_html(report: ProgrammeReport) -> str:
    period = format_span(report.period)
    before = format_span(report.previous_period)
    departments = ", ".join(report.departments) if report.departments else tr("All departments")
    kpis = "".join(
        f"<tr><td>{escape(k.label)}</td>{_cell(k.current, bold=True)}{_cell(k.previous)}</tr>"
        for k in report.kpis
    )
    notices = "".join(f"<p><small>{escape(n)}</small></p>" for n in report.notices)
    tables = "".join(_table(t) for t in report.tables)
    if not tables:
        tables = "<p>" + escape(tr("No activity in this period.")) + "</p>"
    # The words outside the f-strings: Babel does not look for markers inside them.
    summary = escape(tr("Summary"))
    # Translators: the column headings of the preview's summary table.
    figure, this_period = escape(tr("Figure")), escape(tr("This period"))
    previous = escape(tr("Previous period"))
    return (
        f"<h2>{escape(report.programme_name)}</h2>"
        f"<p><b>{escape(period)}</b> · {escape(report.scope)} · {escape(departments)}</p>"
        f"<p><i>{escape(report.CONFIDENTIALITY)}</i></p>"
        f'<h3>{summary}</h3><table cellspacing="0" cellpadding="4" border="1" '
        'style="border-collapse: collapse">'
        f'<tr><th align="left">{figure}</th><th align="right">{this_period}</th>'
        f'<th align="right">{previous}<br/><small>{escape(before)}</small></th></tr>'
        f"{kpis}</table>{notices}{tables}"
    )
