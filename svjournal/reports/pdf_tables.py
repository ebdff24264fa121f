"""The PDF report's tables: column widths that never break a word a figure column could hold,
and the grid itself (repeated header, right-aligned figures, muted hidden cells, a bold total).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from svjournal.reports.model import Cell, ReportTable
from svjournal.reports.pdf_style import (
    BODY_W,
    CELL_PAD,
    FONT,
    FONT_BOLD,
    FONT_ITALIC,
    HEAD_FILL,
    INK,
    MIN_LABEL_W,
    MM,
    MUTED,
    RULE,
    TABLE_SIZE,
    ZEBRA,
)
from svjournal.reports.wording import TOTAL_LABEL

if TYPE_CHECKING:
    from reportlab.platypus import Flowable


def column_widths(table: ReportTable) -> list[float]:
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


def table_grid(
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
    data = [header, *([cell_text(v) for v in row] for row in body)]
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


def cell_text(value: Any) -> Any:
    """A figure cell prints its text, whatever it hides; Paragraphs pass through."""
    return value.text if isinstance(value, Cell) else value
