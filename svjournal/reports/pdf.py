"""The programme report as an A4 PDF: cover, key figures, charts with their tables, definitions.

Built with reportlab's platypus in memory. Text is set in DejaVu Sans (shipped inside
matplotlib) embedded as a subset, so accents, "≈", "—" and non-Latin names print and stay
extractable. Every page carries the confidentiality line and "Page n of m".
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from svjournal.reports.figures import ChartImage, chart_png
from svjournal.reports.model import Cell, ProgrammeReport, ReportTable
from svjournal.reports.wording import (
    all_definitions,
    departments_text,
    generated_text,
    period_text,
    suppression_text,
    symbol_notices,
)

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Flowable

MM = 72 / 25.4  # points per millimetre
PAGE_W, PAGE_H = 210 * MM, 297 * MM  # A4 portrait
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 20 * MM, 22 * MM, 22 * MM
BODY_W = PAGE_W - 2 * MARGIN_X
BODY_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM

FONT, FONT_BOLD, FONT_ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
INK, MUTED, RULE, HEAD_FILL, ZEBRA = "#1A1A1A", "#5F6368", "#C9CDD2", "#EEF1F4", "#F7F8FA"
TOTAL_LABEL = "Total"
TABLE_SIZE = 8.5  # points, every table's text
CELL_PAD = 6  # points, reportlab's default left and right cell padding
MIN_LABEL_W = 40 * MM
# A table this short moves to the next page with its heading and chart rather than split.
KEEP_WHOLE_ROWS = 8
# A longer table starts on the page of its heading only with at least this many rows.
KEEP_WITH_HEADING = 4


def render_pdf(report: ProgrammeReport) -> bytes:
    from reportlab.platypus import BaseDocTemplate

    _register_fonts()
    styles = _styles()
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
        subject=f"Programme report, {period_text(report.period)}",
        creator="svjournal",
        lang="en",
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
            PageTemplate("cover", [frame], onPage=_decorate(report, header=False)),
            PageTemplate("body", [frame], onPage=_decorate(report, header=True)),
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


def _numbered_canvas() -> type[Canvas]:
    from reportlab.pdfgen.canvas import Canvas

    class Numbered(Canvas):
        """Keeps every page until the end, then stamps "Page n of m" on each (two passes
        would lay the whole document out twice)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(FONT, 7.5)
                self.setFillColor(MUTED)
                self.drawRightString(
                    PAGE_W - MARGIN_X,
                    MARGIN_BOTTOM - 12 * MM,
                    f"Page {self._pageNumber} of {total}",
                )
                super().showPage()
            super().save()

    return Numbered


def NumberedCanvas(*args: Any, **kwargs: Any) -> Canvas:
    """reportlab calls `canvasmaker(...)` like a class; the class is built on first use."""
    global _NUMBERED
    if _NUMBERED is None:
        _NUMBERED = _numbered_canvas()
    return _NUMBERED(*args, **kwargs)


_NUMBERED: type[Canvas] | None = None


def _decorate(report: ProgrammeReport, *, header: bool) -> Callable[[Canvas, Any], None]:
    """Draws the running header (body pages) and the confidentiality footer (every page)."""
    title = f"{report.programme_name} — programme report"
    period = period_text(report.period)

    def on_page(canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        if header:
            y = PAGE_H - MARGIN_TOP + 8 * MM
            canvas.drawString(MARGIN_X, y, _fit(canvas, title, BODY_W * 0.6))
            canvas.drawRightString(PAGE_W - MARGIN_X, y, period)
            canvas.line(MARGIN_X, y - 2.5 * MM, PAGE_W - MARGIN_X, y - 2.5 * MM)
        y = MARGIN_BOTTOM - 12 * MM
        canvas.line(MARGIN_X, y + 4 * MM, PAGE_W - MARGIN_X, y + 4 * MM)
        canvas.drawString(MARGIN_X, y, report.CONFIDENTIALITY)
        canvas.restoreState()

    return on_page


def _fit(canvas: Canvas, text: str, width: float) -> str:
    """Cut a running-header text with an ellipsis so it never runs into the period."""
    if canvas.stringWidth(text, FONT, 7.5) <= width:
        return text
    while text and canvas.stringWidth(text + "…", FONT, 7.5) > width:
        text = text[:-1]
    return text.rstrip() + "…"


# --- story ----------------------------------------------------------------------------------


def _cover(report: ProgrammeReport, s: dict[str, Any]) -> list[Flowable]:
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    facts = [
        ("Compared with", period_text(report.previous_period)),
        ("Scope", report.scope),
        ("Departments", departments_text(report)),
        ("Small counts", suppression_text(report)),
        ("Generated", generated_text(report.generated_at)),
    ]
    rows = [[Paragraph(_x(k), s["fact_key"]), Paragraph(_x(v), s["body"])] for k, v in facts]
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
    notice = Table([[Paragraph(_x(report.CONFIDENTIALITY), s["confidential"])]], colWidths=[BODY_W])
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
        Paragraph("Peer support programme report", s["kicker"]),
        Paragraph(_x(report.programme_name), s["cover_title"]),
        Paragraph(_x(period_text(report.period)), s["cover_period"]),
        Spacer(1, 14 * MM),
        fact_table,
        Spacer(1, 12 * MM),
        notice,
        Spacer(1, 5 * MM),
        Paragraph(
            "Peer support is not therapy. This report holds aggregate counts only: no names, "
            "no contact details, no notes. Figures are defined at the end of the report.",
            s["small"],
        ),
    ]


def _key_figures(report: ProgrammeReport, s: dict[str, Any]) -> list[Flowable]:
    from reportlab.platypus import Paragraph, Spacer

    header = [
        Paragraph("Key figure", s["th"]),
        Paragraph(f"This period{_dates(period_text(report.period, short=True))}", s["th_right"]),
        Paragraph(
            f"Previous period{_dates(period_text(report.previous_period, short=True))}",
            s["th_right"],
        ),
    ]
    rows = [[Paragraph(_x(k.label), s["td"]), k.current, k.previous] for k in report.kpis]
    widths = [BODY_W - 2 * 48 * MM, 48 * MM, 48 * MM]
    story: list[Flowable] = [Paragraph("Key figures", s["h1"])]
    if rows:
        story.append(_grid(header, rows, widths, total=None, s=s))
    else:
        story.append(Paragraph("No key figures in this report.", s["body"]))
    story.append(Spacer(1, 3 * MM))
    story.extend(_notices(report, s))
    story.append(Spacer(1, 8 * MM))
    return story


def _section(table: ReportTable, chart: ChartImage | None, s: dict[str, Any]) -> list[Flowable]:
    from reportlab.platypus import CondPageBreak, Image, KeepTogether, Paragraph, Spacer

    parts: list[Flowable] = [Paragraph(_x(table.title), s["h2"])]
    if table.note:
        parts.append(Paragraph(_x(table.note), s["note"]))
    if chart is not None:
        # Printed at its drawn size; shrunk only if it could not fit a page (never clipped).
        scale = min(1.0, BODY_W / (chart.width * 72), BODY_H * 0.8 / (chart.height * 72))
        width, height = chart.width * 72 * scale, chart.height * 72 * scale
        parts.append(Image(io.BytesIO(chart.png), width=width, height=height))
        parts.append(Spacer(1, 2 * MM))
    if table.rows:
        header = [
            Paragraph(_x(table.dimension), s["th"]),
            *(Paragraph(_x(c), s["th_right"]) for c in table.columns),
        ]
        rows = [[Paragraph(_x(r.label), s["td"]), *r.cells] for r in table.rows]
        total = None
        if table.total is not None:
            label = table.total.label or TOTAL_LABEL
            total = [Paragraph(_x(label), s["td_bold"]), *table.total.cells]
        grid = _grid(header, rows, _widths(table), total=total, s=s)
        if len(table.rows) <= KEEP_WHOLE_ROWS:
            parts.append(grid)
        else:  # a long table may start under its chart and run on, its header repeated
            # ... but not leave its heading (and chart) alone at the foot of a page: start
            # on a new page unless they fit with the table's header and a few rows.
            chart_h = 0.0 if chart is None else min(chart.height * 72, BODY_H * 0.8)
            needed = chart_h + 22 * MM + (1 + KEEP_WITH_HEADING) * 6 * MM
            return [CondPageBreak(needed), KeepTogether(parts), grid, Spacer(1, 7 * MM)]
    else:
        parts.append(Paragraph("Nothing to show in this period.", s["body"]))
    return [KeepTogether(parts), Spacer(1, 7 * MM)]


def _definitions(report: ProgrammeReport, s: dict[str, Any]) -> list[Flowable]:
    from reportlab.platypus import CondPageBreak, Paragraph

    story: list[Flowable] = [CondPageBreak(60 * MM), Paragraph("Definitions", s["h1"])]
    for term, text in all_definitions(report):
        story.append(Paragraph(f"<b>{_x(term)}</b> — {_x(text)}", s["definition"]))
    notices = _notices(report, s, heading=True)
    story.extend(notices)
    return story


def _notices(report: ProgrammeReport, s: dict[str, Any], heading: bool = False) -> list[Flowable]:
    from reportlab.platypus import Paragraph

    notes = symbol_notices(report)
    if not notes:
        return []
    out: list[Flowable] = [Paragraph("Symbols", s["h3"])] if heading else []
    out.extend(Paragraph(_x(note), s["footnote"]) for note in notes)
    return out


# --- tables ---------------------------------------------------------------------------------


def _widths(table: ReportTable) -> list[float]:
    """Figure columns as wide as their longest word or figure (headings wrap between words,
    never inside one), at least 16 mm; the label column takes the rest, at least 40 mm.

    A table with many columns first narrows its label column (down to its own longest word),
    then gives up the 16 mm floor of its figure columns (down to their longest word); only
    a table that still does not fit has words broken.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    pad = 2 * CELL_PAD + 2  # a little slack: a word exactly as wide as its cell still breaks

    def longest_word(texts: Sequence[str], font: str) -> float:
        words = [w for text in texts for w in text.split()]
        return max((stringWidth(w, font, TABLE_SIZE) for w in words), default=0.0)

    lines = [*table.rows, *([table.total] if table.total else [])]
    minima = [
        max(
            longest_word([heading], FONT_BOLD),
            max((stringWidth(r.cells[j].text, FONT_BOLD, TABLE_SIZE) for r in lines), default=0),
        )
        + pad
        for j, heading in enumerate(table.columns)
    ]
    figures = [max(16 * MM, m) for m in minima]
    labels = [table.dimension, *(r.label for r in lines), TOTAL_LABEL]
    label_min = min(MIN_LABEL_W, max(20 * MM, longest_word(labels, FONT_BOLD) + pad))
    room = BODY_W - label_min
    if sum(figures) > room:
        spare = [f - m for f, m in zip(figures, minima, strict=True)]
        over = sum(figures) - room
        if sum(spare) >= over:
            figures = [f - e * over / sum(spare) for f, e in zip(figures, spare, strict=True)]
        else:  # even the words do not fit side by side
            figures = [m * room / sum(minima) for m in minima]
    return [BODY_W - sum(figures), *figures]


def _grid(
    header: list[Any],
    rows: Sequence[list[Any]],
    widths: list[float],
    total: list[Any] | None,
    s: dict[str, Any],
) -> Flowable:
    """A table with a repeated header, right-aligned figures, muted hidden cells and a bold
    total line. Cells are Paragraphs (labels) or model Cells (figures, shown as their text)."""
    from reportlab.platypus import Table, TableStyle

    body = [*rows, *([total] if total is not None else [])]
    data = [header, *([_text(v) for v in row] for row in body)]
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, TABLE_SIZE),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("ROWBACKGROUNDS", (0, 1), (-1, len(rows)), ["#FFFFFF", ZEBRA]),
    ]
    for r, row in enumerate(body, start=1):
        for c, value in enumerate(row):
            if isinstance(value, Cell) and not value.published:
                commands.append(("TEXTCOLOR", (c, r), (c, r), MUTED))
                commands.append(("FONT", (c, r), (c, r), FONT_ITALIC, TABLE_SIZE))
    if total is not None:
        last = len(body)
        commands += [
            # The total never tops a page alone: it goes over with the two rows before it.
            ("NOSPLIT", (0, max(1, last - 2)), (-1, last)),
            ("FONT", (1, last), (-1, last), FONT_BOLD, TABLE_SIZE),
            ("LINEABOVE", (0, last), (-1, last), 0.8, INK),
            ("BACKGROUND", (0, last), (-1, last), "#FFFFFF"),
        ]
        for c, value in enumerate(total):
            if isinstance(value, Cell) and not value.published:
                commands.append(("FONT", (c, last), (c, last), FONT_ITALIC, TABLE_SIZE))
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def _text(value: Any) -> Any:
    """A figure cell prints its text, whatever it hides; Paragraphs pass through."""
    return value.text if isinstance(value, Cell) else value


# --- fonts and styles -----------------------------------------------------------------------


def _register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    faces = {
        FONT: "DejaVuSans.ttf",
        FONT_BOLD: "DejaVuSans-Bold.ttf",
        FONT_ITALIC: "DejaVuSans-Oblique.ttf",
        "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf",
    }
    for name, file in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT_ITALIC)
    addMapping(FONT, 1, 1, "DejaVuSans-BoldOblique")


def _styles() -> dict[str, Any]:
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK)

    def like(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=body, **kw)

    def heading(name: str, **kw: Any) -> ParagraphStyle:
        # A heading never ends a page: it moves over with what it heads.
        return like(name, fontName=FONT_BOLD, keepWithNext=1, **kw)

    return {
        "body": body,
        "small": like("small", fontSize=8.5, leading=12, textColor=MUTED),
        "kicker": like("kicker", fontSize=11, leading=14, textColor=MUTED, spaceAfter=4),
        "cover_title": like("cover_title", fontName=FONT_BOLD, fontSize=26, leading=31),
        "cover_period": like("cover_period", fontSize=14, leading=18, spaceBefore=6),
        "fact_key": like("fact_key", fontName=FONT_BOLD),
        "confidential": like("confidential", fontName=FONT_BOLD, fontSize=10.5, leading=14),
        "h1": heading("h1", fontSize=16, leading=20, spaceAfter=8),
        "h2": heading("h2", fontSize=12.5, leading=16, spaceAfter=3),
        "h3": heading("h3", fontSize=10, leading=13, spaceBefore=8),
        "note": like("note", fontSize=8.5, leading=11.5, textColor=MUTED, spaceAfter=4),
        "th": like("th", fontName=FONT_BOLD, fontSize=TABLE_SIZE, leading=10.5),
        "th_right": like(
            "th_right", fontName=FONT_BOLD, fontSize=TABLE_SIZE, leading=10.5, alignment=TA_RIGHT
        ),
        "td": like("td", fontSize=TABLE_SIZE, leading=10.5),
        "td_bold": like("td_bold", fontName=FONT_BOLD, fontSize=TABLE_SIZE, leading=10.5),
        "definition": like("definition", fontSize=9, leading=12.5, spaceAfter=5),
        "footnote": like("footnote", fontSize=7.5, leading=10, textColor=MUTED),
    }


def _dates(text: str) -> str:
    return f'<br/><font name="{FONT}" size="7.5">{_x(text)}</font>'


def _x(text: str) -> str:
    """Escape for platypus markup: a label like "<5" or "A&E" must print, not parse."""
    return escape(text)
