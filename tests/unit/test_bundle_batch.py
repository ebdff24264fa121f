"""Team bundle imports in batches: empty bundles, a result per file, bundles dated ahead.

Issue 12 (parts 3 and 6): a supporter with no live cases sends an empty bundle, which
imports as "nothing to add"; a bad file in a batch costs only itself; a bundle dated more
than a day ahead of the coordinator's clock is refused and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from svjournal.core import team_keys
from svjournal.core.errors import ExportFileError, FileDamaged, NotOurFile
from svjournal.core.vault import Vault
from svjournal.reports import bundle as bundle_module
from svjournal.reports.bundle import (
    BundleAhead,
    BundleNotImported,
    import_bundle,
    import_bundles,
)
from svjournal.reports.team import list_supporters
from tests.unit.team_fixtures import (
    T1,
    T2,
    count,
    export,
    fill_known,
    join,
    journal_of,
    make_team,
    new_vault,
    team_rows,
)

# The fingerprints of this test's supporters: the coordinator accepts them all.
TEAM: list[str] = []


@pytest.fixture
def vaults(tmp_path: Path) -> Iterator[Callable[[str], Vault]]:
    """The first vault is the coordinator's (with a team); every later one joins it."""
    opened: list[Vault] = []
    TEAM.clear()

    def make(name: str) -> Vault:
        vault = new_vault(tmp_path / name)
        if opened:
            TEAM.append(join(vault, team_keys.card_of(opened[0].engine)))
        else:
            make_team(vault)
        opened.append(vault)
        return vault

    yield make
    for vault in opened:
        vault.close()


@pytest.fixture
def coordinator(vaults: Callable[[str], Vault]) -> Vault:
    return vaults("coordinator")


def at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


# --- empty bundles -------------------------------------------------------------------------------


def test_an_empty_bundle_imports_as_nothing_to_add(
    vaults: Callable[[str], Vault], coordinator: Vault, tmp_path: Path
) -> None:
    """A supporter with no cases at all: the import used to crash on the empty live list."""
    empty = export(vaults("newcomer"), tmp_path / "empty.svjbundle")
    result = import_bundle(coordinator.engine, empty, accept=TEAM)
    assert result.ok and result.records == 0 and result.written == 0
    assert result.outcome == "nothing to add"
    assert result.summary().startswith("nothing to add")
    [row] = list_supporters(coordinator.engine)
    assert (row.bundles, row.cases, row.encounters, row.follow_ups) == (1, 0, 0, 0)

    again = import_bundle(coordinator.engine, empty, accept=TEAM)
    assert again.again and again.outcome == "already imported"
    assert again.summary().startswith("already imported")


def test_an_empty_bundle_removes_the_cases_its_supporter_deleted(
    vaults: Callable[[str], Vault], coordinator: Vault, tmp_path: Path
) -> None:
    supporter = vaults("supporter")
    journal = journal_of(supporter)
    ids = fill_known(journal)
    import_bundle(coordinator.engine, export(supporter, tmp_path / "full", created=T1), accept=TEAM)
    assert count(coordinator.engine, "team_cases")
    for case in journal.list_cases():  # all of them (status unfiltered), to the trash
        journal.delete_case(case.id)
    result = import_bundle(
        coordinator.engine, export(supporter, tmp_path / "none", created=T2), accept=TEAM
    )
    assert result.ok and result.records == 0 and result.removed > 0
    assert result.outcome == "imported"
    assert f"{result.removed} removed" in result.summary()
    assert ids["a"]
    assert count(coordinator.engine, "team_cases") == 0
    assert count(coordinator.engine, "team_encounters") == 0


# --- batches: one result per file, in the order given ---------------------------------------------


def test_a_batch_of_good_truncated_foreign_empty_and_good_files(
    vaults: Callable[[str], Vault], coordinator: Vault, tmp_path: Path
) -> None:
    first, second, newcomer = vaults("s1"), vaults("s2"), vaults("s3")
    fill_known(journal_of(first))
    fill_known(journal_of(second))
    good1 = export(first, tmp_path / "s1.svjbundle")
    good2 = export(second, tmp_path / "s2.svjbundle")
    truncated = tmp_path / "cut.svjbundle"
    truncated.write_bytes(good1.read_bytes()[:-9])
    foreign = tmp_path / "notes.txt"
    foreign.write_text("hello", encoding="utf-8")
    empty = export(newcomer, tmp_path / "s3.svjbundle")

    paths = [good1, truncated, foreign, empty, good2]
    results = import_bundles(coordinator.engine, paths, accept=TEAM)
    assert [r.path for r in results] == paths
    outcomes = [r.outcome for r in results]
    assert outcomes == ["imported", "refused", "refused", "nothing to add", "imported"]
    assert isinstance(results[1].error, FileDamaged)
    assert isinstance(results[2].error, NotOurFile)
    assert results[1].summary().startswith("refused: The bundle is truncated")
    assert results[2].summary().startswith("refused: This is not a team bundle")
    assert results[0].written > 0
    assert results[0].summary().startswith(f"imported {results[0].written} records")
    assert {r.supporter_id for r in list_supporters(coordinator.engine)} == {
        team_keys.own_fingerprint(v.engine) for v in (first, second, newcomer)
    }


def test_an_unexpected_error_in_one_file_costs_only_that_file(
    vaults: Callable[[str], Vault],
    coordinator: Vault,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A safety net: whatever goes wrong with one file (a bug), the rest of the batch goes on
    and that file gets a typed line of its own, never a traceback."""
    first, second = vaults("s1"), vaults("s2")
    fill_known(journal_of(first))
    fill_known(journal_of(second))
    paths = [export(v, tmp_path / f"{n}.svjbundle") for n, v in enumerate((first, second))]
    doomed = team_keys.own_fingerprint(first.engine)
    real_merge = bundle_module.merge

    def merge(conn, supporter, data, **kwargs):  # type: ignore[no-untyped-def]
        if supporter == doomed:
            raise KeyError("a bug")
        return real_merge(conn, supporter, data, **kwargs)

    monkeypatch.setattr(bundle_module, "merge", merge)
    results = import_bundles(coordinator.engine, paths, accept=TEAM)
    assert [r.outcome for r in results] == ["refused", "imported"]
    assert isinstance(results[0].error, BundleNotImported)
    assert "a bug" not in str(results[0].error)  # no internals (they may quote values)
    assert [r.supporter_id for r in list_supporters(coordinator.engine)] == [
        team_keys.own_fingerprint(second.engine)
    ]


# --- time: bundles dated ahead of the coordinator's clock ----------------------------------------


def test_a_bundle_dated_more_than_a_day_ahead_is_refused_and_changes_nothing(
    vaults: Callable[[str], Vault], coordinator: Vault, tmp_path: Path
) -> None:
    supporter = vaults("supporter")
    fill_known(journal_of(supporter))
    older = export(supporter, tmp_path / "older.svjbundle", created=T1)
    ahead = export(supporter, tmp_path / "ahead.svjbundle", created=T2)
    clock = T2 - timedelta(days=1, minutes=1)  # the coordinator's clock
    import_bundle(coordinator.engine, older, accept=TEAM, clock=at(clock))
    before = team_rows(coordinator.engine)

    [result] = import_bundles(coordinator.engine, [ahead], accept=TEAM, clock=at(clock))
    assert result.outcome == "refused"
    assert isinstance(result.error, BundleAhead)
    assert isinstance(result.error, ExportFileError)
    assert "ahead of this computer's clock" in str(result.error)
    assert result.summary().startswith("refused: The bundle is dated Nov 26, 2026, ")
    assert team_rows(coordinator.engine) == before
    [row] = list_supporters(coordinator.engine)
    assert row.bundles == 1

    # Not a replay blocker: the older bundle still counts as the newest, and once the clock
    # has caught up (within a day: time zones, a clock a little fast) the bundle goes in.
    again = import_bundle(coordinator.engine, older, accept=TEAM, clock=at(clock))
    assert again.again
    within = import_bundle(
        coordinator.engine, ahead, accept=TEAM, clock=at(T2 - timedelta(hours=23))
    )
    assert within.outcome == "imported"
    assert list_supporters(coordinator.engine)[0].bundles == 2


def test_an_old_bundle_after_a_refused_future_one_is_still_judged_by_stored_data(
    vaults: Callable[[str], Vault], coordinator: Vault, tmp_path: Path
) -> None:
    """A forged bundle dated far ahead used to make every later genuine bundle "older"."""
    supporter = vaults("supporter")
    fill_known(journal_of(supporter))
    future = export(supporter, tmp_path / "future.svjbundle", created=datetime(2031, 1, 1))
    genuine = export(supporter, tmp_path / "genuine.svjbundle", created=T2)
    results = import_bundles(coordinator.engine, [future, genuine], accept=TEAM, clock=at(T2))
    assert [r.outcome for r in results] == ["refused", "imported"]
    assert results[1].skipped == 0
    assert count(coordinator.engine, "team_cases")
    assert list_supporters(coordinator.engine)[0].periods == [("2026-10", "2026-11")]
