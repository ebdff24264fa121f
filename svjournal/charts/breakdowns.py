"""Encounters by code (role, department, event, high-risk event) and referrals by target."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.figure import Figure

from svjournal.charts.axes import (
    Size,
    add_axes,
    category_rows,
    empty_figure,
    integer_ticks,
    label_bars,
    label_room,
    label_segments,
    legend_above,
    new_figure,
    note_folded,
    set_axis_labels,
    set_title,
)
from svjournal.charts.bars import stacked_bars
from svjournal.charts.categories import layout_for
from svjournal.charts.impact import cases_label
from svjournal.charts.labels import LabelSource, code_label, encounters_and_cases, number
from svjournal.charts.style import REFERRAL_COLOURS, ChartStyle
from svjournal.core import vocab
from svjournal.core.i18n import ntr, tr
from svjournal.core.stats_model import CodeCount, ReferralCount


def breakdown(
    rows: list[CodeCount],
    vocabulary: LabelSource,
    title: str,
    style: ChartStyle | None = None,
    *,
    figsize: Size | None = None,
    width: float | None = None,
    empty_message: str | None = None,
) -> Figure:
    """Encounters per code (role, department, event, high-risk event), largest first.

    `vocabulary` is a Vocabulary or a code → label dict (departments come from settings).
    Without `figsize` the figure grows with the rows (at `width` inches, 7.5 by default);
    what still won't fit is summed in a closing "+ n more" note, so labels never overlap.
    `empty_message`: what an empty chart says (by default, that there were no encounters).
    """
    style = style or ChartStyle.light()
    merged = encounters_and_cases(rows)
    if sum(e for e, _ in merged.values()) == 0:
        message = empty_message or tr("No encounters in this period")
        return empty_figure(style, figsize or (width or 7.5, 2.6), title, message)

    ordered = sorted(merged.items(), key=lambda kv: (-kv[1][0], code_label(vocabulary, kv[0])))
    layout = layout_for(len(ordered), figsize, width or 7.5)
    shown = ordered[: layout.shown]
    names = [layout.label(code_label(vocabulary, code)) for code, _ in shown]
    encounters = [e for _, (e, _) in shown]
    labels = [cases_label(e, c) for _, (e, c) in shown]
    fig = new_figure(style, layout.figsize)
    set_title(fig, style, title)
    ax = add_axes(fig, style, grid="x")
    bars = ax.barh(
        range(len(shown)), encounters, height=0.7, color=style.accent, edgecolor=style.background
    )
    if layout.fold(len(ordered)):
        rest = ordered[layout.shown :]
        # Cases are not summed: one case can count under several codes (e.g. high-risk flags).
        # A note, not a bar: one long bar for the rest would squash every real one.
        # Translators: the note under a chart's bars for the categories left out; {n} is
        # how many, {encounters} their encounters.
        note = ntr(
            "+ {n} more category: {encounters} encounters",
            "+ {n} more categories: {encounters} encounters",
            len(rest),
        )
        encounters_left = number(sum(e for _, (e, _) in rest))
        note_folded(ax, style, len(shown), note.format(n=len(rest), encounters=encounters_left))
    category_rows(ax, names, int(layout.fold(len(ordered))))  # largest first, top-down
    label_bars(ax, bars, style, labels)
    plot = layout.figsize[0] - _names_inches(names, style)
    label_room(ax, "x", style, plot, max(len(label) for label in labels))
    integer_ticks(ax.xaxis)
    set_axis_labels(ax, style, tr("Encounters"))
    return fig


def _referral_bars(
    ax: Axes,
    style: ChartStyle,
    parts: list[list[int]],
    segments: tuple[tuple[str, str], ...],
) -> tuple[list[BarContainer], list[float]]:
    """One horizontal bar per target, a segment per response, counts inside the segments
    that have room and each bar's total at its end."""
    biggest = max(sum(p) for p in parts)
    layers = [
        ([p[i] for p in parts], {"height": 0.7, "color": fill, "edgecolor": style.background})
        for i, (_, fill) in enumerate(segments)
    ]

    def label_inside(i: int, bars: BarContainer, values: Sequence[float]) -> None:
        # A count only inside a segment wide enough to hold it (≥ 6 % of the longest bar).
        label_segments(ax, bars, style, segments[i][1], values, biggest * 0.06)

    handles, lefts = stacked_bars(ax, range(len(parts)), layers, horizontal=True, each=label_inside)
    label_bars(ax, handles[-1], style, [str(t) for t in lefts])
    return handles, lefts


def referrals(
    rows: list[ReferralCount],
    style: ChartStyle | None = None,
    *,
    figsize: Size | None = None,
    vocabulary: LabelSource = vocab.REFERRAL_TARGETS,
    width: float | None = None,
) -> Figure:
    """Referrals per target, stacked accepted / declined / not yet known, largest first."""
    style = style or ChartStyle.light()
    title = tr("Onward referrals by service")
    merged = _per_target(rows)
    grand = sum(sum(v) for v in merged.values())
    if grand == 0:
        return empty_figure(
            style, figsize or (width or 7.5, 2.6), title, tr("No referrals made in this period")
        )

    ordered = sorted(merged.items(), key=lambda kv: (-sum(kv[1]), code_label(vocabulary, kv[0])))
    layout = layout_for(len(ordered), figsize, width or 7.5)
    shown = ordered[: layout.shown]
    names = [layout.label(code_label(vocabulary, t)) for t, _ in shown]
    parts = [list(v) for _, v in shown]
    folded = ordered[layout.shown :]
    accepted = sum(v[0] for v in merged.values())
    fig = new_figure(style, layout.figsize)
    # Translators: a chart title: "Onward referrals by service (15 referrals, 8 accepted)".
    heading = ntr(
        "{title} ({n} referral, {accepted} accepted)",
        "{title} ({n} referrals, {accepted} accepted)",
        grand,
    )
    set_title(fig, style, heading.format(title=title, n=number(grand), accepted=number(accepted)))
    ax = add_axes(fig, style, grid="x")
    segments = (
        (tr("Accepted"), REFERRAL_COLOURS["accepted"]),
        (tr("Declined"), REFERRAL_COLOURS["declined"]),
        (tr("Not yet known"), style.neutral),
    )
    handles, lefts = _referral_bars(ax, style, parts, segments)
    if folded:
        total = sum(sum(v) for _, v in folded)
        # Translators: the note under the chart for the services left out; {n} is how many,
        # {referrals} their referrals.
        note = ntr(
            "+ {n} more service: {referrals} referrals",
            "+ {n} more services: {referrals} referrals",
            len(folded),
        )
        note_folded(ax, style, len(names), note.format(n=len(folded), referrals=number(total)))
    category_rows(ax, names, int(bool(folded)))
    plot = layout.figsize[0] - _names_inches(names, style)
    label_room(ax, "x", style, plot, max(len(str(t)) for t in lefts))
    integer_ticks(ax.xaxis)
    set_axis_labels(ax, style, tr("Onward referrals"))
    legend_above(
        ax,
        style,
        handles,
        [label for label, _ in segments],
        margin_inches=_names_inches(names, style),
    )
    return fig


def _names_inches(names: list[str], style: ChartStyle) -> float:
    """About how wide the category names on the left are, with the tick and a margin."""
    longest = max((len(line) for name in names for line in name.split("\n")), default=0)
    return longest * 0.58 * style.font_size / 72 + 0.35


def _per_target(rows: list[ReferralCount]) -> dict[str, list[int]]:
    """Referral rows summed per target: [accepted, declined, not yet known]."""
    merged: dict[str, list[int]] = {}
    for r in rows:
        acc = merged.setdefault(r.target, [0, 0, 0])
        acc[0] += r.accepted
        acc[1] += r.declined
        acc[2] += r.pending
    return merged
