"""`svjournal team create|card|join|show|list|remove`: the team's keys, its card, joining
it, and the supporters whose bundles were imported (bundles themselves: cli/bundle.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from svjournal.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    CommandKit,
    UserError,
    confirm,
    leaf_options,
    unlocked_vault,
    usage_needed,
)
from svjournal.core.i18n import ntr, tr
from svjournal.core.locale_format import format_number

if TYPE_CHECKING:
    pass


def cmd_team_create(args: argparse.Namespace) -> int:
    from svjournal.operations import team

    with unlocked_vault(args) as vault:
        card = team.create_team(vault, args.name).value
    print(
        tr(
            "Created the team {team}. Its fingerprint: {fingerprint}\n"
            "Give supporters the team card (`svjournal team card -o FILE`) and read them this "
            "fingerprint so that they can check it when they join."
        ).format(team=card.name, fingerprint=card.fingerprint)
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
            raise UserError(
                tr("cannot write {path}: {error}").format(path=dest, error=exc.strerror or exc)
            ) from None
    print(
        tr(
            "Wrote the card of team {team} to {path}\nFingerprint: {fingerprint}\n"
            "The card holds only the team's public key: it may travel by e-mail or USB stick."
        ).format(team=card.name, path=dest, fingerprint=card.fingerprint)
    )
    return EXIT_OK


def cmd_team_join(args: argparse.Namespace) -> int:
    from svjournal.core import team_keys
    from svjournal.operations import team

    card = team_keys.read_card_file(Path(args.card).expanduser())
    with unlocked_vault(args) as vault:
        current = team.joined_team(vault)
        print(
            tr("Team card: {team}\nFingerprint: {fingerprint}").format(
                team=card.name, fingerprint=card.fingerprint
            )
        )
        if current is not None and current.public_key == card.public_key:
            print(tr("This journal has already joined this team."))
            return EXIT_OK
        if current is None:
            question = tr("Is this the fingerprint your coordinator read out to you?")
        else:
            question = tr(
                "This replaces the team you joined before ({team}, {fingerprint}). "
                "Is this the fingerprint your coordinator read out to you?"
            ).format(team=current.name, fingerprint=current.fingerprint)
        if not args.yes and not confirm(question):
            print(tr("Not joined."))
            return EXIT_ERROR
        mine = team.join_team(vault, card).value
    print(
        tr(
            "Joined team {team}. Your own fingerprint is {fingerprint}: your coordinator will "
            "ask you to read it out when your first bundle arrives."
        ).format(team=card.name, fingerprint=mine)
    )
    return EXIT_OK


def cmd_team_show(args: argparse.Namespace) -> int:
    from svjournal.operations import team

    with unlocked_vault(args) as vault:
        status = team.team_status(vault)
    own, joined, mine = status.own, status.joined, status.fingerprint
    if own is not None:
        print(
            tr("Your team: {team}, fingerprint {fingerprint}").format(
                team=own.name, fingerprint=own.fingerprint
            )
        )
    if joined is not None:
        print(
            tr("Bundles go to: {team}, fingerprint {fingerprint}").format(
                team=joined.name, fingerprint=joined.fingerprint
            )
        )
    if mine is not None:
        print(tr("Your signing fingerprint: {fingerprint}").format(fingerprint=mine))
    if own is None and joined is None:
        print(
            tr(
                "No team: coordinators create one (`svjournal team create --name NAME`); "
                "supporters join one with its card (`svjournal team join CARD`)."
            )
        )
    return EXIT_OK


def cmd_team_list(args: argparse.Namespace) -> int:
    from svjournal.operations import team

    with unlocked_vault(args) as vault:
        rows = team.supporters(vault)
    if not rows:
        print(tr("No team data yet: import bundles with `svjournal bundle import FILE...`."))
        return EXIT_OK
    # Translators: the column headers of `svjournal team list` (lower case, as a terminal shows).
    header = (
        tr("supporter"),
        tr("label"),
        tr("state"),
        tr("months"),
        tr("bundles"),
        tr("cases"),
        tr("encounters"),
        tr("follow-ups"),
    )
    table = [
        header,
        *[
            (
                r.supporter_id,
                r.label or "-",
                r.state,
                r.periods_text(),
                format_number(r.bundles),
                format_number(r.cases),
                format_number(r.encounters),
                format_number(r.follow_ups),
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
        question = tr(
            "Remove everything imported from supporter {supporter} and revoke their key? "
            "Their later bundles are refused unless you accept them again "
            "(`bundle import --accept FINGERPRINT`)."
        ).format(supporter=ident)
        if not args.yes and not confirm(question):
            print(tr("Nothing was changed."))
            return EXIT_ERROR
        removed = team.remove_supporter(vault, ident).value
    print(
        # Translators: {n} is a count of records.
        ntr(
            "Removed supporter {supporter} and {n} of their records from the team data; "
            "their key is revoked.",
            "Removed supporter {supporter} and {n} of their records from the team data; "
            "their key is revoked.",
            removed,
        ).format(supporter=ident, n=format_number(removed))
    )
    return EXIT_OK


def register(kit: CommandKit) -> None:
    """Add `team` (create, card, join, show, list, remove)."""
    leaf = leaf_options()
    team = kit.add(
        "team", usage_needed, tr("team keys, cards and the merged team data"), kit.secret
    )
    team_actions = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    create = team_actions.add_parser(
        "create", parents=[leaf], help=tr("coordinators: make this journal's team key pair")
    )
    create.add_argument("--name", required=True, help=tr("the team's name, shown on its card"))
    create.set_defaults(handler=cmd_team_create)
    card = team_actions.add_parser(
        "card", parents=[leaf], help=tr("write the team card (the public key) for supporters")
    )
    card.add_argument("-o", "--output", required=True, metavar="FILE", help=tr("file or folder"))
    card.set_defaults(handler=cmd_team_card)
    join = team_actions.add_parser(
        "join", parents=[leaf], help=tr("send bundles to the team of this card (after a check)")
    )
    join.add_argument("card", metavar="FILE")
    join.add_argument(
        "--yes", action="store_true", help=tr("do not ask to confirm the fingerprint")
    )
    join.set_defaults(handler=cmd_team_join)
    show = team_actions.add_parser(
        "show", parents=[leaf], help=tr("this journal's team, the team joined and its fingerprint")
    )
    show.set_defaults(handler=cmd_team_show)
    listing = team_actions.add_parser(
        "list", parents=[leaf], help=tr("supporters, months covered and record counts")
    )
    listing.set_defaults(handler=cmd_team_list)
    remove = team_actions.add_parser(
        "remove",
        parents=[leaf],
        help=tr("delete everything imported from one supporter and revoke their key"),
    )
    remove.add_argument("supporter_id", metavar="FINGERPRINT")
    remove.add_argument("--yes", action="store_true", help=tr("do not ask for confirmation"))
    remove.set_defaults(handler=cmd_team_remove)
