"""Charts for the printed report, drawn from the suppressed tables (never from raw stats).

A published figure is a bar with its label. A suppressed or protected cell gets no bar at
all: its text ("<5", "c") sits at the baseline, so no bar height and no axis limit can give
a hidden count away. Axis limits come from published values only.

matplotlib is imported when a chart is first drawn (Figure API, Agg canvas, no pyplot).
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from svjournal.charts.labels import month_ticks, wrap
from svjournal.charts.style import (
    ENCOUNTER_KIND_COLOURS,
    FOLLOW_UP_COLOURS,
    OKABE_ITO,
    OUTCOME_COLOURS,
    REFERRAL_COLOURS,
    TIER_COLOURS,
    ChartStyle,
)
from svjournal.core.i18n import ntr
from svjournal.reports.model import Cell, ReportRow, ReportTable

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

# A4 portrait with 20 mm margins leaves 170 mm: charts are drawn at the size they print at,
# so 9 pt in the figure is 9 pt on paper.
PRINT_WIDTH_IN = 170 / 25.4
# Sharp on paper and on screen zoom, yet about 1000 px wide: fast to draw and to embed.
PRINT_DPI = 150.0

# More rows than this would print bars too thin to read: the chart shows the first ones and
# says how many it left out (no sum: hidden cells cannot be added up).
MAX_CHART_ROWS = 24

RowColours = Literal["stage", "tier", "outcome", "none"]


@dataclass(frozen=True)
class ChartSpec:
    """How one table is charted: months along x, or categories as horizontal bars."""

    layout: Literal["months", "rows"]
    series: tuple[str, ...] = ()  # preferred columns, by stable key (prefix match)
    row_colours: RowColours = "none"


# Table keys of `reports.programme`; a table whose key is not here prints without a chart
# (encounters by month and stage, high-risk events and contacts per case: too dense or too
# many overlapping categories for bars to add to the table).
CHARTS: dict[str, ChartSpec] = {
    # The month's total too: where a small group count hides the individual count as well,
    # the total is what is left to see.
    "encounters_by_month": ChartSpec("months", ("all_encounters", "individual", "group")),
    "follow_ups_by_month": ChartSpec("months", ("due", "on_time")),
    "open_cases_by_stage": ChartSpec("rows", row_colours="stage"),
    "outcomes": ChartSpec("rows", row_colours="outcome"),
    "by_tier": ChartSpec("rows", row_colours="tier"),
    "referrals": ChartSpec("rows", ("accepted", "declined", "pending")),
    "by_role": ChartSpec("rows"),
    "by_department": ChartSpec("rows"),
    "by_event_category": ChartSpec("rows"),
}

# Series colours by column key (the same in every language); the app's charts' colours.
_SERIES_COLOURS = {
    "individual": ENCOUNTER_KIND_COLOURS["individual"],
    "group": ENCOUNTER_KIND_COLOURS["group"],
    "accepted": REFERRAL_COLOURS["accepted"],
    "declined": REFERRAL_COLOURS["declined"],
    "on_time": FOLLOW_UP_COLOURS["on_time"],
    "late": FOLLOW_UP_COLOURS["late"],
    "missed": FOLLOW_UP_COLOURS["missed"],
}
_FALLBACK_SERIES = (OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["bluish_green"])


@dataclass(frozen=True)
class ChartImage:
    """A rendered chart: PNG bytes and the size it is meant to print at, in inches."""

    table_key: str
    png: bytes
    width: float
    height: float


def print_style() -> ChartStyle:
    """The light chart style at print sizes (a little smaller than on screen)."""
    return dataclasses.replace(
        ChartStyle.light(), font_size=8.5, title_size=10.0, small_size=7.5, dpi=PRINT_DPI
    )


def chart_figure(
    table: ReportTable, style: ChartStyle | None = None, *, width: float = PRINT_WIDTH_IN
) -> Figure | None:
    """The chart for `table`, or None when its key has no chart or nothing to draw a bar
    for (no rows, or every cell hidden or zero)."""
    spec = CHARTS.get(table.key)
    if spec is None or not table.rows or not table.columns:
        return None
    columns = _series_columns(table, spec)
    if not any(_has_bar(row.cells[c]) for row in table.rows for c in columns):
        return None  # only hidden cells and zeros: the table says it all, a chart adds nothing
    style = style or print_style()
    if spec.layout == "months":
        return _months_chart(table, columns, style, width)
    return _rows_chart(table, columns, spec.row_colours, style, width)


def chart_png(
    table: ReportTable, style: ChartStyle | None = None, *, width: float = PRINT_WIDTH_IN
) -> ChartImage | None:
    """`chart_figure` rendered to PNG bytes in memory."""
    figure = chart_figure(table, style, width=width)
    if figure is None:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    w, h = figure.get_size_inches()
    return ChartImage(table.key, buffer.getvalue(), float(w), float(h))


def _series_columns(table: ReportTable, spec: ChartSpec) -> list[int]:
    """Indexes of the columns to draw: the spec's, in its order, else the first column."""
    headings = list(table.keys())
    picked: list[int] = []
    for wanted in spec.series:
        exact = [i for i, h in enumerate(headings) if h == wanted]
        prefix = [i for i, h in enumerate(headings) if h.startswith(wanted)]
        match = (exact or prefix)[:1]
        if match and match[0] not in picked:
            picked.append(match[0])
    return picked or [0]


def _has_bar(cell: Cell) -> bool:
    return cell.published and isinstance(cell.value, int | float) and cell.value > 0


def _series_colour(key: str, index: int, style: ChartStyle) -> str:
    for name, colour in _SERIES_COLOURS.items():
        if key.startswith(name):
            return colour
    if key.startswith(("all", "due", "pending")):
        return style.neutral  # the whole the other series are parts of, or "not yet"
    return _FALLBACK_SERIES[index % len(_FALLBACK_SERIES)]


def _row_colour(row: ReportRow, kind: RowColours, style: ChartStyle) -> str:
    code = row.code.strip()
    if kind == "stage":
        return style.stage_colour(int(code)) if code.isdigit() else style.neutral
    if kind == "tier" and code.isdigit():
        return TIER_COLOURS.get(int(code), style.accent)
    if kind == "outcome":
        return OUTCOME_COLOURS.get(code, style.accent)
    return style.accent


def _top(cells: Sequence[Cell]) -> float:
    """The axis end: the largest published value only (hidden cells never move it)."""
    values = [float(c.value) for c in cells if c.published and c.value is not None]
    return max([*values, 1.0])


def _new_figure(style: ChartStyle, width: float, height: float) -> Figure:
    from svjournal.charts.axes import new_figure

    return new_figure(style, (width, height))


def _hidden_text(
    ax: Axes,
    style: ChartStyle,
    x: float,
    y: float,
    text: str,
    *,
    vertical_bars: bool,
    rotate: bool = False,
) -> None:
    """A suppressed cell's text at the baseline, offset a little so it clears the axis."""
    offset = (0, 2) if vertical_bars else (3, 0)
    ax.annotate(
        text,
        xy=(x, y),
        xytext=offset,
        textcoords="offset points",
        ha="center" if vertical_bars else "left",
        va="bottom" if vertical_bars else "center",
        rotation=90 if rotate else 0,
        color=style.muted,
        fontsize=style.small_size,
        fontstyle="italic",
    )


def _rows_chart(
    table: ReportTable, columns: list[int], colours: RowColours, style: ChartStyle, width: float
) -> Figure:
    """Horizontal bars, one group per row (first row at the top), one bar per series."""
    from svjournal.charts.axes import add_axes, note_folded, set_axis_labels

    rows = table.rows[:MAX_CHART_ROWS]
    left_out = len(table.rows) - len(rows)
    slots = len(rows) + (1 if left_out else 0)
    k = len(columns)
    pitch = 0.3 if k == 1 else 0.18 * k + 0.1  # inches per row, enough for a two-line label
    legend_in = 0.3 if k > 1 else 0.0
    height = max(1.6, 0.55 + legend_in + pitch * slots)
    fig = _new_figure(style, width, height)
    ax = add_axes(fig, style, grid="x")
    bar_h = 0.8 / k
    legend: list[tuple[str, str]] = []
    for s, col in enumerate(columns):
        heading = table.columns[col]
        series = _series_colour(table.keys()[col], s, style)
        legend.append((heading, series))
        fills = [_row_colour(row, colours, style) if k == 1 else series for row in rows]
        offset = (s - (k - 1) / 2) * bar_h
        positions = [i + offset for i in range(len(rows))]
        cells = [row.cells[col] for row in rows]
        _bars(ax, style, positions, cells, fills, bar_h * 0.92, horizontal=True)
    names = [wrap(row.label, 34) for row in rows]
    ax.set_yticks(range(len(rows)), names)
    ax.set_ylim(slots - 0.5, -0.5)
    if left_out:
        # Translators: the note under a chart of the PDF report for the rows it leaves out.
        note = ntr("+ {n} more row: see the table", "+ {n} more rows: see the table", left_out)
        note_folded(ax, style, len(rows), note.format(n=left_out))
    ax.tick_params(axis="y", length=0)
    top = max(_top([row.cells[c] for row in rows]) for c in columns)
    ax.set_xlim(0, top * 1.18)  # room for the longest bar's label
    _count_axis(ax.xaxis)
    if k == 1:
        set_axis_labels(ax, style, xlabel=table.columns[columns[0]])
    else:
        _legend(ax, style, legend)
    return fig


def _months_chart(
    table: ReportTable, columns: list[int], style: ChartStyle, width: float
) -> Figure:
    """Vertical bars per month (or per period row), series side by side: never stacked, so
    a hidden segment cannot be read off the segment above it."""
    from svjournal.charts.axes import add_axes

    rows = table.rows
    k = len(columns)
    fig = _new_figure(style, width, 2.9)
    ax = add_axes(fig, style, grid="y")
    bar_w = 0.82 / k
    # Room per bar on paper: the plot is the figure less the value axis (about 0.55 in).
    pitch = (width - 0.55) / max(1, len(rows)) * bar_w
    widest = max((len(row.cells[c].text) for row in rows for c in columns), default=1)
    upright = _text_inches(widest, style) + 0.03 <= pitch  # a hair between neighbours
    legend: list[tuple[str, str]] = []
    for s, col in enumerate(columns):
        heading = table.columns[col]
        fill = _series_colour(table.keys()[col], s, style)
        legend.append((heading, fill))
        offset = (s - (k - 1) / 2) * bar_w
        positions = [i + offset for i in range(len(rows))]
        cells = [row.cells[col] for row in rows]
        _bars(
            ax,
            style,
            positions,
            cells,
            [fill] * len(rows),
            bar_w * 0.92,
            horizontal=False,
            label_pitch=pitch,
        )
    _month_axis(ax, rows, width)
    top = max(_top([row.cells[c] for row in rows]) for c in columns)
    ax.set_ylim(0, top * (1.15 if upright else 1.3))
    _count_axis(ax.yaxis)
    _legend(ax, style, legend)
    return fig


def _bars(
    ax: Axes,
    style: ChartStyle,
    positions: list[float],
    cells: list[Cell],
    fills: list[str],
    thickness: float,
    *,
    horizontal: bool,
    label_pitch: float = 1.0,
) -> None:
    """One series: a labelled bar per published cell, the text alone for every other."""
    shown = [i for i, c in enumerate(cells) if c.published and c.value is not None]
    for i, cell in enumerate(cells):
        if i not in shown:
            rotate = not horizontal and _text_inches(len(cell.text), style) + 0.03 > label_pitch
            _hidden_text(
                ax,
                style,
                *((0.0, positions[i]) if horizontal else (positions[i], 0.0)),
                cell.text,
                vertical_bars=not horizontal,
                rotate=rotate,
            )
    if not shown:
        return
    where = [positions[i] for i in shown]
    values = [float(cells[i].value or 0) for i in shown]
    colours = [fills[i] for i in shown]
    edges = [style.edge_for(c) for c in colours]
    if horizontal:
        bars = ax.barh(
            where, values, height=thickness, color=colours, edgecolor=edges, linewidth=0.6
        )
    else:
        bars = ax.bar(where, values, width=thickness, color=colours, edgecolor=edges, linewidth=0.6)
    texts = [cells[i].text for i in shown]
    upright = horizontal or max(_text_inches(len(t), style) for t in texts) + 0.03 <= label_pitch
    ax.bar_label(
        bars,
        labels=texts,
        padding=3 if horizontal else 2,
        rotation=0 if upright else 90,
        color=style.foreground,
        fontsize=style.small_size,
    )


def _count_axis(axis: Axis) -> None:
    """Whole numbers with the language's thousands separators, as the tables print them
    ("1,500", "1.500")."""
    from svjournal.charts.axes import integer_ticks

    integer_ticks(axis)


def _text_inches(chars: int, style: ChartStyle) -> float:
    """Roughly how wide `chars` digits are at the label size (DejaVu digits are 0.64 em)."""
    return chars * style.small_size * 0.64 / 72


def _legend(ax: Axes, style: ChartStyle, entries: list[tuple[str, str]]) -> None:
    """Legend swatches of their own: a series whose first cell is hidden still shows."""
    from matplotlib.patches import Patch

    from svjournal.charts.axes import legend_above

    handles = [Patch(facecolor=c, edgecolor=style.edge_for(c), linewidth=0.6) for _, c in entries]
    legend_above(ax, style, handles, [name for name, _ in entries])


def _month_axis(ax: Axes, rows: Sequence[ReportRow], width: float) -> None:
    """'Jan / 2026', 'Feb', … when the codes are YYYY-MM; else the row labels, thinned."""
    max_labels = max(4, int(width / 0.42))
    codes = [row.code[:7] for row in rows]
    if all(_is_month(code) for code in codes) and codes == sorted(codes):
        ticks = month_ticks(codes, max_labels)
    else:
        step = max(1, -(-len(rows) // max_labels))
        ticks = [(i, rows[i].label) for i in range(0, len(rows), step)]
    ax.set_xticks([i for i, _ in ticks], [text for _, text in ticks])
    ax.set_xlim(-0.6, len(rows) - 0.4)
    ax.tick_params(axis="x", length=0)


def _is_month(code: str) -> bool:
    year, _, month = code.partition("-")
    return len(year) == 4 and year.isdigit() and month.isdigit() and 1 <= int(month) <= 12
