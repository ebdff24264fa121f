"""Export the programme report: build it (or take the previewed one), write it, log it.

The command line and the Reports view both come through here, so every report file leaves
exactly one line in the vault's export log, in the same words whichever front end asked.
Writing a report changes no journal record: the returned `Changes` are empty.

A report may be written in another language than the one the process speaks
(`export_report(..., language="de")`): it is built and written inside
`i18n.speaking(language)`, which holds for this thread only, so the window (or the CLI's
own messages) keeps its language. The export log line stays in English, as logs do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from svjournal.core import i18n
from svjournal.operations.changes import NOTHING
from svjournal.operations.result import OpResult

if TYPE_CHECKING:
    from svjournal.core.journal import Journal
    from svjournal.operations.sources import DataSource
    from svjournal.reports.model import ProgrammeReport
    from svjournal.reports.programme import ReportRequest
    from svjournal.reports.write import ReportFormat

Render = Callable[["ProgrammeReport", "ReportFormat"], bytes]


def export_report(
    journal: Journal,
    source: DataSource,
    request: ReportRequest,
    fmt: ReportFormat,
    dest: Path,
    *,
    today: date | None = None,
    language: str | None = None,
) -> OpResult[tuple[ProgrammeReport, Path]]:
    """Build the report over `source` (this journal's data or the merged team data), write
    it to `dest` and log it in `journal`'s export log: the report and the path written.
    `language`: the report's words, dates and numbers (a shipped language or the
    pseudo-locale; None: the current language); UnknownLanguage for any other."""
    with i18n.speaking(language or i18n.current()):
        report = source.report(request, today=today)
        written = write_report(journal, report, request, fmt, dest)
    return OpResult((report, written.value), written.changes)


def write_report(
    journal: Journal,
    report: ProgrammeReport,
    request: ReportRequest,
    fmt: ReportFormat,
    dest: Path,
    *,
    render: Render | None = None,
) -> OpResult[Path]:
    """Write an already built report (the Reports view exports its preview) and log it;
    `render` makes the file's bytes elsewhere (the app's drawing processes)."""
    from svjournal.reports.write import write_report as write_file

    path = write_file(report, fmt, dest, render=render)
    encounters = next((k.current.value for k in report.kpis if k.key == "encounters"), None)
    journal.record_export(
        f"report-{fmt}",
        str(path),
        records=int(encounters) if isinstance(encounters, int) else None,
        # A record of the log, in English like every log line (not shown as a sentence).
        detail=f"{request.scope}; {request.period.start} to {request.period.end}; "
        f"threshold {request.threshold}",
    )
    return OpResult(path, NOTHING)
