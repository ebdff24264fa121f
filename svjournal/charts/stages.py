"""Stage charts (Scott's six stages): open cases by stage, stages by month, outcomes, trajectory."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from svjournal.charts.axes import (
    Size,
    add_axes,
    empty_figure,
    headroom,
    integer_ticks,
    label_bars,
    label_fits,
    legend_above,
    new_figure,
    set_axis_labels,
    set_title,
)
from svjournal.charts.bars import month_columns, stacked_bars
from svjournal.charts.dates import day_month_axis
from svjournal.charts.labels import (
    month_range,
    number,
    percent,
    stage_label,
    tally,
    wrap,
)
from svjournal.charts.style import OUTCOME_COLOURS, TRIGGER_COLOUR, ChartStyle
from svjournal.core import vocab
from svjournal.core.i18n import ntr, tr
from svjournal.core.stats_model import MonthStageCount, TrajectoryPoint

STAGE_CODES = vocab.STAGES.codes()


def open_case_stages(
    counts: list[tuple[int | None, int]],
    style: ChartStyle | None = None,
    *,
    figsize: Size = (7.0, 3.6),
) -> Figure:
    """Open cases per stage, stage 1 at the top; all six stages show, even at zero."""
    style = style or ChartStyle.light()
    title = tr("Open cases by stage")
    per_stage = tally(counts)
    total = sum(per_stage.values())
    if total == 0:
        return empty_figure(style, figsize, title, tr("No open cases"))

    # A zero bar for a stage nobody is in says something; "no stage yet" only when it applies.
    rows: list[int | None] = list(STAGE_CODES)
    rows += sorted(s for s in per_stage if s is not None and s not in STAGE_CODES)
    if per_stage.get(None):
        rows.append(None)
    fig = new_figure(style, figsize)
    # Translators: a chart title: "Open cases by stage (12 open cases)".
    heading = ntr("{title} ({n} open case)", "{title} ({n} open cases)", total)
    set_title(fig, style, heading.format(title=title, n=number(total)))
    ax = add_axes(fig, style, grid="x")
    fills = [style.stage_colour(s) for s in rows]
    bars = ax.barh(
        [stage_label(s) for s in rows],
        [per_stage.get(s, 0) for s in rows],
        color=fills,
        edgecolor=[style.edge_for(f) for f in fills],
        linewidth=0.8,
        height=0.7,
    )
    label_bars(ax, bars, style)
    ax.invert_yaxis()  # stage 1 first: the order a case moves through
    headroom(ax, "x", 0.1)
    integer_ticks(ax.xaxis)
    set_axis_labels(ax, style, tr("Open cases"))
    return fig


def encounters_by_month_stage(
    rows: list[MonthStageCount],
    style: ChartStyle | None = None,
    *,
    figsize: Size = (8.0, 3.8),
) -> Figure:
    """Encounters per month, stacked by the stage recorded at each encounter."""
    style = style or ChartStyle.light()
    title = tr("Encounters by month and stage")
    if sum(r.encounters for r in rows) == 0:
        return empty_figure(style, figsize, title, tr("No encounters in this period"))

    months = month_range(r.month[:7] for r in rows)
    index = {m: i for i, m in enumerate(months)}
    grid: dict[int | None, list[int]] = {}
    for r in rows:
        grid.setdefault(r.stage, [0] * len(months))[index[r.month[:7]]] += r.encounters
    order: list[int | None] = [s for s in STAGE_CODES if any(grid.get(s, ()))]
    order += sorted(s for s in grid if s is not None and s not in STAGE_CODES and any(grid[s]))
    if any(grid.get(None, ())):
        order.append(None)

    fig = new_figure(style, figsize)
    set_title(fig, style, title)
    ax = add_axes(fig, style)
    fills = [style.stage_colour(stage) for stage in order]
    layers = [
        (grid[stage], {"width": 0.8, "color": f, "edgecolor": style.edge_for(f), "linewidth": 0.6})
        for stage, f in zip(order, fills, strict=True)
    ]
    handles, totals = stacked_bars(ax, range(len(months)), layers)
    if label_fits(figsize[0], len(months), len(str(max(totals))), style):
        label_bars(ax, handles[-1], style, [number(t) if t else "" for t in totals])
    month_columns(ax, months, figsize[0])
    headroom(ax, "y", 0.14)
    integer_ticks(ax.yaxis)
    set_axis_labels(ax, style, tr("Month"), tr("Encounters"))
    # Stage numbers alone keep the legend on one or two rows; the names are on the stage chart.
    legend_above(
        ax,
        style,
        handles,
        # Translators: a legend entry, one of the six recovery stages: "Stage 3".
        [tr("Stage {n}").format(n=s) if s is not None else tr("No stage") for s in order],
    )
    return fig


def stage_outcomes(
    outcomes: list[tuple[str, int]],
    style: ChartStyle | None = None,
    *,
    figsize: Size = (6.0, 3.4),
) -> Figure:
    """How cases left stage 6: dropping out, surviving or thriving, with their shares."""
    style = style or ChartStyle.light()
    title = tr("Moving on: stage 6 outcomes")
    per_outcome = tally(outcomes)
    total = sum(per_outcome.values())
    if total == 0:
        return empty_figure(
            style,
            figsize,
            title,
            tr("No cases have reached stage 6 (moving on) in this period"),
        )

    codes = [*vocab.OUTCOMES.codes(), *sorted(set(per_outcome) - set(vocab.OUTCOMES.codes()))]
    values = [per_outcome.get(c, 0) for c in codes]
    fig = new_figure(style, figsize)
    # Translators: a chart title: "Moving on: stage 6 outcomes (8 cases)".
    heading = ntr("{title} ({n} case)", "{title} ({n} cases)", total)
    set_title(fig, style, heading.format(title=title, n=number(total)))
    ax = add_axes(fig, style)
    fills = [OUTCOME_COLOURS.get(c, style.neutral) for c in codes]
    bars = ax.bar(
        [wrap(vocab.OUTCOMES.label(c), 14) for c in codes],
        values,
        width=0.6,
        color=fills,
        edgecolor=[style.edge_for(f) for f in fills],
        linewidth=0.8,
    )
    label_bars(ax, bars, style, [f"{number(v)} ({percent(v / total)})" for v in values])
    headroom(ax, "y", 0.16)
    integer_ticks(ax.yaxis)
    set_axis_labels(ax, style, "", tr("Cases"))
    return fig


def case_trajectory(
    points: list[TrajectoryPoint],
    style: ChartStyle | None = None,
    *,
    figsize: Size = (8.0, 3.8),
) -> Figure:
    """One case's stage at each encounter as a step line; triggering marked apart."""
    style = style or ChartStyle.light()
    title = tr("Stage over time")
    if not any(p.stage in STAGE_CODES for p in points):
        return empty_figure(style, figsize, title, tr("No stage recorded for this case yet"))

    points = sorted(points, key=lambda p: p.occurred_at)
    xs = [float(date2num(p.occurred_at)) for p in points]
    # An encounter without a stage tag doesn't mean the case left its stage: the line runs
    # through the staged encounters only, and an untagged one sits on the stage before it.
    first = next(p.stage for p in points if p.stage in STAGE_CODES)
    carried: list[int] = []
    for p in points:
        carried.append(p.stage if p.stage in STAGE_CODES else (carried[-1] if carried else first))
    staged_x = [x for x, p in zip(xs, points, strict=True) if p.stage in STAGE_CODES]
    staged_y = [p.stage for p in points if p.stage in STAGE_CODES]

    fig = new_figure(style, figsize)
    triggers = sum(p.triggered for p in points)
    n = len(points)
    encounters = ntr("{n} encounter", "{n} encounters", n).format(n=number(n))
    if triggers:
        triggered = ntr("triggered {n} time", "triggered {n} times", triggers)
        # Translators: a chart title: "Stage over time (7 encounters, triggered 2 times)".
        heading = tr("{title} ({encounters}, {triggered})").format(
            title=title, encounters=encounters, triggered=triggered.format(n=number(triggers))
        )
    else:
        # Translators: a chart title: "Stage over time (7 encounters)".
        heading = tr("{title} ({encounters})").format(title=title, encounters=encounters)
    set_title(fig, style, heading)
    ax = add_axes(fig, style, grid="y")
    ax.step(staged_x, staged_y, where="post", color=style.muted, linewidth=1.8, zorder=2)
    ax.scatter(
        staged_x,
        staged_y,
        s=42,
        c=[style.stage_colour(s) for s in staged_y],
        edgecolors=style.foreground,
        linewidths=0.7,
        zorder=3,
    )
    ax.scatter(
        [x for x, p in zip(xs, points, strict=True) if p.triggered],
        [y for y, p in zip(carried, points, strict=True) if p.triggered],
        s=150,
        marker="*",
        c=TRIGGER_COLOUR,
        edgecolors=style.foreground,
        linewidths=0.7,
        zorder=4,
    )
    ax.set_yticks(list(STAGE_CODES), [wrap(stage_label(s), 24) for s in STAGE_CODES])
    ax.set_ylim(6.5, 0.5)  # stage 1 at the top, the way the stages are read in order
    ax.tick_params(axis="y", labelsize=style.small_size)
    _fortnight_at_least(ax, xs, figsize[0])
    set_axis_labels(ax, style, tr("Encounter date"))
    _trajectory_legend(ax, style)
    return fig


def _fortnight_at_least(ax: Axes, xs: list[float], inches: float) -> None:
    """Encounters are recorded to the minute, but a case moves over days and weeks: the axis
    spans at least a fortnight and is marked in days or months, never hours or seconds."""
    low, high = min(xs), max(xs)
    if high - low < 14:
        middle = (low + high) / 2
        low, high = middle - 7, middle + 7
    pad = (high - low) * 0.03
    ax.set_xlim(low - pad, high + pad)
    day_month_axis(ax.xaxis, low - pad, high + pad, max_ticks=max(3, int(inches * 1.1)))


def _trajectory_legend(ax: Axes, style: ChartStyle) -> None:
    """The step line's and the trigger star's keys, over the plot clear of the stage names."""
    handles = [
        Line2D(
            [],
            [],
            color=style.muted,
            marker="o",
            markerfacecolor=style.neutral,
            markeredgecolor=style.foreground,
            linewidth=1.8,
        ),
        Line2D(
            [],
            [],
            linestyle="none",
            marker="*",
            markersize=13,
            markerfacecolor=TRIGGER_COLOUR,
            markeredgecolor=style.foreground,
        ),
    ]
    # The stage names take the left of the figure: about 24 characters wide.
    names_inches = 24 * 0.55 * style.small_size / 72 + 0.3
    legend_above(
        ax,
        style,
        handles,
        [tr("Stage at encounter"), tr("Triggered (event brought back)")],
        margin_inches=names_inches,
    )
