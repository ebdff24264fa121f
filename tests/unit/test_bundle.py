"""Team bundles: export, de-identification, merging supporters, newer-wins, and bad files.

Supporter and coordinator vaults are real (encrypted) vaults. Bundles are sealed with a cheap
Argon2id cost (`BUNDLE_KDF`) so that the many exports and the fuzzing stay fast; the
production cost is exercised by the CLI tests and the benchmark.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from svjournal.core import demo, sealed, stats
from svjournal.core.errors import (
    ExportFileError,
    FileDamaged,
    FileTooNew,
    NotOurFile,
    RecordNotFound,
    ValidationError,
    WeakPassphrase,
    WrongFilePassphrase,
)
from svjournal.core.inputs import CaseInput, ContactInput, EncounterInput, ReferralInput
from svjournal.core.journal import Journal
from svjournal.core.keyfile import KdfParams
from svjournal.core.stats_model import Period, StatsFilter
from svjournal.core.vault import Vault
from svjournal.reports import bundle_format as fmt
from svjournal.reports.bundle import (
    EXPORT_KIND,
    BundleConflict,
    BundleInvalid,
    BundleNotImported,
    BundleUnreadable,
    export_bundle,
    import_bundle,
    import_bundles,
    open_bundle,
    supporter_id,
)
from svjournal.reports.team import (
    dispose_team_engine,
    list_supporters,
    merge_periods,
    remove_supporter,
    set_supporter_label,
    team_engine,
)
from tests.conftest import FAST_KDF, FIXED_NOW, PASSPHRASE

TEAM = "lantern orchard velvet compass"
BUNDLE_KDF = KdfParams(time_cost=1, memory_kib=8, parallelism=1)
TODAY = FIXED_NOW.date()  # 2026-11-26
PERIOD = Period(date(2026, 10, 1), date(2026, 11, 30))
T1 = datetime(2026, 11, 20, 9, 0, 0)
T2 = datetime(2026, 11, 26, 9, 0, 0)

# Values no bundle may ever contain (aliases, contact details, notes, a time of day).
SECRETS = (
    "Zephyr-Quill",
    "Morwenna",
    "555-0199-7781",
    "zq7781@example.org",
    "desk 12 Obsidian",
    "Marigold ward",
    "31415",
    "14:37",
)


# --- helpers ---------------------------------------------------------------------------------


def new_vault(path: Path) -> Vault:
    vault, _recovery = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    return vault


@pytest.fixture
def vaults(tmp_path: Path) -> Iterator[Callable[[str], Vault]]:
    opened: list[Vault] = []

    def make(name: str) -> Vault:
        vault = new_vault(tmp_path / name)
        opened.append(vault)
        return vault

    yield make
    for vault in opened:
        vault.close()


def journal_of(vault: Vault) -> Journal:
    return Journal(vault.engine, clock=lambda: FIXED_NOW)


def export(vault: Vault, path: Path, *, period: Period = PERIOD, created: datetime = T1) -> Path:
    export_bundle(
        vault.engine,
        period,
        TEAM,
        path,
        journal=journal_of(vault),
        kdf=BUNDLE_KDF,
        created=created,
    )
    return path


def case_input(alias: str, referred: date, **changes: Any) -> CaseInput:
    values: dict[str, Any] = {
        "alias": alias,
        "role": "nurse",
        "department": "icu",
        "event_category": "unexpected_death",
        "referral_source": "manager",
        "referred_on": referred,
        "event_date": referred - timedelta(days=1),
        "high_risk_events": ["first_death"],
    }
    values.update(changes)
    return CaseInput(**values)


def encounter(when: datetime, **changes: Any) -> EncounterInput:
    values: dict[str, Any] = {"occurred_at": when, "mode": "phone", "duration_minutes": 40}
    values.update(changes)
    return EncounterInput(**values)


def fill_known(journal: Journal) -> dict[str, str]:
    """A small journal with every kind of record and the SECRETS in every free-text place."""
    ids: dict[str, str] = {}
    a = journal.open_case(
        case_input(
            "Zephyr-Quill", date(2026, 10, 5), high_risk_events=["first_death", "child_involved"]
        )
    )
    journal.set_contact(
        a.id,
        ContactInput(phone="555-0199-7781", email="zq7781@example.org", other="desk 12 Obsidian"),
    )
    e1 = journal.log_encounter(
        a.id,
        encounter(
            datetime(2026, 10, 6, 14, 37),
            stage=2,
            tier=3,
            note="Morwenna from Marigold ward, 31415",
            referrals=[ReferralInput("psychologist", "accepted")],
            red_flags=["substance_use"],
            stress_zone="injured",
            interventions=["reflective_listening"],
            needs_met="yes",
            triggered=True,
        ),
    )
    e2 = journal.log_encounter(
        a.id, encounter(datetime(2026, 11, 2, 9, 15), stage=6, outcome="surviving")
    )
    fu = journal.schedule_follow_up(a.id, date(2026, 11, 9))
    journal.complete_follow_up(fu.id, done_at=datetime(2026, 11, 10, 16, 0))
    journal.schedule_follow_up(a.id, date(2026, 11, 28))
    group = journal.open_case(
        case_input("Ward team Morwenna", date(2026, 10, 20), kind="group", role="physician")
    )
    g1 = journal.log_encounter(
        group.id, encounter(datetime(2026, 10, 21, 8, 0), group_size=7, support_declined=True)
    )
    closed = journal.open_case(case_input("Closed-Quill", date(2026, 9, 1), role="pharmacist"))
    journal.log_encounter(closed.id, encounter(datetime(2026, 9, 2, 10, 0), stage=1))
    journal.close_case(closed.id, closed_on=date(2026, 10, 15), outcome="thriving")
    old = journal.open_case(case_input("Before-Quill", date(2026, 3, 1)))
    journal.log_encounter(old.id, encounter(datetime(2026, 3, 2, 10, 0)))
    journal.close_case(old.id, closed_on=date(2026, 4, 1))
    trashed = journal.open_case(case_input("Trashed-Quill", date(2026, 10, 10)))
    journal.log_encounter(trashed.id, encounter(datetime(2026, 10, 11, 10, 0)))
    journal.delete_case(trashed.id)
    gone = journal.log_encounter(a.id, encounter(datetime(2026, 10, 30, 11, 0)))
    journal.delete_encounter(gone.id)
    ids.update(
        a=a.id,
        e1=e1.id,
        e2=e2.id,
        group=group.id,
        g1=g1.id,
        closed=closed.id,
        old=old.id,
        trashed=trashed.id,
        gone=gone.id,
        fu=fu.id,
    )
    return ids


def payload_of(path: Path, passphrase: str = TEAM) -> tuple[dict[str, Any], dict[str, Any]]:
    header, payload = sealed.unseal(fmt.MAGIC, path.read_bytes(), passphrase)
    return header.metadata, json.loads(payload)


def reseal(path: Path, body: dict[str, Any], meta: dict[str, Any] | None = None) -> Path:
    """A bundle with other contents, properly sealed under the team passphrase."""
    payload = json.dumps(body).encode()
    if meta is None:
        meta, _body = payload_of(path)
    meta = {**meta, "sealed_bytes": fmt.sealed_size(payload)}
    path.write_bytes(sealed.seal(fmt.MAGIC, payload, TEAM, metadata=meta, kdf=BUNDLE_KDF))
    return path


TEAM_TABLES = ("team_supporters", "team_bundles", "team_live_cases", "team_cases")
RECORD_TABLES = ("team_cases", "team_encounters", "team_follow_ups", "team_live_cases")


def team_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every team record (import times left out: they change on every import)."""
    with engine.connect() as conn:
        rows = {
            t: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {t}")))) for t in RECORD_TABLES
        }
        rows["team_bundles"] = sorted(
            map(
                tuple,
                conn.execute(
                    text(
                        "SELECT supporter_id, period_start, period_end, created, cases, "
                        "encounters, follow_ups FROM team_bundles"
                    )
                ),
            )
        )
        rows["team_supporters"] = sorted(
            map(tuple, conn.execute(text("SELECT supporter_id, label FROM team_supporters")))
        )
    return rows


def ids_in(engine: Engine, table: str) -> set[str]:
    with engine.connect() as conn:
        return {r[0] for r in conn.execute(text(f"SELECT id FROM {table}"))}


def dashboard(engine: Engine, period: Period = PERIOD) -> stats.Dashboard:
    return stats.dashboard(engine, StatsFilter(period), today=TODAY)


@pytest.fixture
def coordinator(vaults: Callable[[str], Vault]) -> Vault:
    return vaults("coordinator")


# --- export ----------------------------------------------------------------------------------


def test_round_trip_keeps_every_figure_but_the_time_of_day(
    vaults: Callable[[str], Vault], coordinator: Vault, tmp_path: Path
) -> None:
    supporter = vaults("supporter")
    ids = fill_known(journal_of(supporter))
    path = export(supporter, tmp_path / "b.svjbundle")

    [result] = import_bundles(coordinator.engine, [path], TEAM)
    assert result.ok, result.summary()
    assert (result.records, result.written, result.skipped, result.removed) == (8, 8, 0, 0)

    assert ids_in(coordinator.engine, "team_cases") == {ids["a"], ids["group"], ids["closed"]}
    assert ids_in(coordinator.engine, "team_encounters") == {ids["e1"], ids["e2"], ids["g1"]}
    assert len(ids_in(coordinator.engine, "team_follow_ups")) == 2
    with coordinator.engine.connect() as conn:
        live = {r[0] for r in conn.execute(text("SELECT case_id FROM team_live_cases"))}
        enc = (
            conn.execute(text("SELECT * FROM team_encounters WHERE id = :id"), {"id": ids["e1"]})
            .one()
            ._mapping
        )
    assert live == {ids["a"], ids["group"], ids["closed"], ids["old"]}  # trashed: not live
    assert enc["occurred_on"] == "2026-10-06"
    assert (enc["stage"], enc["tier"], enc["triggered"], enc["duration_minutes"]) == (2, 3, 1, 40)
    assert json.loads(enc["referrals"]) == [{"target": "psychologist", "response": "accepted"}]

    merged = team_engine(coordinator.engine)
    try:
        own, team = dashboard(supporter.engine), dashboard(merged)
        # Times of day do not travel, so only the wait until first contact may differ.
        assert replace(team.kpis, median_hours_to_first_contact=None) == replace(
            own.kpis, median_hours_to_first_contact=None
        )
        assert team.kpis.median_hours_to_first_contact is not None
        for field in (
            "follow_up_weeks",
            "contacts_per_case",
            "open_case_stages",
            "month_stage",
            "outcomes",
            "monthly",
            "by_role",
            "by_department",
            "by_event_category",
            "by_high_risk_event",
            "by_tier",
            "referrals",
        ):
            assert getattr(team, field) == getattr(own, field), field
    finally:
        dispose_team_engine(merged)


def test_export_is_owner_only_and_logged_with_its_record_count(
    vaults: Callable[[str], Vault], tmp_path: Path
) -> None:
    supporter = vaults("supporter")
    journal = journal_of(supporter)
    fill_known(journal)
    path = export(supporter, tmp_path / "b.svjbundle")
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".b.svjbundle")] == []
    [entry] = journal.export_log()
    assert (entry.kind, entry.destination, entry.records) == (EXPORT_KIND, str(path), 8)
    assert "3 cases, 3 encounters, 2 follow-ups" in entry.detail
    assert supporter_id(supporter.engine) in entry.detail


def test_bundle_holds_nothing_identifying(vaults: Callable[[str], Vault], tmp_path: Path) -> None:
    supporter = vaults("supporter")
    fill_known(journal_of(supporter))
    path = export(supporter, tmp_path / "b.svjbundle")
    raw = path.read_bytes()
    meta, body = payload_of(path)
    plain = json.dumps(body) + json.dumps(meta)
    for secret in SECRETS:
        assert secret not in plain, secret
        assert secret.encode() not in raw, secret
    # Exactly the de-identified columns: no alias, event date, note, contacts, red flags …
    assert body["case_columns"] == list(fmt.CASE_COLUMNS)
    assert body["encounter_columns"] == list(fmt.ENCOUNTER_COLUMNS)
    assert body["follow_up_columns"] == list(fmt.FOLLOW_UP_COLUMNS)
    forbidden = {"alias", "event_date", "note", "phone", "email", "other", "red_flags"}
    assert not forbidden & set(fmt.CASE_COLUMNS + fmt.ENCOUNTER_COLUMNS + fmt.FOLLOW_UP_COLUMNS)
    assert set(meta) == {
        "sealed_bytes",
        "bundle_version",
        "supporter_id",
        "period_start",
        "period_end",
        "created",
        "cases",
        "encounters",
        "follow_ups",
    }
    days = [row[2] for row in body["encounters"]] + [row[5] for row in body["follow_ups"]]
    assert all(day is None or len(day) == 10 for day in days)  # days, never times


def test_supporter_id_is_random_per_vault_and_stable(vaults: Callable[[str], Vault]) -> None:
    first, second = vaults("one"), vaults("two")
    ident = supporter_id(first.engine)
    assert fmt.SUPPORTER_ID.match(ident)
    assert supporter_id(first.engine) == ident
    assert supporter_id(second.engine) != ident


def test_export_refuses_a_weak_team_passphrase_and_a_reversed_period(
    vaults: Callable[[str], Vault], tmp_path: Path
) -> None:
    supporter = vaults("supporter")
    journal = journal_of(supporter)
    with pytest.raises(WeakPassphrase):
        export_bundle(supporter.engine, PERIOD, "team", tmp_path / "b", journal=journal)
    with pytest.raises(ValidationError):
        export_bundle(
            supporter.engine,
            Period(date(2026, 11, 2), date(2026, 11, 1)),
            TEAM,
            tmp_path / "b",
            journal=journal,
        )
    assert not (tmp_path / "b").exists()
    assert journal.export_log() == []


# --- merging ---------------------------------------------------------------------------------


def demo_vault(vaults: Callable[[str], Vault], name: str, seed: int) -> Vault:
    vault = vaults(name)
    demo.generate(vault.engine, cases=40, seed=seed, anchor=TODAY, years=0.5)
    return vault


def test_three_supporters_merge_into_one_team_view(
    vaults: Callable[[str], Vault], coordinator: Vault, tmp_path: Path
) -> None:
    period = Period(date(2026, 6, 1), date(2026, 11, 26))
    supporters = [demo_vault(vaults, f"s{n}", seed=n) for n in (1, 2, 3)]
    paths = [
        export(vault, tmp_path / f"s{n}.svjbundle", period=period)
        for n, vault in enumerate(supporters)
    ]
    results = import_bundles(coordinator.engine, paths, TEAM)
    assert [r.ok for r in results] == [True, True, True]
    assert [r.path for r in results] == paths

    rows = list_supporters(coordinator.engine)
    assert sorted(r.supporter_id for r in rows) == sorted(
        supporter_id(v.engine) for v in supporters
    )
    own = [dashboard(v.engine, period) for v in supporters]
    by_id = {r.supporter_id: r for r in rows}
    for vault, dash in zip(supporters, own, strict=True):
        row = by_id[supporter_id(vault.engine)]
        assert row.encounters == dash.kpis.encounters
        assert row.periods == [(period.start, period.end)] and row.bundles == 1

    merged = team_engine(coordinator.engine)
    try:
        team = dashboard(merged, period)
    finally:
        dispose_team_engine(merged)
    for field in (
        "encounters",
        "people_reached",
        "active_cases",
        "open_cases",
        "follow_ups_due",
        "follow_ups_on_time",
        "escalated_cases",
        "referrals",
        "support_declined",
    ):
        assert getattr(team.kpis, field) == sum(getattr(d.kpis, field) for d in own), field
    assert team.kpis.hours_of_support == pytest.approx(sum(d.kpis.hours_of_support for d in own))
    assert sum(n for _stage, n in team.open_case_stages) == team.kpis.open_cases


def test_importing_the_same_bundle_again_changes_nothing(
    vaults: Callable[[str], Vault], coordinator: Vault, tmp_path: Path
) -> None:
    supporter = vaults("supporter")
    fill_known(journal_of(supporter))
    path = export(supporter, tmp_path / "b.svjbundle")
    import_bundle(coordinator.engine, path, TEAM)
    before = team_rows(coordinator.engine)
    again = import_bundle(coordinator.engine, path, TEAM)
    assert again.again and again.written == 0 and again.removed == 0
    assert again.summary().startswith("already imported (supporter ")
    assert team_rows(coordinator.engine) == before
    # The same file twice in one call: still one bundle, same rows.
    results = import_bundles(coordinator.engine, [path, path], TEAM)
    assert all(r.ok for r in results)
    assert team_rows(coordinator.engine) == before


def change_after_first_export(journal: Journal, ids: dict[str, str]) -> str:
    """What a supporter does between two exports; returns the new encounter's id."""
    journal.delete_encounter(ids["e2"])  # deleted: must disappear
    journal.tag_stage(ids["e1"], 3)  # edited: must change
    journal.delete_case(ids["group"])  # trashed with its encounter
    new = journal.log_encounter(ids["a"], encounter(datetime(2026, 11, 20, 10, 0), stage=4))
    return new.id


@pytest.mark.parametrize("order", ["older first", "newer first"])
def test_a_newer_bundle_replaces_and_an_older_one_never_rolls_back(
    vaults: Callable[[str], Vault], coordinator: Vault, tmp_path: Path, order: str
) -> None:
    supporter = vaults("supporter")
    journal = journal_of(supporter)
    ids = fill_known(journal)
    older = export(supporter, tmp_path / "older.svjbundle", created=T1)
    new_id = change_after_first_export(journal, ids)
    newer = export(supporter, tmp_path / "newer.svjbundle", created=T2)

    files = [older, newer] if order == "older first" else [newer, older]
    for path in files:  # separate calls: each file is judged against what is stored
        assert import_bundle(coordinator.engine, path, TEAM).ok

    engine = coordinator.engine
    assert ids_in(engine, "team_encounters") == {ids["e1"], new_id}
    assert ids_in(engine, "team_cases") == {ids["a"], ids["closed"]}
    with engine.connect() as conn:
        stage = conn.execute(
            text("SELECT stage FROM team_encounters WHERE id = :id"), {"id": ids["e1"]}
        ).scalar_one()
        case_stage = conn.execute(
            text("SELECT current_stage FROM team_cases WHERE id = :id"), {"id": ids["a"]}
        ).scalar_one()
    assert (stage, case_stage) == (3, 4)

    # The same final state as importing the newer bundle alone.
    alone = vaults("alone")
    import_bundle(alone.engine, newer, TEAM)
    assert {k: v for k, v in team_rows(engine).items() if k in RECORD_TABLES} == {
        k: v for k, v in team_rows(alone.engine).items() if k in RECORD_TABLES
    }
    rows = list_supporters(engine)
    assert [r.bundles for r in rows] == [2]


def test_an_older_bundle_fills_only_days_no_newer_bundle_covers(
    vaults: Callable[[str], Vault], coordinator: Vault, tmp_path: Path
) -> None:
    supporter = vaults("supporter")
    journal = journal_of(supporter)
    ids = fill_known(journal)
    sept = journal.open_case(case_input("Sept-Quill", date(2026, 9, 10)))
    september = journal.log_encounter(sept.id, encounter(datetime(2026, 9, 20, 10, 0)))
    wide = export(
        supporter,
        tmp_path / "wide.svjbundle",
        period=Period(date(2026, 9, 1), date(2026, 11, 30)),
        created=T1,
    )
    journal.delete_encounter(ids["e1"])  # October: the newer bundle no longer has it
    narrow = export(supporter, tmp_path / "narrow.svjbundle", created=T2)  # October–November

    import_bundle(coordinator.engine, narrow, TEAM)
    result = import_bundle(coordinator.engine, wide, TEAM)
    assert result.skipped > 0
    assert "newer bundle" in result.summary()
    encounters = ids_in(coordinator.engine, "team_encounters")
    assert september.id in encounters  # September: only the older bundle covers it
    assert ids["e1"] not in encounters  # October: the newer bundle decides
    rows = list_supporters(coordinator.engine)
    assert rows[0].periods == [(date(2026, 9, 1), date(2026, 11, 30))]


def test_a_case_deleted_since_disappears_whatever_the_periods(
    vaults: Callable[[str], Vault], coordinator: Vault, tmp_path: Path
) -> None:
    supporter = vaults("supporter")
    journal = journal_of(supporter)
    ids = fill_known(journal)
    export(supporter, tmp_path / "autumn.svjbundle", created=T1)
    import_bundle(coordinator.engine, tmp_path / "autumn.svjbundle", TEAM)
    journal.delete_case(ids["closed"])  # its records lie in September and October
    spring = Period(date(2026, 3, 1), date(2026, 4, 30))
    import_bundle(
        coordinator.engine, export(supporter, tmp_path / "spring", period=spring, created=T2), TEAM
    )
    assert ids["closed"] not in ids_in(coordinator.engine, "team_cases")
    with coordinator.engine.connect() as conn:
        orphans = conn.execute(
            text(
                "SELECT count(*) FROM team_encounters "
                "WHERE case_id NOT IN (SELECT id FROM team_cases)"
            )
        ).scalar_one()
    assert orphans == 0
    assert ids["old"] in ids_in(coordinator.engine, "team_cases")


def test_remove_and_label_a_supporter(
    vaults: Callable[[str], Vault], coordinator: Vault, tmp_path: Path
) -> None:
    first, second = demo_vault(vaults, "s1", 1), demo_vault(vaults, "s2", 2)
    paths = [export(v, tmp_path / f"{n}.svjbundle") for n, v in enumerate((first, second))]
    import_bundles(coordinator.engine, paths, TEAM)
    keep = team_rows(coordinator.engine)
    gone = supporter_id(first.engine)
    set_supporter_label(coordinator.engine, gone.lower(), "Night shift")
    assert {r.name for r in list_supporters(coordinator.engine)} == {
        "Night shift",
        supporter_id(second.engine),
    }
    removed = remove_supporter(coordinator.engine, f" {gone.lower()} ")
    assert removed > 0
    rows = team_rows(coordinator.engine)
    assert [r.supporter_id for r in list_supporters(coordinator.engine)] == [
        supporter_id(second.engine)
    ]
    for table in RECORD_TABLES:
        assert rows[table] == [r for r in keep[table] if gone not in r], table
    with pytest.raises(RecordNotFound):
        remove_supporter(coordinator.engine, gone)
    with pytest.raises(ValidationError):
        remove_supporter(coordinator.engine, "not an id")


def test_merge_periods() -> None:
    d = date
    assert merge_periods(
        [
            (d(2026, 4, 1), d(2026, 6, 30)),
            (d(2026, 1, 1), d(2026, 3, 31)),
            (d(2026, 9, 1), d(2026, 9, 30)),
        ]
    ) == [(d(2026, 1, 1), d(2026, 6, 30)), (d(2026, 9, 1), d(2026, 9, 30))]


def test_team_engine_is_memory_only_and_keeps_temp_tables_in_memory(coordinator: Vault) -> None:
    merged = team_engine(coordinator.engine)
    try:
        with merged.connect() as conn:
            files = [row[2] for row in conn.exec_driver_sql("PRAGMA database_list")]
            temp_store = conn.exec_driver_sql("PRAGMA temp_store").scalar_one()
        assert files[0] == ""  # no file behind the main database
        assert temp_store == 2  # MEMORY
        assert dashboard(merged).empty
    finally:
        dispose_team_engine(merged)


# --- bad files: clear typed errors, nothing imported -------------------------------------------


@pytest.fixture(scope="module")
def two_bundles(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Bundles of two demo supporters, made once for the tests that only read them."""
    folder = tmp_path_factory.mktemp("bundles")
    paths = []
    for n in (1, 2):
        vault = new_vault(folder / f"s{n}")
        try:
            demo.generate(vault.engine, cases=40, seed=n, anchor=TODAY, years=0.5)
            paths.append(export(vault, folder / f"s{n}.svjbundle"))
        finally:
            vault.close()
    return paths[0], paths[1]


@pytest.fixture
def loaded(
    two_bundles: tuple[Path, Path], coordinator: Vault, tmp_path: Path
) -> tuple[Vault, Path]:
    """A coordinator holding one supporter's bundle, and (a copy of) another's good bundle."""
    import_bundle(coordinator.engine, two_bundles[0], TEAM)
    good = tmp_path / "two.svjbundle"
    shutil.copyfile(two_bundles[1], good)
    return coordinator, good


def assert_refused(
    coordinator: Vault, path: Path, error: type[ExportFileError], passphrase: str = TEAM
) -> ExportFileError:
    before = team_rows(coordinator.engine)
    [result] = import_bundles(coordinator.engine, [path], passphrase)
    assert isinstance(result.error, error), result.error
    assert str(result.error)
    assert team_rows(coordinator.engine) == before
    return result.error


def test_wrong_passphrase(loaded: tuple[Vault, Path]) -> None:
    coordinator, good = loaded
    assert_refused(coordinator, good, WrongFilePassphrase, passphrase="another team passphrase")


def test_truncated_file(loaded: tuple[Vault, Path], tmp_path: Path) -> None:
    coordinator, good = loaded
    data = good.read_bytes()
    for keep in (len(data) - 1, len(data) // 2, 30, 12, 4):
        cut = tmp_path / f"cut-{keep}.svjbundle"
        cut.write_bytes(data[:keep])
        assert_refused(coordinator, cut, FileDamaged if keep > 9 else NotOurFile)


def test_flipped_bytes_anywhere(loaded: tuple[Vault, Path], tmp_path: Path) -> None:
    coordinator, good = loaded
    data = good.read_bytes()
    for at in (0, 12, 40, len(data) // 2, len(data) - 1):
        flipped = bytearray(data)
        flipped[at] ^= 0x01
        path = tmp_path / f"flip-{at}.svjbundle"
        path.write_bytes(bytes(flipped))
        assert_refused(coordinator, path, ExportFileError)


def test_foreign_empty_missing_and_other_svjournal_files(
    loaded: tuple[Vault, Path], tmp_path: Path
) -> None:
    coordinator, _good = loaded
    png = tmp_path / "chart.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    assert "not a team bundle" in str(assert_refused(coordinator, png, NotOurFile))
    empty = tmp_path / "empty.svjbundle"
    empty.write_bytes(b"")
    assert_refused(coordinator, empty, NotOurFile)
    backup = coordinator.backup(reason="test")
    assert "another kind of svjournal file" in str(assert_refused(coordinator, backup, NotOurFile))
    assert_refused(coordinator, tmp_path / "missing.svjbundle", BundleUnreadable)
    assert_refused(coordinator, tmp_path, BundleUnreadable)  # a folder


def test_a_newer_bundle_format_is_too_new(loaded: tuple[Vault, Path]) -> None:
    coordinator, good = loaded
    meta, body = payload_of(good)
    body["bundle_version"] = meta["bundle_version"] = 2
    assert_refused(coordinator, reseal(good, body, meta), FileTooNew)


def test_a_header_asking_for_an_absurd_key_derivation_is_refused(
    loaded: tuple[Vault, Path], tmp_path: Path
) -> None:
    """Refused before deriving anything: a hostile header must not make the importer stall."""
    coordinator, good = loaded
    data = good.read_bytes()
    _header, start = sealed.read_header(fmt.MAGIC, data)
    fields = json.loads(data[len(fmt.MAGIC) + 4 : start])
    fields["kdf_params"] = {"t": 3, "m": 4 * 1024 * 1024, "p": 4}
    head = json.dumps(fields, sort_keys=True).encode()
    path = tmp_path / "costly.svjbundle"
    path.write_bytes(fmt.MAGIC + struct.pack(">I", len(head)) + head + data[start:])
    assert "key derivation" in str(assert_refused(coordinator, path, FileDamaged))


def test_records_of_another_supporter_are_a_conflict(
    loaded: tuple[Vault, Path], tmp_path: Path
) -> None:
    coordinator, good = loaded
    import_bundle(coordinator.engine, good, TEAM)
    meta, body = payload_of(good)
    meta["supporter_id"] = body["supporter_id"] = "AAAAA-BBBBB"  # a copied journal
    assert_refused(coordinator, reseal(good, body, meta), BundleConflict)


COLUMNS = {
    "cases": fmt.CASE_COLUMNS,
    "encounters": fmt.ENCOUNTER_COLUMNS,
    "follow_ups": fmt.FOLLOW_UP_COLUMNS,
}


def mutate(body: dict[str, Any], table: str, column: str, value: Any) -> dict[str, Any]:
    body = json.loads(json.dumps(body))
    body[table][0][COLUMNS[table].index(column)] = value
    return body


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("cases", "role", "surgeon"),
        ("cases", "id", "not-a-uuid"),
        ("cases", "department", "Obsidian Wing"),
        ("cases", "referred_on", "2026-W40-1"),
        ("cases", "high_risk_events", ["first_death", "first_death"]),
        ("cases", "current_stage", True),
        ("encounters", "tier", True),
        ("encounters", "duration_minutes", 40.0),
        ("encounters", "day", "2025-01-01"),
        ("encounters", "case_id", "00000000-0000-4000-8000-000000000000"),
        ("encounters", "stage", 6),
        ("encounters", "referrals", [["eap", "maybe"]]),
        ("encounters", "triggered", 1),
        ("encounters", "group_size", 3),
        ("follow_ups", "status", "forgotten"),
        ("follow_ups", "done_on", "26/11/2026"),
    ],
)
def test_contents_that_svjournal_never_writes_are_refused(
    loaded: tuple[Vault, Path], table: str, column: str, value: Any
) -> None:
    coordinator, good = loaded
    _meta, body = payload_of(good)
    if column == "group_size":  # a head count on a one-to-one case
        kinds = {row[0]: row[1] for row in body["cases"]}
        body[table].sort(key=lambda row: kinds[row[1]] != "individual")
    error = assert_refused(
        coordinator, reseal(good, mutate(body, table, column, value)), BundleInvalid
    )
    assert column in str(error)


def deeply_nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    "change",
    [
        lambda b, m: b.update(extra="x"),
        lambda b, m: b["live_case_ids"].pop(b["live_case_ids"].index(b["cases"][0][0])),
        lambda b, m: b["encounters"].append(list(b["encounters"][0])),  # a duplicate id
        lambda b, m: m.update(encounters=m["encounters"] + 1),  # header disagrees
        lambda b, m: b.update(period=[b["period"][1], b["period"][0]]),
        lambda b, m: b["cases"][0].pop(),
        lambda b, m: b.update(case_columns=list(reversed(b["case_columns"]))),
        lambda b, m: b["cases"][0].__setitem__(5, deeply_nested(900)),
    ],
)
def test_inconsistent_bundles_are_refused(
    loaded: tuple[Vault, Path], change: Callable[[dict[str, Any], dict[str, Any]], None]
) -> None:
    coordinator, good = loaded
    meta, body = payload_of(good)
    change(body, meta)
    assert_refused(coordinator, reseal(good, body, meta), BundleInvalid)


def test_one_bad_file_does_not_stop_the_others(loaded: tuple[Vault, Path], tmp_path: Path) -> None:
    coordinator, good = loaded
    bad = tmp_path / "bad.svjbundle"
    bad.write_bytes(good.read_bytes()[:-5])
    results = import_bundles(coordinator.engine, [bad, good], TEAM)
    assert [r.path for r in results] == [bad, good]
    assert isinstance(results[0].error, FileDamaged) and results[1].ok
    assert len(list_supporters(coordinator.engine)) == 2


# --- fuzzing -------------------------------------------------------------------------------------


FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(data=st.data())
def test_fuzzed_file_bytes_never_crash_nor_import_part_of_a_file(
    loaded: tuple[Vault, Path], data: st.DataObject
) -> None:
    coordinator, good = loaded
    original = good.read_bytes()
    mutated = bytearray(original)
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        kind = data.draw(st.sampled_from(["flip", "cut", "insert", "replace"]), label="kind")
        at = data.draw(st.integers(0, max(0, len(mutated) - 1)), label="at")
        if kind == "flip" and mutated:
            mutated[at] ^= data.draw(st.integers(1, 255), label="mask")
        elif kind == "cut":
            del mutated[at : at + data.draw(st.integers(1, 64), label="length")]
        elif kind == "insert":
            mutated[at:at] = data.draw(st.binary(min_size=1, max_size=16), label="bytes")
        else:
            chunk = data.draw(st.binary(min_size=1, max_size=16), label="bytes")
            mutated[at : at + len(chunk)] = chunk
    if bytes(mutated) == original:
        return
    before = team_rows(coordinator.engine)
    try:
        open_bundle(bytes(mutated), TEAM)
    except ExportFileError:
        pass
    else:  # pragma: no cover - AES-GCM authenticates every byte
        pytest.fail("an altered bundle opened")
    path = good.with_name("fuzzed.svjbundle")
    path.write_bytes(bytes(mutated))
    [result] = import_bundles(coordinator.engine, [path], TEAM)
    assert isinstance(result.error, ExportFileError)
    # A foreseen refusal, not the safety net's "unexpected error" (that would be a bug).
    assert not isinstance(result.error, BundleNotImported), result.error.__cause__
    assert team_rows(coordinator.engine) == before


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False)
    | st.text(max_size=40)
    | st.sampled_from(["nurse", "2026-11-01", "phone", "done", "group", "6", "psychologist"]),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=6,
)


@FUZZ
@given(data=st.data())
def test_fuzzed_contents_are_checked_whole_before_anything_is_written(
    loaded: tuple[Vault, Path], data: st.DataObject
) -> None:
    """Authentic files (right passphrase) with random values: all of a file, or none of it."""
    coordinator, good = loaded
    meta, body = payload_of(good)
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        table = data.draw(st.sampled_from(["cases", "encounters", "follow_ups"]), label="table")
        if not body[table]:
            continue
        row = data.draw(st.integers(0, len(body[table]) - 1), label="row")
        column = data.draw(st.integers(0, len(body[table][row]) - 1), label="column")
        body[table][row][column] = data.draw(JSON_VALUES, label="value")
    target = reseal(good.with_name("fuzzed-contents.svjbundle"), body, meta)
    before = team_rows(coordinator.engine)
    [result] = import_bundles(coordinator.engine, [target], TEAM)
    if result.ok:  # the random values happened to be valid ones: the whole file went in
        assert team_rows(coordinator.engine) != before or result.again
        remove_supporter(coordinator.engine, result.supporter_id)
    else:
        assert isinstance(result.error, BundleInvalid), result.error
    assert team_rows(coordinator.engine) == before


def test_bulk_writes_put_the_connection_back_as_it_was(coordinator: Vault) -> None:
    from svjournal.reports.bundle_merge import bulk_writes

    def pragmas(raw: Any) -> tuple[int, int]:
        return tuple(  # type: ignore[return-value]
            raw.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("cache_size", "wal_autocheckpoint")
        )

    with coordinator.engine.connect() as conn:
        before = pragmas(conn.connection.dbapi_connection)
    with bulk_writes(coordinator.engine) as conn:
        raw = conn.connection.dbapi_connection
        assert pragmas(raw) == (-128 * 1024, 0)
        with conn.begin():
            conn.exec_driver_sql("INSERT INTO team_supporters VALUES ('AAAAA-BBBBB', '', 'x', 'x')")
    assert pragmas(raw) == before
    with coordinator.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM team_supporters").scalar_one() == 1


def test_done_when_three_supporters_merge_into_a_pdf_without_identifying_detail(
    vaults: Callable[[str], Vault], coordinator: Vault, tmp_path: Path
) -> None:
    """The issue's goal: a coordinator merges three supporters' bundles and hands leadership
    a PDF (the lead's programme report over the merged data) with nothing identifying."""
    from pypdf import PdfReader

    from svjournal.reports.report_export import export_report, request_from_settings

    period = Period(date(2026, 6, 1), date(2026, 11, 26))
    paths = []
    for n in (1, 2, 3):
        vault = demo_vault(vaults, f"s{n}", seed=n)
        fill_known(journal_of(vault))  # the SECRETS, in every free-text place
        paths.append(export(vault, tmp_path / f"s{n}.svjbundle", period=period))
    assert all(r.ok for r in import_bundles(coordinator.engine, paths, TEAM))
    journal = journal_of(coordinator)
    merged = team_engine(coordinator.engine)
    try:
        request = request_from_settings(journal, period, scope="Team: 3 supporters")
        report, pdf = export_report(
            journal, merged, request, "pdf", tmp_path / "leadership.pdf", today=TODAY
        )
    finally:
        dispose_team_engine(merged)
    words = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Team: 3 supporters" in words
    # (Not the time of day: the report prints when it was generated.)
    for secret in (*[s for s in SECRETS if ":" not in s], "Demo ", "Closed-Quill"):
        assert secret not in words, secret
    encounters = next(k for k in report.kpis if k.key == "encounters")
    assert encounters.current.value == sum(
        len(json.loads(sealed.unseal(fmt.MAGIC, p.read_bytes(), TEAM)[1])["encounters"])
        for p in paths
    )
    assert journal.export_log()[0].kind == "report-pdf"
