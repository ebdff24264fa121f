"""`svjournal report`: the de-identified programme report as PDF, XLSX or CSV."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast

from svjournal.cli.common import EXIT_OK, CommandKit, UserError, iso_date, unlocked_vault
from svjournal.reports.suppression import MIN_THRESHOLD

if TYPE_CHECKING:
    from svjournal.reports.write import ReportFormat


def _threshold(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value != 0 and not MIN_THRESHOLD <= value <= 50:
        raise argparse.ArgumentTypeError(f"use 0 (off) or {MIN_THRESHOLD} to 50")
    return value


def cmd_report(args: argparse.Namespace) -> int:
    from svjournal.core.stats_model import Period
    from svjournal.operations import team
    from svjournal.operations.reports import export_report
    from svjournal.operations.sources import DataSource, JournalData, TeamData, open_journal
    from svjournal.reports.report_export import request_from_settings

    if args.to_date < args.from_date:
        raise UserError("--to is before --from")
    dest = Path(args.output).expanduser()
    if dest.is_dir():
        raise UserError(f"{dest} is a folder; give a file name")
    if not dest.parent.is_dir():
        raise UserError(f"cannot write {dest}: the folder {dest.parent} does not exist")
    fmt: ReportFormat = args.format or _format_from_suffix(dest)
    with unlocked_vault(args) as vault:
        journal = open_journal(vault)
        known = journal.department_codes()
        departments = tuple(d.strip() for d in (args.departments or "").split(",") if d.strip())
        unknown = [d for d in departments if d not in known]
        if unknown:
            raise UserError(f"unknown department {', '.join(unknown)}; known: {', '.join(known)}")
        source: DataSource = JournalData(vault)
        scope = "Your journal"
        if args.team:
            count = len(team.supporters(vault))
            if not count:
                raise UserError("no team bundles imported yet (svjournal bundle import FILE...)")
            source = TeamData(vault)
            scope = f"Team: {count} supporter{'s' if count != 1 else ''}"
        request = request_from_settings(
            journal,
            Period(args.from_date, args.to_date),
            departments=departments,
            threshold=args.threshold,
            scope=scope,
            # Team bundles carry the minutes to first contact (not days, as the retired
            # format did): the team's wait is given in hours like a journal's.
        )
        try:
            report, path = export_report(
                journal, source, request, fmt, dest, today=args.today or date.today()
            ).value
        except OSError as exc:
            raise UserError(f"cannot write {dest}: {exc.strerror or exc}") from None
        finally:
            if isinstance(source, TeamData):
                source.invalidate()  # the merged copy goes now, not at exit
    hidden = "off" if report.threshold == 0 else f"counts below {report.threshold} hidden"
    print(
        f"Wrote the programme report ({report.scope}; {fmt.upper()}, small counts: {hidden}) "
        f"to {path}"
    )
    return EXIT_OK


def _format_from_suffix(dest: Path) -> ReportFormat:
    suffix = dest.suffix.lower().lstrip(".")
    if suffix in ("pdf", "xlsx", "csv"):
        return cast("ReportFormat", suffix)
    raise UserError("say --format pdf, xlsx or csv (or end the file name in .pdf/.xlsx/.csv)")


def register(kit: CommandKit) -> None:
    """Add `report`."""
    report = kit.add(
        "report",
        cmd_report,
        "write the de-identified programme report (PDF, XLSX or CSV)",
        kit.secret,
    )
    report.add_argument(
        "--from", dest="from_date", type=iso_date, required=True, metavar="YYYY-MM-DD"
    )
    report.add_argument("--to", dest="to_date", type=iso_date, required=True, metavar="YYYY-MM-DD")
    report.add_argument(
        "--format", choices=("pdf", "xlsx", "csv"), help="default: from -o's suffix"
    )
    report.add_argument("-o", "--output", required=True, metavar="FILE", help="where to write it")
    report.add_argument(
        "--departments",
        metavar="CODES",
        help="only these departments (comma-separated codes; default: all)",
    )
    report.add_argument(
        "--threshold",
        type=_threshold,
        metavar="N",
        help="hide counts below N (default: the journal's setting; 0 turns it off)",
    )
    report.add_argument(
        "--team",
        action="store_true",
        help="report over the imported team bundles instead of this journal",
    )
    report.add_argument("--today", type=iso_date, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
