"""A report in another language: the same figures, other words (issue 16).

The pseudo-locale en_XA accents and lengthens every marked string and writes numbers and
dates as US English does, so a report in it must hold exactly the figures of the English
one, cell for cell, while every heading, note and definition reads differently. Each
shipped language must do the same: the same values in the same cells, the same digits in
every figure's text (only its decimal sign, grouping and spacing are the locale's), and
its own words. And a report written in another language than the process speaks leaves
the process's own language alone.
"""

from __future__ import annotations

import csv
import io
import re
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


TRANSLATED = [code for code in i18n.shipped() if code not in (i18n.SOURCE, "en_GB")]


def test_every_shipped_language_is_checked() -> None:
    # The list is read from the catalogues on disk: a new language joins it by shipping.
    assert {"es", "de", "nl", "it", "pt_BR"} <= set(TRANSLATED)


def digits(text: str, language: str) -> str:
    """A figure's text with the locale's decimal sign made "." and its grouping and spaces
    dropped: "1.234,5 %" in German and "1,234.5%" in English both give "1234.5%"."""
    from babel import Locale

    symbols = Locale.parse(language).number_symbols["latn"]
    text = re.sub(r"\s", "", text.replace(symbols["group"], ""))
    return text.replace(symbols["decimal"], ".")


def figure_values(cell: Cell) -> tuple[Any, ...]:
    return (cell.state, cell.value, cell.kind, plain_text(cell))


def test_a_report_in_each_language_has_the_same_figures_and_its_own_words(
    journal_vault: Vault,
) -> None:
    english = build(journal_vault, "en_US")
    british = build(journal_vault, "en_GB")
    assert figures(british) == figures(english)  # the same words but "program" are allowed
    english_words = words(english)
    for language in TRANSLATED:
        other = build(journal_vault, language)
        assert len(other.tables) == len(english.tables), language
        assert [t.key for t in other.tables] == [t.key for t in english.tables]
        pairs = [(k.current, o.current) for k, o in zip(english.kpis, other.kpis, strict=True)]
        pairs += [(k.previous, o.previous) for k, o in zip(english.kpis, other.kpis, strict=True)]
        for table, theirs in zip(english.tables, other.tables, strict=True):
            assert table.keys() == theirs.keys(), (language, table.key)
            rows = [*table.rows, *([table.total] if table.total else [])]
            their_rows = [*theirs.rows, *([theirs.total] if theirs.total else [])]
            for row, their_row in zip(rows, their_rows, strict=True):
                assert row.code == their_row.code
                pairs += list(zip(row.cells, their_row.cells, strict=True))
        assert len(pairs) > 300
        for mine, theirs in pairs:
            assert figure_values(theirs) == figure_values(mine), language
            if mine.kind not in ("hours", "days"):  # their unit is a word
                assert digits(theirs.text, language) == digits(mine.text, "en_US"), language
        their_words = words(other)
        assert len(their_words) == len(english_words)
        same = [w for w, e in zip(their_words, english_words, strict=True) if w == e]
        # A word may be the same ("Individual" in Spanish), a report left in English not.
        assert len(same) <= len(english_words) // 20, (language, same)


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


def _csv_rows(report: ProgrammeReport, language: str) -> list[list[str]]:
    with i18n.speaking(language):
        text = render_report(report, "csv").decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _book(report: ProgrammeReport, language: str) -> tuple[list[Any], list[str]]:
    from openpyxl import load_workbook

    with i18n.speaking(language):
        book = load_workbook(io.BytesIO(render_report(report, "xlsx")))
    numbers = [
        (c.value, c.number_format)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, int | float)
    ]
    return numbers, book.sheetnames


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_languages_files_hold_the_english_figures(journal_vault: Vault, language: str) -> None:
    english, other = build(journal_vault, "en_US"), build(journal_vault, language)
    en_rows, their_rows = _csv_rows(english, "en_US"), _csv_rows(other, language)
    assert len(their_rows) == len(en_rows) > 100
    assert their_rows[0] != en_rows[0]  # the header is translated
    # metric, code, value, status and the dates: the same; measure, dimension and
    # category are words, and so is the value of a notice or a definition.
    same = (0, 4, 5, 6, 7, 8)

    def figure_columns(rows: list[list[str]]) -> list[list[str]]:
        return [[r[i] for i in same] for r in rows[1:] if r[6] not in ("notice", "definition")]

    assert figure_columns(their_rows) == figure_columns(en_rows)
    assert len(figure_columns(en_rows)) > 100
    en_numbers, en_sheets = _book(english, "en_US")
    their_numbers, their_sheets = _book(other, language)
    assert len(en_numbers) > 50 and len(their_numbers) == len(en_numbers)
    for (en_value, en_format), (value, number_format) in zip(
        en_numbers, their_numbers, strict=True
    ):
        assert value == en_value
        assert number_format == en_format or '"' in en_format  # a unit ("h") is a word
    assert len(their_sheets) == len(en_sheets) and their_sheets[0] != en_sheets[0]


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
