"""What the programme report says: tiers in their order, one meaning per term, and tables
by time at a grain where the figures can be seen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, create_engine

from svjournal.core import demo, schema
from svjournal.core.stats_model import Period
from svjournal.reports import grain
from svjournal.reports.model import ProgrammeReport
from svjournal.reports.programme import ReportRequest, build_report

TODAY = date(2026, 11, 26)
YEAR = Period(date(2026, 1, 1), TODAY)


def journal(cases: int, seed: int) -> Engine:
    engine = create_engine("sqlite://")
    schema.upgrade(engine)
    demo.generate(engine, cases=cases, seed=seed, anchor=TODAY, years=1.0)
    return engine


@pytest.fixture(scope="module")
def small() -> Iterator[Engine]:
    """A modest programme: a few people a month."""
    engine = journal(40, 3)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def tiny() -> Iterator[Engine]:
    """A very small programme: one or two people a month."""
    engine = journal(20, 3)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def large() -> Iterator[Engine]:
    engine = journal(400, 5)
    yield engine
    engine.dispose()


def report(engine: Engine, threshold: int = 5) -> ProgrammeReport:
    return build_report(engine, ReportRequest(YEAR, "Test", threshold=threshold), today=TODAY)


def test_tiers_print_in_their_order(large: Engine) -> None:
    codes = [row.code for row in report(large, 0).table("by_tier").rows]
    assert codes == sorted(codes) and len(codes) >= 2  # 1, 2, 3: never by size (2, 3, 1)


def test_referrals_to_the_programme_and_onward_referrals_are_two_terms(large: Engine) -> None:
    built = report(large)
    referred = next(k for k in built.kpis if k.key == "referrals")
    onward = built.table("referrals")
    assert referred.label == "Cases referred to the program"
    assert onward.title.startswith("Onward referrals")
    assert onward.columns[-1] == "All onward referrals"
    terms = dict(built.definitions)
    assert "Onward referrals" in terms and "Cases referred to the program" in terms
    # Each word names one thing: no bare "Referrals" term, no "All referrals" column.
    assert "Referrals" not in terms
    assert all(c != "All referrals" for t in built.tables for c in t.columns)


def time_tables(built: ProgrammeReport) -> list[str]:
    return [t.key for t in built.tables if t.key in grain.TIME_TABLES]


def test_a_modest_programme_is_shown_by_quarter(small: Engine) -> None:
    monthly = report(small, 0)  # nothing hidden: months
    assert all(
        row.label[:3].isalpha() for key in time_tables(monthly) for row in monthly.table(key).rows
    )
    built = report(small)
    assert time_tables(built)
    for key in time_tables(built):
        table = built.table(key)
        assert table.dimension == "Quarter"
        assert all(grain.is_quarter(row.code) for row in table.rows), key
        assert {row.label[:2] for row in table.rows} <= {"Q1", "Q2", "Q3", "Q4"}
        assert grain.GRAIN_NOTES[grain.Grain.QUARTER] in table.note
    assert built.table("encounters_by_month").title == "Encounters per quarter"
    assert grain.GRAIN_RULE in dict(built.definitions).values()
    # The quarters add up to the same year: the KPI total is unchanged by the grain.
    kpis = {k.key: k.current for k in built.kpis}
    total = built.table("encounters_by_month").total
    assert total is not None and kpis["encounters"].text == total.cells[2].text


def test_a_very_small_programme_is_shown_by_year(tiny: Engine) -> None:
    # Most quarters would hide their encounters too (issue 12 part 4: every month listed,
    # zeros hidden, people counted): calendar years.
    built = report(tiny)
    for key in time_tables(built):
        table = built.table(key)
        assert table.dimension == "Year" and [r.code for r in table.rows] == ["2026"]
        assert grain.GRAIN_NOTES[grain.Grain.YEAR] in table.note


def test_a_busy_programme_keeps_its_months(large: Engine) -> None:
    built = report(large)
    table = built.table("encounters_by_month")
    assert table.dimension == "Month" and len(table.rows) == 11
    assert not any(grain.is_quarter(row.code) for row in table.rows)


def test_mostly_hidden_means_more_than_half_of_the_rows_hide_their_encounters() -> None:
    # Issue 12 part 4: the rule looks at what a reader sees (which month totals are
    # hidden), never at the hidden values (it used to count non-zero counts).
    from svjournal.reports.tables import Block, TableSet, TableSpec

    def spec(values: list[list[int]]) -> TableSpec:
        rows = [(f"m{i}", f"2026-{i + 1:02d}") for i in range(len(values))]
        block = Block(["Individual", "Group"], values, row_total="All encounters")
        return TableSpec("encounters_by_month", "t", "Month", rows, [block])

    def hidden_rows(values: list[list[int]]) -> tuple[bool, int]:
        rendered = TableSet(5).render([spec(values)])
        totals = [row.cells[2].published for row in rendered[0].rows]
        return grain.mostly_hidden(rendered), totals.count(False)

    assert hidden_rows([[10, 2], [10, 0], [0, 1], [10, 12]]) == (False, 2)  # 1 and a partner
    assert hidden_rows([[1, 2], [3, 0], [10, 1], [10, 9]]) == (False, 2)  # half: not more
    assert hidden_rows([[1, 2], [3, 0], [2, 1], [10, 9]]) == (True, 3)


def test_time_rows_are_every_month_of_the_period() -> None:
    period = Period(date(2026, 2, 15), date(2026, 7, 3))
    assert grain.time_keys(period, grain.Grain.MONTH) == [f"2026-0{m}" for m in range(2, 8)]
    assert grain.time_keys(period, grain.Grain.QUARTER) == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert grain.time_keys(period, grain.Grain.YEAR) == ["2026"]


def test_quarters_of_months() -> None:
    assert [grain.quarter_of(f"2026-{m:02d}") for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [
        "2026-Q1", "2026-Q1", "2026-Q2", "2026-Q2", "2026-Q3", "2026-Q3", "2026-Q4", "2026-Q4",
    ]  # fmt: skip
    assert grain.quarter_label("2026-Q3") == "Q3 2026"
