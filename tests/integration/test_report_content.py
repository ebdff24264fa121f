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
    """A modest programme: a couple of encounters a month."""
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
    assert referred.label == "Cases referred to the programme"
    assert onward.title.startswith("Onward referrals")
    assert onward.columns[-1] == "All onward referrals"
    terms = dict(built.definitions)
    assert "Onward referrals" in terms and "Cases referred to the programme" in terms
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
        assert grain.QUARTER_NOTE in table.note
    assert built.table("encounters_by_month").title == "Encounters per quarter"
    assert grain.GRAIN_RULE in dict(built.definitions).values()
    # The quarters add up to the same year: the KPI total is unchanged by the grain.
    kpis = {k.key: k.current for k in built.kpis}
    total = built.table("encounters_by_month").total
    assert total is not None and kpis["encounters"].text == total.cells[2].text


def test_a_busy_programme_keeps_its_months(large: Engine) -> None:
    built = report(large)
    table = built.table("encounters_by_month")
    assert table.dimension == "Month" and len(table.rows) == 11
    assert not any(grain.is_quarter(row.code) for row in table.rows)


def test_mostly_hidden_means_more_than_half_of_the_nonzero_counts() -> None:
    from svjournal.reports.tables import Block, TableSet, TableSpec

    def spec(values: list[list[int]]) -> TableSpec:
        rows = [(f"m{i}", f"2026-{i + 1:02d}") for i in range(len(values))]
        return TableSpec("encounters_by_month", "t", "Month", rows, [Block(["a", "b"], values)])

    half = spec([[10, 2], [10, 0], [0, 1], [10, 12]])  # 6 non-zero, 2 below 5 (+ partners)
    tables = TableSet(5)
    rendered = tables.render([half])
    shown = [c.published for row in rendered[0].rows for c in row.cells]
    hidden = shown.count(False)
    assert grain.mostly_hidden([half], rendered) is (hidden * 2 > 6)
    few = spec([[1, 2], [3, 0], [2, 1], [10, 1]])
    assert grain.mostly_hidden([few], TableSet(5).render([few]))
    many = spec([[10, 20], [30, 10], [12, 11], [10, 9]])
    assert not grain.mostly_hidden([many], TableSet(5).render([many]))


def test_quarters_of_months() -> None:
    assert [grain.quarter_of(f"2026-{m:02d}") for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [
        "2026-Q1", "2026-Q1", "2026-Q2", "2026-Q2", "2026-Q3", "2026-Q3", "2026-Q4", "2026-Q4",
    ]  # fmt: skip
    assert grain.quarter_label("2026-Q3") == "Q3 2026"
