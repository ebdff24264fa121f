"""The PDF report's look: A4 geometry, the DejaVu faces (embedded as subsets), colours, the
paragraph styles and markup escaping; shared by `reports/pdf.py`, `reports/pdf_pages.py` and
`reports/pdf_tables.py`."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

MM = 72 / 25.4  # points per millimetre
PAGE_W, PAGE_H = 210 * MM, 297 * MM  # A4 portrait
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 20 * MM, 22 * MM, 22 * MM
BODY_W = PAGE_W - 2 * MARGIN_X
BODY_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM

FONT, FONT_BOLD, FONT_ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
INK, MUTED, RULE, HEAD_FILL, ZEBRA = "#1A1A1A", "#5F6368", "#C9CDD2", "#EEF1F4", "#F7F8FA"
TABLE_SIZE = 8.5  # points, every table's text
CELL_PAD = 6  # points, reportlab's default left and right cell padding
MIN_LABEL_W = 40 * MM


def register_fonts() -> None:
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


def paragraph_styles() -> dict[str, Any]:
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


def dates(text: str) -> str:
    return f'<br/><font name="{FONT}" size="7.5">{x(text)}</font>'


def x(text: str) -> str:
    """Escape for platypus markup: a label like "<5" or "A&E" must print, not parse."""
    return escape(text)
