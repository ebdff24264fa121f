"""Backup headers are sealed (issue 13): a changed date or row count is damage."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from svjournal.core import backup as backups
from svjournal.core.errors import FileDamaged
from svjournal.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE


def edit_header(path: Path, change: dict[str, object]) -> None:
    data = path.read_bytes()
    start = len(backups.MAGIC)
    (length,) = struct.unpack(">I", data[start : start + 4])
    header = json.loads(data[start + 4 : start + 4 + length])
    header.update(change)
    head = json.dumps(header, sort_keys=True).encode()
    rest = data[start + 4 + length :]
    path.write_bytes(backups.MAGIC + struct.pack(">I", len(head)) + head + rest)


@pytest.fixture
def made(vault_path: Path) -> tuple[Vault, Path]:
    vault, _recovery = Vault.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    return vault, vault.backup()


@pytest.mark.parametrize(
    "change",
    [
        {"created_at": "2020-01-01T09:00:00"},
        {"reason": "close"},
        {"row_counts": {"cases": 0, "encounters": 0, "follow_ups": 0, "contact_details": 0}},
    ],
)
def test_a_changed_header_is_damage(made: tuple[Vault, Path], change: dict[str, object]) -> None:
    """Before: a backup whose date or reason had been edited restored as if genuine."""
    vault, path = made
    header = backups.read_header(path)
    assert header.mac is not None and header.authentic(vault._require_key().bytes())
    edit_header(path, change)
    with pytest.raises(FileDamaged, match=r"changed after it was made|row counts"):
        vault.restore(path, passphrase=PASSPHRASE)
    vault.close()


def test_an_untouched_backup_restores(made: tuple[Vault, Path]) -> None:
    vault, path = made
    result = vault.restore(path, passphrase=PASSPHRASE)
    assert result.created_at == backups.read_header(path).created_at
    vault.close()


def test_a_resealed_backup_is_sealed_under_the_new_key(made: tuple[Vault, Path]) -> None:
    vault, path = made
    vault.change_passphrase(PASSPHRASE, "violet submarine under the quiet harbour", kdf=FAST_KDF)
    header = backups.read_header(path)
    assert header.authentic(vault._require_key().bytes())
    edit_header(path, {"created_at": "2020-01-01T09:00:00"})
    with pytest.raises(FileDamaged, match="changed after it was made"):
        vault.restore(path, passphrase="violet submarine under the quiet harbour")
    vault.close()
