"""Reports that reveal no one: a journal of fewer than t people, or a filter that narrows the
report to fewer than t, tells its reader nothing about them (issue 12, part 4)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from svjournal.core import vocab
from svjournal.reports.model import CellState
from svjournal.reports.programme import ReportRequest, build_report
from tests.report_journals import PERIOD, TODAY, Person, iter_cells, load, plain_engine, visible

LABELS = {d.code: d.label for d in vocab.DEFAULT_DEPARTMENTS}


@pytest.fixture
def engine() -> Iterator[Engine]:
    engine = plain_engine()
    yield engine
    engine.dispose()


def _report(engine: Engine, people: list[Person], **kw: object):  # type: ignore[no-untyped-def]
    load(engine, people)
    request = ReportRequest(PERIOD, "Programme", department_labels=LABELS, **kw)  # type: ignore[arg-type]
    return build_report(engine, request, today=TODAY)


def test_one_case_reveals_none_of_its_attributes(engine: Engine) -> None:
    one = Person(
        month=2,
        role="physician",
        department="emergency",
        event="unexpected_death",
        stage=6,
        outcome="thriving",
        tier=3,
        encounters=7,
        follow_up="done",
        referral="accepted",
    )
    other = Person(
        month=4,
        role="nurse",
        department="icu",
        event="medical_error",
        stage=2,
        tier=2,
        encounters=1,
    )
    first, second = _report(engine, [one]), _report(engine, [other])
    assert visible(first) == visible(second)
    # … and nothing about anyone is published: no count, rate, median or hours.
    assert not [c for _t, _r, c in iter_cells(first) if c.published]
    assert any("fewer than 5" in n.lower() for n in first.notices)


def test_no_journal_and_a_small_one_look_alike(engine: Engine) -> None:
    assert visible(_report(engine, [])) == visible(_report(engine, [Person(), Person()]))


def test_a_department_filter_below_the_threshold_withholds_the_breakdowns(engine: Engine) -> None:
    crowd = [Person(department="icu", month=m) for m in (1, 2, 4) for _ in range(3)]
    alone = Person(department="emergency", role="physician", stage=6, month=4, encounters=9)
    narrowed = _report(engine, [*crowd, alone], departments=("emergency",))
    moved = alone.with_attributes(role="nurse", stage=2, month=1, encounters=2)
    assert visible(narrowed) == visible(
        _report(engine, [*crowd, moved], departments=("emergency",))
    )
    assert not [c for _t, _r, c in iter_cells(narrowed) if c.published]


def test_many_encounters_of_few_people_are_not_published(engine: Engine) -> None:
    # Five people in every month but April, two in April with 9 encounters between them:
    # April's 9 would tell the month of those two.
    crowd = [Person(month=m, encounters=2) for m in (1, 2, 3, 5, 6) for _ in range(5)]
    pair = [Person(month=4, encounters=5), Person(month=4, encounters=4)]
    report = _report(engine, [*crowd, *pair])
    for key in ("encounters_by_month", "encounters_by_stage"):
        rows = {r.code: r for r in report.table(key).rows}
        assert len(rows) == 6  # by month
        assert all(c.state is not CellState.PUBLISHED for c in rows["2026-04"].cells)
        total = -1 if key == "encounters_by_stage" else 2  # the month's encounters
        assert sum(r.cells[total].published for r in rows.values()) >= 4


def test_every_category_is_listed_whether_anyone_is_in_it_or_not(engine: Engine) -> None:
    crowd = [Person(month=m) for m in (1, 2, 4) for _ in range(4)]
    report = _report(engine, crowd)
    assert [r.code for r in report.table("by_role").rows][: len(vocab.ROLES)] == list(
        vocab.ROLES.codes()
    )
    assert {r.code for r in report.table("by_event_category").rows} >= set(
        vocab.EVENT_CATEGORIES.codes()
    )
    assert {r.code for r in report.table("outcomes").rows} == set(vocab.OUTCOMES.codes())


def test_every_format_writes_the_rule_down(engine: Engine) -> None:
    import csv
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    from svjournal.reports.terms import SMALL_GROUP_RULES
    from svjournal.reports.write import render_report

    report = _report(engine, [Person(month=m) for m in (1, 2, 4) for _ in range(4)])
    pdf = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render_report(report, "pdf"))).pages
    )
    book = load_workbook(io.BytesIO(render_report(report, "xlsx")), read_only=True)
    sheet = [r for r in book["Definitions"].iter_rows(values_only=True)]
    lines = csv.DictReader(io.StringIO(render_report(report, "csv").decode("utf-8-sig")))
    csv_terms = {r["measure"]: r["value"] for r in lines if r["status"] == "definition"}
    for term, text in SMALL_GROUP_RULES:
        assert term in " ".join(pdf.split())
        assert (term, text) in {(r[0], r[1]) for r in sheet}
        assert csv_terms[term] == text
