"""The vault folder: life cycle, passphrases, recovery, keyring, permissions, damage, backups."""

from __future__ import annotations

import hashlib
import os
import random
import stat
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlalchemy import Engine, text

from svjournal.core import backup as backups
from svjournal.core.errors import (
    KeyringFailed,
    KeyringUnavailable,
    VaultDamaged,
    VaultExists,
    VaultInUse,
    VaultLocked,
    VaultNotFound,
    WeakPassphrase,
    WrongPassphrase,
    WrongRecoveryKey,
)
from svjournal.core.inputs import CaseInput
from svjournal.core.journal import Journal
from svjournal.core.keyfile import generate_recovery_key
from svjournal.core.passphrase import assess
from svjournal.core.secrets import SERVICE, OSKeyStore
from svjournal.core.vault import Vault
from tests.conftest import FAST_KDF, FIXED_NOW, PASSPHRASE, MemoryKeyring

NEW_PASSPHRASE = "violet submarine under the quiet harbour"
WEAK = ["password", "abc", "1234567890", "qwertyuiop"]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below `folder` (recursively) by relative name, with its SHA-256."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def add_case(engine: Engine, alias: str = "Case-A") -> None:
    Journal(engine, clock=lambda: FIXED_NOW).open_case(
        CaseInput(
            alias=alias,
            role="nurse",
            department="icu",
            event_category="near_miss",
            referral_source="self",
            referred_on=date(2026, 11, 20),
        )
    )


def aliases(engine: Engine) -> list[str]:
    return [row.alias for row in Journal(engine, clock=lambda: FIXED_NOW).list_cases()]


def make_closed_vault(path: Path, passphrase: str = PASSPHRASE) -> str:
    """Create a vault holding one case, close it and return the recovery key."""
    vault, recovery_key = Vault.create(path, passphrase, kdf=FAST_KDF)
    try:
        add_case(vault.engine)
    finally:
        vault.close()
    return recovery_key


# --- life cycle ---------------------------------------------------------------------------


def test_create_close_open_unlock_keeps_the_data(vault_path: Path) -> None:
    vault, recovery_key = Vault.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    assert vault.is_unlocked
    assert recovery_key
    add_case(vault.engine, "Kestrel")
    vault.close()
    assert not vault.is_unlocked
    assert (vault_path / "journal.db").is_file()
    assert (vault_path / "journal.key").is_file()

    reopened = Vault.open(vault_path)
    try:
        assert not reopened.is_unlocked
        with pytest.raises(VaultLocked):
            _ = reopened.engine
        reopened.unlock(PASSPHRASE)
        assert reopened.is_unlocked
        assert aliases(reopened.engine) == ["Kestrel"]
    finally:
        reopened.close()


def test_context_manager_releases_the_vault(vault_path: Path) -> None:
    make_closed_vault(vault_path)
    with Vault.open(vault_path) as vault:
        vault.unlock(PASSPHRASE)
        with pytest.raises(VaultInUse):
            Vault.open(vault_path)
    assert not vault.is_unlocked
    Vault.open(vault_path).close()


@pytest.mark.parametrize(
    "passphrase",
    [
        'Ça "marche" \\ vraiment 🐢 bien',
        "it's O'Brien's \"quoted\" lighthouse keeper",
        "C:\\Users\\señor\\ñandú\\ventana",
        "Grüße aus Köln 🚲 fährt Straße",
        "🐢🦊🐙🌵 kettle wander \\n \\x00 '; DROP TABLE",
    ],
)
def test_passphrases_with_quotes_backslashes_accents_and_emoji(
    tmp_path: Path, passphrase: str
) -> None:
    assert assess(passphrase).acceptable
    path = tmp_path / "vault"
    make_closed_vault(path, passphrase)
    vault = Vault.open(path)
    try:
        with pytest.raises(WrongPassphrase):
            vault.unlock(passphrase.replace("\\", "/") + "x")
        vault.unlock(passphrase)
        assert aliases(vault.engine) == ["Case-A"]
    finally:
        vault.close()


def test_wrong_passphrase_changes_no_byte_and_the_vault_still_unlocks(vault_path: Path) -> None:
    make_closed_vault(vault_path)
    before = snapshot(vault_path)
    assert {"journal.db", "journal.key"} <= set(before)
    vault = Vault.open(vault_path)
    try:
        for attempt in ("Correct Horse Battery Staple", PASSPHRASE + " ", "", "ça"):
            with pytest.raises(WrongPassphrase):
                vault.unlock(attempt)
            assert not vault.is_unlocked
        assert snapshot(vault_path) == before
        vault.unlock(PASSPHRASE)
        assert aliases(vault.engine) == ["Case-A"]
    finally:
        vault.close()


def test_vault_exists_when_creating_twice(vault_path: Path) -> None:
    make_closed_vault(vault_path)
    before = snapshot(vault_path)
    with pytest.raises(VaultExists):
        Vault.create(vault_path, NEW_PASSPHRASE, kdf=FAST_KDF)
    assert snapshot(vault_path) == before


def test_vault_exists_while_the_first_is_still_open(vault: Vault, vault_path: Path) -> None:
    with pytest.raises(VaultExists):
        Vault.create(vault_path, NEW_PASSPHRASE, kdf=FAST_KDF)
    assert vault.is_unlocked


def test_vault_not_found_for_an_empty_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(VaultNotFound):
        Vault.open(empty)
    assert list(empty.iterdir()) == []  # nothing created, not even a lock file


def test_vault_not_found_for_a_missing_folder(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    with pytest.raises(VaultNotFound):
        Vault.open(missing)
    assert not missing.exists()


def test_vault_in_use_while_open_and_free_after_close(vault: Vault, vault_path: Path) -> None:
    with pytest.raises(VaultInUse):
        Vault.open(vault_path)
    vault.close()
    again = Vault.open(vault_path)
    try:
        with pytest.raises(VaultInUse):
            Vault.open(vault_path)
    finally:
        again.close()
    Vault.open(vault_path).close()


def test_locked_vault_refuses_engine_and_backup(vault: Vault) -> None:
    engine = vault.engine
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
    vault.lock()
    assert not vault.is_unlocked
    with pytest.raises(VaultLocked):
        _ = vault.engine
    with pytest.raises(VaultLocked):
        vault.backup()
    vault.unlock(PASSPHRASE)
    assert vault.is_unlocked


# --- passphrase changes and strength ------------------------------------------------------


def test_change_passphrase_re_keys_the_database_and_the_key_file(vault_path: Path) -> None:
    # Issue 13: the old behaviour (only the key file rewritten, the same data key) left the
    # old passphrase opening every copy of the database; now both files change.
    make_closed_vault(vault_path)
    vault = Vault.open(vault_path)
    try:
        before = snapshot(vault_path)
        vault.change_passphrase(PASSPHRASE, NEW_PASSPHRASE, kdf=FAST_KDF)
        after = snapshot(vault_path)
        assert set(after) == set(before)
        assert after["journal.key"] != before["journal.key"]
        assert after["journal.db"] != before["journal.db"]
        with pytest.raises(WrongPassphrase):
            vault.unlock(PASSPHRASE)
        vault.unlock(NEW_PASSPHRASE)
        assert aliases(vault.engine) == ["Case-A"]
    finally:
        vault.close()

    reopened = Vault.open(vault_path)
    try:
        with pytest.raises(WrongPassphrase):
            reopened.unlock(PASSPHRASE)
        reopened.unlock(NEW_PASSPHRASE)
    finally:
        reopened.close()


def test_change_passphrase_with_the_wrong_current_one_changes_nothing(vault: Vault) -> None:
    before = vault.key_path.read_bytes()
    with pytest.raises(WrongPassphrase):
        vault.change_passphrase("not the passphrase at all", NEW_PASSPHRASE, kdf=FAST_KDF)
    assert vault.key_path.read_bytes() == before


@pytest.mark.parametrize("weak", WEAK)
def test_weak_passphrase_refused_at_create(tmp_path: Path, weak: str) -> None:
    path = tmp_path / "vault"
    with pytest.raises(WeakPassphrase):
        Vault.create(path, weak, kdf=FAST_KDF)
    assert not path.exists()


@pytest.mark.parametrize("weak", WEAK)
def test_weak_passphrase_refused_at_change(vault: Vault, weak: str) -> None:
    before = vault.key_path.read_bytes()
    with pytest.raises(WeakPassphrase):
        vault.change_passphrase(PASSPHRASE, weak, kdf=FAST_KDF)
    assert vault.key_path.read_bytes() == before


# --- recovery key -------------------------------------------------------------------------


def test_recovery_key_resets_the_passphrase(vault_path: Path) -> None:
    recovery_key = make_closed_vault(vault_path)
    vault = Vault.open(vault_path)
    try:
        vault.unlock_with_recovery_key(recovery_key.lower(), NEW_PASSPHRASE, kdf=FAST_KDF)
        assert vault.is_unlocked
        assert aliases(vault.engine) == ["Case-A"]
    finally:
        vault.close()

    reopened = Vault.open(vault_path)
    try:
        with pytest.raises(WrongPassphrase):
            reopened.unlock(PASSPHRASE)
        reopened.unlock(NEW_PASSPHRASE)
        assert aliases(reopened.engine) == ["Case-A"]
    finally:
        reopened.close()


def test_wrong_recovery_key_is_refused_and_changes_nothing(vault_path: Path) -> None:
    make_closed_vault(vault_path)
    before = snapshot(vault_path)
    vault = Vault.open(vault_path)
    try:
        for wrong in (generate_recovery_key(), "ABCDE-FGHJK", "not a recovery key"):
            with pytest.raises(WrongRecoveryKey):
                vault.unlock_with_recovery_key(wrong, NEW_PASSPHRASE, kdf=FAST_KDF)
            assert not vault.is_unlocked
        assert snapshot(vault_path) == before
        vault.unlock(PASSPHRASE)
    finally:
        vault.close()


def test_recovery_reset_refuses_a_weak_new_passphrase(vault_path: Path) -> None:
    recovery_key = make_closed_vault(vault_path)
    vault = Vault.open(vault_path)
    try:
        before = vault.key_path.read_bytes()
        with pytest.raises(WeakPassphrase):
            vault.unlock_with_recovery_key(recovery_key, "password", kdf=FAST_KDF)
        assert vault.key_path.read_bytes() == before
    finally:
        vault.close()


# --- keyring ------------------------------------------------------------------------------


class PlaintextFileKeyring(MemoryKeyring):
    """Stands in for keyrings.alt's plaintext file backend."""

    __module__ = "keyrings.alt.file"
    priority = 5  # type: ignore[assignment]

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


def test_remembered_key_unlocks_a_fresh_open(
    vault: Vault, vault_path: Path, memory_keyring: MemoryKeyring
) -> None:
    store = OSKeyStore()
    assert store.available() == (True, "")
    add_case(vault.engine, "Remembered")
    vault.remember(store)
    vault_id = vault.vault_id
    entry = memory_keyring.entries[(SERVICE, vault_id)]
    assert len(bytes.fromhex(entry)) == 32
    vault.close()

    reopened = Vault.open(vault_path)
    try:
        assert reopened.unlock_with_keystore(OSKeyStore()) is True
        assert reopened.is_unlocked
        assert aliases(reopened.engine) == ["Remembered"]
        reopened.forget(OSKeyStore())
        assert memory_keyring.entries == {}
        reopened.forget(OSKeyStore())  # forgetting twice is fine
    finally:
        reopened.close()

    again = Vault.open(vault_path)
    try:
        assert again.unlock_with_keystore(OSKeyStore()) is False
        assert not again.is_unlocked
        again.unlock(PASSPHRASE)  # the passphrase path still works
    finally:
        again.close()


def test_keyring_entry_that_does_not_fit_is_keyring_failed(
    vault_path: Path, memory_keyring: MemoryKeyring
) -> None:
    make_closed_vault(vault_path)
    before = snapshot(vault_path)
    vault = Vault.open(vault_path)
    try:
        memory_keyring.entries[(SERVICE, vault.vault_id)] = os.urandom(32).hex()
        with pytest.raises(KeyringFailed):
            vault.unlock_with_keystore(OSKeyStore())
        assert not vault.is_unlocked
        assert snapshot(vault_path) == before
        vault.unlock(PASSPHRASE)
    finally:
        vault.close()


@pytest.mark.parametrize("value", ["not hex at all", "abcd", os.urandom(16).hex()])
def test_keyring_entry_that_is_not_a_key_is_keyring_failed(
    vault: Vault, memory_keyring: MemoryKeyring, value: str
) -> None:
    vault.lock()
    memory_keyring.entries[(SERVICE, vault.vault_id)] = value
    with pytest.raises(KeyringFailed):
        vault.unlock_with_keystore(OSKeyStore())
    assert not vault.is_unlocked


def test_absent_keyring_is_reported_unavailable(vault: Vault) -> None:
    store = OSKeyStore()
    available, reason = store.available()
    assert available is False
    assert reason
    with pytest.raises(KeyringUnavailable):
        vault.remember(store)


def test_absent_keyring_refuses_remember_and_load_with_keyring_unavailable(vault: Vault) -> None:
    with pytest.raises(KeyringUnavailable):
        vault.remember(OSKeyStore())
    vault.lock()
    with pytest.raises(KeyringUnavailable):
        vault.unlock_with_keystore(OSKeyStore())
    assert not vault.is_unlocked
    vault.unlock(PASSPHRASE)


def test_failing_keyring_is_keyring_failed(vault: Vault, failing_keyring: KeyringBackend) -> None:
    with pytest.raises(KeyringFailed):
        vault.remember(OSKeyStore())
    with pytest.raises(KeyringFailed):
        OSKeyStore().load(vault.vault_id)
    vault.lock()
    with pytest.raises(KeyringFailed):
        vault.unlock_with_keystore(OSKeyStore())
    assert not vault.is_unlocked


def test_no_plaintext_keyring_fallback(vault: Vault) -> None:
    backend = PlaintextFileKeyring()
    assert type(backend).__module__ == "keyrings.alt.file"
    keyring.set_keyring(backend)
    store = OSKeyStore()
    available, reason = store.available()
    assert available is False
    assert reason
    with pytest.raises(KeyringUnavailable):
        vault.remember(store)
    with pytest.raises(KeyringUnavailable):
        store.load(vault.vault_id)
    assert backend.entries == {}


# --- permissions --------------------------------------------------------------------------

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


@posix_only
def test_create_makes_everything_owner_only(vault: Vault, vault_path: Path) -> None:
    vault.backup()
    assert mode(vault_path) == 0o700
    entries = list(vault_path.rglob("*"))
    assert {"journal.db", "journal.key", "backups"} <= {p.name for p in entries}
    for entry in entries:
        if entry.is_dir():
            assert mode(entry) == 0o700, entry
        else:
            assert mode(entry) == 0o600, entry
    assert vault.check().problems == []


@posix_only
def test_open_repairs_loosened_permissions(vault_path: Path) -> None:
    make_closed_vault(vault_path)
    os.chmod(vault_path / "journal.db", 0o644)
    os.chmod(vault_path / "journal.key", 0o644)
    os.chmod(vault_path, 0o755)
    vault = Vault.open(vault_path)
    try:
        assert mode(vault_path) == 0o700
        assert mode(vault_path / "journal.db") == 0o600
        assert mode(vault_path / "journal.key") == 0o600
        vault.unlock(PASSPHRASE)
        assert vault.check().problems == []
    finally:
        vault.close()


# --- damage -------------------------------------------------------------------------------


def _truncate(vault_path: Path) -> Path:
    db = vault_path / "journal.db"
    db.write_bytes(db.read_bytes()[:1000])
    return db


def _empty(vault_path: Path) -> Path:
    db = vault_path / "journal.db"
    db.write_bytes(b"")
    return db


def _random(vault_path: Path) -> Path:
    db = vault_path / "journal.db"
    db.write_bytes(random.Random(7731).randbytes(8192))
    return db


def _delete_db(vault_path: Path) -> Path:
    db = vault_path / "journal.db"
    db.unlink()
    return db


def _delete_key(vault_path: Path) -> Path:
    key = vault_path / "journal.key"
    key.unlink()
    return key


def _alter_key_byte(vault_path: Path) -> Path:
    key = vault_path / "journal.key"
    raw = key.read_bytes()
    marker = b'"ciphertext": "'
    at = raw.index(marker) + len(marker) + 5
    replacement = b"B" if raw[at : at + 1] == b"A" else b"A"
    key.write_bytes(raw[:at] + replacement + raw[at + 1 :])
    return key


def _garbage_key(vault_path: Path) -> Path:
    key = vault_path / "journal.key"
    key.write_bytes(random.Random(4411).randbytes(300))
    return key


DAMAGE: dict[str, Callable[[Path], Path]] = {
    "truncated-db": _truncate,
    "empty-db": _empty,
    "random-db": _random,
    "deleted-db": _delete_db,
    "deleted-key": _delete_key,
    "altered-key": _alter_key_byte,
    "garbage-key": _garbage_key,
}


def _open_and_unlock(path: Path) -> None:
    vault = Vault.open(path)
    try:
        vault.unlock(PASSPHRASE)
    finally:
        vault.close()


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damage_is_vault_damaged_naming_the_newest_backup(
    vault: Vault, vault_path: Path, damage: Callable[[Path], Path]
) -> None:
    add_case(vault.engine)
    newest = vault.backup()
    vault.close()
    damaged = damage(vault_path)
    before = snapshot(vault_path)
    with pytest.raises(VaultDamaged) as caught:
        _open_and_unlock(vault_path)
    assert not isinstance(caught.value, WrongPassphrase)
    assert caught.value.newest_backup == newest
    assert str(newest) in str(caught.value)
    # Nothing was repaired, recreated or overwritten.
    assert snapshot(vault_path) == before
    assert damaged.exists() == (damaged.name in before)
    # The backup it names is intact and still carries a key file.
    assert backups.read_header(newest).key_file


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damage_without_backup_says_so(vault_path: Path, damage: Callable[[Path], Path]) -> None:
    make_closed_vault(vault_path)
    damage(vault_path)
    with pytest.raises(VaultDamaged) as caught:
        _open_and_unlock(vault_path)
    assert caught.value.newest_backup is None
    assert "No backup" in str(caught.value)


def test_wrong_passphrase_on_a_damaged_database_is_still_wrong_passphrase(
    vault_path: Path,
) -> None:
    # The key file is sound, so a wrong passphrase is told apart from damage.
    make_closed_vault(vault_path)
    _random(vault_path)
    vault = Vault.open(vault_path)
    try:
        with pytest.raises(WrongPassphrase):
            vault.unlock(NEW_PASSPHRASE)
        with pytest.raises(VaultDamaged):
            vault.unlock(PASSPHRASE)
    finally:
        vault.close()


# --- backups ------------------------------------------------------------------------------


def test_backup_carries_the_current_key_file(vault: Vault) -> None:
    first = vault.backup()
    assert first.parent == vault.backups_dir
    assert first.is_file()
    assert backups.read_header(first).key_file == vault.key_path.read_bytes()
    assert backups.read_header(first).reason == "manual"
    old_key_file = vault.key_path.read_bytes()

    # Kept as it was on request (issue 13: by default it is re-sealed under the new key).
    vault.change_passphrase(PASSPHRASE, NEW_PASSPHRASE, kdf=FAST_KDF, keep_old_backups=True)
    second = vault.backup()
    assert second != first
    assert backups.read_header(second).key_file == vault.key_path.read_bytes()
    assert backups.read_header(second).key_file != old_key_file
    assert backups.read_header(first).key_file == old_key_file


def _clock(monkeypatch: pytest.MonkeyPatch, step: timedelta) -> None:
    """Backups are named as if taken one `step` apart (zero: all in the same second)."""
    original = backups.backup_name
    ticks = iter(range(1000))

    def named(reason: str, when: datetime | None = None) -> str:
        return original(reason, FIXED_NOW + step * next(ticks))

    monkeypatch.setattr(backups, "backup_name", named)


def test_rotation_keeps_the_newest(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    _clock(monkeypatch, timedelta(minutes=1))
    made = [vault.backup(keep=2) for _ in range(4)]
    assert sorted(p.name for p in vault.backups_dir.iterdir()) == sorted(p.name for p in made[2:])
    assert vault.newest_backup() == made[-1]


def test_rotation_keeps_the_newest_of_backups_taken_in_the_same_second(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clock(monkeypatch, timedelta(0))
    made = [vault.backup(keep=2) for _ in range(3)]
    assert made[-1].exists(), "the backup just written was rotated away"
    assert sorted(p.name for p in vault.backups_dir.iterdir()) == sorted(p.name for p in made[1:])
    assert vault.newest_backup() == made[-1]


def test_rotation_with_keep_one_never_deletes_the_backup_just_made(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clock(monkeypatch, timedelta(0))
    vault.backup(keep=1)
    latest = vault.backup(keep=1)
    assert latest.exists()
    assert [p.name for p in vault.backups_dir.iterdir()] == [latest.name]
