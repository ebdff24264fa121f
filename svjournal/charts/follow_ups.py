"""Follow-up charts: weekly completion against what was due, and contacts per case."""

from __future__ import annotations

from datetime import date
from typing import Any

from matplotlib.axes import Axes
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from svjournal.charts.axes import (
    Size,
    add_axes,
    bar_pitch_inches,
    empty_figure,
    headroom,
    integer_ticks,
    label_above,
    label_bars,
    label_fits,
    legend_above,
    new_figure,
    set_axis_labels,
    set_title,
)
from svjournal.charts.bars import stacked_bars
from svjournal.charts.dates import day_month_axis
from svjournal.charts.labels import (
    day_and_month,
    histogram_median,
    month_and_year,
    number,
    percent,
    tally,
)
from svjournal.charts.style import FOLLOW_UP_COLOURS, ChartStyle
from svjournal.core.i18n import N_, ntr, tr
from svjournal.core.stats_model import WeeklyFollowUps

_SEGMENTS = (
    ("on_time", N_("Done on time")),
    ("late", N_("Done late")),
    ("missed", N_("Missed or overdue")),
)


def follow_up_weeks(
    weeks: list[WeeklyFollowUps],
    style: ChartStyle | None = None,
    *,
    figsize: Size = (8.0, 3.6),
    grain: str = "week",
) -> Figure:
    """Per week: done on time / late / missed stacked, with a marker for how many were due.

    `grain="month"`: the rows are months (keyed by their first day), for data that carries
    no day (team bundles); the bars are then a month wide."""
    style = style or ChartStyle.light()
    monthly = grain == "month"
    width = 26 if monthly else 6  # a gap of a day or so between bars
    title = tr("Follow-ups by month") if monthly else tr("Follow-ups by week")
    due = sum(w.due for w in weeks)
    if not weeks or all(w.due == w.on_time == w.late == w.missed == 0 for w in weeks):
        return empty_figure(style, figsize, title, tr("No follow-ups due in this period"))

    on_time = sum(w.on_time for w in weeks)
    if due:
        # Translators: a chart title: "Follow-ups by week · 50% done on time (2 of 4)".
        title = tr("{title} · {share} done on time ({on_time} of {due})").format(
            title=title, share=percent(on_time / due), on_time=number(on_time), due=number(due)
        )
    fig = new_figure(style, figsize)
    set_title(fig, style, title)
    ax = add_axes(fig, style)

    weeks = sorted(weeks, key=lambda w: w.week_start)
    # Real dates on the x axis, so a week with no row shows as a gap rather than vanishing.
    starts = [float(date2num(w.week_start)) for w in weeks]
    stacks, bottoms = stacked_bars(ax, starts, _layers(weeks, width, style))

    marker = _due_marker(ax, [s + width / 2 for s in starts], weeks, figsize, style)

    if label_fits(figsize[0], len(weeks), len(str(max(bottoms))), style):
        # Over the stack or the due marker, whichever is higher, and clear of the marker's
        # stroke: a label on the marker would hide how many were due.
        label_above(
            ax,
            [s + width / 2 for s in starts],
            [max(t, w.due) for t, w in zip(bottoms, weeks, strict=True)],
            [number(t) for t in bottoms],
            style,
            clearance_pt=marker.get_markeredgewidth() / 2,
        )

    _time_axis(ax, weeks, starts, width, figsize[0], monthly=monthly)
    headroom(ax, "y", 0.2)
    integer_ticks(ax.yaxis)
    x_label = tr("Month") if monthly else tr("Week starting")
    set_axis_labels(ax, style, x_label, tr("Follow-ups"))
    # Translators: the chart's legend for the mark of how many follow-ups were due.
    legend = [tr(label) for _, label in _SEGMENTS] + [tr("Due")]
    legend_above(ax, style, [*stacks, marker], legend)
    return fig


def _due_marker(
    ax: Axes, xs: list[float], weeks: list[WeeklyFollowUps], figsize: Size, style: ChartStyle
) -> Line2D:
    """The due count as a short bar-wide tick: where the stack falls short of it, some
    follow-ups due that week are not accounted for yet (still within their grace day)."""
    pitch_pt = bar_pitch_inches(figsize[0], len(weeks)) * 72
    marker = Line2D(
        xs,
        [w.due for w in weeks],
        linestyle="none",
        marker="_",
        markersize=max(6.0, min(22.0, pitch_pt * 0.8)),
        markeredgewidth=2.2,
        color=style.foreground,
        label=tr("Due"),
    )
    ax.add_line(marker)
    return marker


def _time_axis(
    ax: Axes,
    weeks: list[WeeklyFollowUps],
    starts: list[float],
    width: float,
    inches: float,
    *,
    monthly: bool,
) -> None:
    """Ticks in months, under each week's Monday, or by date; at least six bars wide."""
    if monthly:
        every = max(1, -(-len(weeks) // max(1, int(inches))))
        ax.set_xticks(
            [s + width / 2 for s in starts[::every]],
            [month_and_year(w.week_start) for w in weeks[::every]],
        )
    elif len(weeks) <= inches * 2:
        # Few weeks: a tick under each bar naming its Monday reads better than month ticks.
        every = 1 if len(weeks) <= inches else 2
        ax.set_xticks(
            [s + 3 for s in starts[::every]],
            _day_months([w.week_start for w in weeks[::every]]),
        )
    else:  # ticks on Mondays or months, named as the language writes them
        day_month_axis(ax.xaxis, starts[0], starts[-1] + width, max(3, int(inches * 1.2)))
    # At least six weeks wide, centred: a single week is a bar, not a wall of colour.
    pitch = 31 if monthly else 7
    span = max(starts[-1] + pitch - starts[0], 6 * pitch) + 2
    middle = (starts[0] + starts[-1] + width) / 2
    ax.set_xlim(middle - span / 2, middle + span / 2)


def _day_months(days: list[date]) -> list[str]:
    """'Nov 3', 'Nov 10', … (as the language writes a day of a month); the year under the
    first label and wherever it changes."""
    labels, last_year = [], None
    for day in days:
        text = day_and_month(day)
        labels.append(f"{text}\n{day.year}" if day.year != last_year else text)
        last_year = day.year
    return labels


def contacts_per_case(
    hist: list[tuple[int, int]],
    style: ChartStyle | None = None,
    *,
    figsize: Size = (6.0, 3.6),
) -> Figure:
    """How many cases had 1, 2, 3, … contacts, with the median marked."""
    style = style or ChartStyle.light()
    title = tr("Contacts per case")
    counts = tally(hist)
    median = histogram_median(counts.items())
    if median is None:
        return empty_figure(style, figsize, title, tr("No cases with contacts in this period"))

    total = sum(counts.values())
    fig = new_figure(style, figsize)
    # Translators: a chart title: "Contacts per case · median 2 (25 cases)".
    heading = ntr(
        "{title} · median {median} ({n} case)", "{title} · median {median} ({n} cases)", total
    )
    set_title(fig, style, heading.format(title=title, median=number(median), n=number(total)))
    ax = add_axes(fig, style)
    xs = sorted(counts)
    heights = [counts[x] for x in xs]
    # From one contact, and at least to five (Lane 2018's range was 1–10): a lone bar keeps
    # its proportions and the axis always shows where the counts start.
    low, high = min(1, min(xs)), max(5, max(xs))
    bars = ax.bar(xs, heights, width=0.8, color=style.accent, edgecolor=style.background)
    labelled = label_fits(figsize[0], high - low + 1, len(str(max(heights))), style)
    if labelled:
        label_bars(ax, bars, style)
    # The view is fixed here (not left to autoscaling) so the median line can start above
    # the count of the bar it stands on instead of running through it, and the "median"
    # note at the top stays above every count. Heights in points are taken against a plot
    # half the figure high: an underestimate, so the gaps err on the large side.
    _median_line(ax, median, counts, figsize[1], style, labelled=labelled)
    ax.set_xlim(low - 0.6, high + 0.6)
    if high - low <= 15:
        ax.set_xticks(range(low, high + 1))
    else:
        integer_ticks(ax.xaxis)
    integer_ticks(ax.yaxis)
    set_axis_labels(ax, style, tr("Contacts with the supported person"), tr("Cases"))
    return fig


def _median_line(
    ax: Axes,
    median: float,
    counts: dict[int, int],
    height_inches: float,
    style: ChartStyle,
    *,
    labelled: bool,
) -> None:
    """The median as a dashed line with its note at the top, above every count."""
    plot_pt = height_inches * 72 * 0.5
    label_pt = 3 + style.small_size * 1.35
    room_pt = label_pt + style.small_size * 1.35 + 8  # count, note, and a visible stretch
    top = max(counts.values()) / max(0.4, 1 - room_pt / plot_pt)
    ax.set_ylim(0, top)
    start = 0.0
    under = counts.get(int(median), 0) if median == int(median) else 0
    if under and labelled:
        start = under / top + label_pt / plot_pt
    # Behind the bars, so it never strikes through a count; visible above and between them.
    ax.axvline(
        median, ymin=start, color=style.foreground, linestyle="--", linewidth=1.2, zorder=0.9
    )
    ax.annotate(
        # Translators: the note on the median line of "Contacts per case".
        tr("median {median}").format(median=number(median)),
        xy=(median, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(5, 0),
        textcoords="offset points",
        ha="left",
        va="top",
        color=style.foreground,
        fontsize=style.small_size,
        bbox={"boxstyle": "square,pad=0.15", "facecolor": style.background, "linewidth": 0},
    )


def _layers(
    weeks: list[WeeklyFollowUps], width: float, style: ChartStyle
) -> list[tuple[list[int], dict[str, Any]]]:
    """Done on time, done late, missed: one stacked layer each."""
    return [
        (
            [getattr(w, attr) for w in weeks],
            {
                "width": width,  # Monday to Saturday (or most of a month): a gap between bars
                "align": "edge",
                "color": FOLLOW_UP_COLOURS[attr],
                "edgecolor": style.edge_for(FOLLOW_UP_COLOURS[attr]),
                "linewidth": 0.6,
                "label": tr(label),
            },
        )
        for attr, label in _SEGMENTS
    ]
