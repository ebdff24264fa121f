"""The programme report as one tidy CSV table: one published figure per line.

Columns, in this order:

- ``metric``: a stable id, ``<table key>.<column>`` (``by_role.encounters``) or
  ``kpi.<key>`` (``kpi.people_reached``); the same id in every report.
- ``measure``: the reader's name of the figure (the column heading or the KPI label).
- ``dimension``: what the table breaks down by ("Role", "Month"); empty for a KPI.
- ``category``: the row's label ("Nurse", "Total"); empty for a KPI.
- ``code``: the row's stable code ("nurse", "2026-01"); empty for a total or a KPI.
- ``value``: exactly the published text: "12", "38 %", "26.5 h"; "<5" for a count below
  the threshold, the report's protection mark (e.g. "c") for a cell hidden so that a small
  count cannot be worked out, "—" where there is nothing to compute.
- ``status``: ``published``, ``small``, ``protected`` or ``n/a``, so a script can keep the
  numbers without parsing symbols; ``notice`` and ``definition`` for the lines after the
  figures that say what "<5" and "c" mean and how each figure is defined (the report's
  definitions page: ``notice.<n>`` and ``definition.<term>`` metrics, the text as value).
- ``period_start``, ``period_end``: ISO dates, both days included. KPIs appear twice, once
  for the report's period and once for the previous period.

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

from svjournal.reports.model import Cell, ProgrammeReport, ReportRow, ReportTable
from svjournal.reports.wording import TOTAL_LABEL, all_definitions, symbol_notices

HEADER = (
    "metric",
    "measure",
    "dimension",
    "category",
    "code",
    "value",
    "status",
    "period_start",
    "period_end",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d[\d.,]*(\s*%)?")


def render_csv(report: ProgrammeReport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for line in rows(report):
        writer.writerow([_safe(value) for value in line])
    return buffer.getvalue().encode("utf-8-sig")


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
    for n, notice in enumerate(symbol_notices(report), start=1):
        out.append((f"notice.{n}", "Notice", "", "", "", notice, "notice", *current))
    for term, text in all_definitions(report):
        out.append((f"definition.{slug(term)}", term, "", "", "", text, "definition", *current))
    return out


def _table_rows(table: ReportTable, start: str, end: str) -> list[tuple[str, ...]]:
    slugs = _unique_slugs(table.columns)
    lines: list[ReportRow] = [*table.rows, *([table.total] if table.total else [])]
    out: list[tuple[str, ...]] = []
    for row in lines:
        is_total = row is table.total
        label = (row.label or TOTAL_LABEL) if is_total else row.label
        for heading, slug, cell in zip(table.columns, slugs, row.cells, strict=True):
            out.append(
                (
                    f"{table.key}.{slug}",
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
    return cell.text, cell.state.value


def slug(text: str) -> str:
    """'On time (%)' → 'on_time'; a heading with no letters or digits → 'value'."""
    words = re.findall(r"[0-9a-z]+", text.casefold())
    return "_".join(words) or "value"


def _unique_slugs(headings: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for heading in headings:
        base = slug(heading)
        name, n = base, 2
        while name in out:
            name, n = f"{base}_{n}", n + 1
        out.append(name)
    return out


def _safe(value: str) -> str:
    """Neutralise a formula lead-in, but leave numbers such as "-2" or "-3 %" alone."""
    if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
