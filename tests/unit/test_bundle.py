"""Team bundles v2 (issue 12): keys, month grain, authors accepted once, newer-wins, revoking.

Two supporters and a stranger: a supporter cannot open a colleague's bundle, nor forge one the
coordinator accepts; no day-precise date leaves a journal in a bundle.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svjournal.core import sealed, team_keys
from svjournal.core.errors import ExportFileError, FileDamaged, NotOurFile
from svjournal.core.keyfile import KdfParams
from svjournal.core.stats_model import Period
from svjournal.core.vault import Vault
from svjournal.reports import bundle_seal, legacy_format
from svjournal.reports.bundle import (
    BundleInvalid,
    SupporterRevoked,
    UnknownSupporter,
    import_bundle,
    import_bundles,
    new_authors,
)
from svjournal.reports.bundle_seal import BundleForged, BundleNotForThisTeam
from svjournal.reports.calendar import event_uid
from svjournal.reports.legacy import RetiredNeedsPassphrase
from svjournal.reports.team import list_supporters, remove_supporter, team_engine
from tests.unit.team_fixtures import (
    DAY,
    PERIOD,
    SECRETS,
    T1,
    T2,
    TODAY,
    case_input,
    count,
    dashboard,
    encounter,
    export,
    fill_known,
    join,
    journal_of,
    make_team,
    open_payload,
    reseal,
    team_rows,
    vaults,
)

__all__ = ["vaults"]  # the fixture, imported for pytest

NOW = lambda: datetime(2026, 11, 26, 12, 0)  # noqa: E731 - the coordinator's clock


@pytest.fixture
def team(vaults: Callable[[str], Vault]) -> tuple[Vault, team_keys.TeamCard]:
    coordinator = vaults("coordinator")
    return coordinator, make_team(coordinator)


def supporter(vaults: Callable[[str], Vault], name: str, card: team_keys.TeamCard) -> Vault:
    vault = vaults(name)
    join(vault, card)
    return vault


# --- keys, cards and fingerprints --------------------------------------------------------------


def test_team_card_round_trip_and_fingerprints(
    team: tuple[Vault, team_keys.TeamCard], tmp_path: Path
) -> None:
    coordinator, card = team
    path = tmp_path / "team.svjteam"
    written = team_keys.write_card(coordinator.engine, path)
    assert written == card and team_keys.read_card_file(path) == card
    assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){3}[0-9A-HJKMNP-TV-Z]{4}", card.fingerprint)
    assert team_keys.normalise_fingerprint(card.fingerprint.lower().replace("-", " ")) == (
        card.fingerprint
    )
    # The card holds the public key only; the private key stays in the vault.
    private = team_keys.stored(coordinator.engine, team_keys.OWN_TEAM)
    assert private is not None and private.private_key is not None
    assert private.private_key.hex().encode() not in path.read_bytes()
    with pytest.raises(Exception, match="already has a team"):
        team_keys.create_team(coordinator.engine, "Again")


@pytest.mark.parametrize(
    "mutate",
    [
        lambda b: b.replace(b'"version": 1', b'"version": 9'),
        lambda b: b.replace(b"SVJTEAMCARD", b"SVJOTHERXXX"),
        lambda b: b[:-30],
        lambda b: b.replace(b'"name": "', b'"name": "\\u0000'),
    ],
)
def test_a_bad_card_is_a_typed_error(
    team: tuple[Vault, team_keys.TeamCard], mutate: Callable[[bytes], bytes]
) -> None:
    _coordinator, card = team
    with pytest.raises(ExportFileError):
        team_keys.read_card(mutate(card.to_bytes()))


def test_a_card_whose_fingerprint_was_changed_is_refused(
    team: tuple[Vault, team_keys.TeamCard],
) -> None:
    _coordinator, card = team
    body = json.loads(card.to_bytes()[len(team_keys.CARD_MAGIC) :])
    body["fingerprint"] = "0000-0000-0000-0000"
    with pytest.raises(FileDamaged):
        team_keys.read_card(team_keys.CARD_MAGIC + json.dumps(body).encode())


def test_export_needs_a_team_joined(vaults: Callable[[str], Vault], tmp_path: Path) -> None:
    with pytest.raises(team_keys.NoTeam):
        export(vaults("alone"), tmp_path / "b.svjbundle")


# --- done when: two supporters and a stranger ----------------------------------------------------


def test_a_supporter_cannot_open_a_colleagues_bundle(
    vaults: Callable[[str], Vault], team: tuple[Vault, team_keys.TeamCard], tmp_path: Path
) -> None:
    coordinator, card = team
    alice, bob = supporter(vaults, "alice", card), supporter(vaults, "bob", card)
    fill_known(journal_of(alice))
    bundle = export(alice, tmp_path / "alice.svjbundle")
    # Bob's journal holds no team key: it cannot open it, whatever he tries.
    [result] = import_bundles(bob.engine, [bundle], accept=[join(alice, card)], clock=NOW)
    assert isinstance(result.error, BundleNotForThisTeam)
    with pytest.raises(BundleNotForThisTeam):
        bundle_seal.unseal(bundle.read_bytes(), None)
    # Nor with a team of his own (a key pair he made): it is not the coordinator's.
    make_team(bob, "Bob's team")
    [result] = import_bundles(bob.engine, [bundle], accept=[join(alice, card)], clock=NOW)
    assert isinstance(result.error, BundleNotForThisTeam)
    # The file says nothing readable about who wrote it or what it holds.
    data = bundle.read_bytes()
    fingerprint = team_keys.own_fingerprint(alice.engine)
    assert fingerprint.encode() not in data and fingerprint.replace("-", "").encode() not in data
    assert not DAY.search(data) and b"icu" not in data and b"nurse" not in data
    # The coordinator opens it.
    assert import_bundle(coordinator.engine, bundle, accept=[fingerprint], clock=NOW).ok


def test_a_strangers_or_colleagues_forged_bundle_is_refused(
    vaults: Callable[[str], Vault], team: tuple[Vault, team_keys.TeamCard], tmp_path: Path
) -> None:
    coordinator, card = team
    alice, bob = supporter(vaults, "alice", card), supporter(vaults, "bob", card)
    stranger = supporter(vaults, "stranger", card)  # has the (public) card, never accepted
    fill_known(journal_of(alice))
    fill_known(journal_of(stranger))
    alice_fp = team_keys.own_fingerprint(alice.engine)
    genuine = export(alice, tmp_path / "alice.svjbundle")
    assert import_bundle(coordinator.engine, genuine, accept=[alice_fp], clock=NOW).ok
    before = team_rows(coordinator.engine)

    # A stranger's bundle: signed by a key nobody accepted.
    theirs = export(stranger, tmp_path / "stranger.svjbundle", created=T2)
    [result] = import_bundles(coordinator.engine, [theirs], clock=NOW)
    assert isinstance(result.error, UnknownSupporter)
    assert result.error.fingerprint == team_keys.own_fingerprint(stranger.engine)

    # Bob forges one "from Alice": her public key inside, his signature (he lacks hers).
    payload, _body = open_payload(genuine, coordinator)
    alice_public = team_keys.signing_key(alice.engine).public_key()
    bob_key = team_keys.signing_key(bob.engine)
    forged = bundle_seal.seal(payload, card.public_key, bob_key)
    inner_swapped = _with_signer(forged, coordinator, bundle_seal._raw(alice_public), card)
    path = tmp_path / "forged.svjbundle"
    path.write_bytes(inner_swapped)
    [result] = import_bundles(coordinator.engine, [path], clock=NOW)
    assert isinstance(result.error, BundleForged)
    assert "\n" not in str(result.error)
    assert team_rows(coordinator.engine) == before


def _with_signer(data: bytes, coordinator: Vault, signer: bytes, card: team_keys.TeamCard) -> bytes:
    """Re-encrypt `data` to the team with another author key in place of the real one."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

    key = team_keys.team_private_key(coordinator.engine)
    _body, header, sealed_part = bundle_seal.read_header(data)
    info = bundle_seal.INFO_LABEL + bundle_seal.MAGIC + header
    inner = bundle_seal._SUITE.decrypt(sealed_part, key, info=info)
    swapped = inner[:4] + signer + inner[36:]
    again = bundle_seal._SUITE.encrypt(
        swapped, X25519PublicKey.from_public_bytes(card.public_key), info=info
    )
    return bundle_seal.MAGIC + len(header).to_bytes(2, "big") + header + again


def test_a_bundle_re_addressed_to_another_team_is_refused(
    vaults: Callable[[str], Vault], team: tuple[Vault, team_keys.TeamCard], tmp_path: Path
) -> None:
    """The coordinator of team A cannot pass Alice's signed payload to team B as hers."""
    coordinator, card = team
    alice = supporter(vaults, "alice", card)
    fill_known(journal_of(alice))
    bundle = export(alice, tmp_path / "alice.svjbundle")
    other = vaults("other-coordinator")
    other_card = make_team(other, "Other team")
    key = team_keys.team_private_key(coordinator.engine)
    _body, header, sealed_part = bundle_seal.read_header(bundle.read_bytes())
    info = bundle_seal.INFO_LABEL + bundle_seal.MAGIC + header
    inner = bundle_seal._SUITE.decrypt(sealed_part, key, info=info)
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

    new_header = bundle_seal._header(other_card.public_key)
    new_info = bundle_seal.INFO_LABEL + bundle_seal.MAGIC + new_header
    moved = bundle_seal._SUITE.encrypt(
        inner, X25519PublicKey.from_public_bytes(other_card.public_key), info=new_info
    )
    path = tmp_path / "moved.svjbundle"
    path.write_bytes(bundle_seal.MAGIC + len(new_header).to_bytes(2, "big") + new_header + moved)
    [result] = import_bundles(other.engine, [path], accept=[join(alice, card)], clock=NOW)
    assert isinstance(result.error, BundleForged)


def test_no_day_precise_date_leaves_a_journal(
    vaults: Callable[[str], Vault], team: tuple[Vault, team_keys.TeamCard], tmp_path: Path
) -> None:
    coordinator, card = team
    alice = supporter(vaults, "alice", card)
    ids = fill_known(journal_of(alice))
    bundle = export(alice, tmp_path / "alice.svjbundle", period=Period(date(2026, 1, 1), TODAY))
    payload, body = open_payload(bundle, coordinator)
    assert body["cases"] and body["encounters"] and body["follow_ups"]
    assert not DAY.search(payload), DAY.search(payload)
    assert not re.search(rb"\d{1,2}:\d{2}", payload)  # no time of day either
    assert not re.search(rb"\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4}", payload)
    for secret in SECRETS:
        assert secret.encode() not in payload
    # Record IDs match neither the journal's UUIDs nor its calendar UIDs.
    for record_id in ids.values():
        assert record_id.encode() not in payload
        assert event_uid(record_id).encode() not in payload
        assert event_uid(record_id).split("@")[0].encode() not in payload
    assert set(body["months"]) == {"2026-01", "2026-11"}
    assert {e[1] for e in body["encounters"]} <= {f"2026-{m:02d}" for m in range(1, 12)}


def test_record_ids_differ_between_teams_and_stay_within_one(
    vaults: Callable[[str], Vault], team: tuple[Vault, team_keys.TeamCard], tmp_path: Path
) -> None:
    coordinator, card = team
    alice = supporter(vaults, "alice", card)
    fill_known(journal_of(alice))
    first = {c[0] for c in open_payload(export(alice, tmp_path / "1"), coordinator)[1]["cases"]}
    again = export(alice, tmp_path / "2", created=T2)
    assert first == {c[0] for c in open_payload(again, coordinator)[1]["cases"]}
    other = vaults("other")
    join(alice, make_team(other, "Other"))
    elsewhere = {c[0] for c in open_payload(export(alice, tmp_path / "3"), other)[1]["cases"]}
    assert elsewhere and not elsewhere & first


# --- accepting, newer-wins, revoking -------------------------------------------------------------


def test_a_new_supporter_is_accepted_once(
    vaults: Callable[[str], Vault], team: tuple[Vault, team_keys.TeamCard], tmp_path: Path
) -> None:
    coordinator, card = team
    alice = supporter(vaults, "alice", card)
    fill_known(journal_of(alice))
    fp = team_keys.own_fingerprint(alice.engine)
    first = export(alice, tmp_path / "1.svjbundle")
    assert new_authors(coordinator.engine, [first]) == [(first, fp)]
    with pytest.raises(UnknownSupporter):
        import_bundle(coordinator.engine, first, clock=NOW)
    assert count(coordinator.engine, "team_supporters") == 0
    result = import_bundle(coordinator.engine, first, accept=[fp], clock=NOW)
    assert result.accepted and result.supporter_id == fp
    later = export(alice, tmp_path / "2.svjbundle", created=T2)
    assert new_authors(coordinator.engine, [later]) == []
    assert import_bundle(coordinator.engine, later, clock=NOW).ok


def test_re_importing_is_idempotent_and_an_older_bundle_never_rolls_back(
    vaults: Callable[[str], Vault], team: tuple[Vault, team_keys.TeamCard], tmp_path: Path
) -> None:
    coordinator, card = team
    alice = supporter(vaults, "alice", card)
    journal = journal_of(alice)
    ids = fill_known(journal)
    fp = team_keys.own_fingerprint(alice.engine)
    old = export(alice, tmp_path / "old.svjbundle", created=T1)
    # Since: a new encounter in November, a deleted one in October, a case deleted.
    journal.log_encounter(
        ids["a"], encounter(datetime(2026, 11, 20, 10, 0), stage=6, outcome="thriving")
    )
    journal.delete_encounter(ids["g1"])
    journal.delete_case(ids["closed"])
    new = export(alice, tmp_path / "new.svjbundle", created=T2)

    assert import_bundle(coordinator.engine, new, accept=[fp], clock=NOW).ok
    after_new = team_rows(coordinator.engine)
    figures = dashboard(team_engine(coordinator.engine))
    mine = dashboard(alice.engine)
    assert figures.kpis == mine.kpis and figures.monthly == mine.monthly

    older = import_bundle(coordinator.engine, old, clock=NOW)
    assert older.outcome == "nothing to add" and older.written == 0
    again = import_bundle(coordinator.engine, new, clock=NOW)
    assert again.outcome == "already imported"
    rows = team_rows(coordinator.engine)
    assert {k: v for k, v in rows.items() if k != "team_bundles"} == {
        k: v for k, v in after_new.items() if k != "team_bundles"
    }
    assert dashboard(team_engine(coordinator.engine)).kpis == mine.kpis


def test_an_older_bundle_fills_only_months_no_newer_bundle_holds(
    vaults: Callable[[str], Vault], team: tuple[Vault, team_keys.TeamCard], tmp_path: Path
) -> None:
    coordinator, card = team
    alice = supporter(vaults, "alice", card)
    fill_known(journal_of(alice))
    fp = team_keys.own_fingerprint(alice.engine)
    spring = export(alice, tmp_path / "s", period=Period(date(2026, 3, 1), date(2026, 10, 31)))
    autumn = export(alice, tmp_path / "a", created=T2)  # Oct-Nov, newer
    import_bundle(coordinator.engine, autumn, accept=[fp], clock=NOW)
    result = import_bundle(coordinator.engine, spring, clock=NOW)
    assert result.ok and result.written > 0
    [row] = list_supporters(coordinator.engine)
    assert row.periods == [("2026-03", "2026-11")]
    with coordinator.engine.connect() as conn:
        from sqlalchemy import text

        held = dict(conn.execute(text("SELECT month, created FROM team_months")).all())
    assert held["2026-10"].startswith("2026-11-26") and held["2026-03"].startswith("2026-11-20")
    whole = Period(date(2026, 3, 1), date(2026, 11, 30))
    assert (
        dashboard(team_engine(coordinator.engine), whole).kpis
        == dashboard(alice.engine, whole).kpis
    )


def test_remove_supporter_revokes_their_key(
    vaults: Callable[[str], Vault], team: tuple[Vault, team_keys.TeamCard], tmp_path: Path
) -> None:
    coordinator, card = team
    alice, bob = supporter(vaults, "alice", card), supporter(vaults, "bob", card)
    fill_known(journal_of(alice))
    fill_known(journal_of(bob))
    a_fp, b_fp = (team_keys.own_fingerprint(v.engine) for v in (alice, bob))
    results = import_bundles(
        coordinator.engine,
        [export(alice, tmp_path / "a1"), export(bob, tmp_path / "b1")],
        accept=[a_fp, b_fp],
        clock=NOW,
    )
    assert all(r.ok for r in results)
    removed = remove_supporter(coordinator.engine, b_fp.lower())
    assert removed > 0 and count(coordinator.engine, "team_cases", b_fp) == 0
    assert count(coordinator.engine, "team_cases", a_fp) > 0
    [_alice_row, bob_row] = list_supporters(coordinator.engine)
    assert bob_row.revoked and bob_row.state.startswith("removed")
    later = export(bob, tmp_path / "b2", created=T2)
    with pytest.raises(SupporterRevoked):
        import_bundle(coordinator.engine, later, clock=NOW)
    assert new_authors(coordinator.engine, [later]) == [(later, b_fp)]
    assert import_bundle(coordinator.engine, later, accept=[b_fp], clock=NOW).ok  # taken back


# --- hierarchies ---------------------------------------------------------------------------------


def test_a_coordinator_sends_the_merged_data_up_signed_by_itself(
    vaults: Callable[[str], Vault], team: tuple[Vault, team_keys.TeamCard], tmp_path: Path
) -> None:
    coordinator, card = team
    alice, bob = supporter(vaults, "alice", card), supporter(vaults, "bob", card)
    fill_known(journal_of(alice))
    journal = journal_of(bob)
    case = journal.open_case(case_input("Bob-case", date(2026, 10, 3), role="physician"))
    journal.log_encounter(case.id, encounter(datetime(2026, 10, 4, 9, 30), stage=3))
    fps = [team_keys.own_fingerprint(v.engine) for v in (alice, bob)]
    import_bundles(
        coordinator.engine,
        [export(alice, tmp_path / "a"), export(bob, tmp_path / "b")],
        accept=fps,
        clock=NOW,
    )
    national = vaults("national")
    upper = make_team(national, "National programme")
    coordinator_fp = join(coordinator, upper)
    up = export(coordinator, tmp_path / "up.svjbundle", created=T2, merged=True)
    payload, body = open_payload(up, national)
    assert body["source"] == "team" and not DAY.search(payload)
    result = import_bundle(national.engine, up, accept=[coordinator_fp], clock=NOW)
    assert result.ok and result.supporter_id == coordinator_fp
    # The coordinator's case IDs are keyed again: nothing matches the team's own.
    with coordinator.engine.connect() as conn:
        from sqlalchemy import text

        lower = {r[0] for r in conn.execute(text("SELECT id FROM team_cases"))}
    assert not lower & {c[0] for c in body["cases"]}
    ours, theirs = (
        dashboard(team_engine(coordinator.engine)),
        dashboard(team_engine(national.engine)),
    )
    assert ours.kpis == theirs.kpis and ours.monthly == theirs.monthly
    assert ours.by_role == theirs.by_role and ours.outcomes == theirs.outcomes


# --- the retired format ---------------------------------------------------------------------


def retired_bundle(vault: Vault, path: Path, passphrase: str, created: datetime = T1) -> Path:
    """A version 1 bundle as svjournal wrote them before team keys (tests only write it)."""
    from svjournal.reports.legacy_check import decode

    data = _v1_data(vault, created)
    payload = legacy_format.encode(data)
    meta = legacy_format.metadata(data, legacy_format.sealed_size(payload))
    decode(payload, meta)
    kdf = KdfParams(time_cost=1, memory_kib=8, parallelism=1)
    path.write_bytes(sealed.seal(legacy_format.MAGIC, payload, passphrase, metadata=meta, kdf=kdf))
    return path


def _v1_data(vault: Vault, created: datetime) -> legacy_format.BundleData:
    from sqlalchemy import text

    with vault.engine.connect() as conn:
        cases = [
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT id, kind, role, department, event_category, high_risk_events, "
                    "referral_source, referred_on, status, current_stage, outcome, "
                    "substr(first_contact_at, 1, 10), substr(last_contact_at, 1, 10), "
                    "next_follow_up_on FROM cases WHERE deleted_at IS NULL"
                )
            )
        ]
        encounters = [
            (*r[:9], bool(r[9]), r[10], bool(r[11]))
            for r in conn.execute(
                text(
                    "SELECT e.id, e.case_id, substr(e.occurred_at, 1, 10), e.mode, "
                    "e.duration_minutes, e.group_size, e.tier, e.stage, e.outcome, e.triggered, "
                    "e.referrals, e.support_declined FROM encounters AS e JOIN cases AS c "
                    "ON c.id = e.case_id WHERE e.deleted_at IS NULL AND c.deleted_at IS NULL "
                    "AND e.occurred_at >= '2026-10-01'"
                )
            )
        ]
    return legacy_format.BundleData(
        "7K3F9-QX2MA",
        PERIOD.start,
        PERIOD.end,
        created,
        cases,
        encounters,
        [],
        [c[0] for c in cases],
    )


def test_a_retired_passphrase_bundle_still_imports_with_a_notice(
    vaults: Callable[[str], Vault], team: tuple[Vault, team_keys.TeamCard], tmp_path: Path
) -> None:
    coordinator, _card = team
    old = vaults("old-supporter")
    fill_known(journal_of(old))
    path = retired_bundle(old, tmp_path / "old.svjbundle", "lantern orchard velvet compass")
    [refused] = import_bundles(coordinator.engine, [path], clock=NOW)
    assert isinstance(refused.error, RetiredNeedsPassphrase)
    result = import_bundle(
        coordinator.engine, path, legacy_passphrase="lantern orchard velvet compass", clock=NOW
    )
    assert result.ok and result.retired and "retired passphrase format" in result.summary()
    [row] = list_supporters(coordinator.engine)
    assert row.retired_format and row.supporter_id == "7K3F9-QX2MA"
    assert count(coordinator.engine, "team_encounters") > 0
    with coordinator.engine.connect() as conn:
        from sqlalchemy import text

        months = {r[0] for r in conn.execute(text("SELECT month FROM team_encounters"))}
    assert months <= {"2026-10", "2026-11"}


# --- hostile files -------------------------------------------------------------------------------

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A coordinator vault folder, a genuine bundle to it, and the author's fingerprint."""
    from tests.unit.team_fixtures import new_vault

    folder = tmp_path_factory.mktemp("fuzz")
    coordinator, alice = new_vault(folder / "coordinator"), new_vault(folder / "alice")
    card = make_team(coordinator)
    fp = join(alice, card)
    fill_known(journal_of(alice))
    bundle = export(alice, folder / "genuine.svjbundle")
    payload, _body = open_payload(bundle, coordinator)
    (folder / "payload.json").write_bytes(payload)
    coordinator.close()
    alice.close()
    return folder, bundle, fp


@FUZZ
@given(data=st.data())
def test_fuzzed_file_bytes_are_one_typed_line_and_change_nothing(
    loaded: tuple[Path, Path, str], data: st.DataObject
) -> None:
    folder, bundle, fp = loaded
    good = bundle.read_bytes()
    kind = data.draw(st.sampled_from(["truncate", "flip", "insert", "header"]))
    if kind == "truncate":
        bad = good[: data.draw(st.integers(0, len(good) - 1))]
    elif kind == "flip":
        at = data.draw(st.integers(0, len(good) - 1))
        bad = good[:at] + bytes([good[at] ^ data.draw(st.integers(1, 255))]) + good[at + 1 :]
    elif kind == "insert":
        at = data.draw(st.integers(0, len(good)))
        bad = good[:at] + data.draw(st.binary(min_size=1, max_size=8)) + good[at:]
    else:
        head = json.dumps(
            data.draw(
                st.dictionaries(
                    st.sampled_from(["format", "version", "suite", "recipient", "x"]),
                    st.one_of(st.integers(), st.text(max_size=30), st.none(), st.floats()),
                )
            )
        ).encode()
        bad = bundle_seal.MAGIC + len(head).to_bytes(2, "big") + head + good[-200:]
    path = folder / "bad.svjbundle"
    path.write_bytes(bad)
    with Vault.open(folder / "coordinator") as coordinator:
        from tests.conftest import PASSPHRASE

        coordinator.unlock(PASSPHRASE)
        before = team_rows(coordinator.engine)
        [result] = import_bundles(coordinator.engine, [path], accept=[fp], clock=NOW)
        if result.ok:  # an inserted byte the reader never looks at cannot be: all is authenticated
            pytest.fail(f"a changed file imported: {kind}")
        assert isinstance(result.error, ExportFileError) and "\n" not in str(result.error)
        assert team_rows(coordinator.engine) == before


HOSTILE = [
    None,
    True,
    -1,
    10**30,
    1.5,
    float("inf"),
    "",
    "2026-10-05",
    "ZZZZ",
    [],
    {},
    [[[[[]]]]],
]


@FUZZ
@given(data=st.data())
def test_fuzzed_contents_properly_signed_are_checked_whole(
    loaded: tuple[Path, Path, str], data: st.DataObject
) -> None:
    """A payload signed by the accepted author but with a hostile value anywhere: refused
    whole (BundleInvalid) or, if still valid, imported; never a crash, never part of it."""
    folder, _bundle, fp = loaded
    body = json.loads((folder / "payload.json").read_bytes())
    table = data.draw(st.sampled_from(["cases", "encounters", "follow_ups", "top"]))
    value = data.draw(st.sampled_from(HOSTILE))
    if table == "top":
        key = data.draw(st.sampled_from(sorted(body)))
        body[key] = value
    else:
        row = data.draw(st.integers(0, len(body[table]) - 1))
        column = data.draw(st.integers(0, len(body[table][row]) - 1))
        body[table][row][column] = value
    from tests.conftest import PASSPHRASE

    alice = Vault.open(folder / "alice")
    coordinator = Vault.open(folder / "coordinator")
    with alice, coordinator:
        alice.unlock(PASSPHRASE)
        coordinator.unlock(PASSPHRASE)
        card = team_keys.card_of(coordinator.engine)
        path = reseal(folder / "hostile.svjbundle", body, alice, card)
        before = team_rows(coordinator.engine)
        [result] = import_bundles(coordinator.engine, [path], accept=[fp], clock=NOW)
        if result.ok:
            return
        assert isinstance(result.error, BundleInvalid | ExportFileError)
        assert "\n" not in str(result.error)
        assert team_rows(coordinator.engine) == before


def test_foreign_and_other_svjournal_files(
    team: tuple[Vault, team_keys.TeamCard], tmp_path: Path
) -> None:
    coordinator, card = team
    files = {
        "empty": b"",
        "foreign": b"%PDF-1.7 not ours",
        "card": card.to_bytes(),
        "deep": bundle_seal.MAGIC + b"\x00\x05[[[[[",
        "newer": bundle_seal.MAGIC + _head({"format": "svjournal-team-bundle", "version": 3}),
    }
    paths = []
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
        paths.append(tmp_path / name)
    results = import_bundles(coordinator.engine, [*paths, tmp_path / "missing"], clock=NOW)
    kinds = [type(r.error).__name__ for r in results]
    assert kinds[:3] == ["NotOurFile", "NotOurFile", "NotOurFile"]
    assert kinds[3] == "FileDamaged" and kinds[4] == "FileTooNew"
    assert kinds[5] == "BundleUnreadable"
    assert all("\n" not in str(r.error) for r in results)
    assert isinstance(results[0].error, NotOurFile)


def _head(body: dict[str, object]) -> bytes:
    raw = json.dumps(body).encode()
    return len(raw).to_bytes(2, "big") + raw


def test_a_bundle_from_the_future_is_refused(
    vaults: Callable[[str], Vault], team: tuple[Vault, team_keys.TeamCard], tmp_path: Path
) -> None:
    coordinator, card = team
    alice = supporter(vaults, "alice", card)
    fill_known(journal_of(alice))
    ahead = export(alice, tmp_path / "f", created=NOW() + timedelta(days=2))
    [result] = import_bundles(
        coordinator.engine, [ahead], accept=[team_keys.own_fingerprint(alice.engine)], clock=NOW
    )
    assert type(result.error).__name__ == "BundleAhead"
    assert count(coordinator.engine, "team_supporters") == 0
