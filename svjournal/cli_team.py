"""`svjournal bundle export|import` and `svjournal team list|remove`: team bundles."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from svjournal.cli import (
    EXIT_ERROR,
    EXIT_OK,
    CommandKit,
    UserError,
    iso_date,
    prompt_secret,
    read_secret_file,
    unlocked_vault,
)


def team_passphrase(args: argparse.Namespace, *, twice: bool) -> str:
    if args.team_passphrase_file:
        return read_secret_file(Path(args.team_passphrase_file))
    first = prompt_secret("Team passphrase", "--team-passphrase-file")
    if twice and first != prompt_secret("Repeat the team passphrase", "--team-passphrase-file"):
        raise UserError("the two team passphrases differ")
    return first


def cmd_bundle_export(args: argparse.Namespace) -> int:
    from datetime import date

    from svjournal.core import periods
    from svjournal.core.journal import Journal
    from svjournal.core.stats_model import Period
    from svjournal.reports.bundle import default_file_name, export_bundle

    if (args.from_date is None) != (args.to_date is None):
        raise UserError("give both --from and --to, or neither (the previous calendar quarter)")
    if args.from_date is None:  # what the Team view proposes too
        period = periods.DEFAULT.period(args.today or date.today())
    else:
        if args.to_date < args.from_date:
            raise UserError("--to is before --from")
        period = Period(args.from_date, args.to_date)
    dest = Path(args.output).expanduser()
    if dest.is_dir():
        dest = dest / default_file_name(period)
    if not dest.parent.is_dir():
        raise UserError(f"cannot write {dest}: the folder {dest.parent} does not exist")
    with unlocked_vault(args) as vault:
        secret = team_passphrase(args, twice=True)
        try:
            result = export_bundle(
                vault.engine, period, secret, dest, journal=Journal(vault.engine)
            )
        except OSError as exc:
            raise UserError(f"cannot write {dest}: {exc.strerror or exc}") from None
    print(
        f"Wrote the team bundle for {period.start} to {period.end} to {result.path}\n"
        f"{result.cases} cases, {result.encounters} encounters, {result.follow_ups} follow-ups; "
        f"supporter ID {result.supporter_id}. No aliases, contact details or notes; days only."
    )
    return EXIT_OK


def cmd_bundle_import(args: argparse.Namespace) -> int:
    """A line per file in the order given, then the tally; non-zero if any file was refused."""
    from svjournal.reports.bundle import batch_summary, import_bundles

    paths = [Path(name).expanduser() for name in args.files]
    with unlocked_vault(args) as vault:
        secret = team_passphrase(args, twice=False)
        results = import_bundles(vault.engine, paths, secret)
    for result in results:
        print(f"{result.path}: {result.summary()}")
    if len(results) > 1:  # one file: its line says it all
        print(batch_summary(results))
    return EXIT_OK if all(r.ok for r in results) else EXIT_ERROR


def cmd_team_list(args: argparse.Namespace) -> int:
    from svjournal.reports.team import list_supporters

    with unlocked_vault(args) as vault:
        rows = list_supporters(vault.engine)
    if not rows:
        print("No team data yet: import bundles with `svjournal bundle import FILE...`.")
        return EXIT_OK
    header = ("supporter", "label", "periods", "bundles", "cases", "encounters", "follow-ups")
    table = [
        header,
        *[
            (
                r.supporter_id,
                r.label or "-",
                r.periods_text(),
                str(r.bundles),
                str(r.cases),
                str(r.encounters),
                str(r.follow_ups),
            )
            for r in rows
        ],
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for line in table:
        cells = (cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        print("  ".join(cells).rstrip())
    return EXIT_OK


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        raise UserError("no terminal to confirm in: add --yes to go ahead")
    try:
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")
    except EOFError:
        return False


def cmd_team_remove(args: argparse.Namespace) -> int:
    from svjournal.reports.team import normalise_supporter_id, remove_supporter

    ident = normalise_supporter_id(args.supporter_id)
    with unlocked_vault(args) as vault:
        question = (
            f"Remove everything imported from supporter {ident}? "
            "Importing their bundles again brings it back."
        )
        if not args.yes and not _confirm(question):
            print("Nothing was changed.")
            return EXIT_ERROR
        removed = remove_supporter(vault.engine, ident)
    print(f"Removed supporter {ident} and {removed} of their records from the team data.")
    return EXIT_OK


def _leaf_options() -> argparse.ArgumentParser:
    """--vault and --passphrase-file after the sub-command too (`bundle export --vault V`).

    SUPPRESS keeps a leaf's unset option from overwriting one given before the sub-command.
    """
    leaf = argparse.ArgumentParser(add_help=False)
    leaf.add_argument("--vault", metavar="PATH", default=argparse.SUPPRESS, help="the vault folder")
    leaf.add_argument(
        "--passphrase-file",
        metavar="F",
        default=argparse.SUPPRESS,
        help="read the journal's passphrase from F (scripts; less safe)",
    )
    return leaf


def _team_secret() -> argparse.ArgumentParser:
    secret = argparse.ArgumentParser(add_help=False)
    secret.add_argument(
        "--team-passphrase-file",
        metavar="F",
        help="read the team passphrase from F instead of the terminal (scripts; less safe)",
    )
    return secret


def register(kit: CommandKit) -> None:
    """Add `bundle` (export, import) and `team` (list, remove)."""
    leaf, secret = _leaf_options(), _team_secret()

    bundle = kit.add(
        "bundle", _usage, "team bundles: de-identified records for the coordinator", kit.secret
    )
    actions = bundle.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        parents=[leaf, secret],
        help="write your de-identified bundle for a period",
        description="Write this journal's de-identified records of a period (no aliases, "
        "contact details or notes; days only) to a file sealed with the team passphrase.",
    )
    export.add_argument(
        "--from",
        dest="from_date",
        type=iso_date,
        metavar="DATE",
        help="first day; without --from and --to, the previous calendar quarter",
    )
    export.add_argument("--to", dest="to_date", type=iso_date, metavar="DATE", help="last day")
    export.add_argument("--today", type=iso_date, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    export.add_argument("-o", "--output", required=True, metavar="FILE", help="file or folder")
    export.set_defaults(handler=cmd_bundle_export)
    imports = actions.add_parser(
        "import",
        parents=[leaf, secret],
        help="merge supporters' bundles into this journal's team data (coordinators)",
        description="Merge bundles into the team data. Each file is checked whole and "
        "imported whole or not at all; importing a bundle again changes nothing.",
    )
    imports.add_argument("files", nargs="+", metavar="FILE")
    imports.set_defaults(handler=cmd_bundle_import)

    team = kit.add("team", _usage, "the team data merged from bundles (coordinators)", kit.secret)
    team_actions = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    listing = team_actions.add_parser(
        "list", parents=[leaf], help="supporters, periods covered and record counts"
    )
    listing.set_defaults(handler=cmd_team_list)
    remove = team_actions.add_parser(
        "remove", parents=[leaf], help="delete everything imported from one supporter"
    )
    remove.add_argument("supporter_id", metavar="SUPPORTER_ID")
    remove.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    remove.set_defaults(handler=cmd_team_remove)


def _usage(args: argparse.Namespace) -> int:  # pragma: no cover - argparse requires an action
    raise UserError("choose an action; see --help")
