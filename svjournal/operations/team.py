"""The team: keys and cards, joining, the supporters, and bundles in and out.

One entry per thing a coordinator or supporter does, shared by `svjournal team|bundle` and
the Team view. Each returns what it changed: `Changes(team=True)` where the team data (team
keys, supporters, imported bundles) changed, nothing where only a file was written. A
bundle export writes its export-log line once (reports/bundle_export.py, called here); a
team card holds only the team's public key and, as before, leaves no line. The reads
(`team_status`, `joined_team`, `supporters`, `new_authors`) return dataclasses and tuples, never the
database.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from svjournal.operations.changes import NOTHING, Changes
from svjournal.operations.result import OpResult

if TYPE_CHECKING:
    from svjournal.core.journal import Journal
    from svjournal.core.stats_model import Period
    from svjournal.core.team_keys import TeamCard
    from svjournal.core.vault import Vault
    from svjournal.reports.bundle import ExportedBundle, ImportedBundle
    from svjournal.reports.team import SupporterRow

TEAM_CHANGED = Changes.of(team=True)


@dataclass(frozen=True)
class TeamStatus:
    """This journal's place in teams: the team it coordinates, the team it sends to, and
    its own signing fingerprint (made on first use, once either exists)."""

    own: TeamCard | None  # the card of this journal's own team (coordinators)
    joined: TeamCard | None  # the team this journal's bundles go to (supporters)
    fingerprint: str | None  # this journal's signing fingerprint, to read out


def team_status(vault: Vault) -> TeamStatus:
    from svjournal.core import team_keys

    engine = vault.engine
    own_key = team_keys.stored(engine, team_keys.OWN_TEAM)
    own = None if own_key is None else team_keys.TeamCard(own_key.name, own_key.public_key)
    joined = team_keys.joined_team(engine)
    mine = team_keys.own_fingerprint(engine) if own is not None or joined is not None else None
    return TeamStatus(own, joined, mine)


def joined_team(vault: Vault) -> TeamCard | None:
    """The team this journal's bundles go to (a read only: no key is made)."""
    from svjournal.core import team_keys

    return team_keys.joined_team(vault.engine)


def create_team(vault: Vault, name: str) -> OpResult[TeamCard]:
    """Make this journal's team key pair (refused if it has one): the new team's card."""
    from svjournal.core import team_keys

    key = team_keys.create_team(vault.engine, name)
    return OpResult(team_keys.TeamCard(key.name, key.public_key), TEAM_CHANGED)


def write_card(vault: Vault, dest: Path) -> OpResult[TeamCard]:
    """The team card (name and public key only) written to `dest`; OSError as it is."""
    from svjournal.core import team_keys

    return OpResult(team_keys.write_card(vault.engine, dest), NOTHING)


def join_team(vault: Vault, card: TeamCard) -> OpResult[str]:
    """Send bundles to `card`'s team from now on: this journal's signing fingerprint."""
    from svjournal.core import team_keys

    team_keys.join_team(vault.engine, card)
    return OpResult(team_keys.own_fingerprint(vault.engine), TEAM_CHANGED)


def supporters(vault: Vault) -> list[SupporterRow]:
    """The Team table: each supporter's counts and months covered."""
    from svjournal.reports.team import list_supporters

    return list_supporters(vault.engine)


def set_supporter_label(vault: Vault, supporter_id: str, label: str) -> OpResult[None]:
    """The coordinator's own name for a supporter (may be empty)."""
    from svjournal.reports import team

    team.set_supporter_label(vault.engine, supporter_id, label)
    return OpResult(None, TEAM_CHANGED)


def remove_supporter(vault: Vault, supporter_id: str) -> OpResult[int]:
    """Delete a supporter's imported data and revoke their key: how many records went."""
    from svjournal.reports import team

    return OpResult(team.remove_supporter(vault.engine, supporter_id), TEAM_CHANGED)


def new_authors(vault: Vault, paths: Iterable[Path]) -> list[tuple[Path, str]]:
    """The files signed by a supporter not accepted yet, with the fingerprint to check."""
    from svjournal.reports import bundle

    return bundle.new_authors(vault.engine, paths)


def import_bundles(
    vault: Vault,
    paths: Iterable[Path],
    *,
    accept: Collection[str] = (),
    legacy_passphrase: str | None = None,
) -> OpResult[list[ImportedBundle]]:
    """Import each file whole or not at all: a result per file, in the order given."""
    from svjournal.reports import bundle

    results = bundle.import_bundles(
        vault.engine, list(paths), accept=accept, legacy_passphrase=legacy_passphrase
    )
    return OpResult(results, TEAM_CHANGED)  # the Team view reloads after every batch


def export_bundle(
    vault: Vault, journal: Journal, period: Period, dest: Path, *, merged: bool = False
) -> OpResult[ExportedBundle]:
    """This journal's bundle of the months of `period` (or, `merged`, the team's merged
    data) written to `dest` and logged once; OSError as it is."""
    from svjournal.reports import bundle

    exported = bundle.export_bundle(vault.engine, period, dest, journal=journal, merged=merged)
    return OpResult(exported, NOTHING)
