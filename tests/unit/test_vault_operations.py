"""The vault-level operations both front ends call: restore, re-key, retention.

Each returns an OpResult whose Changes say what a page may no longer trust (a restore and
the journal's part of retention: everything; a re-key: no journal record), and does its
work through the core exactly as the front ends used to.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from svjournal.core.errors import (
    ValidationError,
    WeakPassphrase,
    WrongFilePassphrase,
    WrongPassphrase,
    WrongRecoveryKey,
)
from svjournal.core.inputs import CaseInput
from svjournal.core.journal import Journal
from svjournal.core.vault import Vault
from svjournal.operations import Changes, keys, restore, retention
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.retention_data import GONE, NOW, OLD_ALIAS, RECENT_ALIAS, TODAY, seed

NEW_PASSPHRASE = "violet submarine under the quiet harbour"
EVERYTHING = Changes.of(everything=True)


def _open_case(journal: Journal, alias: str) -> None:
    journal.open_case(
        CaseInput(
            alias=alias,
            role="nurse",
            department="icu",
            event_category="near_miss",
            referral_source="self",
            referred_on=TODAY,
        )
    )


def _aliases(vault: Vault) -> list[str]:
    return sorted(row.alias for row in Journal(vault.engine).list_cases())


@pytest.fixture
def made(vault_path: Path) -> tuple[Vault, str]:
    vault, recovery_key = Vault.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    _open_case(Journal(vault.engine), "Before-the-backup")
    return vault, recovery_key


# --- restore ----------------------------------------------------------------------------------


def test_restore_puts_the_backup_back_locks_and_says_everything_changed(
    made: tuple[Vault, str],
) -> None:
    vault, _recovery = made
    backup = vault.backup("manual")
    header = restore.read_backup(backup)
    _open_case(Journal(vault.engine), "After-the-backup")

    result = restore.restore_backup(vault, backup, passphrase=PASSPHRASE)

    assert result.changes == EVERYTHING and result.undo is None
    assert result.value.records == header.records
    assert result.value.previous_is_backup, "the journal it replaced was backed up first"
    assert not vault.is_unlocked
    vault.unlock(PASSPHRASE)
    assert _aliases(vault) == ["Before-the-backup"]
    logged = [e for e in Journal(vault.engine).export_log() if e.kind == "restore"]
    assert [e.destination for e in logged] == [str(backup)]
    vault.close()


def test_a_restore_with_the_wrong_passphrase_changes_nothing(made: tuple[Vault, str]) -> None:
    vault, _recovery = made
    backup = vault.backup("manual")
    _open_case(Journal(vault.engine), "After-the-backup")

    with pytest.raises(WrongFilePassphrase):
        restore.restore_backup(vault, backup, passphrase=NEW_PASSPHRASE)

    assert vault.is_unlocked
    assert _aliases(vault) == ["After-the-backup", "Before-the-backup"]
    vault.close()


def test_restore_into_recreates_a_lost_vault_folder_with_the_recovery_key(
    made: tuple[Vault, str], tmp_path: Path
) -> None:
    vault, recovery_key = made
    backup = vault.backup(dest=tmp_path / "usb.svjbackup")
    path = vault.path
    vault.close()
    shutil.rmtree(path)

    result = restore.restore_into(path, backup, recovery_key=recovery_key)

    assert result.changes == EVERYTHING
    assert result.value.previous is None, "there was nothing to keep"
    with Vault.open(path) as again:
        again.unlock(PASSPHRASE)
        assert _aliases(again) == ["Before-the-backup"]


# --- re-key -----------------------------------------------------------------------------------


def test_change_passphrase_re_keys_and_changes_no_journal_record(
    made: tuple[Vault, str],
) -> None:
    vault, old_recovery = made

    result = keys.change_passphrase(vault, PASSPHRASE, NEW_PASSPHRASE, kdf=FAST_KDF)

    assert result.changes == Changes() and result.undo is None
    assert result.value.recovery_key != old_recovery
    assert vault.is_unlocked and _aliases(vault) == ["Before-the-backup"]
    vault.lock()
    with pytest.raises(WrongPassphrase):
        vault.unlock(PASSPHRASE)
    vault.unlock(NEW_PASSPHRASE)
    vault.close()


def test_every_new_passphrase_meets_the_floor_whichever_front_end_asks(
    made: tuple[Vault, str],
) -> None:
    vault, recovery_key = made
    vault.lock()
    with pytest.raises(WeakPassphrase):
        keys.change_passphrase(vault, PASSPHRASE, "short", kdf=FAST_KDF)
    with pytest.raises(WeakPassphrase):
        keys.reset_passphrase(vault, recovery_key, "short", kdf=FAST_KDF)
    vault.unlock(PASSPHRASE)  # nothing changed
    vault.close()


def test_reset_passphrase_opens_the_vault_and_spends_the_recovery_key(
    made: tuple[Vault, str],
) -> None:
    vault, recovery_key = made
    vault.lock()

    result = keys.reset_passphrase(vault, recovery_key, NEW_PASSPHRASE, kdf=FAST_KDF)

    assert vault.is_unlocked and _aliases(vault) == ["Before-the-backup"]
    assert result.changes == Changes()
    vault.lock()
    with pytest.raises(WrongRecoveryKey):
        keys.reset_passphrase(vault, recovery_key, NEW_PASSPHRASE, kdf=FAST_KDF)
    keys.reset_passphrase(vault, result.value.recovery_key, NEW_PASSPHRASE, kdf=FAST_KDF)
    vault.close()


def test_new_keys_replace_the_recovery_key_and_keep_the_passphrase(
    made: tuple[Vault, str],
) -> None:
    vault, old_recovery = made

    result = keys.new_keys(vault, PASSPHRASE, kdf=FAST_KDF)

    assert result.value.recovery_key != old_recovery
    vault.lock()
    vault.unlock(PASSPHRASE)
    vault.lock()
    with pytest.raises(WrongRecoveryKey):
        keys.reset_passphrase(vault, old_recovery, NEW_PASSPHRASE, kdf=FAST_KDF)
    vault.close()


# --- retention --------------------------------------------------------------------------------


def test_retention_preview_then_apply_logs_once_and_says_everything_changed(
    vault: Vault,
) -> None:
    journal = Journal(vault.engine, clock=lambda: NOW)
    seed(journal)
    found = retention.preview_retention(vault, journal, 24, TODAY)
    assert found.counts.cases == 1
    assert OLD_ALIAS in _aliases(vault), "a preview changes nothing"

    result = retention.apply_retention(vault, journal, 24, TODAY, when=NOW)

    assert result.changes == EVERYTHING and result.undo is None
    assert result.value.counts.cases == 1
    aliases = _aliases(vault)
    assert OLD_ALIAS not in aliases and RECENT_ALIAS in aliases
    logged = [e for e in journal.export_log() if e.kind == "retention"]
    assert len(logged) == 1
    assert logged[0].records == 1
    assert logged[0].detail.startswith("cases closed before 2024-11-26 de-identified (24 months)")
    assert not any(secret in logged[0].detail for secret in GONE.values())


def test_retention_in_two_parts_does_what_the_whole_does(vault: Vault) -> None:
    journal = Journal(vault.engine, clock=lambda: NOW)
    seed(journal)
    journal.set_setting("retention_months", 24)
    due = retention.retention_due(vault, journal, TODAY)
    assert due is not None and due.months == 24

    done = retention.apply_to_journal(vault, journal, due.months, TODAY, when=NOW)
    assert done.changes == EVERYTHING
    assert OLD_ALIAS not in _aliases(vault)
    cleaned = retention.clean_backups(vault, done.value, vault.key_copy())

    assert cleaned.changes == Changes(), "the backups hold no record a page shows"
    assert cleaned.value.counts.cases == 1
    assert retention.retention_due(vault, journal, TODAY) is None


@pytest.mark.parametrize("months", [0, -1, 1201])
def test_retention_refuses_a_window_out_of_range(vault: Vault, months: int) -> None:
    journal = Journal(vault.engine)
    with pytest.raises(ValidationError):
        retention.preview_retention(vault, journal, months, TODAY)
    with pytest.raises(ValidationError):
        retention.apply_retention(vault, journal, months, TODAY)


def test_back_up_now_and_to_a_file_are_operations_with_one_log_line_for_files_that_leave(
    vault: Vault, journal: Journal, tmp_path: Path
) -> None:
    from svjournal.core import backup as backups
    from svjournal.operations import exports

    _open_case(journal, "RN-B")
    logged = len(journal.export_log())
    kept = exports.back_up_now(vault, keep=2)
    assert kept.value.parent == vault.backups_dir and kept.changes == Changes()
    assert backups.read_header(kept.value).records > 0
    assert len(journal.export_log()) == logged  # it stays in the journal's own folder
    for _ in range(2):
        exports.back_up_now(vault, keep=2)
    assert len([p for p in vault.backups_dir.iterdir() if p.suffix == kept.value.suffix]) == 2
    out = exports.back_up_to(vault, journal, tmp_path / "copy.svjbackup")
    assert out.value.records == backups.read_header(tmp_path / "copy.svjbackup").records
    assert [e.kind for e in journal.export_log()][:1] == ["backup"]
    assert len(journal.export_log()) == logged + 1
