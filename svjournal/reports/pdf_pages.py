"""The PDF report's page furniture: the running header, the confidentiality footer on every
page, and "Page n of m" stamped once the whole document is laid out."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from svjournal.core.i18n import tr
from svjournal.reports.model import ProgrammeReport
from svjournal.reports.pdf_style import (
    BODY_W,
    FONT,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MM,
    MUTED,
    PAGE_H,
    PAGE_W,
    RULE,
)
from svjournal.reports.wording import period_text

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas


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
                    # Translators: the foot of every page of the PDF report.
                    tr("Page {page} of {pages}").format(page=self._pageNumber, pages=total),
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


def decorate(report: ProgrammeReport, *, header: bool) -> Callable[[Canvas, Any], None]:
    """Draws the running header (body pages) and the confidentiality footer (every page)."""
    # Translators: the running header of the PDF report; {name} is the program's name.
    title = tr("{name} — program report").format(name=report.programme_name)
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
