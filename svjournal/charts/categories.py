"""Fitting many categories on horizontal bars: figure height, folding the tail, label width."""

from __future__ import annotations

import math
from dataclasses import dataclass

from svjournal.charts.axes import Size
from svjournal.charts.labels import shorten, wrap

# Inches a horizontal bar chart spends on its title, legend and value axis.
_OVERHEAD_IN = 1.3
# Smallest row pitch where a one-line label at the base size stays clear of its neighbours.
_MIN_PITCH_IN = 0.2
# Pitch from which two-line labels fit, keeping long names whole instead of cut.
_TWO_LINE_PITCH_IN = 0.36
_MAX_AUTO_HEIGHT_IN = 10.0


@dataclass(frozen=True)
class CategoryLayout:
    figsize: Size
    shown: int  # rows drawn as themselves; the rest fold into one "n more" bar
    two_lines: bool

    def fold(self, total_rows: int) -> bool:
        return self.shown < total_rows

    def label(self, text: str) -> str:
        return wrap(text, 30) if self.two_lines else shorten(text, 36)


def layout_for(rows: int, figsize: Size | None, width: float = 7.5) -> CategoryLayout:
    """Grow the figure with the rows when no size is given; fold what still won't fit."""
    if figsize is None:
        height = min(_MAX_AUTO_HEIGHT_IN, max(2.6, _OVERHEAD_IN + _TWO_LINE_PITCH_IN * rows))
        figsize = (width, height)
    plot_in = max(0.5, figsize[1] - _OVERHEAD_IN)
    capacity = max(2, math.floor(plot_in / _MIN_PITCH_IN))
    shown = rows if rows <= capacity else capacity - 1
    pitch = plot_in / max(1, min(rows, capacity))
    return CategoryLayout(figsize, shown, pitch >= _TWO_LINE_PITCH_IN)
