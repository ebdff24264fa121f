"""The programme report end to end: figures, suppression, files, and what never gets in."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from svjournal.cli import main
from svjournal.core import demo, stats
from svjournal.core.inputs import CaseInput, ContactInput, EncounterInput
from svjournal.core.journal import Journal
from svjournal.core.stats_model import Period, StatsFilter
from svjournal.core.vault import Vault
from svjournal.operations.reports import export_report
from svjournal.operations.sources import JournalData
from svjournal.reports import grain
from svjournal.reports.model import CellState, ProgrammeReport
from svjournal.reports.programme import ReportRequest, build_report
from svjournal.reports.report_export import request_from_settings
from tests.conftest import FAST_KDF, PASSPHRASE

TODAY = date(2026, 11, 26)
PERIOD = Period(date(2026, 1, 1), date(2026, 11, 26))
ALIASES = ("Quillon-Varga", "Zebedee Marchbanks")
NOTE_WORDS = ("marmalade", "lighthouse", "xylophonist")
CONTACT = "quillon.varga@example.org"


@pytest.fixture(scope="module")
def report_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journal of demo cases plus two cases with distinctive aliases, notes, contacts."""
    path = tmp_path_factory.mktemp("report") / "vault"
    vault, _recovery = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    with vault:
        demo.generate(vault.engine, cases=120, seed=7, anchor=TODAY)
        journal = Journal(vault.engine, clock=lambda: datetime(2026, 11, 26, 12))
        journal.set_setting("programme_name", "Ōtautahi Peer Support — Ward 7")
        for n, alias in enumerate(ALIASES):
            case = journal.open_case(
                CaseInput(
                    alias=alias,
                    role="nurse",
                    department="icu",
                    event_category="medical_error",
                    referral_source="self",
                    referred_on=date(2026, 10, 1 + n),
                )
            )
            journal.set_contact(case.id, ContactInput(email=CONTACT))
            journal.log_encounter(
                case.id,
                EncounterInput(
                    occurred_at=datetime(2026, 10, 2 + n, 10),
                    mode="in_person",
                    duration_minutes=30,
                    stage=2,
                    note=" ".join(NOTE_WORDS),
                ),
            )
    return path


def _report(path: Path, threshold: int, **kw: object) -> tuple[ProgrammeReport, stats.Dashboard]:
    with Vault.open(path) as vault:
        vault.unlock(PASSPHRASE)
        journal = Journal(vault.engine)
        request = request_from_settings(journal, PERIOD, threshold=threshold, **kw)  # type: ignore[arg-type]
        report = build_report(vault.engine, request, today=TODAY)
        dash = stats.dashboard(
            vault.engine, StatsFilter(PERIOD, departments=request.departments), today=TODAY
        )
    return report, dash


def test_without_suppression_every_figure_is_the_dashboards(report_vault: Path) -> None:
    report, dash = _report(report_vault, 0)
    kpis = {k.key: k.current for k in report.kpis}
    assert kpis["encounters"].value == dash.kpis.encounters
    assert kpis["people_reached"].value == dash.kpis.people_reached
    assert kpis["escalated_cases"].value == dash.kpis.escalated_cases
    roles = report.table("by_role")
    # Every role is listed, busy or not (issue 12 part 4); the busy ones hold the figures.
    assert {r.code: r.cells[0].value for r in roles.rows if r.cells[0].value} == {
        c.code: c.encounters for c in dash.by_role
    }
    assert roles.total is not None and roles.total.cells[0].value == dash.kpis.encounters
    assert all(
        cell.state in (CellState.PUBLISHED, CellState.NOT_APPLICABLE)
        for table in report.tables
        for row in (*table.rows, *([table.total] if table.total else []))
        for cell in row.cells
    )


def test_no_count_below_the_threshold_is_published(report_vault: Path) -> None:
    report, dash = _report(report_vault, 5)
    cells = [k.current for k in report.kpis] + [k.previous for k in report.kpis]
    for table in report.tables:
        for row in (*table.rows, *([table.total] if table.total else [])):
            cells += [c for c in row.cells if table.columns[row.cells.index(c)] != "Hours"]
    counts = [c for c in cells if c.published and isinstance(c.value, int)]
    assert counts, "the report publishes counts"
    assert all(c.value >= 5 for c in counts)  # zeros are "<5" too (issue 12 part 4)
    small = [c for c in cells if c.state is CellState.SMALL]
    assert small and all(c.text == "<5" for c in small)
    # Published counts are the true ones.
    kpis = {k.key: k.current for k in report.kpis}
    assert kpis["encounters"].value == dash.kpis.encounters


def test_row_and_column_arithmetic_gives_no_small_count_back(report_vault: Path) -> None:
    report, _dash = _report(report_vault, 5)
    for table in report.tables:
        if table.total is None:
            continue
        for j, heading in enumerate(table.columns):
            column = [row.cells[j] for row in table.rows]
            total = table.total.cells[j]
            hidden = [c for c in column if not c.published]
            if total.published and hidden:
                assert len(hidden) >= 2, f"{table.key}/{heading}: a lone hidden cell"


def test_departments_narrow_the_report(report_vault: Path) -> None:
    everything, _ = _report(report_vault, 0)
    icu, dash = _report(report_vault, 0, departments=("icu",))
    enc = {k.key: k.current.value for k in icu.kpis}["encounters"]
    assert enc == dash.kpis.encounters
    assert enc < {k.key: k.current.value for k in everything.kpis}["encounters"]
    assert {r.code for r in icu.table("by_department").rows} == {"icu"}
    # With suppression, the same filter lists every role, busy or not.
    narrowed, _ = _report(report_vault, 5, departments=("icu",))
    assert len(narrowed.table("by_role").rows) == len(everything.table("by_role").rows)
    assert icu.departments == ("Intensive care",)


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_files_hold_the_figures_and_nothing_identifying(
    report_vault: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"report.{fmt}"
    with Vault.open(report_vault) as vault:
        vault.unlock(PASSPHRASE)
        journal = Journal(vault.engine)
        request = request_from_settings(journal, PERIOD)
        exported = export_report(journal, JournalData(vault), request, fmt, out, today=TODAY)  # type: ignore[arg-type]
        report, written = exported.value
        log = journal.export_log()
    assert written == out and out.stat().st_mode & 0o777 == 0o600
    assert [e.kind for e in log if e.destination == str(out)] == [f"report-{fmt}"]
    encounters = {k.key: k.current.text for k in report.kpis}["encounters"]
    if fmt == "pdf":
        text = _pdf_text(out)
        assert "Ōtautahi Peer Support — Ward 7" in text
        assert "Confidential — de-identified aggregate report. Not a medical record." in text
    elif fmt == "xlsx":
        book = load_workbook(out, read_only=True)
        text = "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    else:
        text = out.read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows and {"metric", "value"} <= set(rows[0])
    assert encounters.replace(",", "") in text.replace(",", "")
    assert "<5" in text
    for secret in (*ALIASES, *NOTE_WORDS, CONTACT, PASSPHRASE):
        assert secret.lower() not in text.lower()
    raw = out.read_bytes()
    for secret in (*ALIASES, *NOTE_WORDS, CONTACT):
        assert secret.encode() not in raw


def test_cli_report_writes_a_pdf(report_vault: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    pass_file = tmp_path / "pass"
    pass_file.write_text(PASSPHRASE + "\n")
    out = tmp_path / "leaders.pdf"
    code = main(
        [
            "report",
            "--vault",
            str(report_vault),
            "--passphrase-file",
            str(pass_file),
            "--from",
            "2026-01-01",
            "--to",
            "2026-11-26",
            "-o",
            str(out),
            "--today",
            "2026-11-26",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert out.read_bytes().startswith(b"%PDF")
    assert "Wrote the program report (Your journal; PDF" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-05-01", "--to", "2026-04-01", "-o", "x.pdf"], "before --from"),
        (["--from", "2026-01-01", "--to", "2026-02-01", "-o", "x.doc"], "--format"),
        (
            ["--from", "2026-01-01", "--to", "2026-02-01", "-o", "x.pdf", "--departments", "mars"],
            "unknown department",
        ),
        (["--from", "2026-01-01", "--to", "2026-02-01", "-o", "nowhere/x.pdf"], "does not exist"),
    ],
)
def test_cli_report_refuses_bad_requests_clearly(
    report_vault: Path,
    tmp_path: Path,
    capsys,
    args: list[str],
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    pass_file = tmp_path / "pass"
    pass_file.write_text(PASSPHRASE)
    args = [a if not a.endswith((".pdf", ".doc")) else str(tmp_path / a) for a in args]
    code = main(
        ["report", "--vault", str(report_vault), "--passphrase-file", str(pass_file), *args]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1


def test_threshold_two_is_refused() -> None:
    with pytest.raises(ValueError):
        ReportRequest(PERIOD, "x", threshold=2)
    assert (
        main(
            [
                "report",
                "--from",
                "2026-01-01",
                "--to",
                "2026-02-01",
                "-o",
                "x.pdf",
                "--threshold",
                "2",
            ]
        )
        == 2
    )


def test_a_week_with_no_activity_gives_an_empty_but_valid_report(report_vault: Path) -> None:
    with Vault.open(report_vault) as vault:
        vault.unlock(PASSPHRASE)
        request = ReportRequest(Period(date(2019, 1, 1), date(2019, 1, 7)), "Empty")
        report = build_report(vault.engine, request, today=TODAY)
    # Every breakdown is listed whether the week was busy or not (issue 12 part 4: an
    # empty table used to be left out, which told the reader it was empty); the tables by
    # time are left out with the reason (even the year hides its encounters).
    assert len(report.tables) == 9 and grain.WITHHELD_NOTE in report.notices
    kpis = {k.key: k.current.text for k in report.kpis}
    assert kpis["encounters"] == "<5" and kpis["follow_up_completion"] == "c"
    assert report.period.end - report.period.start == timedelta(days=6)
