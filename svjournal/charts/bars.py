"""Bars several builders draw alike: stacks of layers, and one column a month."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.container import BarContainer

from svjournal.charts.axes import category_columns, unpin_stacked
from svjournal.charts.labels import month_ticks


def stacked_bars(
    ax: Axes,
    positions: Sequence[float],
    layers: Sequence[tuple[Sequence[float], dict[str, Any]]],
    *,
    horizontal: bool = False,
    each: Callable[[int, BarContainer, Sequence[float]], None] | None = None,
) -> tuple[list[BarContainer], list[float]]:
    """Bars at `positions`, one layer on another (`ax.bar` keywords per layer; `barh` when
    `horizontal`), each layer past the first unpinned from its base. `each(i, bars, values)`
    runs for every layer drawn; returns the layers' containers and the stacks' totals."""
    base: list[float] = [0] * len(positions)
    handles: list[BarContainer] = []
    for i, (values, keywords) in enumerate(layers):
        if horizontal:
            bars = ax.barh(positions, values, left=base, **keywords)
        else:
            bars = ax.bar(positions, values, bottom=base, **keywords)
        if each is not None:
            each(i, bars, values)
        if handles:
            unpin_stacked(bars, "x" if horizontal else "y")
        handles.append(bars)
        base = [b + v for b, v in zip(base, values, strict=True)]
    return handles, base


def month_columns(ax: Axes, months: Sequence[str], width_inches: float) -> None:
    """One column a month (bars at 0..n-1), labelled as many as the width can hold."""
    ticks = month_ticks(list(months), max_labels=int(width_inches * 1.5))
    ax.set_xticks([i for i, _ in ticks], [label for _, label in ticks])
    category_columns(ax, len(months))
