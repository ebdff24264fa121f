"""A report in another language: the same figures, other words (issue 16).

The pseudo-locale en_XA accents and lengthens every marked string and writes numbers and
dates as US English does, so a report in it must hold exactly the figures of the English
one, cell for cell, while every heading, note and definition reads differently. And a
report written in another language than the process speaks leaves the process's own
language alone.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from svjournal import cli
from svjournal.core import demo, i18n
from svjournal.core.i18n import tr
from svjournal.core.stats_model import Period
from svjournal.core.vault import Vault
from svjournal.operations.reports import export_report
from svjournal.operations.sources import JournalData, open_journal
from svjournal.reports.csv_table import plain_text
from svjournal.reports.model import Cell, ProgrammeReport
from svjournal.reports.report_export import request_from_settings
from svjournal.reports.write import render_report
from tests.conftest import PASSPHRASE

TODAY = date(2026, 11, 26)
PERIOD = Period(date(2026, 1, 1), TODAY)
ACCENTED = set("åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ")


def accented(text: str) -> bool:
    return text.startswith("[") and bool(ACCENTED & set(text))


@pytest.fixture
def journal_vault(vault: Vault) -> Vault:
    demo.generate(vault.engine, cases=60, seed=7, anchor=TODAY)
    return vault


def build(vault: Vault, language: str) -> ProgrammeReport:
    journal = open_journal(vault)
    with i18n.speaking(language):
        request = request_from_settings(journal, PERIOD, threshold=5)
        return JournalData(vault).report(request, today=TODAY)


def figure(cell: Cell) -> tuple[Any, ...]:
    """What a cell says, apart from words: the text of a figure with a unit ("26.5 h") is
    translated with its unit, its number is not."""
    shown = cell.text if cell.kind not in ("hours", "days") else None
    return (cell.state, cell.value, cell.kind, plain_text(cell), shown)


def figures(report: ProgrammeReport) -> list[Any]:
    """Every figure of the report with its stable ids: what must not depend on language."""
    out: list[Any] = [(k.key, figure(k.current), figure(k.previous)) for k in report.kpis]
    for table in report.tables:
        out.append((table.key, table.keys()))
        for row in (*table.rows, *([table.total] if table.total else [])):
            out.append((table.key, row.code, [figure(c) for c in row.cells]))
    return out


def words(report: ProgrammeReport) -> list[str]:
    out = [k.label for k in report.kpis] + [k.definition for k in report.kpis]
    for table in report.tables:
        out += [table.title, table.dimension, table.note, *table.columns]
    out += [text for pair in report.definitions for text in pair]
    out += [*report.notices, report.scope]
    return [w for w in out if w]


def test_a_report_in_the_pseudo_locale_has_the_same_figures_and_other_words(
    journal_vault: Vault,
) -> None:
    english = build(journal_vault, "en_US")
    pseudo = build(journal_vault, i18n.PSEUDO)
    assert figures(pseudo) == figures(english)
    assert any(c.published for k in english.kpis for c in (k.current, k.previous))
    assert len(english.tables) == len(pseudo.tables) > 5
    assert not any(accented(w) for w in words(english))
    unaccented = [w for w in words(pseudo) if not accented(w)]
    # Department names are the programme's own words; every other word is translated.
    assert unaccented == [], unaccented


def test_the_files_hold_the_same_figures_in_either_language(journal_vault: Vault) -> None:
    from openpyxl import load_workbook

    english = build(journal_vault, "en_US")
    pseudo = build(journal_vault, i18n.PSEUDO)

    def csv_lines(report: ProgrammeReport, language: str) -> list[dict[str, str]]:
        with i18n.speaking(language):
            text = render_report(report, "csv").decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text)))  # type: ignore[arg-type]

    en_lines, xa_lines = csv_lines(english, "en_US"), csv_lines(pseudo, i18n.PSEUDO)
    assert accented(xa_lines[0][0]) and en_lines[0][0] == "metric"  # the header is translated
    # metric, code, value, status and dates: the same; measure, dimension, category: words.
    same = (0, 4, 5, 6, 7, 8)
    figures_only = [r for r in en_lines[1:] if r[6] not in ("notice", "definition")]
    assert len(figures_only) > 100
    assert [[r[i] for i in same] for r in en_lines[1:] if r[6] not in ("notice", "definition")] == [
        [r[i] for i in same] for r in xa_lines[1:] if r[6] not in ("notice", "definition")
    ]
    assert all(accented(r[1]) for r in xa_lines[1:])

    def book_cells(report: ProgrammeReport, language: str) -> tuple[list[Any], list[str]]:
        with i18n.speaking(language):
            data = render_report(report, "xlsx")
        book = load_workbook(io.BytesIO(data))
        numbers: list[Any] = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                numbers += [
                    (c.value, c.number_format) for c in row if isinstance(c.value, int | float)
                ]
        return numbers, book.sheetnames

    en_numbers, en_sheets = book_cells(english, "en_US")
    xa_numbers, xa_sheets = book_cells(pseudo, i18n.PSEUDO)
    # The same numbers in the same cells; only a unit in a number format ("h") is a word.
    assert len(en_numbers) > 50 and len(xa_numbers) == len(en_numbers)
    for (en_value, en_format), (xa_value, xa_format) in zip(en_numbers, xa_numbers, strict=True):
        assert en_value == xa_value
        assert en_format == xa_format or '"' in en_format
    # Excel refuses "[" and "]" in a sheet name: the accents show the translation.
    assert en_sheets[0] == "Summary" and all(ACCENTED & set(name) for name in xa_sheets)


def test_a_report_in_another_language_leaves_the_process_language_alone(
    journal_vault: Vault, tmp_path: Path
) -> None:
    assert i18n.current() == "en_US"
    journal = open_journal(journal_vault)
    request = request_from_settings(journal, PERIOD, threshold=5)
    dest = tmp_path / "report.csv"
    report, _path = export_report(
        journal, JournalData(journal_vault), request, "csv", dest, today=TODAY, language="en_XA"
    ).value
    text = dest.read_bytes().decode("utf-8-sig")
    assert accented(text.splitlines()[0].split(",")[0])
    assert accented(report.tables[0].title) and accented(report.scope)
    # Afterwards the process still speaks English.
    assert i18n.current() == "en_US" and tr("Encounters") == "Encounters"
    [entry] = journal.export_log()
    assert entry.detail.startswith("Your journal; ")  # the log's record stays English


def test_the_pdf_in_another_language(journal_vault: Vault, tmp_path: Path) -> None:
    from pypdf import PdfReader

    journal = open_journal(journal_vault)
    request = request_from_settings(journal, PERIOD, threshold=5)
    dest = tmp_path / "report.pdf"
    export_report(
        journal, JournalData(journal_vault), request, "pdf", dest, today=TODAY, language="en_XA"
    )
    cover = PdfReader(dest).pages[0].extract_text()
    assert "Confidential —" not in cover and "Peer support program report" not in cover
    assert "[Þééŕ šûþþöŕţ þŕöĝŕåɱ ŕéþöŕţ" in cover
    assert tr("Peer support program report") == "Peer support program report"


def test_the_cli_writes_the_report_in_the_language_asked(
    journal_vault: Vault, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "pass"
    secret.write_text(PASSPHRASE, encoding="utf-8")
    dest = tmp_path / "r.csv"
    args = [
        "report",
        "--vault",
        str(journal_vault.path),
        "--passphrase-file",
        str(secret),
        "--from",
        PERIOD.start.isoformat(),
        "--to",
        PERIOD.end.isoformat(),
        "-o",
        str(dest),
        "--today",
        TODAY.isoformat(),
    ]
    journal_vault.close()
    assert cli.main([*args, "--report-lang", "en_XA"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Wrote the program report (Your journal; CSV")  # the run's language
    assert accented(dest.read_bytes().decode("utf-8-sig").split(",")[0])

    assert cli.main([*args, "--report-lang", "xx"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("svjournal: ") and "'xx'" in err[0]
