"""kill -9 at random moments while saving, re-keying (a passphrase change) or taking a backup.

Each round runs a real child process (`crash_child`), kills it with SIGKILL, then reopens
the vault here: it opens, both integrity checks pass, every save the child confirmed is
there, nothing else but the one save in flight, and crash leftovers are gone.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from svjournal.core import backup as backups
from svjournal.core.errors import WrongPassphrase, WrongRecoveryKey
from svjournal.core.journal import Journal
from svjournal.core.keyfile import KeyFile, generate_recovery_key
from svjournal.core.secrets import OSKeyStore
from svjournal.core.vault import DEFAULT_BACKUPS_KEPT, Vault
from tests.conftest import FAST_KDF, PASSPHRASE, MemoryKeyring
from tests.reliability.crash_child import encounter_of
from tests.reliability.support import (
    Child,
    ChildResult,
    backup_notes,
    backup_parts,
    mode,
    seed_note,
    suite_seed,
)

CHILD = "tests.reliability.crash_child"
ENCOUNTER_ROUNDS = 20
RANDOM_KILL_ROUNDS = 6  # passphrase and backup rounds killed at a random moment
PAUSE_POINTS = ("before-replace", "after-replace")  # plus one round killed at each


@pytest.fixture(scope="module")
def seed() -> int:
    value = suite_seed()
    print(f"crash rounds: {seed_note(value)}")
    return value


def new_vault(path: Path) -> str:
    """A closed vault at `path`; returns its recovery key."""
    vault, recovery_key = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    vault.close()
    return recovery_key


def temp_leftovers(path: Path) -> list[str]:
    """Files a crash can leave: half-written key files, backup exports and their journals."""
    found = [p.name for p in path.glob(".journal.key.*.tmp")]
    found += [p.name for p in path.glob(".journal.db.creating*")]
    found += [p.name for p in path.glob(".journal.*.restoring*")]  # staged by a re-key
    found += [p.name for p in path.glob(".svjournal-restore*")]  # its marker (or marker temp)
    if (path / "backups").is_dir():
        found += [f"backups/{p.name}" for p in (path / "backups").glob(".*")]
    return sorted(found)


@dataclass
class Contents:
    """What the vault holds after a round, as the service reads it back."""

    notes: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)


def parse_note(note: str) -> tuple[int, int]:
    round_part, save_part = note.split("-")
    return int(round_part[1:]), int(save_part[1:])


def read_back(vault: Vault, context: str) -> Contents:
    """Every case and encounter through the service, each checked against what was saved."""
    journal = Journal(vault.engine)
    contents = Contents()
    for row in journal.list_cases():
        contents.aliases.add(row.alias)
        encounters = journal.encounters(row.id)
        for encounter in encounters:
            assert encounter.note is not None, context
            expected = encounter_of(*parse_note(encounter.note))
            got = (encounter.occurred_at, encounter.duration_minutes, encounter.stage)
            want = (expected.occurred_at, expected.duration_minutes, expected.stage)
            assert got == want, f"{encounter.note} read back as {got}, saved {want}; {context}"
            contents.notes.add(encounter.note)
        # The case's summary columns were written in the same transaction as the encounter.
        last = max((e.occurred_at for e in encounters), default=None)
        assert row.last_contact == last, f"{row.alias}: summary out of step; {context}"
        assert row.current_stage == (encounters[-1].stage if encounters else None), context
    return contents


def remembered(path: Path) -> tuple[OSKeyStore, str]:
    """A keystore holding the vault's key, and the key's hex: unlocks without the KDF."""
    store = OSKeyStore()
    with Vault.open(path) as vault:
        vault.unlock(PASSPHRASE)
        vault.remember(store)
        key = store.load(vault.vault_id)
    assert key is not None
    return store, key.hex()


def reopen(path: Path, store: OSKeyStore, context: str) -> Vault:
    """Open and unlock after a crash: leftovers gone, both integrity checks clean."""
    vault = Vault.open(path)
    try:
        assert temp_leftovers(path) == [], f"temp files survived the next start; {context}"
        assert vault.unlock_with_keystore(store), context
        assert_sound(vault, context)
    except BaseException:
        vault.close()
        raise
    return vault


def assert_sound(vault: Vault, context: str) -> None:
    report = vault.check()
    assert report.integrity.cipher_errors == [], context
    assert report.integrity.integrity == ["ok"], context
    assert report.ok, f"{report.problems}; {context}"


def describe(result: ChildResult, seed: int, round_no: int, how: str) -> str:
    return (
        f"round {round_no}, killed {how}; {seed_note(seed)}; last lines {result.lines[-4:]}; "
        f"stderr: {result.stderr[-3000:]}"
    )


def run_round(
    args: list[str], secrets: dict[str, object], kill_after: float | None, expect_pause: bool
) -> ChildResult:
    """Start a child, wait for it to be ready, then kill it after `kill_after` s or at its pause."""
    child = Child(CHILD, args, stdin=json.dumps(secrets)).start()
    try:
        if not child.wait_for("ready"):
            return child.kill()  # ended on its own: the caller's checks say why
        if expect_pause:
            child.wait_for("paused")
        else:
            time.sleep(kill_after or 0.0)  # the random moment of the crash
    finally:
        result = child.kill()
    return result


def test_killed_while_saving_encounters_loses_at_most_the_save_in_flight(
    tmp_path: Path, seed: int, memory_keyring: MemoryKeyring
) -> None:
    rng = random.Random(seed)
    path = tmp_path / "vault"
    new_vault(path)
    store, key_hex = remembered(path)
    known = Contents()
    saves = in_flight_rounds = 0
    for round_no in range(ENCOUNTER_ROUNDS):
        delay = rng.uniform(0.0, 0.5)
        result = run_round(
            ["encounters", str(path), "--round", str(round_no)],
            {"key": key_hex},
            delay,
            expect_pause=False,
        )
        context = describe(result, seed, round_no, f"{delay:.3f} s after ready")
        assert result.killed, f"the child ended on its own; {context}"
        confirmed = set(result.values("saved"))
        begun = set(result.values("begin"))
        cases_confirmed = set(result.values("case"))
        cases_begun = set(result.values("begin-case"))
        assert len(begun - confirmed) <= 1 and len(cases_begun - cases_confirmed) <= 1, context
        saves += len(confirmed)
        in_flight_rounds += bool(begun - confirmed)

        vault = reopen(path, store, context)
        try:
            now = read_back(vault, context)
        finally:
            vault.close()
        lost = (known.notes | confirmed) - now.notes
        assert not lost, f"confirmed saves lost: {sorted(lost)}; {context}"
        extra = now.notes - known.notes - begun
        assert not extra, f"saves nobody made: {sorted(extra)}; {context}"
        assert known.aliases | cases_confirmed <= now.aliases, context
        assert now.aliases <= known.aliases | cases_begun, context
        known = now
    # The rounds really crashed in the middle of the work, not before or after it.
    assert saves >= ENCOUNTER_ROUNDS, f"only {saves} saves in all rounds; {seed_note(seed)}"
    assert in_flight_rounds >= ENCOUNTER_ROUNDS // 4, seed_note(seed)


def passphrase_plans(rng: random.Random) -> Iterator[tuple[str | None, int]]:
    """(pause point or None for a random kill, renames to let through before pausing)."""
    plans: list[tuple[str | None, int]] = [(None, 0)] * RANDOM_KILL_ROUNDS
    plans += [(point, rng.randint(0, 2)) for point in PAUSE_POINTS]
    rng.shuffle(plans)
    yield from plans


def unlocks(vault: Vault, passphrase: str, context: str) -> bool:
    """Whether `passphrase` opens the vault; if it does, the database is checked too."""
    try:
        vault.unlock(passphrase)
    except WrongPassphrase:
        return False
    assert_sound(vault, context)
    vault.lock()
    return True


def recovers(key_file: KeyFile, recovery_key: str) -> bytes | None:
    try:
        return key_file.unwrap_with_recovery_key(recovery_key)
    except WrongRecoveryKey:
        return None


# The renames of a re-key: the marker (its point of no return), then the swap it rolls forward.
REKEY_TARGETS = ("/.svjournal-restore", "/journal.db", "/journal.key", ".svjbackup")
REKEYS_PER_ROUND = 3


def rekey_plans(rng: random.Random) -> Iterator[tuple[str | None, str, int]]:
    """(pause point or None for a random kill, renamed file, re-keys to let through)."""
    plans: list[tuple[str | None, str, int]] = [(None, "", 0)] * RANDOM_KILL_ROUNDS
    # A re-key renames one marker, database and key file but several backups: the first
    # backup rename is taken, so that "let through" still counts whole re-keys.
    plans += [
        (p, t, 0 if t == ".svjbackup" else rng.randint(0, 1))
        for t in REKEY_TARGETS
        for p in PAUSE_POINTS
    ]
    rng.shuffle(plans)
    yield from plans


def test_killed_while_re_keying_leaves_exactly_one_working_set_of_secrets(
    tmp_path: Path, seed: int
) -> None:
    """A passphrase change re-keys (issue 13): database, key file and backups change as one.
    After kill -9 at any moment exactly one (passphrase, recovery key, data key) set opens
    the journal and every backup, and every confirmed save is there."""
    rng = random.Random(seed + 1)
    path = tmp_path / "vault"
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    generations = [(PASSPHRASE, new_vault(path))]  # (passphrase, recovery key), oldest first
    known = Contents()
    for round_no, (pause, target, skip) in enumerate(rekey_plans(rng)):
        upcoming = [
            (f"violet submarine under the quiet harbour {round_no} {n}", generate_recovery_key())
            for n in range(REKEYS_PER_ROUND)
        ]
        delay = rng.uniform(0.0, 3.0)
        args = ["rekey", str(path), "--round", str(round_no)]
        if pause:
            args += ["--pause", pause, "--pause-target", target, "--pause-skip", str(skip)]
        secrets = {
            "passphrase": generations[-1][0],
            "upcoming": [p for p, _ in upcoming],
            "recovery": [r for _, r in upcoming],
        }
        result = run_round(args, secrets, delay, pause is not None)
        how = f"{pause} {target} of re-key {skip}" if pause else f"{delay:.3f} s after ready"
        context = describe(result, seed, round_no, how)
        assert result.killed, f"the child ended on its own; {context}"
        changed = len(result.values("changed"))
        if pause:
            assert result.values("paused") == [pause] and changed == skip, context
        # The set before the current one, the current one and this round's: an older set
        # working again would show as the previous one (each costs a KDF run to try).
        base = max(0, len(generations) - 2)
        candidates = [*generations[base:], *upcoming]
        committed = len(generations) - 1 - base + changed  # the newest set known in place
        in_flight = len(result.values("begin-change")) > changed

        vault = Vault.open(path)
        try:
            assert temp_leftovers(path) == [], f"temp files survived the next start; {context}"
            working = [n for n, (p, _) in enumerate(candidates) if unlocks(vault, p, context)]
            assert len(working) == 1, f"working passphrases: {working}; {context}"
            (now,) = working
            assert now == committed or (in_flight and now == committed + 1), context
            if pause == "before-replace" and target == "/.svjournal-restore":
                assert now == committed, f"rolled forward before the marker; {context}"
            elif pause:
                assert now == committed + 1, f"not rolled forward after the marker; {context}"
            key_file = KeyFile.from_bytes((path / "journal.key").read_bytes())
            opened = [n for n, (_, r) in enumerate(candidates) if recovers(key_file, r)]
            assert opened == [now], f"working recovery keys: {opened}; {context}"
            data_key = recovers(key_file, candidates[now][1])
            assert data_key is not None
            vault.unlock(candidates[now][0])
            contents = read_back(vault, context)
        finally:
            vault.close()
        confirmed = set(result.values("saved"))
        assert (known.notes | confirmed) <= contents.notes, f"confirmed saves lost; {context}"
        assert contents.notes <= known.notes | set(result.values("begin")), context
        assert set(result.values("case")) <= contents.aliases, context
        # Every backup opens with the working set alone: none was left under an older key.
        for backup in backups.list_backups(path / "backups"):
            header, _part = backup_parts(backup)
            assert KeyFile.from_bytes(header.key_file).fits(data_key), f"{backup.name}; {context}"
        newest = backups.list_backups(path / "backups")[0]
        assert backup_notes(newest, data_key, scratch) <= contents.notes, context
        known = contents
        generations = [*generations[:base], *candidates[: now + 1]]
    assert len(generations) > RANDOM_KILL_ROUNDS, f"too few re-keys completed; {seed_note(seed)}"


def notes_at_each_backup(result: ChildResult, start: set[str]) -> dict[str, set[str]]:
    """For each backup the child confirmed or began: the notes saved before it began."""
    notes, found = set(start), {}
    for line in result.lines:
        if line.startswith("saved "):
            notes.add(line.removeprefix("saved "))
        elif line == "begin-backup":
            found[""] = set(notes)  # the backup in flight, named once it is confirmed
        elif line.startswith("backup "):
            found[line.removeprefix("backup ")] = found.pop("")
    return found


def test_killed_while_taking_a_backup_keeps_the_previous_backup_intact(
    tmp_path: Path, seed: int, memory_keyring: MemoryKeyring
) -> None:
    rng = random.Random(seed + 2)
    path = tmp_path / "vault"
    new_vault(path)
    store, key_hex = remembered(path)
    data_key = bytes.fromhex(key_hex)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    known = Contents()
    all_confirmed: list[str] = []
    before: set[str] = set()
    for round_no, (pause, skip) in enumerate(passphrase_plans(rng)):
        delay = rng.uniform(0.0, 1.0)
        args = ["backup", str(path), "--round", str(round_no), "--umask", "000"]
        if pause:
            args += ["--pause", pause, "--pause-skip", str(skip)]
        result = run_round(args, {"key": key_hex}, delay, pause is not None)
        context = describe(result, seed, round_no, pause or f"{delay:.3f} s after ready")
        assert result.killed, f"the child ended on its own; {context}"
        made = notes_at_each_backup(result, known.notes)
        confirmed = result.values("backup")
        if pause:
            assert result.values("paused") == [pause] and len(confirmed) == skip, context
        if pause == "before-replace":
            assert [n for n in temp_leftovers(path) if n.endswith(".tmp")], context
        # Owner-only even though the child ran with umask 000 (checked before anything repairs).
        # A child killed before its first backup began has not made the folder yet (a loaded
        # machine can take longer than the delay to get there): nothing there to be loose.
        backups_dir = path / "backups"
        assert mode(path) == 0o700, context
        assert not backups_dir.exists() or mode(backups_dir) == 0o700, context
        for entry in [path / "journal.key", path / "journal.db", *path.glob("backups/svj*")]:
            assert mode(entry) == 0o600, f"{entry.name}: {oct(mode(entry))}; {context}"

        vault = reopen(path, store, context)
        try:
            now = read_back(vault, context)
            present = {p.name for p in backups.list_backups(vault.backups_dir)}
        finally:
            vault.close()
        confirmed_notes = set(result.values("saved"))
        assert (known.notes | confirmed_notes) <= now.notes, context
        assert now.notes <= known.notes | set(result.values("begin")), context

        # Every backup file under its final name is whole, confirmed or not.
        for name in present:
            backup_parts(path / "backups" / name)
        # The newest confirmed backups survive; only rotation (keep 10) removes older ones,
        # and the one in flight may already count among the ten.
        all_confirmed += confirmed
        kept = all_confirmed[-(DEFAULT_BACKUPS_KEPT - 1) :]
        assert set(kept) <= present, f"confirmed backups gone: {set(kept) - present}; {context}"
        if confirmed:
            got = backup_notes(path / "backups" / confirmed[-1], data_key, scratch)
            assert got == made[confirmed[-1]], f"{confirmed[-1]}: wrong contents; {context}"
        # A backup published but not yet confirmed (killed between rename and reply) is whole
        # and holds what was saved before it began.
        unconfirmed = present - before - set(confirmed)
        assert len(unconfirmed) <= (1 if pause != "before-replace" else 0), context
        if pause == "after-replace":
            assert len(unconfirmed) == 1, f"the published backup is missing; {context}"
        for name in unconfirmed:
            in_flight = made.get("")
            assert backup_notes(path / "backups" / name, data_key, scratch) == in_flight, context
        before = present
        known = now
