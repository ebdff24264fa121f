"""Charts drawn at the sizes the Charts page gives them: nothing overlaps, nothing is cut.

Every chart of a demo journal's dashboard is drawn (Agg renderer) at the figure sizes the
page's two-column grid gets at 1024, 1366 and 1920 pixels wide, and its text is measured:
no two texts overlap, none leaves the figure, bar counts stay clear of the Due markers and
the median line, tick labels are readable (few enough, whole days, never seconds).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from sqlalchemy import Engine, create_engine

from svjournal import charts
from svjournal.charts.dashboard import FIGSIZE, build_figures
from svjournal.charts.impact import expected_escalation_label
from svjournal.core import demo, i18n, locale_format, periods, schema, stats, vocab
from svjournal.core.stats_model import (
    CodeCount,
    Dashboard,
    StatsFilter,
    TrajectoryPoint,
    WeeklyFollowUps,
)

TODAY = date(2026, 12, 3)
# (column width / 100, max(2.8, 0.6 × that)): ChartsPage._figsize at 1024, 1366, 1920 px.
SIZES = [(4.2, 2.8), (5.05, 3.03), (7.8, 4.68), FIGSIZE]
# The case view draws the trajectory at 6.4 × 3.4 in; the builder's default is 8 × 3.8.
TRAJECTORY_SIZES = [(6.4, 3.4), (8.0, 3.8), (5.0, 3.4)]
STYLE = charts.ChartStyle.light()


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    engine = create_engine("sqlite://")
    schema.upgrade(engine)
    demo.generate(engine, cases=120, seed=11, anchor=TODAY)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module", params=["last_quarter", "last_12_months"])
def dashboard(request: pytest.FixtureRequest, engine: Engine) -> Dashboard:
    period = periods.preset(request.param).period(TODAY)
    return stats.dashboard(engine, StatsFilter(period), today=TODAY)


def draw(fig: Figure) -> RendererAgg:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def visible_tick_labels(ax: Axes, which: str) -> list[Text]:
    axis = ax.xaxis if which == "x" else ax.yaxis
    low, high = sorted(axis.get_view_interval())
    slack = (high - low) * 1e-6
    return [
        tick.label1
        for tick, loc in zip(axis.get_major_ticks(), axis.get_majorticklocs(), strict=False)
        if low - slack <= loc <= high + slack
        and tick.label1.get_visible()
        and tick.label1.get_text()
    ]


def drawn_texts(fig: Figure) -> list[Text]:
    """Every text the figure shows: titles, labels, ticks in view, notes, legends."""
    found: list[Text] = []
    suptitle = fig._suptitle
    if suptitle is not None:
        found.append(suptitle)
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        found += [ax.title, ax._left_title, ax._right_title]
        found += [ax.xaxis.label, ax.yaxis.label, *ax.texts]
        if ax.axison:
            found += visible_tick_labels(ax, "x") + visible_tick_labels(ax, "y")
        legend = ax.get_legend()
        if legend is not None:
            found += legend.get_texts()
    return [t for t in found if t.get_visible() and t.get_text().strip()]


def shrunk(box: Bbox, px: float = 0.5) -> Bbox:
    return Bbox.from_extents(box.x0 + px, box.y0 + px, box.x1 - px, box.y1 - px)


def assert_readable(fig: Figure, name: str) -> None:
    renderer = draw(fig)
    texts = drawn_texts(fig)
    boxes = [shrunk(t.get_window_extent(renderer)) for t in texts]
    frame = fig.bbox
    for text, box in zip(texts, boxes, strict=True):
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, f"{name}: {text.get_text()!r} is cut"
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, f"{name}: {text.get_text()!r} is cut"
    for (a, abox), (b, bbox) in zip_pairs(list(zip(texts, boxes, strict=True))):
        assert not abox.overlaps(bbox), f"{name}: {a.get_text()!r} overlaps {b.get_text()!r}"


def zip_pairs(items: list[tuple[Text, Bbox]]) -> Iterator[tuple[tuple[Text, Bbox], ...]]:
    for i, first in enumerate(items):
        for second in items[i + 1 :]:
            yield first, second


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_text_overlaps_or_leaves_the_figure(
    dashboard: Dashboard, size: tuple[float, float]
) -> None:
    departments = {"icu": "Intensive care", "emergency": "Emergency"}
    for _tab, title, fig in build_figures(dashboard, False, departments, size):
        assert_readable(fig, f"{title} at {size}")


def test_counts_stay_clear_of_the_due_markers() -> None:
    # Due above the stack (follow-ups still in their grace day), and due equal to it.
    monday = date(2026, 10, 5)
    weeks = [
        WeeklyFollowUps(monday + timedelta(weeks=i), due, done, 0, 0)
        for i, (due, done) in enumerate([(4, 3), (3, 3), (5, 2), (2, 2), (6, 5), (1, 0)])
    ]
    for size in SIZES:
        fig = charts.follow_up_weeks(weeks, STYLE, figsize=size)
        renderer = draw(fig)
        ax = fig.axes[0]
        (due,) = [line for line in ax.lines if line.get_label() == "Due"]
        half = due.get_markeredgewidth() / 2 * fig.dpi / 72
        marker_tops = [
            ax.transData.transform((x, y))[1] + half
            for x, y in zip(due.get_xdata(), due.get_ydata(), strict=True)
        ]
        labels = [t for t in ax.texts if t.get_text()]
        assert [t.get_text() for t in labels] == ["3", "3", "2", "2", "5", "0"]
        for label, top in zip(labels, marker_tops, strict=True):
            assert label.get_window_extent(renderer).y0 >= top, (size, label.get_text())
        assert_readable(fig, f"follow-ups at {size}")


def test_the_median_line_never_runs_through_a_count() -> None:
    for hist in ([(1, 13), (2, 4), (4, 1), (8, 2)], [(1, 5), (2, 22), (3, 11), (4, 6)]):
        for size in SIZES:
            fig = charts.contacts_per_case(hist, STYLE, figsize=size)
            renderer = draw(fig)
            ax = fig.axes[0]
            (line,) = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
            x = ax.transData.transform((line.get_xdata()[0], 0))[0]
            y0, y1 = (ax.transAxes.transform((0, f))[1] for f in line.get_ydata())
            assert y1 - y0 > 5, "the median line is still visible"
            segment = Bbox.from_extents(x - 1, y0, x + 1, y1)
            for text in ax.texts:
                box = shrunk(text.get_window_extent(renderer))
                if text.get_text().startswith("median"):
                    continue
                assert not box.overlaps(segment), (hist, size, text.get_text())
            assert_readable(fig, f"contacts at {size}")


def test_encounters_per_month_has_few_whole_ticks_at_every_size(dashboard: Dashboard) -> None:
    for size in SIZES:
        fig = charts.monthly_encounters(dashboard.monthly, STYLE, figsize=size)
        draw(fig)
        for ax in fig.axes:
            ticks = visible_tick_labels(ax, "y")
            height_pt = ax.bbox.height * 72 / fig.dpi
            assert 2 <= len(ticks) <= max(2, height_pt // (2 * STYLE.font_size)) + 1, size
            assert all(re.fullmatch(r"\d+", t.get_text()) for t in ticks), size
        assert_readable(fig, f"monthly at {size}")


def test_the_expected_escalation_note_is_whole() -> None:
    for size in SIZES:
        for rate in (0.0, 0.12, 0.4):
            rows = [CodeCount("1", 2, 2), CodeCount("2", 39, 18), CodeCount("3", 4, 3)]
            fig = charts.tier_mix(rows, rate, STYLE, figsize=size)
            renderer = draw(fig)
            [note] = [t for t in drawn_texts(fig) if t.get_text() == expected_escalation_label()]
            box = note.get_window_extent(renderer)
            assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1, (size, rate)
            assert_readable(fig, f"tiers at {size}, rate {rate}")


@pytest.mark.parametrize(
    "spread",
    [timedelta(minutes=20), timedelta(hours=30), timedelta(days=9), timedelta(days=400)],
    ids=["minutes", "hours", "days", "a year"],
)
def test_the_trajectory_dates_are_days_or_months_never_seconds(spread: timedelta) -> None:
    start = datetime(2026, 10, 30, 9, 15, 42)
    points = [TrajectoryPoint(start + spread * i / 5, (i % 6) + 1, i == 2) for i in range(6)]
    for size in TRAJECTORY_SIZES:
        fig = charts.case_trajectory(points, STYLE, figsize=size)
        draw(fig)
        ax = fig.axes[0]
        labels = [t.get_text() for t in visible_tick_labels(ax, "x")]
        assert len(labels) >= 2, (spread, size)
        # US English: "Nov 3" for a day, "Nov" (and the year under it) for a month.
        day_month = r"[A-Z][a-z]{2} \d{1,2}|[A-Z][a-z]{2}(\n\d{4})?|\d{4}"
        assert all(re.fullmatch(day_month, label) for label in labels), labels
        assert_readable(fig, f"trajectory over {spread} at {size}")


def test_legends_keep_to_two_rows_and_leave_the_plot_its_height(dashboard: Dashboard) -> None:
    # Narrower than the page draws them too: four entries once stacked in four rows there.
    for size in [(3.8, 2.8), *SIZES]:
        fig = charts.follow_up_weeks(dashboard.follow_up_weeks, STYLE, figsize=size)
        renderer = draw(fig)
        ax = fig.axes[0]
        legend = ax.get_legend()
        row_px = STYLE.small_size * 1.9 * fig.dpi / 72  # a row of text with its spacing
        assert legend.get_window_extent(renderer).height <= 2 * row_px, size
        assert ax.bbox.height >= fig.bbox.height * 0.35, size  # the plot, not the legend


# --- in every language --------------------------------------------------------------------

# Every shipped language is held to the layout; the pseudo-locale (half as long again, longer
# than any of them) only to having every word marked.
LANGUAGES = i18n.shipped()[1:]
_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", [SIZES[0], SIZES[1]], ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_text_overlaps_or_leaves_the_figure_in_every_language(
    dashboard: Dashboard, size: tuple[float, float], language: str
) -> None:
    departments = {"icu": "Intensive care", "emergency": "Emergency"}
    with i18n.speaking(language):
        for _tab, title, fig in build_figures(dashboard, False, departments, size):
            assert_readable(fig, f"{title} at {size} in {language}")


def test_every_chart_text_is_translated(dashboard: Dashboard) -> None:
    """In the pseudo-locale every word a chart writes is accented: plain English left is a
    title, label, legend or note never marked (data and month names aside)."""
    months = {
        word.lower()
        for n in range(1, 13)
        for word in _WORD.findall(
            locale_format.format_month(date(2026, n, 1)) + " " + date(2026, n, 1).strftime("%b %B")
        )
    }
    allowed = months
    english: dict[str, list[str]] = {}
    with i18n.speaking(i18n.PSEUDO):
        # The departments as the app passes them: the journal's own labels (here the
        # default ones, which are translated until the supporter renames them).
        departments = {t.code: t.label for t in vocab.DEFAULT_DEPARTMENTS}
        figures = build_figures(dashboard, False, departments, SIZES[1])
        figures.append(("Case", "trajectory", _trajectory()))
        for _tab, title, fig in figures:
            for text in drawn_texts(fig):
                words = [w for w in _WORD.findall(text.get_text()) if w.lower() not in allowed]
                if words:
                    english.setdefault(title, []).append(text.get_text())
    assert not english, f"unmarked chart text: {english}"


def _trajectory() -> Figure:
    start = datetime(2026, 10, 30, 9, 15)
    points = [TrajectoryPoint(start + timedelta(days=3 * i), (i % 6) + 1, i == 2) for i in range(6)]
    return charts.case_trajectory(points, STYLE, figsize=TRAJECTORY_SIZES[0])
