"""Reach and escalation: encounters and hours per month, tier mix against the expected rate."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from svjournal.charts.axes import (
    Size,
    empty_figure,
    headroom,
    integer_ticks,
    label_bars,
    label_fits,
    label_room,
    legend_above,
    new_figure,
    set_axis_labels,
    set_title,
    style_axes,
)
from svjournal.charts.bars import month_columns, stacked_bars
from svjournal.charts.labels import (
    code_label,
    encounters_and_cases,
    month_range,
    number,
    percent,
)
from svjournal.charts.style import (
    ENCOUNTER_KIND_COLOURS,
    TIER_COLOURS,
    ChartStyle,
)
from svjournal.core import vocab
from svjournal.core.i18n import ntr, tr
from svjournal.core.stats_model import CodeCount, MonthlyEncounters

# Lane 2018 escalated 10.8 % of supported clinicians to Tier 3; DOMAIN.md rounds it to 10 %.
EXPECTED_ESCALATION = 0.10


def expected_escalation_label() -> str:
    """'≈10% expected (Lane 2018)', the percentage as the language writes it."""
    # Translators: the legend of the dashed line at the escalation rate seen elsewhere;
    # {expected} is a percentage ("10%").
    return tr("≈{expected} expected (Lane 2018)").format(expected=percent(EXPECTED_ESCALATION))


def monthly_encounters(
    rows: list[MonthlyEncounters],
    style: ChartStyle | None = None,
    *,
    figsize: Size = (8.0, 4.8),
) -> Figure:
    """Individual and group encounters stacked per month; hours of support in a panel below.

    Hours get their own zero-based panel on the same month axis rather than a second y axis
    over the bars: nothing crosses the counts, and neither scale can be tuned to suggest a
    relation between the two.
    """
    style = style or ChartStyle.light()
    title = tr("Encounters per month")
    if sum(r.individual + r.group for r in rows) == 0 and sum(r.hours for r in rows) == 0:
        return empty_figure(style, figsize, title, tr("No encounters in this period"))

    months, individual, group, hours, attendees = _per_month(rows)
    fig = new_figure(style, figsize)
    # Translators: a chart title: "Encounters per month · 40 individual, 6 group (31
    # attendees)"; {n} is the number of attendees.
    heading = ntr(
        "{title} · {individual} individual, {group} group ({n} attendee)",
        "{title} · {individual} individual, {group} group ({n} attendees)",
        attendees,
    )
    set_title(
        fig,
        style,
        heading.format(
            title=title,
            individual=number(sum(individual)),
            group=number(sum(group)),
            n=number(attendees),
        ),
    )
    ax, hx = fig.subplots(2, 1, sharex=True, height_ratios=[3.0, 1.3])
    style_axes(ax, style)
    style_axes(hx, style)
    xs = list(range(len(months)))
    kinds = (("individual", individual), ("group", group))
    layers = [
        (
            values,
            {"width": 0.8, "color": ENCOUNTER_KIND_COLOURS[kind], "edgecolor": style.background},
        )
        for kind, values in kinds
    ]
    (ind_bars, grp_bars), totals = stacked_bars(ax, xs, layers)
    # The two panels share what the title, legend and month axis leave: about half the
    # figure's height (low, so the room for labels errs on the large side).
    plots = figsize[1] * 0.5
    counts_panel, hours_panel = plots * 3.0 / 4.3, plots * 1.3 / 4.3
    if label_fits(figsize[0], len(months), len(str(max(totals))), style):
        label_bars(ax, grp_bars, style, [number(t) if t else "" for t in totals])
        label_room(ax, "y", style, counts_panel)
    else:
        headroom(ax, "y", 0.14)
    integer_ticks(ax.yaxis)
    set_axis_labels(ax, style, "", tr("Encounters"))
    ax.tick_params(labelbottom=False)
    legend_above(ax, style, [ind_bars, grp_bars], [tr("Individual"), tr("Group")])

    _hours_panel(hx, months, hours, style, figsize[0], hours_panel)
    return fig


def _hours_panel(
    hx: Axes, months: list[str], hours: list[float], style: ChartStyle, inches: float, panel: float
) -> None:
    """Hours of support per month under the counts, on the same month axis."""
    hour_bars = hx.bar(
        range(len(months)), hours, width=0.8, color=style.neutral, edgecolor=style.background
    )
    # A panel under about 0.8 in holds its bars and axis, not counts as well: its title
    # gives the total and the axis the scale.
    if panel >= 0.8 and label_fits(inches, len(months), len(f"{max(hours):.0f}"), style):
        label_bars(hx, hour_bars, style, [number(round(h)) if h else "" for h in hours])
        label_room(hx, "y", style, panel)
    else:
        headroom(hx, "y", 0.1)
    hx.set_title(
        # Translators: the title of the hours panel; {hours} is a whole number of hours.
        tr("Hours of support · {hours} h").format(hours=number(round(sum(hours)))),
        loc="left",
        color=style.foreground,
        fontsize=style.font_size,
    )
    month_columns(hx, months, inches)
    set_axis_labels(hx, style, tr("Month"), tr("Hours"))


def tier_mix(
    rows: list[CodeCount],
    escalation_rate: float | None,
    style: ChartStyle | None = None,
    *,
    figsize: Size = (7.5, 4.2),
) -> Figure:
    """Encounters per tier, and the escalation rate against the ≈10 % seen elsewhere."""
    style = style or ChartStyle.light()
    title = tr("Tiers of support")
    per_tier = encounters_and_cases(rows, key=str)
    if sum(e for e, _ in per_tier.values()) == 0 and escalation_rate is None:
        return empty_figure(style, figsize, title, tr("No tier recorded in this period"))

    codes = [str(c) for c in vocab.TIERS.codes()]
    codes += sorted(set(per_tier) - set(codes))
    fig = new_figure(style, figsize)
    if escalation_rate is not None:
        # Translators: a chart title: "Tiers of support · 12% of active cases escalated".
        title = tr("{title} · {share} of active cases escalated").format(
            title=title, share=percent(escalation_rate)
        )
    set_title(fig, style, title)
    top, bottom = fig.subplots(2, 1, height_ratios=[3.0, 1.2])
    style_axes(top, style, grid="x")
    style_axes(bottom, style, grid="none")

    counts = [per_tier.get(c, [0, 0]) for c in codes]
    fills = [
        TIER_COLOURS.get(int(c), style.neutral) if c.isdigit() else style.neutral for c in codes
    ]
    bars = top.barh(
        [code_label(vocab.TIERS, c) for c in codes],
        [e for e, _ in counts],
        height=0.65,
        color=fills,
        edgecolor=style.background,
    )
    labels = [cases_label(e, n) for e, n in counts]
    label_bars(top, bars, style, labels)
    top.invert_yaxis()
    # The plot's width: the figure less the tier names on the left and some margin.
    names = max(len(code_label(vocab.TIERS, c)) for c in codes)
    plot = figsize[0] - names * style.font_size * 0.6 / 72 - 0.5
    label_room(top, "x", style, plot, max(len(label) for label in labels))
    integer_ticks(top.xaxis)
    set_axis_labels(top, style, tr("Encounters"))

    _escalation(bottom, style, escalation_rate)
    return fig


def _escalation(ax: Axes, style: ChartStyle, rate: float | None) -> None:
    """One bar for the escalation rate, with the expected share as a dashed line."""
    name = tr("Escalated to Tier 3")
    expected = EXPECTED_ESCALATION * 100
    value = (rate or 0.0) * 100
    bars = ax.barh([name], [value], height=0.5, color=TIER_COLOURS[3], edgecolor=style.background)
    label_bars(ax, bars, style, [percent(rate) if rate is not None else tr("no active cases")])
    line = ax.axvline(expected, color=style.foreground, linestyle="--", linewidth=1.2)
    # Named in a legend over the panel's right end, which the layout keeps inside the
    # figure; a note beside the line ran off the right edge of a narrow chart. Right-aligned,
    # it may reach left over the tier names' column, where nothing is drawn at its height.
    legend = ax.legend(
        [line],
        [expected_escalation_label()],
        loc="lower right",
        bbox_to_anchor=(1.0, 1.02),
        frameon=False,
        borderaxespad=0.0,
        fontsize=style.small_size,
        labelcolor=style.foreground,
        handlelength=1.6,
    )
    legend.set_in_layout(True)
    ax.set_xlim(0, max(25.0, value * 1.3))
    ax.set_ylim(-0.5, 0.5)
    ax.set_xlabel(tr("Active cases (%)"), color=style.foreground, fontsize=style.font_size)


def cases_label(encounters: int, cases: int) -> str:
    """'12 · 5 cases': a bar's encounters and the cases behind them."""
    # Translators: a bar's label: its encounters, then the cases behind them ("12 · 5 cases").
    text = ntr("{encounters} · {n} case", "{encounters} · {n} cases", cases)
    return text.format(encounters=number(encounters), n=number(cases))


def _per_month(
    rows: list[MonthlyEncounters],
) -> tuple[list[str], list[int], list[int], list[float], int]:
    """Every month of the range with its individual and group encounters and hours, and
    the group attendees over all of them."""
    months = month_range(r.month[:7] for r in rows)
    index = {m: i for i, m in enumerate(months)}
    individual, group, hours = [0] * len(months), [0] * len(months), [0.0] * len(months)
    attendees = 0
    for r in rows:
        i = index[r.month[:7]]
        individual[i] += r.individual
        group[i] += r.group
        hours[i] += r.hours
        attendees += r.group_attendees
    return months, individual, group, hours, attendees
