"""Re-keying: a passphrase change or recovery leaves the old secrets opening nothing current."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from svjournal.core import backup as backups
from svjournal.core import rekey as rekeying
from svjournal.core import restore as restoring
from svjournal.core.db import DatabaseError, KeyHolder, open_raw
from svjournal.core.errors import VaultError, WrongPassphrase, WrongRecoveryKey
from svjournal.core.inputs import CaseInput
from svjournal.core.journal import Journal
from svjournal.core.keyfile import KdfParams, KeyFile
from svjournal.core.secrets import OSKeyStore
from svjournal.core.vault import Vault
from tests.conftest import FAST_KDF, FIXED_NOW, PASSPHRASE, MemoryKeyring

NEW_PASSPHRASE = "violet submarine under the quiet harbour"


def add_case(engine: Engine, alias: str) -> None:
    from datetime import date

    Journal(engine, clock=lambda: FIXED_NOW).open_case(
        CaseInput(
            alias=alias,
            role="nurse",
            department="icu",
            event_category="near_miss",
            referral_source="self",
            referred_on=date(2026, 11, 1),
        )
    )


def aliases(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(r[0] for r in conn.execute(text("SELECT alias FROM cases")))


def opens(db: Path, key: bytes) -> bool:
    """Whether `key` decrypts the database file at `db`."""
    try:
        open_raw(db, KeyHolder(key), configure=False).close()
    except DatabaseError:
        return False
    return True


@pytest.fixture
def filled(vault_path: Path) -> tuple[Vault, str, list[Path]]:
    vault, recovery_key = Vault.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    add_case(vault.engine, "Case-A")
    made = [vault.backup(), vault.backup("close")]
    return vault, recovery_key, made


def test_passphrase_change_revokes_the_old_passphrase_recovery_key_and_backup_key_files(
    filled: tuple[Vault, str, list[Path]], tmp_path: Path
) -> None:
    vault, old_recovery, made = filled
    old_key_file = KeyFile.from_bytes(vault.key_path.read_bytes())
    old_key = old_key_file.unwrap_with_passphrase(PASSPHRASE)
    # What someone copied before the change: a backup's key file, and the backup itself.
    copied = tmp_path / "copied.svjbackup"
    copied.write_bytes(made[0].read_bytes())
    from_backup = KeyFile.from_bytes(backups.read_header(copied).key_file)

    result = vault.change_passphrase(PASSPHRASE, NEW_PASSPHRASE, kdf=FAST_KDF)

    assert result.recovery_key != old_recovery
    assert aliases(vault.engine) == ["Case-A"]  # still unlocked and working
    add_case(vault.engine, "Case-B")  # and writing, to the new file
    vault.lock()
    current = KeyFile.from_bytes(vault.key_path.read_bytes())
    with pytest.raises(WrongPassphrase):
        current.unwrap_with_passphrase(PASSPHRASE)
    with pytest.raises(WrongRecoveryKey):
        current.unwrap_with_recovery_key(old_recovery)
    # The data key itself is new: the old one (from any old key file) opens nothing current.
    assert from_backup.unwrap_with_passphrase(PASSPHRASE) == old_key
    assert not opens(vault.db_path, old_key)
    new_key = current.unwrap_with_recovery_key(result.recovery_key)
    assert new_key != old_key and opens(vault.db_path, new_key)
    assert not current.fits(old_key)
    vault.unlock(NEW_PASSPHRASE)
    assert aliases(vault.engine) == ["Case-A", "Case-B"]
    vault.close()


def test_old_backups_are_resealed_under_the_new_key(
    filled: tuple[Vault, str, list[Path]], tmp_path: Path
) -> None:
    vault, old_recovery, made = filled
    headers = [backups.read_header(p) for p in made]

    result = vault.change_passphrase(PASSPHRASE, NEW_PASSPHRASE, kdf=FAST_KDF)

    assert sorted(result.resealed) == sorted(made) and result.old_backups == ()
    assert result.old_backups_warning is None
    assert sorted(backups.list_backups(vault.backups_dir)) == sorted(made)
    assert [p.name for p in vault.backups_dir.iterdir() if p.name.startswith(".")] == []
    for path, before in zip(made, headers, strict=True):
        after = backups.read_header(path)
        assert (after.created_at, after.reason, after.row_counts) == (
            before.created_at,
            before.reason,
            before.row_counts,
        )
        assert after.key_file == vault.key_path.read_bytes()
        with pytest.raises(Exception, match="does not open"):
            restoring.stage_backup(path, tmp_path / "x.db", passphrase=PASSPHRASE)
        with pytest.raises(Exception, match="does not open"):
            restoring.stage_backup(path, tmp_path / "x.db", recovery_key=old_recovery)
        staged = restoring.stage_backup(path, tmp_path / "y.db", passphrase=NEW_PASSPHRASE)
        assert staged.records == before.records
        staged.key.wipe()
        backups.remove_with_sidecars(tmp_path / "y.db")
    vault.close()


def test_keep_old_backups_leaves_them_as_they_were_with_a_warning(
    filled: tuple[Vault, str, list[Path]],
) -> None:
    vault, _recovery, made = filled
    before = {p: p.read_bytes() for p in made}
    result = vault.change_passphrase(
        PASSPHRASE, NEW_PASSPHRASE, kdf=FAST_KDF, keep_old_backups=True
    )
    assert result.resealed == () and sorted(result.old_backups) == sorted(made)
    assert result.old_backups_warning is not None
    assert "old passphrase or recovery key" in result.old_backups_warning
    assert {p: p.read_bytes() for p in made} == before
    vault.close()


def test_recovery_re_keys_and_spends_the_recovery_key(vault_path: Path) -> None:
    vault, old_recovery = Vault.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    add_case(vault.engine, "Case-A")
    vault.close()
    with Vault.open(vault_path) as vault:
        result = vault.unlock_with_recovery_key(old_recovery, NEW_PASSPHRASE, kdf=FAST_KDF)
        assert vault.is_unlocked and aliases(vault.engine) == ["Case-A"]
    with Vault.open(vault_path) as vault:
        with pytest.raises(WrongRecoveryKey):
            vault.unlock_with_recovery_key(old_recovery, PASSPHRASE, kdf=FAST_KDF)
        with pytest.raises(WrongPassphrase):
            vault.unlock(PASSPHRASE)
        vault.unlock(NEW_PASSPHRASE)
        vault.lock()
        vault.unlock_with_recovery_key(result.recovery_key, PASSPHRASE, kdf=FAST_KDF)
        assert aliases(vault.engine) == ["Case-A"]


def test_recovery_never_inherits_the_unopened_slots_parameters(
    vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: the new passphrase slot took the old passphrase slot's parameters, which the
    recovery key never opened (a key file altered to t=1, m=8 MiB, p=1 would stay weak)."""
    vault, recovery_key = Vault.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    vault.close()
    weak = KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)
    monkeypatch.setattr(KdfParams, "calibrated", classmethod(lambda cls, *a, **k: weak))
    with Vault.open(vault_path) as vault:
        vault.unlock_with_recovery_key(recovery_key, NEW_PASSPHRASE)
        slot = vault.read_key_file().passphrase.params
    assert slot.time_cost >= KdfParams.MIN_TIME
    assert slot.memory_kib >= KdfParams.MIN_MEMORY_KIB
    assert slot.parallelism >= KdfParams.MIN_PARALLELISM


def test_rekey_keeps_the_passphrase_and_replaces_the_recovery_key(
    filled: tuple[Vault, str, list[Path]],
) -> None:
    vault, old_recovery, _made = filled
    old_key = vault.read_key_file().unwrap_with_passphrase(PASSPHRASE)
    result = vault.rekey(passphrase=PASSPHRASE, kdf=FAST_KDF)
    current = vault.read_key_file()
    assert current.unwrap_with_passphrase(PASSPHRASE) != old_key
    with pytest.raises(WrongRecoveryKey):
        current.unwrap_with_recovery_key(old_recovery)
    assert current.unwrap_with_recovery_key(result.recovery_key) == current.unwrap_with_passphrase(
        PASSPHRASE
    )
    assert not opens(vault.db_path, old_key)
    vault.close()


def test_a_locked_vault_is_re_keyed_and_stays_locked(vault_path: Path) -> None:
    vault, _recovery = Vault.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    add_case(vault.engine, "Case-A")
    vault.close()
    with Vault.open(vault_path) as vault:
        vault.change_passphrase(PASSPHRASE, NEW_PASSPHRASE, kdf=FAST_KDF)
        assert not vault.is_unlocked
        vault.unlock(NEW_PASSPHRASE)
        assert aliases(vault.engine) == ["Case-A"]


def test_a_remembered_key_is_replaced(
    filled: tuple[Vault, str, list[Path]], memory_keyring: MemoryKeyring
) -> None:
    vault, _recovery, _made = filled
    store = OSKeyStore()
    vault.remember(store)
    result = vault.change_passphrase(PASSPHRASE, NEW_PASSPHRASE, kdf=FAST_KDF, store=store)
    assert result.keyring == "updated"
    remembered = store.load(vault.vault_id)
    assert remembered is not None and vault.read_key_file().fits(remembered)
    vault.lock()
    assert vault.unlock_with_keystore(store)
    vault.close()


def test_nothing_remembered_stays_so(
    filled: tuple[Vault, str, list[Path]], memory_keyring: MemoryKeyring
) -> None:
    vault, _recovery, _made = filled
    result = vault.rekey(passphrase=PASSPHRASE, kdf=FAST_KDF, store=OSKeyStore())
    assert result.keyring == "none" and memory_keyring.entries == {}
    vault.close()


def test_a_failure_before_the_commit_changes_nothing(
    filled: tuple[Vault, str, list[Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    vault, recovery_key, made = filled
    files = {p: p.read_bytes() for p in [vault.key_path, *made]}

    def fail(*args: object, **kwargs: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rekeying, "reseal_backup", fail)
    with pytest.raises(VaultError, match="No space left"):
        vault.change_passphrase(PASSPHRASE, NEW_PASSPHRASE, kdf=FAST_KDF)
    assert {p: p.read_bytes() for p in files} == files
    leftovers = [p.name for p in vault.path.rglob(".*") if p.name != ".svjournal.lock"]
    assert leftovers == []
    assert aliases(vault.engine) == ["Case-A"]  # still unlocked with the old key
    vault.lock()
    vault.unlock(PASSPHRASE)
    assert vault.read_key_file().unwrap_with_recovery_key(recovery_key)
    vault.close()


def test_a_re_key_is_refused_while_a_connection_is_in_use(
    filled: tuple[Vault, str, list[Path]],
) -> None:
    vault, _recovery, _made = filled
    before = vault.key_path.read_bytes()
    with vault.engine.connect(), pytest.raises(VaultError, match="busy"):
        vault.rekey(passphrase=PASSPHRASE, kdf=FAST_KDF)
    assert vault.key_path.read_bytes() == before
    vault.close()


def test_an_interrupted_re_key_rolls_forward_on_the_next_open(
    filled: tuple[Vault, str, list[Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed right after the marker: the next open finishes the swap (db, key, backups)."""
    vault, _recovery, made = filled
    real_finish = restoring.finish
    calls = [0]

    def crash_after_marker(db: Path, key: Path) -> bool:
        if (db.parent / restoring.MARKER).exists():
            calls[0] += 1
            raise OSError(5, "Input/output error")
        return real_finish(db, key)

    monkeypatch.setattr(restoring, "finish", crash_after_marker)
    with pytest.raises(VaultError, match="next time"):
        vault.change_passphrase(PASSPHRASE, NEW_PASSPHRASE, kdf=FAST_KDF)
    assert calls[0] == 1
    vault.close()
    monkeypatch.setattr(restoring, "finish", real_finish)
    with Vault.open(vault.path) as again:
        with pytest.raises(WrongPassphrase):
            again.unlock(PASSPHRASE)
        again.unlock(NEW_PASSPHRASE)
        assert aliases(again.engine) == ["Case-A"]
        current = again.read_key_file()
        assert all(backups.read_header(p).key_file == again.key_path.read_bytes() for p in made)
        assert current.fits(again._require_key().bytes())


def test_backups_in_the_extra_folder_are_resealed_too(
    filled: tuple[Vault, str, list[Path]], tmp_path: Path
) -> None:
    vault, _recovery, _made = filled
    usb = tmp_path / "usb"
    usb.mkdir()
    Journal(vault.engine).set_setting("extra_backup_folder", str(usb))
    copy = vault.close_backup(10, usb).copy
    assert copy is not None
    result = vault.change_passphrase(PASSPHRASE, NEW_PASSPHRASE, kdf=FAST_KDF)
    assert result.old_backups == ()
    assert backups.read_header(copy).key_file == vault.key_path.read_bytes()
    assert [p.name for p in usb.iterdir()] == [copy.name]
    vault.close()
