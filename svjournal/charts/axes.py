"""Figure and axes helpers every builder shares: theme colours, titles, legends, bar labels."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Literal

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from svjournal.charts.style import ChartStyle

Size = tuple[float, float]

# Share of a figure's width or height left for the plot once labels and titles take theirs;
# a rough guess is enough to decide whether labels fit before layout has run.
_PLOT_SHARE = 0.72


def new_figure(style: ChartStyle, figsize: Size) -> Figure:
    """A constrained-layout figure in the style's colours; no global rcParams touched."""
    return Figure(
        figsize=figsize,
        dpi=style.dpi,
        layout="constrained",
        facecolor=style.background,
        edgecolor=style.background,
    )


def style_axes(ax: Axes, style: ChartStyle, *, grid: Literal["x", "y", "none"] = "y") -> None:
    """Colours set on the artists themselves, so a GUI canvas and a PDF look the same."""
    ax.set_facecolor(style.background)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(style.muted)
    ax.tick_params(
        colors=style.muted, labelcolor=style.foreground, labelsize=style.font_size, length=3
    )
    for label in (ax.xaxis.label, ax.yaxis.label):
        label.set_color(style.foreground)
        label.set_fontsize(style.font_size)
    for axis in (ax.xaxis, ax.yaxis):
        axis.get_offset_text().set_color(style.foreground)
        axis.get_offset_text().set_fontsize(style.small_size)
    if grid != "none":
        ax.grid(axis=grid, color=style.grid, linewidth=0.8)
        ax.set_axisbelow(True)
    else:
        ax.grid(False)


def add_axes(fig: Figure, style: ChartStyle, *, grid: Literal["x", "y", "none"] = "y") -> Axes:
    ax = fig.add_subplot()
    style_axes(ax, style, grid=grid)
    return ax


def set_title(fig: Figure, style: ChartStyle, title: str) -> None:
    """A left-aligned figure title, wrapped to the figure's width rather than clipped."""
    chars = max(20, int(fig.get_figwidth() * 72 / (style.title_size * 0.6)))
    fig.suptitle(
        textwrap.fill(title, chars),
        x=0.01,
        ha="left",
        fontsize=style.title_size,
        fontweight="bold",
        color=style.foreground,
    )


def set_axis_labels(ax: Axes, style: ChartStyle, xlabel: str = "", ylabel: str = "") -> None:
    ax.set_xlabel(xlabel, color=style.foreground, fontsize=style.font_size)
    ax.set_ylabel(ylabel, color=style.foreground, fontsize=style.font_size)


def integer_ticks(axis: Axis) -> None:
    """Counts are whole numbers: never a tick at 2.5 encounters. As many ticks as the axis
    has room for at its drawn length ("auto": about two label heights apart on a y axis),
    so a short panel gets two or three ticks instead of ten crammed together. The numbers
    are written as the language writes them ("1,500", "1.500")."""
    axis.set_major_locator(MaxNLocator(nbins="auto", integer=True, steps=[1, 2, 5, 10]))
    axis.set_major_formatter(FuncFormatter(_count_tick))


def _count_tick(value: float, _pos: int | None = None) -> str:
    from svjournal.charts.labels import number

    return number(round(value))


def legend_above(
    ax: Axes,
    style: ChartStyle,
    handles: Sequence[Artist | BarContainer],
    labels: Sequence[str],
    *,
    margin_inches: float = 0.55,
) -> None:
    """A frameless one-row legend between the title and the plot: never over the data.
    `margin_inches`: how far the plot starts from the figure's left edge (its axis labels)."""
    # As many columns as fit the width (one row when all do). matplotlib fills the columns
    # one after the other, so a column is as wide as its widest entry: its text (about
    # 0.58 em a character in DejaVu Sans) and handle with pad (2.2 em), plus 1.4 em between
    # columns. The room is the figure's width less the axis labels' margin on the left,
    # where the legend starts. tests/unit/test_chart_layout.py checks the result.
    em_inches = style.small_size / 72
    figure = ax.figure  # the root figure or a subfigure: both know their size in pixels
    width = (figure.bbox.width / figure.dpi - margin_inches) / em_inches
    entries = [len(label) * 0.58 + 2.2 for label in labels]

    def needed(cols: int) -> float:
        # As matplotlib deals them: the first (n mod cols) columns get one entry more.
        per, extra = divmod(len(entries), cols)
        sizes = [per + 1] * extra + [per] * (cols - extra)
        starts = [sum(sizes[:k]) for k in range(cols)]
        columns = [entries[a : a + n] for a, n in zip(starts, sizes, strict=True) if n]
        return sum(max(c) for c in columns) + 1.4 * (len(columns) - 1)

    cols = next((n for n in range(len(entries), 1, -1) if needed(n) <= width), 1)
    legend = ax.legend(
        handles,
        labels,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.01),
        ncols=cols,
        frameon=False,
        borderaxespad=0.0,
        fontsize=style.small_size,
        labelcolor=style.foreground,
        handlelength=1.2,
        columnspacing=1.4,
    )
    legend.set_in_layout(True)


def empty_figure(style: ChartStyle, figsize: Size, title: str, message: str) -> Figure:
    """A titled figure with a centred message, instead of bare axes that look broken."""
    fig = new_figure(style, figsize)
    set_title(fig, style, title)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        textwrap.fill(message, max(20, int(figsize[0] * 72 / (style.font_size * 0.6)))),
        transform=ax.transAxes,
        ha="center",
        va="center",
        color=style.muted,
        fontsize=style.font_size + 1,
    )
    return fig


def bar_pitch_inches(extent_inches: float, bars: int) -> float:
    """Roughly how much room one bar (with its gap) gets along the category axis."""
    return extent_inches * _PLOT_SHARE / max(1, bars)


def label_fits(extent_inches: float, bars: int, chars: int, style: ChartStyle) -> bool:
    """Whether a `chars`-wide count fits over each bar of a vertical bar chart."""
    text_inches = chars * style.small_size * 0.62 / 72
    return bar_pitch_inches(extent_inches, bars) >= text_inches + 0.04


def label_bars(
    ax: Axes,
    container: BarContainer,
    style: ChartStyle,
    labels: Sequence[str] | None = None,
) -> None:
    """Counts just past the end of each bar, in the text colour."""
    ax.bar_label(
        container,
        labels=list(labels) if labels is not None else None,
        padding=3,
        color=style.foreground,
        fontsize=style.small_size,
        # An opaque backing keeps reference lines (median, due) from striking through digits.
        bbox={"boxstyle": "square,pad=0.1", "facecolor": style.background, "linewidth": 0},
    )


def label_above(
    ax: Axes,
    xs: Sequence[float],
    tops: Sequence[float],
    labels: Sequence[str],
    style: ChartStyle,
    *,
    clearance_pt: float = 0.0,
) -> None:
    """Counts centred over `xs`, just above `tops` (e.g. the higher of a stack and a marker
    drawn over it) and `clearance_pt` more, so they never sit on what is drawn there."""
    for x, top, text in zip(xs, tops, labels, strict=True):
        if not text:
            continue
        ax.annotate(
            text,
            xy=(x, top),
            xytext=(0, 3 + clearance_pt),
            textcoords="offset points",
            ha="center",
            va="bottom",
            color=style.foreground,
            fontsize=style.small_size,
            bbox={"boxstyle": "square,pad=0.1", "facecolor": style.background, "linewidth": 0},
        )


def label_segments(
    ax: Axes,
    container: BarContainer,
    style: ChartStyle,
    fill: str,
    values: Sequence[float],
    min_value: float,
) -> None:
    """Counts inside stacked segments, black or white for the fill; too-thin ones stay bare."""
    labels = [str(v) if v > 0 and v >= min_value else "" for v in values]
    ax.bar_label(
        container,
        labels=labels,
        label_type="center",
        color=style.text_on(fill),
        fontsize=style.small_size,
    )


# Fewer categories than this still get this many slots, so one bar is not a wall of colour.
MIN_SLOTS = 3


def category_rows(ax: Axes, names: Sequence[str], extra_rows: int = 0) -> None:
    """One row per name, the first at the top, with no blank band above or below;
    `extra_rows` untitled rows follow (room for a note)."""
    ax.set_yticks(range(len(names)), list(names))
    ax.set_ylim(max(MIN_SLOTS, len(names) + extra_rows) - 0.5, -0.5)


def category_columns(ax: Axes, count: int, min_slots: int = 6) -> None:
    """Bars at 0..count-1 edge to edge; a short series is centred in `min_slots` slots."""
    span = max(count, min_slots) + 0.2
    low = (count - 1) / 2 - span / 2
    ax.set_xlim(low, low + span)


def note_folded(ax: Axes, style: ChartStyle, row: int, text: str) -> None:
    """A muted line in the row after the last bar, summing the categories left out."""
    ax.annotate(
        text,
        xy=(0, row),
        xycoords=("axes fraction", "data"),
        xytext=(4, 0),
        textcoords="offset points",
        va="center",
        color=style.muted,
        fontsize=style.small_size,
        fontstyle="italic",
    )


def unpin_stacked(container: BarContainer, axis: Literal["x", "y"]) -> None:
    """Let autoscaling pass a stacked segment's base. Matplotlib pins the view at every bar's
    base; an empty segment sits at the top of its stack and would clip the total's label."""
    for patch in container:
        getattr(patch.sticky_edges, axis).clear()


def label_room(
    ax: Axes,
    axis: Literal["x", "y"],
    style: ChartStyle,
    plot_inches: float,
    chars: int = 0,
) -> None:
    """Room past the longest bar for its count, worked out in points: a share of the data
    range (as `headroom`) is too little on a short panel or a narrow chart. `plot_inches` is
    the plot's length along `axis` (estimate it low: the room then errs on the large side);
    `chars` is the widest label's length, for labels at the end of horizontal bars."""
    one_line = 4 + style.small_size * 1.4
    need_pt = one_line if axis == "y" else 6 + chars * style.small_size * 0.62
    share = min(0.6, need_pt / max(1.0, plot_inches * 72))
    headroom(ax, axis, share / (1 - share))


def headroom(ax: Axes, axis: Literal["x", "y"], share: float = 0.12) -> None:
    """Room past the longest bar for its label; the zero end stays pinned by the bars."""
    if axis == "x":
        ax.margins(x=share)
    else:
        ax.margins(y=share)
