"""The printed report's tables: headings wrap between words, a Total line never tops a page
alone."""

from __future__ import annotations

import io

from pypdf import PdfReader

from svjournal.core import vocab
from svjournal.reports import pdf_style, pdf_tables
from svjournal.reports.model import ReportRow, ReportTable
from svjournal.reports.write import render_report
from tests.unit.test_report_writers import count, make_report, pub


def stage_table(months: int = 12) -> ReportTable:
    """Shaped as the report's "Encounters by month and recovery stage": eight figure
    columns, the last headed "All encounters"."""
    columns = (*(f"Stage {s}" for s in vocab.STAGES.codes()), "No stage", "All encounters")
    rows = tuple(
        ReportRow(
            f"{name} 2026",
            f"2026-{m + 1:02d}",
            (*(count(3 * m + s) for s in range(7)), pub(1200 + m)),
        )
        for m, name in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug"))
        if m < months
    )
    total = ReportRow("Total", "", (*(pub(100 + s) for s in range(7)), pub(10_000)))
    return ReportTable(
        "encounters_by_stage", "Encounters by month and stage", "Month", columns, rows, total
    )


def pdf_lines(report: object) -> list[list[str]]:
    reader = PdfReader(io.BytesIO(render_report(report, "pdf")))  # type: ignore[arg-type]
    return [
        [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        for page in reader.pages
    ]


def test_table_headings_wrap_between_words_never_inside_one() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    pdf_style.register_fonts()
    table = stage_table()
    widths = pdf_tables.column_widths(table)
    assert abs(sum(widths) - pdf_style.BODY_W) < 0.01
    for heading, width in zip(table.columns, widths[1:], strict=True):
        for word in heading.split():
            assert (
                stringWidth(word, pdf_style.FONT_BOLD, pdf_style.TABLE_SIZE)
                + 2 * pdf_style.CELL_PAD
                <= width
            ), heading
    # And in the printed page: "encounters" whole, not "encoun" / "ters".
    lines = [line for page in pdf_lines(make_report((table,))) for line in page]
    words = {word for line in lines for word in line.split()}
    assert "encounters" in words or "encounters" in " ".join(lines)
    assert not any(line.endswith("encoun") or line.startswith("ters") for line in lines)


def test_a_total_line_never_tops_a_page_alone() -> None:
    # Table lengths around a page's capacity: for one of them the total is the row that
    # would have fallen onto the next page on its own.
    for n in range(20, 40):
        rows = tuple(
            ReportRow(f"Event kind {i:03d}", f"e{i}", (pub(10 + i), pub(i))) for i in range(n)
        )
        total = ReportRow("Total", "", (pub(99_999), pub(8_888)))
        table = ReportTable(
            "by_high_risk_event", "High-risk events", "High-risk event", ("Encounters", "Cases"),
            rows, total,
        )  # fmt: skip
        for page in pdf_lines(make_report((table,))):
            if any(line.startswith("Total") for line in page):
                assert any(line.startswith("Event kind") for line in page), n


def test_a_long_tables_heading_is_never_left_alone_at_the_foot_of_a_page() -> None:
    for n in range(20, 40):  # filler tables of several lengths push the heading down
        filler = ReportTable(
            "by_high_risk_event",
            "Filler",
            "Filler row",
            ("Cases",),
            tuple(ReportRow(f"Filler {i:03d}", f"f{i}", (pub(10 + i),)) for i in range(n)),
        )
        long = ReportTable(
            "contacts_per_case",
            "Long table heading",
            "Long row",
            ("Cases",),
            tuple(ReportRow(f"Long {i:03d}", f"l{i}", (pub(10 + i),)) for i in range(30)),
        )
        for page in pdf_lines(make_report((filler, long))):
            if "Long table heading" in page:
                assert sum(line.startswith("Long 0") for line in page) >= 4, n
