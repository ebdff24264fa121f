"""Brute force: the programme report reveals nothing about any group of fewer than t people.

Hundreds of small journals (0 … 2t cases, every attribute drawn from two or three values:
month, role, department, event category, high-risk event, tier, stage, outcome; plus group
debriefs, follow-ups and onward referrals) go through the real pipeline (SQL, suppression,
model, writers). The formal statement, checked on each:

1. Shape. Which tables, rows and columns a report has depends on the request (period,
   threshold, departments) and on the grain, never on who is in the journal: every
   breakdown lists its whole vocabulary, every table by time every month (quarter, year).
2. Small populations. Two journals with fewer than t people in the report's period each
   (after the department filter) show the same of that period: no table, every key figure
   hidden alike; the previous period's column likewise when it had fewer than t people.
3. Small groups. Two journals that differ only in the attributes of fewer than t cases, in
   a way that changes only figures made of fewer than t people (at every grain: months,
   quarters, years; the people behind each figure counted as `stats` counts them), give
   the same report: no cell, zero or not, no "c", no key figure, rate, median or note tells
   where the small group is.
4. Nothing derived. In every table, no hidden figure takes one value in all the tables a
   reader could reconstruct from the published cells and the table's sums (a zero inside
   groups of t or more excepted), by the exact network test that test_suppression checks
   against brute force.
5. The files hold exactly the model: the CSV's lines and the workbook's cells are the
   model's cells, no more; a chart is drawn from its table alone.

"Report" is everything the formats render (`tests.report_journals.visible`).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import random
from collections.abc import Iterator
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from svjournal.core import stats, vocab
from svjournal.core.stats_model import Dashboard, StatsFilter
from svjournal.reports import grain as grains
from svjournal.reports.figures import chart_png
from svjournal.reports.grain import Grain
from svjournal.reports.model import CellState, ProgrammeReport
from svjournal.reports.programme import ReportRequest, report_from_dashboard
from svjournal.reports.programme_tables import Scope, department_rows, specs
from svjournal.reports.suppression import Mark, Suppressed, pinned_cells
from svjournal.reports.tables import TableSpec
from svjournal.reports.write import render_report
from tests.report_journals import (
    ATTRIBUTES,
    PERIOD,
    TODAY,
    Person,
    iter_cells,
    load,
    plain_engine,
    visible,
)

LABELS = {d.code: d.label for d in vocab.DEFAULT_DEPARTMENTS}
SEED = 20261203


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    engine = plain_engine()
    yield engine
    engine.dispose()


def random_person(rng: random.Random) -> Person:
    return Person(
        **{name: rng.choice(values) for name, values in ATTRIBUTES.items()},
        encounters=rng.choice((1, 1, 2, 3)),
        group=rng.random() < 0.15,
        follow_up=rng.choice((None, None, "done", "missed")),
        referral=rng.choice((None, None, None, "accepted", "declined")),
        status=rng.choice(("open", "open", "closed")),
    )


def changed(rng: random.Random, people: list[Person], t: int) -> list[Person]:
    """The journal with fewer than t of its cases given other attributes."""
    out = list(people)
    group = rng.sample(range(len(out)), rng.randint(1, min(t - 1, len(out))))
    for n in group:
        names = rng.sample(sorted(ATTRIBUTES), rng.randint(1, 3))
        out[n] = out[n].with_attributes(**{k: rng.choice(ATTRIBUTES[k]) for k in names})
    return out


def dashboard(engine: Engine, people: list[Person], departments: tuple[str, ...]) -> Dashboard:
    load(engine, people)
    filt = StatsFilter(PERIOD, departments=departments)
    return stats.dashboard(engine, filt, today=TODAY, with_people=True)


def request(t: int, departments: tuple[str, ...]) -> ReportRequest:
    return ReportRequest(
        PERIOD, "Programme", threshold=t, departments=departments, department_labels=LABELS
    )


# --- what a journal holds, as the small-count rule sees it ----------------------------------


def _spec_view(spec: TableSpec, t: int) -> list[Any]:
    """Each figure of the table: its value when t or more people make it, else "small"."""
    out: list[Any] = []
    for block in spec.blocks:
        grid = block.grid()
        values: dict[tuple[object, ...], int] = {}
        for i, row in enumerate(grid.values):
            for j, v in enumerate(row):
                values[("x", i, j)] = v
        for i in range(grid.n_rows):
            values[("rt", i)] = grid.row_total(i)
        for j in range(grid.n_columns):
            values[("ct", j)] = grid.column_total(j)
        values[("g",)] = grid.grand_total
        for var, value in sorted(values.items(), key=repr):
            behind = value if block.people is None else block.people.get(var, 0)
            out.append((var, value if behind >= t else "small"))
    return out


def large_figures(dash: Dashboard, req: ReportRequest) -> Any:
    """Everything a report could publish about the journal, small figures blanked."""
    t = req.threshold
    p = dash.people
    assert p is not None
    rows = department_rows(req.department_labels, req.departments)
    tables = []
    for level in Grain:
        level_dash = grains.regroup(dash, level)
        for spec in specs(level_dash, Scope(req.period, rows, level)):
            tables.append((level, spec.key, _spec_view(spec, t)))
        hours = [(m.month, m.hours) for m in level_dash.monthly if p.encounters[m.month][2] >= t]
        tables.append((level, "hours", hours))

    def kpis(k: Any, previous: bool) -> Any:
        fu = p.previous_follow_ups if previous else p.follow_up_totals[:2]
        waits = p.previous_waits if previous else p.waits
        behind = {
            "encounters": k.active_cases,
            "people_reached": k.active_cases,
            "hours_of_support": k.active_cases,
            "follow_ups_due": fu[0],
            "follow_ups_on_time": fu[1],
            "median_hours_to_first_contact": waits,
        }
        out = {}
        for name, value in dataclasses.asdict(k).items():
            if name.endswith(("_rate", "_completion")):
                continue  # rates follow from their counts
            n = behind.get(name, value)
            out[name] = value if n is not None and n >= t else "small"
        return out

    return (
        p.population < t,
        p.previous_population < t,
        kpis(dash.kpis, False),
        kpis(dash.previous, True),
        tables,
    )


# --- the properties ---------------------------------------------------------------------------


def current_part(report: ProgrammeReport) -> Any:
    """What the report shows of its period (every table, the key figures' first column)."""
    kpis, *rest = visible(report)
    return ([k[:3] for k in kpis], *rest)


def shape(report: ProgrammeReport) -> list[Any]:
    return [
        (t.key, t.dimension, t.columns, [(r.label, r.code) for r in t.rows]) for t in report.tables
    ]


def check_shape(report: ProgrammeReport, reference: dict[str, Any]) -> None:
    for table in report.tables:
        rows = [r.code for r in table.rows]
        if table.key in grains.TIME_TABLES:
            level = Grain(table.dimension.lower())
            assert rows == grains.time_keys(PERIOD, level), table.key
        else:
            assert (table.key, table.dimension, table.columns, rows) == reference[table.key]
    keys = [t.key for t in report.tables]
    assert [k for k in keys if k not in grains.TIME_TABLES] == [
        k for k in reference if k not in grains.TIME_TABLES
    ] or keys == []


def check_nothing_derivable(dash: Dashboard, req: ReportRequest, report: ProgrammeReport) -> None:
    """Property 4, block by block, from the published marks."""
    if not report.tables:
        return
    level = next(
        (Grain(t.dimension.lower()) for t in report.tables if t.key in grains.TIME_TABLES),
        Grain.YEAR,
    )
    rows = department_rows(req.department_labels, req.departments)
    by_key = {t.key: t for t in report.tables}
    for spec in specs(grains.regroup(dash, level), Scope(req.period, rows, level)):
        table = by_key.get(spec.key)
        if table is None:
            continue
        column = 0
        for block in spec.blocks:
            grid = block.grid()
            width = len(block.columns) + (block.row_total is not None)

            def mark(cell: Any) -> Mark:
                return {
                    CellState.PUBLISHED: Mark.PUBLISHED,
                    CellState.SMALL: Mark.SMALL,
                    CellState.PROTECTED: Mark.PROTECTED,
                }.get(cell.state, Mark.PUBLISHED)

            cells = tuple(
                tuple(mark(r.cells[column + j]) for j in range(len(block.columns)))
                for r in table.rows
            )
            rts = (
                tuple(mark(r.cells[column + len(block.columns)]) for r in table.rows)
                if block.row_total is not None
                else ()
            )
            total = table.total
            cts = (
                tuple(mark(total.cells[column + j]) for j in range(len(block.columns)))
                if total is not None and block.column_totals
                else ()
            )
            grand = (
                mark(total.cells[column + len(block.columns)])
                if (total is not None and block.row_total is not None and block.column_totals)
                else None
            )
            # "c" may stand for a withheld small figure; read it as the widest.
            marks = Suppressed(cells, rts if block.row_total is not None else (), cts, grand)
            marks = _widen(grid, marks, req.threshold)
            assert pinned_cells(grid, marks, req.threshold) == [], (spec.key, grid.values)
            column += width


def _widen(grid: Any, s: Suppressed, t: int) -> Suppressed:
    """A "c" over a figure below t was withheld (any value), not protected (t or more)."""

    def fix(mark: Mark, value: int, people: int) -> Mark:
        if mark is Mark.PROTECTED and people < t:
            return Mark.WITHHELD
        return mark

    def people(var: tuple[object, ...], value: int) -> int:
        return value if grid.people is None else grid.people.get(var, 0)

    cells = tuple(
        tuple(
            fix(m, v, people(("x", i, j), v))
            for j, (m, v) in enumerate(zip(row, vals, strict=True))
        )
        for i, (row, vals) in enumerate(zip(s.cells, grid.values, strict=True))
    )
    rts = tuple(
        fix(m, grid.row_total(i), people(("rt", i), grid.row_total(i)))
        for i, m in enumerate(s.row_totals)
    )
    cts = tuple(
        fix(m, grid.column_total(j), people(("ct", j), grid.column_total(j)))
        for j, m in enumerate(s.column_totals)
    )
    grand = (
        None
        if s.grand_total is None
        else fix(s.grand_total, grid.grand_total, people(("g",), grid.grand_total))
    )
    return Suppressed(cells, rts, cts, grand)


def check_files(report: ProgrammeReport) -> None:
    from svjournal.reports.csv_table import plain_text

    """Property 5: the CSV and the workbook hold exactly the model's cells."""
    text = render_report(report, "csv").decode("utf-8-sig")
    lines = list(csv.DictReader(io.StringIO(text)))
    # The CSV writes each figure as plain digits (not localised): the model's value.
    model = [(plain_text(c), c.state.value) for _t, _r, c in iter_cells(report)]
    figures = [r for r in lines if r["status"] not in ("notice", "definition")]
    assert [(row["value"].lstrip("'"), row["status"]) for row in figures] == model
    assert [r["value"] for r in lines if r["status"] == "notice"] == list(report.notices)
    book = load_workbook(io.BytesIO(render_report(report, "xlsx")), read_only=True)
    shown: list[Any] = []
    for sheet in book.worksheets[1:-1]:  # one sheet per table, in order
        for values in sheet.iter_rows(min_row=4, values_only=True):
            figures = [v for v in values[1:] if v is not None]
            if values[0] is not None and figures:
                shown.extend(figures)
    expected: list[Any] = []
    for table in report.tables:
        for row in (*table.rows, *([table.total] if table.total else [])):
            expected.extend(
                c.value if c.published and c.value is not None else c.text for c in row.cells
            )
    assert shown == expected
    summary = list(book.worksheets[0].iter_rows(values_only=True))
    kpi_values = [
        (row[1], row[2]) for row in summary if row and row[0] in {k.label for k in report.kpis}
    ]
    assert kpi_values == [
        tuple(
            c.value if c.published and c.value is not None else c.text
            for c in (k.current, k.previous)
        )
        for k in report.kpis
    ]


# --- the brute force -----------------------------------------------------------------------------


@pytest.mark.parametrize(("t", "departments"), [(3, ()), (3, ("icu",)), (4, ())])
def test_no_report_tells_anything_about_a_small_group(
    engine: Engine, t: int, departments: tuple[str, ...]
) -> None:
    rng = random.Random(f"{SEED}-{t}-{departments}")
    req = request(t, departments)
    empty = report_from_dashboard(dashboard(engine, [], departments), req)
    reference: dict[str, Any] = {}
    small_reports = pairs = files = 0
    for n in range(100):
        people = [random_person(rng) for _ in range(rng.randint(0, 2 * t))]
        dash = dashboard(engine, people, departments)
        report = report_from_dashboard(dash, req)
        assert dash.people is not None
        # 1. shape
        if not reference and report.tables and len(report.tables) == 12:
            reference = {
                tb.key: (tb.key, tb.dimension, tb.columns, [r.code for r in tb.rows])
                for tb in report.tables
            }
        if reference:
            check_shape(report, reference)
        # 2. small populations
        if dash.people.population < t:
            small_reports += 1
            # The period's part is the empty journal's; the previous period's column has its
            # own people (and is the empty journal's too when they are fewer than t).
            assert current_part(report) == current_part(empty), people
            if dash.people.previous_population < t:
                assert visible(report) == visible(empty), people
            assert not [c for k in report.kpis for c in (k.current,) if c.published]
        # 4. nothing derivable
        check_nothing_derivable(dash, req, report)
        # 5. the files
        if n % 10 == 0:
            check_files(report)
            files += 1
        # 3. small groups: a few changes of each journal
        if not people:
            continue
        view = large_figures(dash, req)
        for _ in range(4):
            other = changed(rng, people, t)
            other_dash = dashboard(engine, other, departments)
            if large_figures(other_dash, req) != view:
                continue  # a figure of t or more people changed: the reader may see it
            pairs += 1
            assert visible(report_from_dashboard(other_dash, req)) == visible(report), (
                people,
                other,
            )
    # The properties held on many cases, not vacuously.
    assert reference, "no report listed every table"
    assert small_reports >= 10 and pairs >= 60 and files >= 10, (small_reports, pairs, files)


def test_equal_models_draw_equal_charts(engine: Engine) -> None:
    # Charts are drawn from the suppressed table alone: two journals whose small groups
    # differ give byte-identical charts.
    crowd = [Person(month=m, encounters=2) for m in (1, 2, 4) for _ in range(5)]
    a = [*crowd, Person(month=2, role="physician", stage=6, outcome="thriving")]
    b = [*crowd, Person(month=2, role="pharmacist", stage=6, outcome="surviving")]
    req = request(5, ())
    first = report_from_dashboard(dashboard(engine, a, ()), req)
    second = report_from_dashboard(dashboard(engine, b, ()), req)
    assert visible(first) == visible(second)
    for x, y in zip(first.tables, second.tables, strict=True):
        one, two = chart_png(x), chart_png(y)
        assert (one is None) == (two is None)
        if one is not None and two is not None:
            assert one.png == two.png, x.key
