"""The Charts page's key figures: a strip of cards, each a figure and its change against the
previous period, laid out in as many columns as the width holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QVBoxLayout,
    QWidget,
)

from svjournal.core.i18n import N_, ntr, tr
from svjournal.core.stats_model import Kpis
from svjournal.ui.formatting import format_number, format_percent, format_signed
from svjournal.ui.pages.common import heading, hint

if TYPE_CHECKING:
    pass


def days_text(days: float) -> str:
    """A wait in days, to a tenth: "3.5 days" (a measure, never a whole count: no ntr)."""
    # Translators: a wait in days, always with one decimal ("1.0 days", "3.5 days"): use the
    # plural form your language gives a number with decimals.
    return tr("{n} days").format(n=format_number(days, 1))


def _hours(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 72:
        # Translators: a wait in hours, "h" the abbreviation of hours ("20 h").
        return tr("{n} h").format(n=format_number(value))
    return days_text(value / 24)


def _count(value: int) -> str:
    return format_number(value)


def _rate(value: float | None) -> str:
    return "—" if value is None else format_percent(value)


def no_earlier() -> str:
    return tr("no earlier figure")


def _change(
    now: float | None, before: float | None, *, rate: bool = False, hours: bool = False
) -> str:
    if now is None or before is None:
        return no_earlier()
    delta = now - before
    if rate:
        points = round(abs(delta) * 100)
        # Translators: a change in percentage points against the period before ("+5 pts").
        text = ntr("{change} pt vs previous period", "{change} pts vs previous period", points)
        return text.format(change=format_signed(delta * 100))
    if hours:
        # Translators: a change in hours ("h") against the period before ("-3 h").
        return tr("{change} h vs previous period").format(change=format_signed(delta))
    # Translators: a change in a count against the period before ("+4 vs previous period").
    return tr("{change} vs previous period").format(change=format_signed(delta))


def _kpi(
    title: str, field: str, show: Callable[[Any], str], **change: bool
) -> tuple[str, Callable[[Kpis], str], Callable[[Kpis, Kpis], str]]:
    return (
        title,
        lambda k: show(getattr(k, field)),
        lambda k, p: _change(getattr(k, field), getattr(p, field), **change),
    )


# The titles are marked here and translated where shown (KpiCard).
KPI_CARDS: list[tuple[str, Callable[[Kpis], str], Callable[[Kpis, Kpis], str]]] = [
    _kpi(N_("Encounters"), "encounters", _count),
    _kpi(N_("People reached"), "people_reached", _count),
    _kpi(N_("Median time to first contact"), "median_hours_to_first_contact", _hours, hours=True),
    _kpi(N_("Follow-ups kept on time"), "follow_up_completion", _rate, rate=True),
    _kpi(N_("Escalation rate (Tier 3)"), "escalation_rate", _rate, rate=True),
    (
        N_("Open cases"),
        lambda k: _count(k.open_cases),
        # Translators: under the number of open cases: it counts today's, not the period's.
        lambda k, p: tr("now, whatever the period"),
    ),
]


class KpiCard(QFrame):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        title = tr(title)
        self.title = hint(title)
        self.value = heading("—")
        self.change = hint("")
        layout = QVBoxLayout(self)
        # Compact: the strip sits above the charts, and every pixel it takes they lose.
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        for label in (self.title, self.value, self.change):
            layout.addWidget(label)
        self.setAccessibleName(title)


class KpiStrip(QWidget):
    """The KPI cards in as many columns as fit, in rows below each other when they do not."""

    def __init__(self, cards: list[KpiCard], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards = cards
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        # A card needs room for its value and a short title line; below that, wrap the row.
        self.card_width = self.fontMetrics().averageCharWidth() * 20
        self.columns = 0
        self._needed = 0  # the height the cards need at the current width
        self._place(len(cards))

    def _place(self, columns: int) -> None:
        if columns == self.columns:
            return
        self.columns = columns
        for card in self.cards:
            self.grid.removeWidget(card)
        for n, card in enumerate(self.cards):
            self.grid.addWidget(card, n // columns, n % columns)
        for column in range(len(self.cards)):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def minimumSizeHint(self) -> QSize:
        # As tall as the wrapped titles need at this width: layouts above (a splitter) do
        # not ask for the height for a width, and would squeeze the cards' text.
        hint = super().minimumSizeHint()
        return QSize(self.card_width, max(hint.height(), self._needed))

    def resizeEvent(self, event: QResizeEvent) -> None:
        spacing = self.grid.horizontalSpacing()
        fit = (event.size().width() + spacing) // (self.card_width + spacing)
        self._place(max(1, min(len(self.cards), fit)))
        needed = self.grid.totalHeightForWidth(event.size().width())
        if needed != self._needed:
            self._needed = needed
            self.updateGeometry()
        super().resizeEvent(event)
