"""`svjournal bundle export|import`: a supporter's signed, encrypted bundle, and merging them.

Bundles are signed with the journal's own key and encrypted to the team joined; nothing is
asked on export beyond unlocking the journal. The team passphrase survives only for
importing bundles of the retired format (`--team-passphrase-file`, or asked when one is in
the batch).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from svjournal.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    CommandKit,
    UserError,
    confirm,
    iso_date,
    leaf_options,
    prompt_secret,
    read_secret_file,
    unlocked_vault,
    usage_needed,
)
from svjournal.core.i18n import ntr, tr
from svjournal.core.locale_format import format_number

if TYPE_CHECKING:
    from svjournal.core.stats_model import Period
    from svjournal.core.vault import Vault


def _legacy_passphrase(args: argparse.Namespace, paths: list[Path]) -> str | None:
    """The retired format's team passphrase, asked only when such a bundle is in the batch."""
    from svjournal.reports import legacy

    if args.team_passphrase_file:
        return read_secret_file(Path(args.team_passphrase_file))
    for path in paths:
        try:
            with path.open("rb") as handle:
                if handle.read(len(legacy.MAGIC)) == legacy.MAGIC:
                    if not sys.stdin.isatty():
                        return None  # its line will say a passphrase is needed
                    print(
                        tr("{file} is a bundle of the retired passphrase format.").format(
                            file=path.name
                        )
                    )
                    return prompt_secret(tr("Old team passphrase"), "--team-passphrase-file")
        except OSError:
            continue  # the import reports it
    return None


def _period(args: argparse.Namespace) -> Period:
    from datetime import date

    from svjournal.core import periods
    from svjournal.core.stats_model import Period

    if (args.from_date is None) != (args.to_date is None):
        raise UserError(tr("give both --from and --to, or neither (the previous calendar quarter)"))
    if args.from_date is None:  # what the Team view proposes too
        return periods.DEFAULT.period(args.today or date.today())
    if args.to_date < args.from_date:
        raise UserError(tr("--to is before --from"))
    return Period(args.from_date, args.to_date)


def cmd_bundle_export(args: argparse.Namespace) -> int:
    from svjournal.operations import team
    from svjournal.operations.sources import open_journal
    from svjournal.reports.bundle import default_file_name

    period = _period(args)
    dest = Path(args.output).expanduser()
    if dest.is_dir():
        dest = dest / default_file_name(period)
    if not dest.parent.is_dir():
        raise UserError(
            tr("cannot write {path}: the folder {folder} does not exist").format(
                path=dest, folder=dest.parent
            )
        )
    with unlocked_vault(args) as vault:
        try:
            result = team.export_bundle(
                vault, open_journal(vault), period, dest, merged=args.merged
            ).value
        except OSError as exc:
            raise UserError(
                tr("cannot write {path}: {error}").format(path=dest, error=exc.strerror or exc)
            ) from None
    print(
        tr("Wrote the team bundle for {months} to {path}").format(
            months=result.months_text, path=result.path
        )
    )
    counts = {
        "cases": ntr("{n} case", "{n} cases", result.cases).format(n=format_number(result.cases)),
        "encounters": ntr("{n} encounter", "{n} encounters", result.encounters).format(
            n=format_number(result.encounters)
        ),
        "follow_ups": ntr("{n} follow-up", "{n} follow-ups", result.follow_ups).format(
            n=format_number(result.follow_ups)
        ),
    }
    if args.merged:
        # Translators: {cases}, {encounters}, {follow_ups} are counts such as "12 cases".
        text = tr(
            "{cases}, {encounters}, {follow_ups} (merged team data), encrypted to team {team} "
            "({team_fingerprint}) and signed by you ({fingerprint})."
        )
    else:
        # Translators: {cases}, {encounters}, {follow_ups} are counts such as "12 cases".
        text = tr(
            "{cases}, {encounters}, {follow_ups} (records), encrypted to team {team} "
            "({team_fingerprint}) and signed by you ({fingerprint})."
        )
    print(
        text.format(
            **counts,
            team=result.team.name,
            team_fingerprint=result.team.fingerprint,
            fingerprint=result.fingerprint,
        )
    )
    print(tr("Months only, no days; no aliases, contact details or notes."))
    return EXIT_OK


def _accepted(args: argparse.Namespace, vault: Vault, paths: list[Path]) -> set[str]:
    """Fingerprints accepted for this import: --accept ones, and each new author the
    coordinator confirms at the terminal (asked once per fingerprint)."""
    from svjournal.core.team_keys import normalise_fingerprint
    from svjournal.operations.team import new_authors

    accepted = {normalise_fingerprint(fp) for fp in args.accept}
    if not sys.stdin.isatty():
        return accepted
    asked: set[str] = set()
    for path, fingerprint in new_authors(vault, paths):
        if fingerprint in accepted or fingerprint in asked:
            continue
        asked.add(fingerprint)
        question = tr(
            "{file} is signed by a supporter not accepted yet:\n"
            "    {fingerprint}\n"
            "Accept only if they read you this same fingerprint (in their Team view or "
            "`svjournal team show`). Accept?"
        ).format(file=path.name, fingerprint=fingerprint)
        if confirm(question):
            accepted.add(fingerprint)
    return accepted


def cmd_bundle_import(args: argparse.Namespace) -> int:
    """A line per file in the order given, then the tally; non-zero if any file was refused."""
    from svjournal.operations.team import import_bundles
    from svjournal.reports.bundle import batch_summary

    paths = [Path(name).expanduser() for name in args.files]
    with unlocked_vault(args) as vault:
        accepted = _accepted(args, vault, paths)
        secret = _legacy_passphrase(args, paths)
        results = import_bundles(vault, paths, accept=accepted, legacy_passphrase=secret).value
    for result in results:
        print(f"{result.path}: {result.summary()}")
    if len(results) > 1:  # one file: its line says it all
        print(batch_summary(results))
    return EXIT_OK if all(r.ok for r in results) else EXIT_ERROR


# --- team keys --------------------------------------------------------------------------------


def _team_secret() -> argparse.ArgumentParser:
    secret = argparse.ArgumentParser(add_help=False)
    secret.add_argument(
        "--team-passphrase-file",
        metavar="F",
        help=tr(
            "bundles of the retired passphrase format only: read the old team passphrase "
            "from F (otherwise asked when such a bundle is in the batch)"
        ),
    )
    return secret


def register(kit: CommandKit) -> None:
    """Add `bundle` (export, import)."""
    leaf, secret = leaf_options(), _team_secret()

    bundle = kit.add(
        "bundle",
        usage_needed,
        tr("team bundles: de-identified records for the coordinator"),
        kit.secret,
    )
    actions = bundle.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        parents=[leaf],
        help=tr("write your de-identified bundle for a period (whole months)"),
        description=tr(
            "Write this journal's de-identified records of the months of a period "
            "(months only, no days; no aliases, contact details or notes), signed by this "
            "journal and encrypted to the team joined: only its coordinator can open it."
        ),
    )
    export.add_argument(
        "--from",
        dest="from_date",
        type=iso_date,
        metavar="DATE",
        help=tr("a day of the first month; without --from and --to, the previous calendar quarter"),
    )
    export.add_argument(
        "--to", dest="to_date", type=iso_date, metavar="DATE", help=tr("a day of the last month")
    )
    export.add_argument(
        "--merged",
        action="store_true",
        help=tr("coordinators: the team's merged data, for the higher team this journal joined"),
    )
    export.add_argument("--today", type=iso_date, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    export.add_argument("-o", "--output", required=True, metavar="FILE", help=tr("file or folder"))
    export.set_defaults(handler=cmd_bundle_export)
    imports = actions.add_parser(
        "import",
        parents=[leaf, secret],
        help=tr("merge supporters' bundles into this journal's team data (coordinators)"),
        description=tr(
            "Merge bundles into the team data. Each file is checked whole and "
            "imported whole or not at all; importing a bundle again changes nothing. A new "
            "supporter's fingerprint is shown to accept once (or give it with --accept)."
        ),
    )
    imports.add_argument("files", nargs="+", metavar="FILE")
    imports.add_argument(
        "--accept",
        action="append",
        default=[],
        metavar="FINGERPRINT",
        help=tr("accept this supporter's signing fingerprint (checked with them); repeatable"),
    )
    imports.set_defaults(handler=cmd_bundle_import)
