"""`svjournal report`: the de-identified programme report as PDF, XLSX or CSV."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast

from svjournal.cli.common import EXIT_OK, CommandKit, UserError, iso_date, unlocked_vault
from svjournal.core.i18n import tr
from svjournal.reports.suppression import MIN_THRESHOLD

if TYPE_CHECKING:
    from svjournal.reports.write import ReportFormat


def _threshold(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            tr("{text} is not a whole number").format(text=repr(text))
        ) from None
    if value != 0 and not MIN_THRESHOLD <= value <= 50:
        raise argparse.ArgumentTypeError(tr("use 0 (off) or {low} to 50").format(low=MIN_THRESHOLD))
    return value


def cmd_report(args: argparse.Namespace) -> int:
    from svjournal.core import i18n
    from svjournal.core.stats_model import Period
    from svjournal.operations import team
    from svjournal.operations.reports import export_report
    from svjournal.operations.sources import DataSource, JournalData, TeamData, open_journal
    from svjournal.reports.programme import YOUR_JOURNAL, scope_text
    from svjournal.reports.report_export import request_from_settings

    # The report's language, checked before the vault is opened (UnknownLanguage: one line,
    # exit 1); None: the language this run speaks (--lang, $SVJOURNAL_LANG, the system's).
    language = i18n.normalise(args.report_lang) if args.report_lang else None
    if args.to_date < args.from_date:
        raise UserError(tr("--to is before --from"))
    dest = Path(args.output).expanduser()
    if dest.is_dir():
        raise UserError(tr("{path} is a folder; give a file name").format(path=dest))
    if not dest.parent.is_dir():
        raise UserError(
            tr("cannot write {path}: the folder {folder} does not exist").format(
                path=dest, folder=dest.parent
            )
        )
    fmt: ReportFormat = args.format or _format_from_suffix(dest)
    with unlocked_vault(args) as vault:
        journal = open_journal(vault)
        known = journal.department_codes()
        departments = tuple(d.strip() for d in (args.departments or "").split(",") if d.strip())
        unknown = [d for d in departments if d not in known]
        if unknown:
            raise UserError(
                tr("unknown department {codes}; known: {known}").format(
                    codes=", ".join(unknown), known=", ".join(known)
                )
            )
        source: DataSource = JournalData(vault)
        # The export log's record of the scope stays in English; the report says it in
        # its own language (team_size).
        scope = YOUR_JOURNAL
        team_size: int | None = None
        if args.team:
            count = len(team.supporters(vault))
            if not count:
                raise UserError(
                    tr("no team bundles imported yet (svjournal bundle import FILE...)")
                )
            source = TeamData(vault)
            scope = f"Team: {count} supporter{'s' if count != 1 else ''}"
            team_size = count
        request = request_from_settings(
            journal,
            Period(args.from_date, args.to_date),
            departments=departments,
            threshold=args.threshold,
            scope=scope,
            team_size=team_size,
            # Team bundles carry the minutes to first contact (not days, as the retired
            # format did): the team's wait is given in hours like a journal's.
        )
        try:
            report, path = export_report(
                journal,
                source,
                request,
                fmt,
                dest,
                today=args.today or date.today(),
                language=language,
            ).value
        except OSError as exc:
            raise UserError(
                tr("cannot write {path}: {reason}").format(path=dest, reason=exc.strerror or exc)
            ) from None
        finally:
            if isinstance(source, TeamData):
                source.invalidate()  # the merged copy goes now, not at exit
    # This run's own message, in this run's language (the report may be in another).
    scope_said = scope_text(request)
    if report.threshold == 0:
        message = tr("Wrote the program report ({scope}; {format}, small counts: off) to {path}")
    else:
        # Translators: {threshold} is a number of people; {format} is PDF, XLSX or CSV.
        message = tr(
            "Wrote the program report ({scope}; {format}, small counts: counts below "
            "{threshold} hidden) to {path}"
        )
    print(
        message.format(scope=scope_said, format=fmt.upper(), threshold=report.threshold, path=path)
    )
    return EXIT_OK


def _format_from_suffix(dest: Path) -> ReportFormat:
    suffix = dest.suffix.lower().lstrip(".")
    if suffix in ("pdf", "xlsx", "csv"):
        return cast("ReportFormat", suffix)
    raise UserError(tr("say --format pdf, xlsx or csv (or end the file name in .pdf/.xlsx/.csv)"))


def register(kit: CommandKit) -> None:
    """Add `report`."""
    report = kit.add(
        "report",
        cmd_report,
        tr("write the de-identified program report (PDF, XLSX or CSV)"),
        kit.secret,
    )
    report.add_argument(
        "--from", dest="from_date", type=iso_date, required=True, metavar="YYYY-MM-DD"
    )
    report.add_argument("--to", dest="to_date", type=iso_date, required=True, metavar="YYYY-MM-DD")
    report.add_argument(
        "--format", choices=("pdf", "xlsx", "csv"), help=tr("default: from -o's suffix")
    )
    report.add_argument(
        "-o", "--output", required=True, metavar="FILE", help=tr("where to write it")
    )
    report.add_argument(
        "--departments",
        metavar="CODES",
        help=tr("only these departments (comma-separated codes; default: all)"),
    )
    report.add_argument(
        "--threshold",
        type=_threshold,
        metavar="N",
        help=tr("hide counts below N (default: the journal's setting; 0 turns it off)"),
    )
    report.add_argument(
        "--team",
        action="store_true",
        help=tr("report over the imported team bundles instead of this journal"),
    )
    report.add_argument(
        "--report-lang",
        metavar="LANG",
        help=tr(
            "write the report in LANG, e.g. de or pt_BR (default: the language of this run, --lang)"
        ),
    )
    report.add_argument("--today", type=iso_date, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
