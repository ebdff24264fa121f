"""Exporting the programme report is one operation for the CLI and the Reports view: it
writes the file and exactly one export-log line, and changes no journal record. Also the
write watch the app uses to know whether a backup on closing would hold anything new."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from svjournal.core import demo
from svjournal.core.vault import Vault
from svjournal.core.write_watch import WriteWatch
from svjournal.operations import Changes
from svjournal.operations.reports import export_report, write_report
from svjournal.operations.sources import JournalData, open_journal
from svjournal.reports.report_export import request_from_settings
from svjournal.reports.write import render_report
from tests.conftest import PASSPHRASE
from tests.unit.team_fixtures import PERIOD, T1

TODAY = T1.date()


def test_export_report_writes_the_file_and_one_log_line(vault: Vault, tmp_path: Path) -> None:
    demo.generate(vault.engine, cases=30, seed=4, anchor=date(2026, 11, 26))
    journal = open_journal(vault)
    request = request_from_settings(journal, PERIOD, threshold=0)
    dest = tmp_path / "report.csv"
    result = export_report(journal, JournalData(vault), request, "csv", dest, today=TODAY)
    report, path = result.value
    assert path == dest and dest.read_bytes() == render_report(report, "csv")
    assert result.changes == Changes() and result.undo is None
    [entry] = journal.export_log()
    encounters = {k.key: k.current.value for k in report.kpis}["encounters"]
    assert (entry.kind, entry.destination, entry.records) == ("report-csv", str(dest), encounters)
    assert entry.detail == f"Your journal; {PERIOD.start} to {PERIOD.end}; threshold 0"


def test_writing_a_previewed_report_logs_it_once_with_the_bytes_made_elsewhere(
    vault: Vault, tmp_path: Path
) -> None:
    demo.generate(vault.engine, cases=10, seed=5, anchor=date(2026, 11, 26))
    journal = open_journal(vault)
    request = request_from_settings(journal, PERIOD, scope="Team: 2 supporters")
    report = JournalData(vault).report(request, today=TODAY)
    asked: list[str] = []

    def render(built: object, fmt: str) -> bytes:
        asked.append(fmt)
        return b"drawn elsewhere"

    written = write_report(journal, report, request, "pdf", tmp_path / "r.pdf", render=render)
    assert written.value == tmp_path / "r.pdf" and written.changes == Changes()
    assert asked == ["pdf"] and (tmp_path / "r.pdf").read_bytes() == b"drawn elsewhere"
    [entry] = journal.export_log()
    assert entry.kind == "report-pdf" and entry.detail.startswith("Team: 2 supporters; ")


def test_the_write_watch_notes_writes_not_reads_and_each_commit_that_wrote(
    vault: Vault,
) -> None:
    commits: list[int] = []
    watch = WriteWatch(on_commit=lambda: commits.append(1))
    watch.watch(vault)
    journal = open_journal(vault)
    journal.list_cases()
    journal.setting("departments")
    assert not watch.changed and commits == []
    journal.set_setting("programme_name", "Ward 7")
    assert watch.changed and len(commits) == 1
    watch.changed = False  # as after a backup
    journal.list_cases()
    assert not watch.changed and len(commits) == 1

    vault.lock()
    vault.unlock(PASSPHRASE)  # a new engine: watched again, from nothing
    watch.watch(vault)
    watch.watch(vault)  # twice changes nothing: one note per commit
    assert not watch.changed
    open_journal(vault).set_setting("programme_name", "Ward 8")
    assert watch.changed and len(commits) == 2
