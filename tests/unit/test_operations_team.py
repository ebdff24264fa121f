"""The team operations and the data sources the front ends read figures through (issue 14,
part 3): every action returns what it changed, a file written leaves one export-log line
(or, for a team card, none, as before), and the engine never leaves the operations layer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from svjournal.core import stats, team_keys
from svjournal.core.errors import InvalidState, RecordNotFound, VaultLocked
from svjournal.core.stats_model import StatsFilter
from svjournal.core.vault import Vault
from svjournal.operations import Changes
from svjournal.operations import team as ops
from svjournal.operations.sources import JournalData, TeamData, open_journal
from svjournal.reports.team import list_supporters
from tests.conftest import PASSPHRASE
from tests.unit.team_fixtures import PERIOD, T1, fill_known, journal_of, vaults

__all__ = ["vaults"]  # the fixture, imported for pytest

TEAM = Changes.of(team=True)


@pytest.fixture
def coordinator(vaults: Callable[[str], Vault]) -> Vault:
    return vaults("coordinator")


@pytest.fixture
def supporter(vaults: Callable[[str], Vault]) -> Vault:
    vault = vaults("supporter")
    fill_known(journal_of(vault))
    return vault


def _team_of(coordinator: Vault, supporter: Vault, tmp_path: Path) -> Path:
    """The coordinator's team, joined by the supporter from its card; the supporter's bundle."""
    card_path = tmp_path / "team.svjteam"
    ops.create_team(coordinator, "Ward 7")
    ops.write_card(coordinator, card_path)
    ops.join_team(supporter, team_keys.read_card_file(card_path))
    bundle = tmp_path / "mine.svjbundle"
    ops.export_bundle(supporter, journal_of(supporter), PERIOD, bundle)
    return bundle


def test_creating_a_team_returns_its_card_and_says_the_team_data_changed(
    coordinator: Vault,
) -> None:
    assert ops.team_status(coordinator) == ops.TeamStatus(None, None, None)
    created = ops.create_team(coordinator, "  Ward   7 ")
    assert created.value.name == "Ward 7" and created.changes == TEAM and created.undo is None
    assert created.changes.team_data and not created.changes.journal_data
    status = ops.team_status(coordinator)
    assert status.own == created.value and status.joined is None
    assert status.fingerprint == team_keys.own_fingerprint(coordinator.engine)
    with pytest.raises(InvalidState):
        ops.create_team(coordinator, "Another")


def test_a_card_is_written_without_a_log_line_and_joining_it_sends_bundles_there(
    coordinator: Vault, supporter: Vault, tmp_path: Path
) -> None:
    card = ops.create_team(coordinator, "Ward 7").value
    written = ops.write_card(coordinator, tmp_path / "team.svjteam")
    assert written.value == card and written.changes == Changes()
    assert team_keys.read_card_file(tmp_path / "team.svjteam") == card
    assert open_journal(coordinator).export_log() == []  # a public key only, as before

    assert ops.joined_team(supporter) is None
    joined = ops.join_team(supporter, team_keys.read_card_file(tmp_path / "team.svjteam"))
    assert joined.changes == TEAM
    assert joined.value == team_keys.own_fingerprint(supporter.engine)
    assert ops.joined_team(supporter) == card
    assert ops.team_status(supporter) == ops.TeamStatus(None, card, joined.value)


def test_a_bundle_export_writes_one_log_line_and_changes_no_record(
    coordinator: Vault, supporter: Vault, tmp_path: Path
) -> None:
    bundle = _team_of(coordinator, supporter, tmp_path)
    [entry] = journal_of(supporter).export_log()
    assert (entry.kind, entry.destination) == ("team_bundle", str(bundle))
    again = ops.export_bundle(supporter, journal_of(supporter), PERIOD, tmp_path / "b2")
    assert again.changes == Changes() and again.value.path == tmp_path / "b2"
    assert [e.destination for e in journal_of(supporter).export_log()].count(str(bundle)) == 1
    assert len(journal_of(supporter).export_log()) == 2


def test_importing_accepting_naming_and_removing_a_supporter(
    coordinator: Vault, supporter: Vault, tmp_path: Path
) -> None:
    bundle = _team_of(coordinator, supporter, tmp_path)
    fingerprint = ops.team_status(supporter).fingerprint
    assert ops.new_authors(coordinator, [bundle]) == [(bundle, fingerprint)]
    refused = ops.import_bundles(coordinator, [bundle])
    assert [r.outcome for r in refused.value] == ["refused"] and ops.supporters(coordinator) == []

    imported = ops.import_bundles(coordinator, [bundle], accept=[fingerprint])
    assert [r.outcome for r in imported.value] == ["imported"] and imported.changes == TEAM
    assert ops.new_authors(coordinator, [bundle]) == []
    assert ops.supporters(coordinator) == list_supporters(coordinator.engine)
    [row] = ops.supporters(coordinator)
    assert row.supporter_id == fingerprint and row.cases > 0

    named = ops.set_supporter_label(coordinator, fingerprint, "Night shift")
    assert named.changes == TEAM and ops.supporters(coordinator)[0].label == "Night shift"
    removed = ops.remove_supporter(coordinator, fingerprint)
    assert removed.changes == TEAM
    assert removed.value == row.cases + row.encounters + row.follow_ups
    [gone] = ops.supporters(coordinator)
    assert gone.revoked and gone.cases == 0
    with pytest.raises(RecordNotFound):
        ops.set_supporter_label(coordinator, "7K3F-9QX2-MA4B-C8DE", "nobody")
    assert open_journal(coordinator).export_log() == []  # imports write no file


def test_journal_data_answers_what_stats_answer_and_refuses_once_locked(vault: Vault) -> None:
    journal = open_journal(vault)
    ids = fill_known(journal)
    data = JournalData(vault)
    filt = StatsFilter(PERIOD)
    assert data.dashboard(filt, today=T1.date()) == stats.dashboard(
        vault.engine, filt, today=T1.date()
    )
    assert data.case_trajectory(ids["a"]) == stats.case_trajectory(vault.engine, ids["a"])
    assert len(data.case_trajectory(ids["a"])) == 2  # the live encounters only
    vault.lock()
    with pytest.raises(VaultLocked):
        data.dashboard(filt)
    vault.unlock(PASSPHRASE)
    assert data.case_trajectory(ids["a"])  # the same source works again after unlocking


def test_team_data_is_built_once_and_rebuilt_after_invalidate(
    coordinator: Vault, supporter: Vault, tmp_path: Path
) -> None:
    bundle = _team_of(coordinator, supporter, tmp_path)
    fingerprint = ops.team_status(supporter).fingerprint
    assert fingerprint is not None
    ops.import_bundles(coordinator, [bundle], accept=[fingerprint])
    merged = TeamData(coordinator)
    assert not merged.is_built
    first = merged.database()
    assert merged.is_built and merged.database() is first
    figures = merged.dashboard(StatsFilter(PERIOD), today=T1.date())
    assert figures == stats.dashboard(first, StatsFilter(PERIOD), today=T1.date())
    assert figures.kpis.encounters > 0
    merged.invalidate()
    assert not merged.is_built
    # The old copy's anchor is closed: its data is gone.
    with pytest.raises(OperationalError), first.connect() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM encounters").scalar()
    assert merged.database() is not first
    merged.invalidate()
