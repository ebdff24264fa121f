"""Links in a vault folder (issue 13): refused with a clear message, never followed by the
permission repair; the vault folder itself may be a link (the user's own choice)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from svjournal.core.errors import VaultError
from svjournal.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symbolic links and modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def closed(vault_path: Path) -> Path:
    vault, _recovery = Vault.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    vault.backup()
    vault.close()
    return vault_path


@pytest.mark.parametrize("name", ["journal.key", "journal.db", "journal.db-wal"])
def test_a_linked_file_is_refused_and_its_target_left_alone(
    closed: Path, tmp_path: Path, name: str
) -> None:
    """Before: the key file's link was followed and its target chmod-ed to 0600."""
    outside = tmp_path / f"outside-{name}"
    live = closed / name
    if live.exists():
        outside.write_bytes(live.read_bytes())
        live.unlink()
    else:
        outside.write_bytes(b"")
    outside.chmod(0o644)
    live.symlink_to(outside)
    with pytest.raises(VaultError, match=f"{name} is a symbolic link to .*does not follow"):
        Vault.open(closed)
    assert mode(outside) == 0o644  # no chmod through the link


def test_a_dangling_link_says_so(closed: Path, tmp_path: Path) -> None:
    (closed / "journal.key").unlink()
    (closed / "journal.key").symlink_to(tmp_path / "gone")
    with pytest.raises(VaultError, match=r"journal.key is a symbolic link that points nowhere"):
        Vault.open(closed)


def test_a_linked_backup_or_backups_folder_is_refused(closed: Path, tmp_path: Path) -> None:
    backup = next((closed / "backups").iterdir())
    moved = tmp_path / backup.name
    backup.rename(moved)
    backup.symlink_to(moved)
    with pytest.raises(VaultError, match="is a symbolic link"):
        Vault.open(closed)
    backup.unlink()
    (closed / "backups").rmdir()
    (tmp_path / "elsewhere").mkdir()
    (closed / "backups").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(VaultError, match="backups is a symbolic link"):
        Vault.open(closed)


def test_a_linked_vault_folder_is_the_users_choice(closed: Path, tmp_path: Path) -> None:
    link = tmp_path / "my-journal"
    link.symlink_to(closed)
    os.chmod(closed / "journal.key", 0o644)
    with Vault.open(link) as vault:
        vault.unlock(PASSPHRASE)
    assert mode(closed / "journal.key") == 0o600


def test_an_interrupted_backup_to_a_file_is_cleaned_up_on_the_next_run(
    vault_path: Path, tmp_path: Path
) -> None:
    """Before: `.NAME.<random>.tmp` files of a killed `backup -o` stayed beside it for good."""
    vault, _recovery = Vault.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    out = tmp_path / "usb"
    out.mkdir()
    dest = out / "mine.svjbackup"
    stale = out / ".mine.svjbackup.k2j4h5.tmp"
    stale.write_bytes(b"half a backup")
    unrelated = out / ".other.svjbackup.k2j4h5.tmp"
    unrelated.write_bytes(b"not ours to judge")
    with vault:
        vault.backup(dest=dest)
    assert sorted(p.name for p in out.iterdir()) == [unrelated.name, dest.name]


def test_an_interrupted_personal_export_is_cleaned_up_on_the_next_run(
    vault_path: Path, tmp_path: Path
) -> None:
    from svjournal.core.keyfile import KdfParams
    from svjournal.reports.personal import write_personal_export

    vault, _recovery = Vault.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    dest = tmp_path / "export.svjexport"
    stale = tmp_path / ".export.svjexport.x1y2z3.tmp"
    stale.write_bytes(b"half an export")
    with vault:
        write_personal_export(
            vault.engine, dest, "another long pass phrase", kdf=KdfParams(1, 8, 1)
        )
    assert not stale.exists() and dest.exists()
