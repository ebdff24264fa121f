"""`svjournal bundle export|import` and `svjournal team create|card|join|show|list|remove`.

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
    prompt_secret,
    read_secret_file,
    unlocked_vault,
)

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
                    print(f"{path.name} is a bundle of the retired passphrase format.")
                    return prompt_secret("Old team passphrase", "--team-passphrase-file")
        except OSError:
            continue  # the import reports it
    return None


def _period(args: argparse.Namespace) -> Period:
    from datetime import date

    from svjournal.core import periods
    from svjournal.core.stats_model import Period

    if (args.from_date is None) != (args.to_date is None):
        raise UserError("give both --from and --to, or neither (the previous calendar quarter)")
    if args.from_date is None:  # what the Team view proposes too
        return periods.DEFAULT.period(args.today or date.today())
    if args.to_date < args.from_date:
        raise UserError("--to is before --from")
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
        raise UserError(f"cannot write {dest}: the folder {dest.parent} does not exist")
    with unlocked_vault(args) as vault:
        try:
            result = team.export_bundle(
                vault, open_journal(vault), period, dest, merged=args.merged
            ).value
        except OSError as exc:
            raise UserError(f"cannot write {dest}: {exc.strerror or exc}") from None
    what = "merged team data" if args.merged else "records"
    print(
        f"Wrote the team bundle for {result.months_text} to {result.path}\n"
        f"{result.cases} cases, {result.encounters} encounters, {result.follow_ups} follow-ups "
        f"({what}), encrypted to team {result.team.name} ({result.team.fingerprint}) and "
        f"signed by you ({result.fingerprint}).\n"
        "Months only, no days; no aliases, contact details or notes."
    )
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
        question = (
            f"{path.name} is signed by a supporter not accepted yet:\n"
            f"    {fingerprint}\n"
            "Accept only if they read you this same fingerprint (in their Team view or "
            "`svjournal team show`). Accept?"
        )
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


def cmd_team_create(args: argparse.Namespace) -> int:
    from svjournal.operations import team

    with unlocked_vault(args) as vault:
        card = team.create_team(vault, args.name).value
    print(
        f"Created the team {card.name}. "
        f"Its fingerprint: {card.fingerprint}\n"
        "Give supporters the team card (`svjournal team card -o FILE`) and read them this "
        "fingerprint so that they can check it when they join."
    )
    return EXIT_OK


def cmd_team_card(args: argparse.Namespace) -> int:
    from svjournal.core import team_keys
    from svjournal.operations import team

    dest = Path(args.output).expanduser()
    if dest.is_dir():
        dest = dest / f"team-card{team_keys.CARD_SUFFIX}"
    with unlocked_vault(args) as vault:
        try:
            card = team.write_card(vault, dest).value
        except OSError as exc:
            raise UserError(f"cannot write {dest}: {exc.strerror or exc}") from None
    print(
        f"Wrote the card of team {card.name} to {dest}\nFingerprint: {card.fingerprint}\n"
        "The card holds only the team's public key: it may travel by e-mail or USB stick."
    )
    return EXIT_OK


def cmd_team_join(args: argparse.Namespace) -> int:
    from svjournal.core import team_keys
    from svjournal.operations import team

    card = team_keys.read_card_file(Path(args.card).expanduser())
    with unlocked_vault(args) as vault:
        current = team.joined_team(vault)
        print(f"Team card: {card.name}\nFingerprint: {card.fingerprint}")
        if current is not None and current.public_key == card.public_key:
            print("This journal has already joined this team.")
            return EXIT_OK
        question = "Is this the fingerprint your coordinator read out to you?"
        if current is not None:
            question = (
                f"This replaces the team you joined before ({current.name}, "
                f"{current.fingerprint}). {question}"
            )
        if not args.yes and not confirm(question):
            print("Not joined.")
            return EXIT_ERROR
        mine = team.join_team(vault, card).value
    print(
        f"Joined team {card.name}. Your own fingerprint is {mine}: your coordinator will "
        "ask you to read it out when your first bundle arrives."
    )
    return EXIT_OK


def cmd_team_show(args: argparse.Namespace) -> int:
    from svjournal.operations import team

    with unlocked_vault(args) as vault:
        status = team.team_status(vault)
    own, joined, mine = status.own, status.joined, status.fingerprint
    if own is not None:
        print(f"Your team: {own.name}, fingerprint {own.fingerprint}")
    if joined is not None:
        print(f"Bundles go to: {joined.name}, fingerprint {joined.fingerprint}")
    if mine is not None:
        print(f"Your signing fingerprint: {mine}")
    if own is None and joined is None:
        print(
            "No team: coordinators create one (`svjournal team create --name NAME`); "
            "supporters join one with its card (`svjournal team join CARD`)."
        )
    return EXIT_OK


def cmd_team_list(args: argparse.Namespace) -> int:
    from svjournal.operations import team

    with unlocked_vault(args) as vault:
        rows = team.supporters(vault)
    if not rows:
        print("No team data yet: import bundles with `svjournal bundle import FILE...`.")
        return EXIT_OK
    header = (
        "supporter",
        "label",
        "state",
        "months",
        "bundles",
        "cases",
        "encounters",
        "follow-ups",
    )
    table = [
        header,
        *[
            (
                r.supporter_id,
                r.label or "-",
                r.state,
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


def cmd_team_remove(args: argparse.Namespace) -> int:
    from svjournal.operations import team
    from svjournal.reports.team import normalise_supporter_id

    ident = normalise_supporter_id(args.supporter_id)
    with unlocked_vault(args) as vault:
        question = (
            f"Remove everything imported from supporter {ident} and revoke their key? "
            "Their later bundles are refused unless you accept them again "
            "(`bundle import --accept FINGERPRINT`)."
        )
        if not args.yes and not confirm(question):
            print("Nothing was changed.")
            return EXIT_ERROR
        removed = team.remove_supporter(vault, ident).value
    print(
        f"Removed supporter {ident} and {removed} of their records from the team data; "
        "their key is revoked."
    )
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
        help="bundles of the retired passphrase format only: read the old team passphrase "
        "from F (otherwise asked when such a bundle is in the batch)",
    )
    return secret


def register(kit: CommandKit) -> None:
    """Add `bundle` (export, import) and `team` (create, card, join, show, list, remove)."""
    leaf, secret = _leaf_options(), _team_secret()

    bundle = kit.add(
        "bundle", _usage, "team bundles: de-identified records for the coordinator", kit.secret
    )
    actions = bundle.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        parents=[leaf],
        help="write your de-identified bundle for a period (whole months)",
        description="Write this journal's de-identified records of the months of a period "
        "(months only, no days; no aliases, contact details or notes), signed by this journal "
        "and encrypted to the team joined: only its coordinator can open it.",
    )
    export.add_argument(
        "--from",
        dest="from_date",
        type=iso_date,
        metavar="DATE",
        help="a day of the first month; without --from and --to, the previous calendar quarter",
    )
    export.add_argument(
        "--to", dest="to_date", type=iso_date, metavar="DATE", help="a day of the last month"
    )
    export.add_argument(
        "--merged",
        action="store_true",
        help="coordinators: the team's merged data, for the higher team this journal joined",
    )
    export.add_argument("--today", type=iso_date, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    export.add_argument("-o", "--output", required=True, metavar="FILE", help="file or folder")
    export.set_defaults(handler=cmd_bundle_export)
    imports = actions.add_parser(
        "import",
        parents=[leaf, secret],
        help="merge supporters' bundles into this journal's team data (coordinators)",
        description="Merge bundles into the team data. Each file is checked whole and "
        "imported whole or not at all; importing a bundle again changes nothing. A new "
        "supporter's fingerprint is shown to accept once (or give it with --accept).",
    )
    imports.add_argument("files", nargs="+", metavar="FILE")
    imports.add_argument(
        "--accept",
        action="append",
        default=[],
        metavar="FINGERPRINT",
        help="accept this supporter's signing fingerprint (checked with them); repeatable",
    )
    imports.set_defaults(handler=cmd_bundle_import)

    team = kit.add("team", _usage, "team keys, cards and the merged team data", kit.secret)
    team_actions = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    create = team_actions.add_parser(
        "create", parents=[leaf], help="coordinators: make this journal's team key pair"
    )
    create.add_argument("--name", required=True, help="the team's name, shown on its card")
    create.set_defaults(handler=cmd_team_create)
    card = team_actions.add_parser(
        "card", parents=[leaf], help="write the team card (the public key) for supporters"
    )
    card.add_argument("-o", "--output", required=True, metavar="FILE", help="file or folder")
    card.set_defaults(handler=cmd_team_card)
    join = team_actions.add_parser(
        "join", parents=[leaf], help="send bundles to the team of this card (after a check)"
    )
    join.add_argument("card", metavar="FILE")
    join.add_argument("--yes", action="store_true", help="do not ask to confirm the fingerprint")
    join.set_defaults(handler=cmd_team_join)
    show = team_actions.add_parser(
        "show", parents=[leaf], help="this journal's team, the team joined and its fingerprint"
    )
    show.set_defaults(handler=cmd_team_show)
    listing = team_actions.add_parser(
        "list", parents=[leaf], help="supporters, months covered and record counts"
    )
    listing.set_defaults(handler=cmd_team_list)
    remove = team_actions.add_parser(
        "remove",
        parents=[leaf],
        help="delete everything imported from one supporter and revoke their key",
    )
    remove.add_argument("supporter_id", metavar="FINGERPRINT")
    remove.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    remove.set_defaults(handler=cmd_team_remove)


def _usage(args: argparse.Namespace) -> int:  # pragma: no cover - argparse requires an action
    raise UserError("choose an action; see --help")
