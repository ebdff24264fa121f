"""Report writers (PDF, XLSX, CSV) and their charts render only what the report publishes."""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import stat
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from svjournal.core import vocab
from svjournal.core.stats_model import Period
from svjournal.reports.model import (
    Cell,
    CellState,
    KpiLine,
    ProgrammeReport,
    ReportRow,
    ReportTable,
)
from svjournal.reports.wording import period_text
from svjournal.reports.write import render_report, write_report

PROGRAMME = "Klinikum Süd — Équipe ≈ Ψυχή"
PERIOD = Period(date(2026, 1, 1), date(2026, 12, 31))
PREVIOUS = PERIOD.previous()
GENERATED = datetime(2026, 11, 26, 12, 0)
SMALL_NOTE = "“<5”: fewer than 5, not shown."
PROTECTED_NOTE = "“c”: hidden so that a small count cannot be worked out from the others."


# --- a hand-built report --------------------------------------------------------------------


def pub(value: int | float, text: str | None = None) -> Cell:
    return Cell(CellState.PUBLISHED, value, text if text is not None else f"{value:,}")


SMALL = Cell(CellState.SMALL, None, "<5")
PROT = Cell(CellState.PROTECTED, None, "c")
NA = Cell(CellState.NOT_APPLICABLE, None, "—")


def count(n: int) -> Cell:
    """Publish `n`, or hide it as the lead's suppression would (threshold 5)."""
    return pub(n) if n == 0 or n >= 5 else SMALL


def kpis() -> tuple[KpiLine, ...]:
    return (
        KpiLine("encounters", "Encounters", pub(1234), pub(987), "Encounters in the period."),
        KpiLine("people_reached", "People reached", pub(211), SMALL, "Distinct people."),
        KpiLine("hours", "Hours of support", pub(412.5, "412.5 h"), pub(388, "388.0 h"), "Hours."),
        KpiLine(
            "median_first_contact",
            "Median time to first contact",
            pub(26.5, "26.5 h"),
            NA,
            "Median hours from referral to the first encounter.",
        ),
        KpiLine(
            "follow_up_completion",
            "Follow-ups kept on time",
            pub(0.83, "83 %"),
            pub(0.764, "76 %"),
            "Follow-ups done by their due day plus one grace day, of those due.",
        ),
    )


def role_table() -> ReportTable:
    rows = (
        ReportRow("Nurse", "nurse", (pub(640), pub(118))),
        ReportRow("Physician", "physician", (pub(301), pub(52))),
        ReportRow("Pharmacist", "pharmacist", (SMALL, SMALL)),
        ReportRow("Respiratory therapist", "respiratory_therapist", (PROT, PROT)),
        ReportRow("=HYPERLINK(1)", "other", (pub(12), pub(6))),
    )
    total = ReportRow("Total", "", (pub(978), pub(183)))
    return ReportTable(
        "by_role", "Encounters by role", "Role", ("Encounters", "Cases"), rows, total, "By role."
    )


def monthly_table(months: int = 12) -> ReportTable:
    rows = []
    for m in range(1, months + 1):
        year, mon = 2026 + (m - 1) // 12, (m - 1) % 12 + 1
        label = date(year, mon, 1).strftime("%b %Y")
        rows.append(
            ReportRow(label, f"{year}-{mon:02d}", (pub(80 + m * 7), count(m % 7), pub(m * 3)))
        )
    return ReportTable(
        "encounters_by_month",
        "Encounters per month",
        "Month",
        ("Individual", "Group", "Group attendees"),
        tuple(rows),
        None,
        "Encounters by the month they took place.",
    )


def stage_table() -> ReportTable:
    rows = [
        ReportRow(f"Stage {s} — {vocab.STAGES.label(s)}", str(s), (count(s * 4),))
        for s in vocab.STAGES.codes()
    ]
    rows.append(ReportRow("No stage yet", "", (pub(9),)))
    return ReportTable(
        "open_cases_by_stage", "Open cases by stage", "Stage", ("Open cases",), tuple(rows)
    )


def referral_table() -> ReportTable:
    rows = (
        ReportRow("Employee assistance programme", "eap", (pub(22), pub(6), SMALL, pub(30))),
        ReportRow("Chaplain / spiritual care", "chaplain", (pub(9), SMALL, PROT, pub(14))),
    )
    return ReportTable(
        "referrals",
        "Referrals by target",
        "Target",
        ("Accepted", "Declined", "Pending", "Total"),
        rows,
    )


def uncharted_table() -> ReportTable:
    rows = (
        ReportRow("Unexpected patient death", "unexpected_death", (pub(40), pub(21))),
        ReportRow("A&E <night> shift", "ae_night", (pub(7), SMALL)),
    )
    return ReportTable(
        "by_high_risk_event",
        "Encounters by high-risk event",
        "High-risk event",
        ("Encounters", "Cases"),
        rows,
    )


def make_report(tables: tuple[ReportTable, ...] | None = None) -> ProgrammeReport:
    return ProgrammeReport(
        programme_name=PROGRAMME,
        scope="Team: 3 supporters",
        period=PERIOD,
        previous_period=PREVIOUS,
        generated_at=GENERATED,
        threshold=5,
        departments=("Emergency department", "Intensive care"),
        kpis=kpis(),
        tables=tables
        if tables is not None
        else (monthly_table(), role_table(), stage_table(), referral_table(), uncharted_table()),
        definitions=(
            ("Encounters", "Counted once more here and dropped as a duplicate."),
            ("Escalation rate", "Cases with a Tier 3 referral, of the cases supported."),
        ),
        notices=(SMALL_NOTE, PROTECTED_NOTE),
    )


def full_report() -> ProgrammeReport:
    """Benchmark size: 12 months, 7 stage rows, 15-row breakdowns."""
    roles = [
        ReportRow(f"Role {i} with a fairly long name", f"r{i}", (count(i * 3), count(i)))
        for i in range(15)
    ]
    departments = [
        ReportRow(f"Department {i}", f"d{i}", (count(i * 5), count(i * 2))) for i in range(15)
    ]
    events = [
        ReportRow(term.label, term.code, (count(i * 4), count(i * 2)))
        for i, term in enumerate(vocab.EVENT_CATEGORIES.terms)
    ]
    tiers = [ReportRow(f"Tier {t}", str(t), (pub(100 * t), pub(20 * t))) for t in (1, 2, 3)]
    outcomes = [
        ReportRow(t.label, t.code, (count(i * 4),)) for i, t in enumerate(vocab.OUTCOMES.terms)
    ]
    follow = [
        ReportRow(r.label, r.code, (pub(40 + i), pub(30 + i), count(i)))
        for i, r in enumerate(monthly_table().rows)
    ]

    def t(
        key: str, title: str, dim: str, cols: tuple[str, ...], rows: list[ReportRow]
    ) -> ReportTable:
        return ReportTable(key, title, dim, cols, tuple(rows), None, f"{title}, in the period.")

    return make_report(
        (
            monthly_table(),
            t(
                "follow_ups_by_month",
                "Follow-ups per month",
                "Month",
                ("Due", "On time", "Late"),
                follow,
            ),
            stage_table(),
            t("outcomes", "Stage-6 outcomes", "Outcome", ("Cases",), outcomes),
            t("by_tier", "Tier mix", "Tier", ("Encounters", "Cases"), tiers),
            referral_table(),
            t("by_role", "Encounters by role", "Role", ("Encounters", "Cases"), roles),
            t(
                "by_department",
                "Encounters by department",
                "Department",
                ("Encounters", "Cases"),
                departments,
            ),
            t(
                "by_event_category",
                "Encounters by event category",
                "Event",
                ("Encounters", "Cases"),
                events,
            ),
            uncharted_table(),
        )
    )


# --- helpers --------------------------------------------------------------------------------


def pdf_pages(report: ProgrammeReport) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render_report(report, "pdf")))
    return [page.extract_text() for page in reader.pages]


def lines_of(pages: list[str]) -> list[str]:
    return [line.strip() for page in pages for line in page.splitlines() if line.strip()]


def after(lines: list[str], label: str, n: int, start: str | None = None) -> list[str]:
    """The `n` lines after the first line equal to `label` (after the line `start`)."""
    begin = lines.index(start) if start else 0
    i = lines.index(label, begin)
    return lines[i + 1 : i + 1 + n]


def workbook(report: ProgrammeReport):  # -> openpyxl Workbook
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(render_report(report, "xlsx")))


def csv_rows(report: ProgrammeReport) -> list[dict[str, str]]:
    data = render_report(report, "csv")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- PDF ------------------------------------------------------------------------------------


def test_pdf_cover_names_programme_period_and_confidentiality() -> None:
    pages = pdf_pages(make_report())
    cover = pages[0]
    assert PROGRAMME in cover  # accents, "—", "≈" and Greek survive embedding and extraction
    assert period_text(PERIOD) in cover
    assert period_text(PREVIOUS) in cover
    assert "November 26, 2026, 12:00 PM" in cover
    assert "Emergency department, Intensive care" in cover
    assert ProgrammeReport.CONFIDENTIALITY in cover


def test_pdf_every_page_has_confidentiality_line_and_page_n_of_m() -> None:
    pages = pdf_pages(make_report())
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert ProgrammeReport.CONFIDENTIALITY in text
        assert f"Page {number} of {len(pages)}" in text


def test_pdf_key_figures_show_both_periods_as_published() -> None:
    lines = lines_of(pdf_pages(make_report()))
    for kpi in kpis():
        assert after(lines, kpi.label, 2, start="Key figures") == [
            kpi.current.text,
            kpi.previous.text,
        ]
    assert after(lines, "People reached", 2, start="Key figures") == ["211", "<5"]
    assert after(lines, "Median time to first contact", 2, start="Key figures") == ["26.5 h", "—"]


def test_pdf_tables_show_hidden_cells_as_their_symbols_in_their_rows() -> None:
    lines = lines_of(pdf_pages(make_report()))
    start = "Encounters by role"
    assert after(lines, "Nurse", 2, start) == ["640", "118"]
    assert after(lines, "Pharmacist", 2, start) == ["<5", "<5"]
    assert after(lines, "Respiratory therapist", 2, start) == ["c", "c"]
    assert after(lines, "Total", 2, start) == ["978", "183"]
    assert after(lines, "Chaplain / spiritual care", 4) == ["9", "<5", "c", "14"]
    assert after(lines, "Jan 2026", 3) == ["87", "<5", "3"]


def test_pdf_prints_markup_characters_literally() -> None:
    lines = lines_of(pdf_pages(make_report()))
    assert after(lines, "A&E <night> shift", 2) == ["7", "<5"]
    assert "=HYPERLINK(1)" in lines


def test_pdf_explains_symbols_and_defines_each_term_once() -> None:
    text = "\n".join(pdf_pages(make_report()))
    assert text.count(SMALL_NOTE) == 2  # under the key figures and with the definitions
    assert PROTECTED_NOTE in text
    definitions = text[text.index("Definitions") :]
    for kpi in kpis():
        assert f"{kpi.label} — {kpi.definition}" in definitions
    assert "Escalation rate — Cases with a Tier 3 referral" in definitions
    assert "Counted once more here" not in text  # a term the key figures already define


def test_pdf_metadata_and_fonts() -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render_report(make_report(), "pdf")))
    assert reader.metadata is not None
    assert reader.metadata.title == PROGRAMME
    assert reader.metadata.author == "svjournal"
    fonts = set()
    for page in reader.pages:
        resources: Any = page["/Resources"].get_object()["/Font"]  # type: ignore[index]
        fonts |= {str(resources[name].get_object()["/BaseFont"]) for name in resources}
    # Only the embedded Unicode face: no base-14 font that would drop "≈" or Greek.
    assert fonts and all("DejaVuSans" in font for font in fonts), fonts


def long_table(n: int = 90) -> ReportTable:
    rows = tuple(ReportRow(f"Department {i:03d}", f"d{i}", (pub(10 + i),)) for i in range(n))
    return ReportTable("by_department", "Encounters by department", "Department", ("Cases",), rows)


def test_pdf_long_table_repeats_its_header_on_the_next_page() -> None:
    pages = [
        [line.strip() for line in p.splitlines()] for p in pdf_pages(make_report((long_table(),)))
    ]
    holding = [lines for lines in pages if any(x.startswith("Department 0") for x in lines)]
    assert len(holding) >= 2
    for lines in holding:
        assert "Department" in lines and "Cases" in lines  # the header row, on every page
    assert "Department 089" in holding[-1] and "Department 000" not in holding[-1]


def test_chart_of_a_long_table_shows_the_first_rows_and_says_so() -> None:
    from svjournal.reports.figures import MAX_CHART_ROWS, chart_figure

    fig = chart_figure(long_table())
    assert fig is not None
    assert len(bars_of(fig)) == MAX_CHART_ROWS
    assert f"+ {90 - MAX_CHART_ROWS} more rows: see the table" in texts_of(fig)
    assert fig.get_figheight() < 10


def test_pdf_renders_a_report_without_tables_or_suppression() -> None:
    report = dataclasses.replace(make_report(()), threshold=0, notices=(), kpis=())
    text = "\n".join(pdf_pages(report))
    assert "No key figures in this report." in text
    assert "Off: every count is shown." in text


# --- charts ---------------------------------------------------------------------------------


def bars_of(fig):  # -> list of visible bar rectangles
    from matplotlib.patches import Rectangle

    ax = fig.axes[0]
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_visible()]


def texts_of(fig) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def test_chart_draws_published_cells_only_and_prints_hidden_text() -> None:
    from svjournal.reports.figures import chart_figure

    table = role_table()
    fig = chart_figure(table)
    assert fig is not None
    published = [r.cells[0] for r in table.rows if r.cells[0].published]
    bars = bars_of(fig)
    assert sorted(b.get_width() for b in bars) == sorted(float(c.value or 0) for c in published)
    texts = texts_of(fig)
    assert texts.count("<5") == 1 and texts.count("c") == 1
    assert {"640", "301", "12"} <= set(texts)
    assert "978" not in texts  # the total line is not a bar
    x0, x1 = fig.axes[0].get_xlim()
    assert x0 == 0
    assert x1 == pytest.approx(640 * 1.18)  # only published values set the axis


def test_chart_of_grouped_series_never_stacks() -> None:
    from svjournal.reports.figures import chart_figure

    fig = chart_figure(monthly_table())
    assert fig is not None
    bars = bars_of(fig)
    assert all(b.get_y() == 0 for b in bars)
    hidden = sum(1 for r in monthly_table().rows if not r.cells[1].published)
    assert len(bars) == 12 + (12 - hidden)  # individual every month, group where published
    assert {"Individual", "Group"} <= set(texts_of(fig))  # legend, though January's is hidden
    assert fig.axes[0].get_ylim()[0] == 0


def test_chart_skipped_for_tables_it_does_not_chart() -> None:
    from svjournal.reports.figures import chart_figure, chart_png

    assert chart_figure(uncharted_table()) is None
    empty = dataclasses.replace(role_table(), rows=(), total=None)
    assert chart_png(empty) is None


def test_chart_png_prints_at_text_width() -> None:
    from svjournal.reports.figures import PRINT_DPI, PRINT_WIDTH_IN, chart_png

    image = chart_png(stage_table())
    assert image is not None
    assert image.png.startswith(b"\x89PNG")
    assert image.width == pytest.approx(PRINT_WIDTH_IN)
    width_px = int.from_bytes(image.png[16:20], "big")
    assert abs(width_px - PRINT_WIDTH_IN * PRINT_DPI) <= 1


def test_no_chart_when_every_cell_is_hidden_or_zero() -> None:
    from svjournal.reports.figures import chart_figure

    rows = (
        ReportRow("Dropping out", "dropping_out", (pub(0),)),
        ReportRow("Surviving", "surviving", (SMALL,)),
        ReportRow("Thriving", "thriving", (PROT,)),
    )
    table = ReportTable("outcomes", "Outcomes", "Outcome", ("Cases",), rows)
    assert chart_figure(table) is None
    shown = dataclasses.replace(table, rows=(*rows, ReportRow("Other", "x", (pub(5),))))
    fig = chart_figure(shown)
    assert fig is not None
    assert len(bars_of(fig)) == 2  # the zero is a bar of no length, with its label "0"
    assert {"0", "5", "<5", "c"} <= set(texts_of(fig))
    assert fig.axes[0].get_xlim()[0] == 0


# --- XLSX -----------------------------------------------------------------------------------


def test_xlsx_has_summary_a_sheet_per_table_and_definitions() -> None:
    report = make_report()
    wb = workbook(report)
    assert wb.sheetnames == ["Summary", *(t.title for t in report.tables), "Definitions"]
    assert wb.properties.title == PROGRAMME
    assert wb.properties.creator == "svjournal"


def test_xlsx_table_sheet_headers_numbers_and_symbols() -> None:
    ws = workbook(make_report())["Encounters by role"]
    assert ws["A1"].value == "Encounters by role"
    assert [c.value for c in ws[3]][:3] == ["Role", "Encounters", "Cases"]
    assert all(c.font.b for c in ws[3][:3])
    assert ws.freeze_panes == "A4"
    found = {ws.cell(r, 1).value: [ws.cell(r, 2).value, ws.cell(r, 3).value] for r in range(4, 10)}
    assert found["Nurse"] == [640, 118]
    assert found["Pharmacist"] == ["<5", "<5"]
    assert found["Respiratory therapist"] == ["c", "c"]
    assert found["Total"] == [978, 183]
    assert found["=HYPERLINK(1)"] == [12, 6]  # a label, not a formula
    assert ws.cell(9, 2).font.b  # the total line
    assert ws.column_dimensions["A"].width >= len("Respiratory therapist")
    assert SMALL_NOTE in [ws.cell(r, 1).value for r in range(10, 15)]


def test_xlsx_never_writes_a_formula() -> None:
    import zipfile

    data = render_report(make_report(), "xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in archive.read(name)


def test_xlsx_summary_kpis_keep_their_formats() -> None:
    ws = workbook(make_report())["Summary"]
    values = {row[0].value: row for row in ws.iter_rows(min_row=1) if row[0].value}
    assert values["Period"][1].value == period_text(PERIOD)
    assert values["Confidentiality"][1].value == ProgrammeReport.CONFIDENTIALITY
    encounters = values["Encounters"]
    assert (encounters[1].value, encounters[2].value) == (1234, 987)
    assert values["People reached"][2].value == "<5"
    follow = values["Follow-ups kept on time"][1]
    assert follow.value == pytest.approx(0.83) and follow.number_format == "0%"
    hours = values["Median time to first contact"]
    assert hours[1].value == 26.5 and hours[1].number_format == '0.0 "h"'
    assert hours[2].value == "—"


def test_xlsx_definitions_sheet() -> None:
    ws = workbook(make_report())["Definitions"]
    terms = [ws.cell(r, 1).value for r in range(2, 9)]
    assert terms[: len(kpis()) + 1] == [*(k.label for k in kpis()), "Escalation rate"]
    assert ws.freeze_panes == "A2"


def test_sheet_names_are_short_unique_and_legal() -> None:
    from svjournal.reports.xlsx import sheet_name

    taken = {"summary", "definitions"}
    names = []
    for title in ["Encounters by event category and high-risk flag"] * 3 + ["a/b: [c]?", "History"]:
        name = sheet_name(title, taken)
        taken.add(name.casefold())
        names.append(name)
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    assert names[1].endswith("(2)") and names[2].endswith("(3)")
    assert not any(ch in n for n in names for ch in "[]:*?/\\")
    assert names[4] != "History"
    assert sheet_name("Summary", taken) == "Summary (2)"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (pub(1234), (1234, "#,##0")),
        (pub(0.83, "83 %"), (0.83, "0%")),
        (pub(83, "83 %"), (0.83, "0%")),
        (pub(12.5, "12.5 %"), (0.125, "0.0%")),
        (pub(26.5, "26.5 h"), (26.5, '0.0 "h"')),
        (pub(26.54, "26.5"), (26.54, "#,##0.0")),
        (pub(3, "about 3"), None),  # not a plain number: written as text
        (pub(7, "8"), None),  # text and value disagree: the text wins
        (SMALL, None),
        (NA, None),
    ],
)
def test_number_for(cell: Cell, expected: tuple[float, str] | None) -> None:
    from svjournal.reports.xlsx import number_for

    got = number_for(cell)
    if expected is None:
        assert got is None
    else:
        assert got is not None
        assert got[0] == pytest.approx(expected[0]) and got[1] == expected[1]


# --- CSV ------------------------------------------------------------------------------------


def test_csv_is_utf8_with_bom_and_lf_lines() -> None:
    from svjournal.reports.csv_table import HEADER

    data = render_report(make_report(), "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" not in data
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(HEADER)
    assert "Ψυχή" not in text  # the programme name is cover text, not a figure


def test_csv_kpis_appear_for_both_periods() -> None:
    lines = [r for r in csv_rows(make_report()) if r["metric"] == "kpi.people_reached"]
    assert [(r["value"], r["status"], r["period_start"], r["period_end"]) for r in lines] == [
        ("211", "published", "2026-01-01", "2026-12-31"),
        ("<5", "small", "2025-01-01", "2025-12-31"),
    ]


def test_csv_table_cells_are_tidy_lines() -> None:
    lines = csv_rows(make_report())
    assert all(len(r) == 9 and None not in r for r in lines)
    role = {(r["category"], r["measure"]): r for r in lines if r["metric"].startswith("by_role.")}
    nurse = role[("Nurse", "Encounters")]
    assert nurse["metric"] == "by_role.encounters"
    assert (nurse["dimension"], nurse["code"], nurse["value"]) == ("Role", "nurse", "640")
    assert role[("Pharmacist", "Cases")]["value"] == "<5"
    assert role[("Pharmacist", "Cases")]["status"] == "small"
    assert role[("Respiratory therapist", "Encounters")]["value"] == "c"
    assert role[("Respiratory therapist", "Encounters")]["status"] == "protected"
    total = role[("Total", "Cases")]
    assert (total["code"], total["value"]) == ("", "183")
    # A label that a spreadsheet would run as a formula is neutralised; values stay as they are.
    assert ("'=HYPERLINK(1)", "Encounters") in role
    assert {r["period_start"] for r in lines if not r["metric"].startswith("kpi.")} == {
        "2026-01-01"
    }
    referrals = {r["metric"] for r in lines if r["metric"].startswith("referrals.")}
    assert referrals == {
        "referrals.accepted",
        "referrals.declined",
        "referrals.pending",
        "referrals.total",
    }


def test_csv_ends_with_its_notices_and_definitions() -> None:
    # The CSV's definitions page (issue 12 part 4: the small-count rule is written in every
    # format): after the figures, a line per notice and per defined term.
    from svjournal.reports.wording import all_definitions

    report = make_report()
    lines = csv_rows(report)
    notes = [r for r in lines if r["status"] == "notice"]
    terms = [r for r in lines if r["status"] == "definition"]
    assert [r["value"] for r in notes] == list(report.notices)
    assert [(r["measure"], r["value"]) for r in terms] == all_definitions(report)
    assert all(r["metric"].startswith("definition.") for r in terms)
    assert lines[-len(notes) - len(terms) :] == notes + terms


def test_csv_slugs() -> None:
    from svjournal.reports.csv_table import slug

    assert slug("On time (%)") == "on_time"
    assert slug("Group attendees") == "group_attendees"
    assert slug("—") == "value"


# --- writing --------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF-"), ("xlsx", b"PK"), ("csv", b"\xef")])
def test_write_report_is_atomic_and_owner_only(tmp_path: Path, fmt: str, magic: bytes) -> None:
    dest = tmp_path / f"report.{fmt}"
    dest.write_bytes(b"old")
    written = write_report(make_report(), fmt, dest)  # type: ignore[arg-type]
    assert written == dest
    assert dest.read_bytes().startswith(magic)
    assert os.listdir(tmp_path) == [dest.name]  # no temp file left beside it
    if os.name == "posix":
        assert stat.S_IMODE(dest.stat().st_mode) == 0o600


def test_write_report_adds_a_missing_suffix(tmp_path: Path) -> None:
    written = write_report(make_report(), "csv", tmp_path / "figures")
    assert written == tmp_path / "figures.csv"
    assert written.exists()


def test_write_report_into_a_missing_folder_fails_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        write_report(make_report(), "csv", tmp_path / "gone" / "report.csv")
    assert os.listdir(tmp_path) == []


def test_render_report_rejects_an_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown report format"):
        render_report(make_report(), "docx")  # type: ignore[arg-type]


def test_symbols_explained_even_without_notices() -> None:
    from svjournal.reports.wording import symbol_notices

    report = dataclasses.replace(make_report(), notices=())
    notes = symbol_notices(report)
    assert any(n.startswith("“<5”") for n in notes)
    assert any(n.startswith("“c”") for n in notes)
