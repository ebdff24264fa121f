"""The programme report as an A4 PDF: cover, key figures, charts with their tables, definitions.

Built with reportlab's platypus in memory. Text is set in DejaVu Sans (shipped inside
matplotlib) embedded as a subset, so accents, "≈", "—" and non-Latin names print and stay
extractable. Every page carries the confidentiality line and "Page n of m".
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from svjournal.core.i18n import tr
from svjournal.reports.figures import ChartImage, chart_png
from svjournal.reports.model import ProgrammeReport, ReportTable
from svjournal.reports.pdf_pages import NumberedCanvas, decorate
from svjournal.reports.pdf_style import (
    BODY_H,
    BODY_W,
    FONT,
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MM,
    PAGE_H,
    PAGE_W,
    dates,
    paragraph_styles,
    register_fonts,
    x,
)
from svjournal.reports.pdf_tables import column_widths, table_grid
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
    from reportlab.platypus import Flowable

# A table this short moves to the next page with its heading and chart rather than split.
KEEP_WHOLE_ROWS = 8
# A longer table starts on the page of its heading only with at least this many rows.
KEEP_WITH_HEADING = 4


def render_pdf(report: ProgrammeReport) -> bytes:
    from reportlab.platypus import BaseDocTemplate

    register_fonts()
    styles = paragraph_styles()
    charts = {t.key: image for t in report.tables if (image := chart_png(t)) is not None}
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(PAGE_W, PAGE_H),
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=report.programme_name,
        author="svjournal",
        subject=subject_text(report),
        creator="svjournal",
        lang=language_tag(),
        initialFontName=FONT,  # else every page lists an unused, unembedded Helvetica
    )
    _build(doc, report, styles, charts)
    return buffer.getvalue()


def _build(
    doc: Any, report: ProgrammeReport, styles: dict[str, Any], charts: dict[str, ChartImage]
) -> None:
    from reportlab import rl_config
    from reportlab.platypus import Frame, NextPageTemplate, PageBreak, PageTemplate

    # No frame padding: the margins alone set the text width, which the charts are drawn at.
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        BODY_W,
        BODY_H,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates(
        [
            PageTemplate("cover", [frame], onPage=decorate(report, header=False)),
            PageTemplate("body", [frame], onPage=decorate(report, header=True)),
        ]
    )
    story: list[Flowable] = [
        *_cover(report, styles),
        NextPageTemplate("body"),
        PageBreak(),
        *_key_figures(report, styles),
    ]
    for table in report.tables:
        story.extend(_section(table, charts.get(table.key), styles))
    story.extend(_definitions(report, styles))
    # ASCII85 makes streams 25 % larger and, without reportlab's C accelerator, costs about
    # 0.3 s of pure Python for the charts; binary streams are fine for every PDF reader.
    saved, rl_config.useA85 = rl_config.useA85, 0
    try:
        doc.build(story, canvasmaker=NumberedCanvas)
    finally:
        rl_config.useA85 = saved


# --- page furniture -------------------------------------------------------------------------


# --- story ----------------------------------------------------------------------------------


def _cover(report: ProgrammeReport, s: dict[str, Any]) -> list[Flowable]:
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    facts = [
        # Translators: the previous period, which the report's figures are compared with.
        (tr("Compared with"), period_text(report.previous_period)),
        (tr("Scope"), report.scope),
        (tr("Departments"), departments_text(report)),
        # Translators: the heading of the small-count suppression setting of the report.
        (tr("Small counts"), suppression_text(report)),
        # Translators: when the report was made ("Generated: November 26, 2026").
        (tr("Generated"), generated_text(report.generated_at)),
    ]
    rows = [[Paragraph(x(k), s["fact_key"]), Paragraph(x(v), s["body"])] for k, v in facts]
    fact_table = Table(rows, colWidths=[38 * MM, BODY_W - 38 * MM], hAlign="LEFT")
    fact_table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9.5),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    notice = Table([[Paragraph(x(report.CONFIDENTIALITY), s["confidential"])]], colWidths=[BODY_W])
    notice.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 10.5),
                ("BOX", (0, 0), (-1, -1), 0.8, INK),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    return [
        Spacer(1, 45 * MM),
        Paragraph(x(tr("Peer support program report")), s["kicker"]),
        Paragraph(x(report.programme_name), s["cover_title"]),
        Paragraph(x(period_text(report.period)), s["cover_period"]),
        Spacer(1, 14 * MM),
        fact_table,
        Spacer(1, 12 * MM),
        notice,
        Spacer(1, 5 * MM),
        Paragraph(
            x(
                tr(
                    "Peer support is not therapy. This report holds aggregate counts only: "
                    "no names, no contact details, no notes. Figures are defined at the end "
                    "of the report."
                )
            ),
            s["small"],
        ),
    ]


def _key_figures(report: ProgrammeReport, s: dict[str, Any]) -> list[Flowable]:
    from reportlab.platypus import Paragraph, Spacer

    header = [
        Paragraph(x(tr("Key figure")), s["th"]),
        Paragraph(
            x(tr("This period")) + dates(period_text(report.period, short=True)), s["th_right"]
        ),
        Paragraph(
            x(tr("Previous period")) + dates(period_text(report.previous_period, short=True)),
            s["th_right"],
        ),
    ]
    rows = [[Paragraph(x(k.label), s["td"]), k.current, k.previous] for k in report.kpis]
    widths = [BODY_W - 2 * 48 * MM, 48 * MM, 48 * MM]
    story: list[Flowable] = [Paragraph(x(tr("Key figures")), s["h1"])]
    if rows:
        story.append(table_grid(header, rows, widths, total=None, s=s))
    else:
        story.append(Paragraph(x(tr("No key figures in this report.")), s["body"]))
    story.append(Spacer(1, 3 * MM))
    story.extend(_notices(report, s))
    story.append(Spacer(1, 8 * MM))
    return story


def _section(table: ReportTable, chart: ChartImage | None, s: dict[str, Any]) -> list[Flowable]:
    from reportlab.platypus import CondPageBreak, Image, KeepTogether, Paragraph, Spacer

    parts: list[Flowable] = [Paragraph(x(table.title), s["h2"])]
    if table.note:
        parts.append(Paragraph(x(table.note), s["note"]))
    if chart is not None:
        # Printed at its drawn size; shrunk only if it could not fit a page (never clipped).
        scale = min(1.0, BODY_W / (chart.width * 72), BODY_H * 0.8 / (chart.height * 72))
        width, height = chart.width * 72 * scale, chart.height * 72 * scale
        parts.append(Image(io.BytesIO(chart.png), width=width, height=height))
        parts.append(Spacer(1, 2 * MM))
    if table.rows:
        header = [
            Paragraph(x(table.dimension), s["th"]),
            *(Paragraph(x(c), s["th_right"]) for c in table.columns),
        ]
        rows = [[Paragraph(x(r.label), s["td"]), *r.cells] for r in table.rows]
        total = None
        if table.total is not None:
            label = table.total.label or total_label()
            total = [Paragraph(x(label), s["td_bold"]), *table.total.cells]
        grid = table_grid(header, rows, column_widths(table), total=total, s=s)
        if len(table.rows) <= KEEP_WHOLE_ROWS:
            parts.append(grid)
        else:  # a long table may start under its chart and run on, its header repeated
            # ... but not leave its heading (and chart) alone at the foot of a page: start
            # on a new page unless they fit with the table's header and a few rows.
            chart_h = 0.0 if chart is None else min(chart.height * 72, BODY_H * 0.8)
            needed = chart_h + 22 * MM + (1 + KEEP_WITH_HEADING) * 6 * MM
            return [CondPageBreak(needed), KeepTogether(parts), grid, Spacer(1, 7 * MM)]
    else:
        parts.append(Paragraph(x(tr("Nothing to show in this period.")), s["body"]))
    return [KeepTogether(parts), Spacer(1, 7 * MM)]


def _definitions(report: ProgrammeReport, s: dict[str, Any]) -> list[Flowable]:
    from reportlab.platypus import CondPageBreak, Paragraph

    story: list[Flowable] = [CondPageBreak(60 * MM), Paragraph(x(tr("Definitions")), s["h1"])]
    for term, text in all_definitions(report):
        story.append(Paragraph(f"<b>{x(term)}</b> — {x(text)}", s["definition"]))
    notices = _notices(report, s, heading=True)
    story.extend(notices)
    return story


def _notices(report: ProgrammeReport, s: dict[str, Any], heading: bool = False) -> list[Flowable]:
    from reportlab.platypus import Paragraph

    notes = symbol_notices(report)
    if not notes:
        return []
    out: list[Flowable] = [Paragraph(x(tr("Symbols")), s["h3"])] if heading else []
    out.extend(Paragraph(x(note), s["footnote"]) for note in notes)
    return out


# --- tables ---------------------------------------------------------------------------------


# --- fonts and styles -----------------------------------------------------------------------
