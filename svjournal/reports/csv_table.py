"""The programme report as one tidy CSV table: one published figure per line.

Columns, in this order:

- ``metric``: a stable id, ``<table key>.<column>`` (``by_role.encounters``) or
  ``kpi.<key>`` (``kpi.people_reached``); the same id in every report and every language.
- ``measure``: the reader's name of the figure (the column heading or the KPI label).
- ``dimension``: what the table breaks down by ("Role", "Month"); empty for a KPI.
- ``category``: the row's label ("Nurse", "Total"); empty for a KPI.
- ``code``: the row's stable code ("nurse", "2026-01"); empty for a total or a KPI.
- ``value``: the published figure as plain digits, whatever the report's language: "1234",
  "26.5", "38 %", "26.5 h", "3.5 d" (no grouping, a point for decimals); "<5" for a count
  below the threshold, the report's protection mark (e.g. "c") for a cell hidden so that a small
  count cannot be worked out, "—" where there is nothing to compute.
- ``status``: ``published``, ``small``, ``protected`` or ``n/a``, so a script can keep the
  numbers without parsing symbols; ``notice`` and ``definition`` for the lines after the
  figures that say what "<5" and "c" mean and how each figure is defined (the report's
  definitions page: ``notice.<n>`` and ``definition.<term>`` metrics, the text as value).
- ``period_start``, ``period_end``: ISO dates, both days included. KPIs appear twice, once
  for the report's period and once for the previous period.

Language: the header line and the words (measure, dimension, category, notices and
definitions) are in the report's language; the numbers, the codes, the metric ids, the
status and the dates are not localised, so that a spreadsheet or a script parses the file
the same way whichever language wrote it ("1234.5", never "1.234,5").

Encoding: UTF-8 with a byte-order mark. Excel (Windows in particular) opens a CSV without
one in the legacy code page and mangles "—", "≈", accents and non-Latin names; with it,
Excel, LibreOffice and Numbers all read UTF-8, and Python (``encoding="utf-8-sig"``) and
pandas drop the mark. Lines end in "\\n" (the csv module; every current reader accepts it).

A text cell starting with ``=``, ``+``, ``-`` or ``@`` gets a leading apostrophe, so a
spreadsheet never runs a department name as a formula (CSV injection, OWASP).
"""

from __future__ import annotations

import csv
import io
import re

from svjournal.core.i18n import N_, tr
from svjournal.reports.model import Cell, ProgrammeReport, ReportRow, ReportTable, slug
from svjournal.reports.wording import keyed_definitions, symbol_notices, total_label

__all__ = ["HEADER", "render_csv", "rows", "slug"]

# The header line's words, translated when the file is written (`header()`).
HEADER = (
    # Translators: the CSV report's column headings (this one and the eight after it):
    # keep each one lowercase word (or words joined by "_"), as a script reads them.
    N_("metric"),
    N_("measure"),
    N_("dimension"),
    N_("category"),
    N_("code"),
    N_("value"),
    N_("status"),
    N_("period_start"),
    N_("period_end"),
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d[\d.,]*(\s*%)?")


def render_csv(report: ProgrammeReport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header())
    for line in rows(report):
        writer.writerow([_safe(value) for value in line])
    return buffer.getvalue().encode("utf-8-sig")


def header() -> list[str]:
    """The header line in the report's language (translated headers; the numbers below are
    never localised)."""
    return [tr(name) for name in HEADER]


def rows(report: ProgrammeReport) -> list[tuple[str, ...]]:
    """Every line of the table after the header, as text."""
    current = (report.period.start.isoformat(), report.period.end.isoformat())
    previous = (report.previous_period.start.isoformat(), report.previous_period.end.isoformat())
    out: list[tuple[str, ...]] = []
    for kpi in report.kpis:
        for cell, (start, end) in ((kpi.current, current), (kpi.previous, previous)):
            out.append((f"kpi.{kpi.key}", kpi.label, "", "", "", *_value(cell), start, end))
    for table in report.tables:
        out.extend(_table_rows(table, *current))
    # What the symbols mean and how each figure is defined: the CSV's definitions page.
    # Translators: the "measure" of a line of the CSV report that holds a notice.
    notice_word = tr("Notice")
    for n, notice in enumerate(symbol_notices(report), start=1):
        out.append((f"notice.{n}", notice_word, "", "", "", notice, "notice", *current))
    for key, term, text in keyed_definitions(report):
        out.append((f"definition.{key}", term, "", "", "", text, "definition", *current))
    return out


def _table_rows(table: ReportTable, start: str, end: str) -> list[tuple[str, ...]]:
    slugs = table.keys()
    lines: list[ReportRow] = [*table.rows, *([table.total] if table.total else [])]
    out: list[tuple[str, ...]] = []
    for row in lines:
        is_total = row is table.total
        label = (row.label or total_label()) if is_total else row.label
        for heading, column, cell in zip(table.columns, slugs, row.cells, strict=True):
            out.append(
                (
                    f"{table.key}.{column}",
                    heading,
                    table.dimension,
                    label,
                    "" if is_total else row.code,
                    *_value(cell),
                    start,
                    end,
                )
            )
    return out


def _value(cell: Cell) -> tuple[str, str]:
    return plain_text(cell), cell.state.value


def plain_text(cell: Cell) -> str:
    """The figure as the CSV writes it: plain digits in every language (a spreadsheet in
    any locale parses "1234.5"; "1.234,5" or "1,234.5" it would read as text or misread).
    A cell that says nothing of its kind (hand-built) is written as its text."""
    if not cell.published or cell.value is None or not cell.kind:
        return cell.text
    value = cell.value
    if cell.kind == "count":
        return str(int(value))
    if cell.kind == "percent":
        return f"{value * 100:.0f} %"
    if cell.kind == "hours":
        return f"{value:.1f} h"
    if cell.kind == "days":
        return f"{value:.1f} d"
    return f"{value:.1f}"


def _safe(value: str) -> str:
    """Neutralise a formula lead-in, but leave numbers such as "-2" or "-3 %" alone."""
    if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
