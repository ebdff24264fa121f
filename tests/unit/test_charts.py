"""Chart builders: every one renders empty, single and large inputs, honestly, without pyplot."""

from __future__ import annotations

import ast
import io
import itertools
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.text import Text

from svjournal import charts
from svjournal.charts import ChartStyle
from svjournal.charts.impact import expected_escalation_label
from svjournal.charts.labels import (
    ELLIPSIS,
    histogram_median,
    month_range,
    month_ticks,
    shorten,
    stage_label,
    wrap,
)
from svjournal.charts.style import STAGE_COLOURS, contrast_ratio
from svjournal.core import vocab
from svjournal.core.stats_model import (
    CodeCount,
    Dashboard,
    Kpis,
    MonthlyEncounters,
    MonthStageCount,
    Period,
    ReferralCount,
    StatsFilter,
    TrajectoryPoint,
    WeeklyFollowUps,
)

CHARTS_DIR = Path(charts.__file__).parent
STYLES = {"light": ChartStyle.light(), "dark": ChartStyle.dark()}
MONDAY = date(2026, 1, 5)


@pytest.fixture(params=sorted(STYLES))
def style(request: pytest.FixtureRequest) -> ChartStyle:
    return STYLES[request.param]


# --- helpers -------------------------------------------------------------------------------


def render(fig: Figure) -> None:
    """Both raster (GUI, PNG export) and vector (PDF-like) back ends must draw the figure."""
    png, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(png, format="png")
    fig.savefig(svg, format="svg")
    assert png.getvalue().startswith(b"\x89PNG")
    assert b"<svg" in svg.getvalue()


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def title(fig: Figure) -> str:
    return fig.get_suptitle()


def bar_containers(ax: Axes) -> list[BarContainer]:
    return [c for c in ax.containers if isinstance(c, BarContainer)]


def heights(container: BarContainer) -> list[float]:
    return [p.get_height() for p in container.patches]


def widths(container: BarContainer) -> list[float]:
    return [p.get_width() for p in container.patches]


def assert_empty_state(fig: Figure, message: str) -> None:
    render(fig)
    assert message in " ".join(texts(fig)).replace("\n", " ")
    assert title(fig)
    assert all(not bar_containers(ax) for ax in fig.axes)


def assert_zero_based(ax: Axes, axis: str = "y") -> None:
    low = ax.get_ylim()[0] if axis == "y" else ax.get_xlim()[0]
    assert low == 0


def weeks(n: int) -> list[WeeklyFollowUps]:
    out = []
    for i in range(n):
        on_time, late, missed = i % 5, i % 3, i % 2
        out.append(
            WeeklyFollowUps(
                MONDAY + timedelta(weeks=i), on_time + late + missed, on_time, late, missed
            )
        )
    return out


def months(n: int, start: int = 2021) -> list[str]:
    return [f"{start + i // 12}-{i % 12 + 1:02d}" for i in range(n)]


LONG_LABELS = {
    f"c{i:02d}": f"Category {i:02d} with a deliberately long label that overlaps its neighbours"
    for i in range(40)
}


# --- the package's shape ------------------------------------------------------------------


def test_no_chart_module_imports_pyplot() -> None:
    sources = sorted(CHARTS_DIR.glob("*.py"))
    assert len(sources) >= 5
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or "", *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Attribute):
                names = [node.attr]  # e.g. matplotlib.pyplot reached through an attribute
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names = [node.value] if "matplotlib.pyplot" in node.value else []  # importlib
            else:
                continue
            assert not any("pyplot" in n or n.startswith("PySide6") for n in names), path.name


def test_modules_stay_small() -> None:
    for path in CHARTS_DIR.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 300, path.name


BUILD_ALL = """
import sys
from datetime import date, datetime
import svjournal.charts as charts
assert not any(m == "matplotlib" or m.startswith("matplotlib.") for m in sys.modules), "eager"
from svjournal.core import vocab
from svjournal.core.stats_model import *
s = charts.ChartStyle.dark()
figs = [
    charts.follow_up_weeks([WeeklyFollowUps(date(2026, 1, 5), 3, 1, 1, 1)], s),
    charts.contacts_per_case([(1, 2), (3, 1)], s),
    charts.open_case_stages([(1, 2), (None, 1)], s),
    charts.encounters_by_month_stage([MonthStageCount("2026-01", 2, 4)], s),
    charts.stage_outcomes([("thriving", 2)], s),
    charts.case_trajectory([TrajectoryPoint(datetime(2026, 1, 5), 1, True)], s),
    charts.monthly_encounters([MonthlyEncounters("2026-01", 3, 1, 4, 2.5)], s),
    charts.breakdown([CodeCount("nurse", 3, 2)], vocab.ROLES, "By role", s),
    charts.tier_mix([CodeCount("2", 3, 2)], 0.1, s),
    charts.referrals([ReferralCount("eap", 1, 0, 1)], s),
]
import io
for f in figs:
    f.savefig(io.BytesIO(), format="png")
    f.savefig(io.BytesIO(), format="svg")
assert "matplotlib.pyplot" not in sys.modules, "pyplot was imported"
assert not any(m.startswith("PySide6") for m in sys.modules), "Qt was imported"
print("ok", len(figs))
"""


def test_building_every_chart_never_imports_pyplot_or_qt() -> None:
    # A fresh interpreter: pytest plugins in this one may have imported pyplot already.
    result = subprocess.run(
        [sys.executable, "-c", BUILD_ALL], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok 10"


def test_package_exports_every_builder_lazily() -> None:
    for name in charts.__all__:
        assert callable(getattr(charts, name))
    with pytest.raises(AttributeError):
        charts.no_such_chart  # noqa: B018


# --- style ---------------------------------------------------------------------------------


def test_stage_colours_match_the_app_chips() -> None:
    assert dict(STAGE_COLOURS) == {
        1: "#D55E00",
        2: "#E69F00",
        3: "#F0E442",
        4: "#56B4E9",
        5: "#0072B2",
        6: "#009E73",
    }


def test_light_and_dark_styles_differ_and_are_readable() -> None:
    light, dark = ChartStyle.light(), ChartStyle.dark()
    assert not light.is_dark and dark.is_dark
    for s in (light, dark):
        assert contrast_ratio(s.foreground, s.background) >= 7
        assert contrast_ratio(s.muted, s.background) >= 3
        assert 10 <= s.font_size <= 12 and s.dpi == 100


def test_style_from_app_palette_colours() -> None:
    s = ChartStyle.from_colours("#2b2d30", "#e6e6e6")
    assert s.is_dark and s.background == "#2B2D30"
    assert not ChartStyle.from_colours("white", "black").is_dark
    with pytest.raises(FrozenInstanceErrorType):
        s.background = "#000000"  # type: ignore[misc]


FrozenInstanceErrorType = __import__("dataclasses").FrozenInstanceError


def test_text_on_bars_is_dark_on_light_fills() -> None:
    s = ChartStyle.light()
    assert s.text_on("#F0E442") == "#000000"  # yellow stage 3
    assert s.text_on("#E69F00") == "#000000"
    assert s.text_on("#1E1F22") == "#FFFFFF"
    for fill in STAGE_COLOURS.values():
        assert contrast_ratio(s.text_on(fill), fill) >= 4.5


def test_pale_bars_get_an_outline_on_white() -> None:
    s = ChartStyle.light()
    assert s.edge_for("#F0E442") != s.background
    assert s.edge_for("#0072B2") == s.background


# --- labels --------------------------------------------------------------------------------


def test_shorten_and_wrap_never_exceed_their_width() -> None:
    text = "Patient reminds the clinician of their own family and much more besides"
    assert shorten(text, 20).endswith(ELLIPSIS) and len(shorten(text, 20)) <= 20
    assert shorten("Short", 20) == "Short"
    wrapped = wrap(text, 24)
    assert wrapped.count("\n") == 1 and wrapped.endswith(ELLIPSIS)
    assert all(len(line) <= 24 for line in wrapped.splitlines())


def test_stage_labels() -> None:
    assert stage_label(1) == "1 · Chaos and accident response"
    assert stage_label(None) == "No stage yet"


def test_month_range_fills_gaps_and_ticks_thin_out() -> None:
    assert month_range(["2025-11", "2026-02"]) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    sixty = months(60)
    ticks = month_ticks(sixty, max_labels=12)
    assert 5 <= len(ticks) <= 12
    assert ticks[0][1].endswith("2021") or "\n2021" in ticks[0][1]
    assert [label for _, label in month_ticks(months(3, 2026), 12)] == ["Jan\n2026", "Feb", "Mar"]


def test_histogram_median() -> None:
    assert histogram_median([(1, 3), (2, 4), (3, 2), (10, 1)]) == 2
    assert histogram_median([(1, 1), (2, 1)]) == 1.5
    assert histogram_median([]) is None
    assert histogram_median([(4, 0)]) is None


# --- follow-ups ----------------------------------------------------------------------------


@pytest.mark.parametrize("data", [[], [WeeklyFollowUps(MONDAY, 0, 0, 0, 0)] * 1])
def test_follow_up_weeks_empty(data: list[WeeklyFollowUps], style: ChartStyle) -> None:
    assert_empty_state(charts.follow_up_weeks(data, style), "No follow-ups due in this period")


@pytest.mark.parametrize("n", [1, 3, 24])
def test_follow_ups_by_month_for_data_without_days(n: int, style: ChartStyle) -> None:
    """Team data carries months: one month-wide bar per month, labelled by month."""
    data = [
        WeeklyFollowUps(date(2025 + m // 12, m % 12 + 1, 1), 4 + m, 2, 1, m % 3) for m in range(n)
    ]
    fig = charts.follow_up_weeks(data, style, grain="month")
    render(fig)
    ax = fig.axes[0]
    on_time, late, missed = bar_containers(ax)
    assert len(on_time) == n and heights(late) == [w.late for w in data]
    assert heights(missed) == [w.missed for w in data]
    assert {round(p.get_width()) for p in on_time} == {26}
    assert title(fig).startswith("Follow-ups by month")
    assert ax.get_xlabel() == "Month"
    assert_labels_do_not_overlap(fig, ax, "x")
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0] == "Jan 2025" and all(len(t.split()) == 2 for t in ticks)


@pytest.mark.parametrize("n", [1, 8, 52])
def test_follow_up_weeks_stacks_the_data(n: int, style: ChartStyle) -> None:
    data = weeks(n) if n > 1 else [WeeklyFollowUps(MONDAY, 4, 2, 1, 1)]
    fig = charts.follow_up_weeks(data, style)
    render(fig)
    ax = fig.axes[0]
    on_time, late, missed = bar_containers(ax)
    assert len(on_time) == len(late) == len(missed) == n
    assert heights(on_time) == [w.on_time for w in data]
    assert heights(late) == [w.late for w in data]
    assert heights(missed) == [w.missed for w in data]
    assert [p.get_y() for p in missed] == [w.on_time + w.late for w in data]
    due = sum(w.due for w in data)
    on = sum(w.on_time for w in data)
    assert f"{round(on / due * 100)}% done on time" in title(fig)
    assert ax.get_ylabel() == "Follow-ups" and ax.get_xlabel() == "Week starting"
    assert_zero_based(ax)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["Done on time", "Done late", "Missed or overdue", "Due"]
    assert_labels_do_not_overlap(fig, ax, "x")
    if n <= 8:  # room for the totals over each bar
        assert [t.get_text() for t in ax.texts] == [
            str(w.on_time + w.late + w.missed) for w in data
        ]


def test_follow_up_weeks_marks_due_even_when_not_all_accounted_for(style: ChartStyle) -> None:
    fig = charts.follow_up_weeks([WeeklyFollowUps(MONDAY, 5, 2, 0, 0)], style)
    render(fig)
    (due_line,) = [ln for ln in fig.axes[0].lines if ln.get_label() == "Due"]
    assert list(due_line.get_ydata()) == [5]
    assert "40% done on time (2 of 5)" in title(fig)


def test_contacts_per_case(style: ChartStyle) -> None:
    assert_empty_state(charts.contacts_per_case([], style), "No cases with contacts")
    assert_empty_state(charts.contacts_per_case([(2, 0)], style), "No cases with contacts")
    hist = [(1, 14), (2, 22), (3, 11), (4, 6), (10, 1)]
    fig = charts.contacts_per_case(hist, style)
    render(fig)
    ax = fig.axes[0]
    (bars,) = bar_containers(ax)
    assert heights(bars) == [14, 22, 11, 6, 1]
    assert "median 2" in title(fig) and any(t == "median 2" for t in texts(fig))
    assert ax.get_xlabel() and ax.get_ylabel() == "Cases"
    assert_zero_based(ax)
    single = charts.contacts_per_case([(3, 5)], style)
    render(single)
    assert heights(bar_containers(single.axes[0])[0]) == [5]
    wide = charts.contacts_per_case([(i, i % 7 + 1) for i in range(1, 41)], style)
    render(wide)
    assert len(bar_containers(wide.axes[0])[0]) == 40


# --- stages --------------------------------------------------------------------------------


def test_open_case_stages(style: ChartStyle) -> None:
    assert_empty_state(charts.open_case_stages([], style), "No open cases")
    assert_empty_state(charts.open_case_stages([(1, 0), (None, 0)], style), "No open cases")
    fig = charts.open_case_stages([(2, 7), (1, 3), (None, 2), (6, 1)], style)
    render(fig)
    ax = fig.axes[0]
    (bars,) = bar_containers(ax)
    assert widths(bars) == [3, 7, 0, 0, 0, 1, 2]
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names[0] == "1 · Chaos and accident response" and names[-1] == "No stage yet"
    assert ax.get_xlabel() == "Open cases" and "13 open cases" in title(fig)
    assert_zero_based(ax, "x")
    only = charts.open_case_stages([(4, 1)], style)
    render(only)
    assert len(bar_containers(only.axes[0])[0]) == 6  # no "no stage" row when none


def test_encounters_by_month_stage(style: ChartStyle) -> None:
    assert_empty_state(charts.encounters_by_month_stage([], style), "No encounters")
    single = charts.encounters_by_month_stage([MonthStageCount("2026-03", 3, 4)], style)
    render(single)
    (bars,) = bar_containers(single.axes[0])
    assert heights(bars) == [4]
    rows = [
        MonthStageCount(m, stage, (i + (stage or 0)) % 9)
        for i, m in enumerate(months(60))
        for stage in (1, 2, 3, 4, 5, 6, None)
    ]
    fig = charts.encounters_by_month_stage(rows, style)
    render(fig)
    ax = fig.axes[0]
    containers = bar_containers(ax)
    assert len(containers) == 7 and all(len(c) == 60 for c in containers)
    assert heights(containers[0]) == [r.encounters for r in rows if r.stage == 1]
    assert heights(containers[-1]) == [r.encounters for r in rows if r.stage is None]
    assert len(ax.get_xticks()) <= 14  # 60 months, thinned so labels never overlap
    assert_labels_do_not_overlap(fig, ax, "x")
    assert ax.get_ylabel() == "Encounters" and title(fig)
    assert_zero_based(ax)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [f"Stage {s}" for s in range(1, 7)] + ["No stage"]


def test_month_gaps_show_as_zero(style: ChartStyle) -> None:
    fig = charts.encounters_by_month_stage(
        [MonthStageCount("2026-01", 1, 2), MonthStageCount("2026-04", 1, 3)], style
    )
    render(fig)
    assert heights(bar_containers(fig.axes[0])[0]) == [2, 0, 0, 3]


def test_stage_outcomes(style: ChartStyle) -> None:
    assert_empty_state(charts.stage_outcomes([], style), "No cases have reached stage 6")
    fig = charts.stage_outcomes([("thriving", 14), ("dropping_out", 2), ("surviving", 9)], style)
    render(fig)
    ax = fig.axes[0]
    (bars,) = bar_containers(ax)
    assert heights(bars) == [2, 9, 14]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Dropping out", "Surviving", "Thriving"]
    assert "14 (56%)" in texts(fig) and "25 cases" in title(fig)
    assert ax.get_ylabel() == "Cases"
    single = charts.stage_outcomes([("surviving", 1)], style)
    render(single)
    assert heights(bar_containers(single.axes[0])[0]) == [0, 1, 0]


def test_case_trajectory(style: ChartStyle) -> None:
    assert_empty_state(charts.case_trajectory([], style), "No stage recorded")
    unstaged = [TrajectoryPoint(datetime(2026, 1, 5), None, False)]
    assert_empty_state(charts.case_trajectory(unstaged, style), "No stage recorded")

    t0 = datetime(2025, 1, 1, 9)
    points = [
        TrajectoryPoint(t0 + timedelta(days=2 * i), (i // 30) % 6 + 1, i % 17 == 0)
        for i in range(200)
    ]
    points[50] = TrajectoryPoint(points[50].occurred_at, None, True)
    fig = charts.case_trajectory(points, style)
    render(fig)
    ax = fig.axes[0]
    (step,) = [ln for ln in ax.lines if ln.get_drawstyle() == "steps-post"]
    assert len(step.get_xdata()) == 199  # the untagged encounter is not a stage change
    assert ax.get_ylim() == (6.5, 0.5)  # stage 1 at the top
    assert [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()] == [
        stage_label(s) for s in range(1, 7)
    ]
    triggered = sum(p.triggered for p in points)
    stars = ax.collections[1]
    assert len(stars.get_offsets()) == triggered
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Stage at encounter", "Triggered (event brought back)"]
    assert ax.get_xlabel() == "Encounter date" and f"triggered {triggered} times" in title(fig)

    one = charts.case_trajectory([TrajectoryPoint(t0, 2, False)], style)
    render(one)
    assert "1 encounter)" in title(one)


# --- impact --------------------------------------------------------------------------------


def test_monthly_encounters(style: ChartStyle) -> None:
    assert_empty_state(charts.monthly_encounters([], style), "No encounters in this period")
    zero = [MonthlyEncounters("2026-01", 0, 0, 0, 0.0)]
    assert_empty_state(charts.monthly_encounters(zero, style), "No encounters in this period")
    rows = [
        MonthlyEncounters(m, 10 + i % 7, i % 3, 4 * (i % 3), 5.5 + i)
        for i, m in enumerate(months(60))
    ]
    fig = charts.monthly_encounters(rows, style)
    render(fig)
    ax, hx = fig.axes
    individual, group = bar_containers(ax)
    assert heights(individual) == [r.individual for r in rows]
    assert heights(group) == [r.group for r in rows]
    (hours,) = bar_containers(hx)
    assert heights(hours) == pytest.approx([r.hours for r in rows])
    assert ax.get_ylabel() == "Encounters" and hx.get_ylabel() == "Hours"
    assert "Hours of support" in hx.get_title(loc="left")
    assert f"{sum(r.individual for r in rows)} individual" in title(fig)
    assert_zero_based(ax)
    assert_zero_based(hx)
    single = charts.monthly_encounters([MonthlyEncounters("2026-05", 3, 1, 6, 2.0)], style)
    render(single)
    assert heights(bar_containers(single.axes[0])[1]) == [1]


@pytest.mark.parametrize(
    ("labels", "code", "label"),
    [
        (vocab.ROLES, "nurse", "Nurse"),
        ({"icu": "Intensive care (north)"}, "icu", "Intensive care (north)"),
        (vocab.EVENT_CATEGORIES, "near_miss", "Near miss"),
        (vocab.HIGH_RISK_EVENTS, "first_death", "The clinician's first patient death"),
    ],
)
def test_breakdown_single_row_with_vocabulary_or_dict(
    labels: object, code: str, label: str, style: ChartStyle
) -> None:
    fig = charts.breakdown([CodeCount(code, 7, 3)], labels, "Encounters by X", style)  # type: ignore[arg-type]
    render(fig)
    ax = fig.axes[0]
    (bars,) = bar_containers(ax)
    assert widths(bars) == [7]
    assert [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()] == [label]
    assert "7 · 3 cases" in texts(fig)
    assert title(fig) == "Encounters by X" and ax.get_xlabel() == "Encounters"


def test_breakdown_empty(style: ChartStyle) -> None:
    assert_empty_state(charts.breakdown([], vocab.ROLES, "By role", style), "No encounters")
    zero = [CodeCount("nurse", 0, 0)]
    assert_empty_state(
        charts.breakdown(zero, vocab.ROLES, "By role", style, empty_message="Nothing yet"),
        "Nothing yet",
    )


def test_breakdown_forty_long_labels_grow_the_figure(style: ChartStyle) -> None:
    rows = [CodeCount(code, 100 - i, 1 + i % 4) for i, code in enumerate(LONG_LABELS)]
    fig = charts.breakdown(rows, LONG_LABELS, "Forty categories", style)
    render(fig)
    ax = fig.axes[0]
    (bars,) = bar_containers(ax)
    assert widths(bars) == [r.encounters for r in rows]  # already largest first
    assert fig.get_figheight() > 8
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert all(len(line) <= 36 for name in names for line in name.splitlines())
    assert all(name.endswith(ELLIPSIS) for name in names)
    assert_labels_do_not_overlap(fig, ax)


def test_breakdown_folds_what_a_fixed_size_cannot_hold(style: ChartStyle) -> None:
    rows = [CodeCount(code, 100 - i, 2) for i, code in enumerate(LONG_LABELS)]
    fig = charts.breakdown(rows, LONG_LABELS, "Forty, fixed", style, figsize=(7, 4))
    render(fig)
    ax = fig.axes[0]
    (bars,) = bar_containers(ax)
    shown = len(bars)
    assert 5 < shown < 40
    assert widths(bars) == [r.encounters for r in rows[:shown]]
    rest = rows[shown:]
    note = f"+ {len(rest)} more categories: {sum(r.encounters for r in rest):,} encounters"
    assert note in texts(fig)
    assert_labels_do_not_overlap(fig, ax)


def assert_labels_do_not_overlap(fig: Figure, ax: Axes, axis: str = "y") -> None:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # layout has run: extents are final
    renderer = canvas.get_renderer()
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    boxes = [t.get_window_extent(renderer) for t in ticks if t.get_text()]
    assert boxes
    for upper, lower in itertools.pairwise(boxes):
        assert not upper.overlaps(lower)


def test_breakdown_merges_duplicate_codes_and_sorts(style: ChartStyle) -> None:
    rows = [CodeCount("nurse", 2, 1), CodeCount("physician", 5, 2), CodeCount("nurse", 4, 2)]
    fig = charts.breakdown(rows, vocab.ROLES, "By role", style)
    render(fig)
    ax = fig.axes[0]
    assert widths(bar_containers(ax)[0]) == [6, 5]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Nurse", "Physician"]


def test_tier_mix(style: ChartStyle) -> None:
    assert_empty_state(charts.tier_mix([], None, style), "No tier recorded")
    rows = [CodeCount("2", 160, 60), CodeCount("1", 40, 25), CodeCount("3", 14, 9)]
    fig = charts.tier_mix(rows, 0.12, style)
    render(fig)
    top, bottom = fig.axes
    (tiers,) = bar_containers(top)
    assert widths(tiers) == [40, 160, 14]
    assert [t.get_text() for t in top.get_yticklabels()] == [t.label for t in vocab.TIERS]
    (rate,) = bar_containers(bottom)
    assert widths(rate) == pytest.approx([12.0])
    assert expected_escalation_label() in texts(fig)
    (reference,) = [ln for ln in bottom.lines if ln.get_linestyle() == "--"]
    assert list(reference.get_xdata()) == [10, 10]
    assert "12% of active cases escalated" in title(fig)
    assert top.get_xlabel() == "Encounters" and bottom.get_xlabel()

    single = charts.tier_mix([CodeCount("1", 3, 3)], None, style)
    render(single)
    assert widths(bar_containers(single.axes[0])[0]) == [3, 0, 0]
    assert "no active cases" in texts(single)


def test_referrals(style: ChartStyle) -> None:
    assert_empty_state(charts.referrals([], style), "No referrals made in this period")
    assert_empty_state(charts.referrals([ReferralCount("eap", 0, 0, 0)], style), "No referrals")
    rows = [
        ReferralCount("eap", 2, 1, 1),
        ReferralCount("psychologist", 6, 3, 1),
        ReferralCount("chaplain", 0, 0, 1),
    ]
    fig = charts.referrals(rows, style)
    render(fig)
    ax = fig.axes[0]
    accepted, declined, pending = bar_containers(ax)
    assert widths(accepted) == [6, 2, 0]
    assert widths(declined) == [3, 1, 0]
    assert widths(pending) == [1, 1, 1]
    assert [p.get_x() for p in pending] == [9, 3, 0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Clinical psychologist",
        "Employee assistance program",
        "Chaplain / spiritual care",
    ]
    assert "15 referrals, 8 accepted" in title(fig) and ax.get_xlabel() == "Onward referrals"

    many = [ReferralCount(f"t{i}", i % 4, i % 2, 1) for i in range(40)]
    big = charts.referrals(many, style, vocabulary={f"t{i}": f"Target {i}" for i in range(40)})
    render(big)
    assert sum(len(c) for c in bar_containers(big.axes[0])) == 120


# --- a whole dashboard, built by hand ------------------------------------------------------


def _kpis() -> Kpis:
    return Kpis(
        encounters=120,
        people_reached=90,
        hours_of_support=80.5,
        active_cases=50,
        open_cases=20,
        median_hours_to_first_contact=18.0,
        follow_ups_due=30,
        follow_ups_on_time=24,
        follow_up_completion=0.8,
        escalated_cases=6,
        escalation_rate=0.12,
        referrals=40,
        support_declined=4,
        decline_rate=0.1,
    )


def test_a_hand_built_dashboard_renders_every_chart(style: ChartStyle) -> None:
    board = Dashboard(
        filter=StatsFilter(Period(date(2026, 1, 1), date(2026, 12, 31))),
        kpis=_kpis(),
        previous=_kpis(),
        follow_up_weeks=weeks(52),
        contacts_per_case=[(1, 14), (2, 22), (3, 11)],
        open_case_stages=[(s, s + 1) for s in range(1, 7)] + [(None, 2)],
        month_stage=[MonthStageCount(m, 2, 5) for m in months(12, 2026)],
        outcomes=[("surviving", 9), ("thriving", 14)],
        monthly=[MonthlyEncounters(m, 9, 1, 6, 7.5) for m in months(12, 2026)],
        by_role=[CodeCount("nurse", 60, 25), CodeCount("physician", 30, 12)],
        by_department=[CodeCount("icu", 40, 15)],
        by_event_category=[CodeCount("unexpected_death", 20, 8)],
        by_high_risk_event=[CodeCount("child_involved", 10, 4)],
        by_tier=[CodeCount("2", 100, 45), CodeCount("3", 20, 6)],
        referrals=[ReferralCount("eap", 5, 1, 2)],
    )
    departments = {t.code: t.label for t in vocab.DEFAULT_DEPARTMENTS}
    builders: list[Callable[[], Figure]] = [
        lambda: charts.follow_up_weeks(board.follow_up_weeks, style),
        lambda: charts.contacts_per_case(board.contacts_per_case, style),
        lambda: charts.open_case_stages(board.open_case_stages, style),
        lambda: charts.encounters_by_month_stage(board.month_stage, style),
        lambda: charts.stage_outcomes(board.outcomes, style),
        lambda: charts.monthly_encounters(board.monthly, style),
        lambda: charts.breakdown(board.by_role, vocab.ROLES, "By role", style),
        lambda: charts.breakdown(board.by_department, departments, "By department", style),
        lambda: charts.breakdown(
            board.by_event_category, vocab.EVENT_CATEGORIES, "By event", style
        ),
        lambda: charts.breakdown(
            board.by_high_risk_event, vocab.HIGH_RISK_EVENTS, "By high-risk event", style
        ),
        lambda: charts.tier_mix(board.by_tier, board.kpis.escalation_rate, style),
        lambda: charts.referrals(board.referrals, style),
    ]
    for build in builders:
        fig = build()
        assert isinstance(fig, Figure)
        assert fig.get_facecolor()[:3] == pytest.approx(
            tuple(int(style.background[i : i + 2], 16) / 255 for i in (1, 3, 5))
        )
        render(fig)


def test_builders_leave_global_rcparams_alone() -> None:
    import matplotlib

    before = dict(matplotlib.rcParams)
    render(charts.tier_mix([CodeCount("1", 2, 1)], 0.05, ChartStyle.dark()))
    assert dict(matplotlib.rcParams) == before
