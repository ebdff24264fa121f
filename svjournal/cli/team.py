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

if TYPE_CHECKING:
    pass


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


def register(kit: CommandKit) -> None:
    """Add `team` (create, card, join, show, list, remove)."""
    leaf = leaf_options()
    team = kit.add("team", usage_needed, "team keys, cards and the merged team data", kit.secret)
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
