"""Damaged vault files: a clear VaultDamaged naming the newest backup, and nothing touched.

Each case damages a copy of one vault (with demo data and a backup), then opens, unlocks and
reads everything through the service. The only acceptable outcome is VaultDamaged — never
another exception, never a fresh empty database — with the damaged files left byte for byte
as they were and the backup it names still whole.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from svjournal import cli
from svjournal.core import demo
from svjournal.core.errors import UnsupportedVersion, VaultDamaged
from svjournal.core.journal import Journal
from svjournal.core.keyfile import KeyFile
from svjournal.core.settings import SETTINGS
from svjournal.core.vault import Vault
from tests.conftest import FAST_KDF, FIXED_NOW, PASSPHRASE
from tests.reliability.support import (
    HandedKey,
    backup_notes,
    seed_note,
    snapshot,
    suite_seed,
)

PAGE = 4096
SAMPLED_FLIPS = 24


@dataclass(frozen=True)
class Base:
    """The healthy vault every case starts from."""

    path: Path
    backup_name: str
    key: bytes
    notes: set[str]
    db_size: int
    seed: int


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    path = tmp_path_factory.mktemp("damage") / "vault"
    vault, _recovery = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    try:
        demo.generate(vault.engine, cases=30, seed=5, anchor=FIXED_NOW.date())
        newest = vault.backup()
    finally:
        vault.close()
    key = KeyFile.from_bytes((path / "journal.key").read_bytes()).unwrap_with_passphrase(PASSPHRASE)
    notes = backup_notes(newest, key, tmp_path_factory.mktemp("scratch"))
    assert len(notes) > 1
    size = (path / "journal.db").stat().st_size
    assert size >= 20 * PAGE  # room for damage in early, middle and late pages
    return Base(path, newest.name, key, notes, size, suite_seed())


def copy_of(base: Base, where: Path) -> Path:
    target = where / f"vault-{len(list(where.iterdir()))}"
    shutil.copytree(base.path, target, symlinks=True)
    return target


def read_everything(vault: Vault) -> None:
    """What the app reads in a session: every case with its records, settings, lists."""
    journal = Journal(vault.engine, clock=lambda: FIXED_NOW)
    for row in journal.list_cases():
        journal.get_case(row.id)
        journal.encounters(row.id)
        journal.follow_ups(row.id)
        journal.contact(row.id)
    for key in SETTINGS:
        journal.setting(key)
    journal.due_today()
    journal.overdue()
    journal.upcoming()
    journal.settled_follow_ups()
    journal.trash()
    journal.drafts()
    journal.export_log()


def open_unlock_read(path: Path, key: bytes | None = None, passphrase: str | None = None) -> None:
    vault = Vault.open(path)
    try:
        if passphrase is not None:
            vault.unlock(passphrase)
        else:
            assert key is not None and vault.unlock_with_keystore(HandedKey(key))
        read_everything(vault)
        report = vault.check()
        assert report.ok, report  # reached only when nothing above noticed the damage
    finally:
        vault.close()


def outcome(path: Path, base: Base, *, passphrase: str | None = None) -> str:
    """'' when the damage was reported as it should be, else what went wrong."""
    before = snapshot(path)
    try:
        open_unlock_read(path, base.key, passphrase)
    except VaultDamaged as exc:
        newest = path / "backups" / base.backup_name
        if exc.newest_backup != newest or str(newest) not in str(exc):
            return f"VaultDamaged without the newest backup: {exc}"
    except Exception as exc:  # any other outcome is the failure being reported
        return f"{type(exc).__module__}.{type(exc).__name__}: {str(exc)[:200]}"
    else:
        return "no error: the damage went unnoticed"
    after = snapshot(path)
    if after != before:
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        return f"files changed by the failed open: {changed}"
    return ""


def assert_backup_whole(path: Path, base: Base, scratch: Path) -> None:
    assert backup_notes(path / "backups" / base.backup_name, base.key, scratch) == base.notes


# --- the database file --------------------------------------------------------------------


def flip(data: bytes, at: int, mask: int) -> bytes:
    damaged = bytearray(data)
    damaged[at] ^= mask
    return bytes(damaged)


def test_a_flipped_byte_anywhere_in_the_database_is_vault_damaged(
    base: Base, tmp_path: Path
) -> None:
    rng = random.Random(base.seed)
    size = base.db_size
    edges = [0, 15, 16, 100, PAGE - 1, PAGE, PAGE + 200, size // 2, size - PAGE, size - 1]
    positions = sorted(set(edges + rng.sample(range(size), SAMPLED_FLIPS)))
    failures = {}
    for at in positions:
        path = copy_of(base, tmp_path)
        db = path / "journal.db"
        db.write_bytes(flip(db.read_bytes(), at, rng.randrange(1, 256)))
        problem = outcome(path, base)
        if problem:
            failures[f"byte {at} (page {at // PAGE})"] = problem
        shutil.rmtree(path)
    assert not failures, (
        f"{len(failures)}/{len(positions)} flips: {failures}; {seed_note(base.seed)}"
    )


def _truncate(n: int) -> Callable[[bytes], bytes]:
    return lambda data: data[:n]


def _random_bytes(size: int, seed: int) -> Callable[[bytes], bytes]:
    return lambda data: random.Random(seed).randbytes(size)


DB_DAMAGE: dict[str, Callable[[Base], Callable[[bytes], bytes]]] = {
    "empty": lambda b: _truncate(0),
    "one byte": lambda b: _truncate(1),
    "cut mid first page": lambda b: _truncate(1000),
    "one page": lambda b: _truncate(PAGE),
    "two pages": lambda b: _truncate(2 * PAGE),
    "half, on a page boundary": lambda b: _truncate(b.db_size // 2 // PAGE * PAGE),
    "last page missing": lambda b: _truncate(b.db_size - PAGE),
    "last byte missing": lambda b: _truncate(b.db_size - 1),
    "random, whole pages": lambda b: _random_bytes(b.db_size, b.seed),
    "random, odd size": lambda b: _random_bytes(b.db_size + 77, b.seed + 1),
    "zeroed first page": lambda b: lambda data: bytes(PAGE) + data[PAGE:],
    "zeroed last page": lambda b: lambda data: data[:-PAGE] + bytes(PAGE),
}


@pytest.mark.parametrize("kind", DB_DAMAGE)
def test_damaged_database_is_vault_damaged_and_left_untouched(
    base: Base, tmp_path: Path, kind: str
) -> None:
    path = copy_of(base, tmp_path)
    db = path / "journal.db"
    db.write_bytes(DB_DAMAGE[kind](base)(db.read_bytes()))
    problem = outcome(path, base)
    assert problem == "", f"{kind}: {problem}; {seed_note(base.seed)}"
    assert_backup_whole(path, base, tmp_path)


def test_a_foreign_sqlite_file_or_a_missing_database_is_vault_damaged(
    base: Base, tmp_path: Path
) -> None:
    foreign = copy_of(base, tmp_path)
    (foreign / "journal.db").unlink()
    conn = sqlite3.connect(foreign / "journal.db")
    conn.execute("CREATE TABLE cases (alias TEXT)")
    conn.execute("INSERT INTO cases VALUES ('not ours')")
    conn.commit()
    conn.close()
    assert outcome(foreign, base) == ""

    missing = copy_of(base, tmp_path)
    (missing / "journal.db").unlink()
    assert outcome(missing, base) == ""
    assert not (missing / "journal.db").exists()  # no fresh, empty database in its place

    # The backup file itself where the database should be: ours, but not a database.
    swapped = copy_of(base, tmp_path)
    shutil.copyfile(swapped / "backups" / base.backup_name, swapped / "journal.db")
    assert outcome(swapped, base) == ""


@pytest.mark.parametrize(
    "kind", ["empty", "half, on a page boundary", "zeroed first page", "random, whole pages"]
)
def test_the_passphrase_path_reports_the_same_damage(base: Base, tmp_path: Path, kind: str) -> None:
    path = copy_of(base, tmp_path)
    db = path / "journal.db"
    db.write_bytes(DB_DAMAGE[kind](base)(db.read_bytes()))
    assert outcome(path, base, passphrase=PASSPHRASE) == ""


# --- the key file -------------------------------------------------------------------------


def only_the_version_changed(data: bytes, original: KeyFile) -> bool:
    try:
        body = json.loads(data)
    except ValueError:
        return False
    if not isinstance(body, dict) or not isinstance(body.get("version"), int):
        return False
    before = json.loads(original.to_bytes())
    return body.pop("version") > before.pop("version") and body == before


def key_file_outcome(path: Path, data: bytes, original: KeyFile, at: int) -> str:
    """'' if a key file holding `data` is refused as damage (or means the same as before)."""
    (path / "journal.key").write_bytes(data)
    try:
        Vault.open(path).close()
    except VaultDamaged:
        return ""
    except UnsupportedVersion:
        # A flip that turns the format version into a higher number reads as a newer file
        # (a digit changed, or the newline after it turned into one: 1 -> 11); only when the
        # version is all that changed is that the honest answer.
        return "" if only_the_version_changed(data, original) else "UnsupportedVersion"
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    # Opened: only a flip in JSON whitespace (space, tab, newline) may leave the meaning whole.
    return "" if KeyFile.from_bytes(data) == original else "an altered key file was accepted"


def test_any_single_byte_change_or_cut_of_the_key_file_is_caught(
    base: Base, tmp_path: Path
) -> None:
    rng = random.Random(base.seed + 3)
    path = copy_of(base, tmp_path)
    db_before = (path / "journal.db").read_bytes()
    raw = (path / "journal.key").read_bytes()
    original = KeyFile.from_bytes(raw)
    failures = {}
    for at in range(len(raw)):  # every byte, each changed by a random non-zero mask
        mask = rng.randrange(1, 256)
        problem = key_file_outcome(path, flip(raw, at, mask), original, at)
        if problem:
            failures[f"byte {at} ^ {mask:#04x}"] = problem
    for cut in sorted(rng.sample(range(len(raw)), 120)):
        problem = key_file_outcome(path, raw[:cut], original, -1)
        if problem:
            failures[f"cut to {cut} bytes"] = problem
    assert not failures, f"{len(failures)} key-file changes: {failures}; {seed_note(base.seed)}"
    assert (path / "journal.db").read_bytes() == db_before


KEY_DAMAGE: dict[str, Callable[[Path], None]] = {
    "missing": lambda p: (p / "journal.key").unlink(),
    "empty": lambda p: (p / "journal.key").write_bytes(b""),
    "random bytes": lambda p: (p / "journal.key").write_bytes(random.Random(9).randbytes(900)),
    "not JSON": lambda p: (p / "journal.key").write_text("svjournal-keyfile\n"),
    "JSON, not ours": lambda p: (p / "journal.key").write_text('{"magic": "other", "version": 1}'),
}


@pytest.mark.parametrize("kind", KEY_DAMAGE)
def test_a_missing_or_foreign_key_file_is_vault_damaged(
    base: Base, tmp_path: Path, kind: str
) -> None:
    path = copy_of(base, tmp_path)
    KEY_DAMAGE[kind](path)
    assert outcome(path, base) == ""
    assert_backup_whole(path, base, tmp_path)


def test_the_key_file_of_another_vault_is_vault_damaged(base: Base, tmp_path: Path) -> None:
    other, _ = Vault.create(tmp_path / "other", PASSPHRASE, kdf=FAST_KDF)
    other.close()
    path = copy_of(base, tmp_path)
    shutil.copyfile(tmp_path / "other" / "journal.key", path / "journal.key")
    # Same passphrase, so the key unwraps — but it is not this database's key.
    assert outcome(path, base, passphrase=PASSPHRASE) == ""


# --- what the command line says -----------------------------------------------------------


@pytest.mark.parametrize("kind", ["truncated database", "altered key file"])
def test_the_command_line_names_the_newest_backup_in_one_line(
    base: Base, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = copy_of(base, tmp_path)
    if kind == "truncated database":
        DB_DAMAGE["half, on a page boundary"](base)  # the same damage as above
        db = path / "journal.db"
        db.write_bytes(db.read_bytes()[: base.db_size // 2 // PAGE * PAGE])
    else:
        key = path / "journal.key"
        key.write_bytes(flip(key.read_bytes(), 300, 0x01))
    before = snapshot(path)
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n")
    code = cli.main(["check", "--vault", str(path), "--passphrase-file", str(secret)])
    out, err = capsys.readouterr()
    assert code == cli.EXIT_ERROR
    assert err.count("\n") == 1 and err.startswith("svjournal: "), err
    assert "damaged" in err and str(path / "backups" / base.backup_name) in err, err
    assert "Traceback" not in out + err
    assert snapshot(path) == before
