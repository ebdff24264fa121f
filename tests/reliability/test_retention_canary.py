"""After retention, none of the removed text is anywhere: not in the database file, its WAL,
the backups (in the vault and in the extra folder), read as plain bytes or decrypted page by
page (free pages, unused space and stale WAL frames included)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from svjournal.core import backup as backups
from svjournal.core import retention
from svjournal.core.journal import Journal
from svjournal.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.reliability.pages import decrypt_database, decrypt_wal
from tests.reliability.support import backup_parts, needles, regular_files, scan
from tests.retention_data import GONE, NOW, RECENT_NOTE, TODAY, seed


def _decrypted(key: bytes, files: list[Path]) -> dict[str, bytes]:
    """Every database page the files hold, decrypted, by file name."""
    found = {}
    for path in files:
        if path.name.endswith("-wal"):
            found[path.name] = decrypt_wal(key, path.read_bytes())
        elif path.name.endswith(".db"):
            found[path.name] = decrypt_database(key, path.read_bytes())
        elif path.name.endswith(backups.SUFFIX):
            found[path.name] = decrypt_database(key, backup_parts(path)[1])
    return found


def _hits(pages: dict[str, bytes], secrets: dict[str, str]) -> list[str]:
    patterns = needles(secrets)
    return [f"{n}: {w}" for n, data in pages.items() for w, p in patterns.items() if p in data]


def test_no_removed_text_survives_in_the_database_wal_or_backups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = tmp_path / "usb"
    extra.mkdir()
    vault, _recovery = Vault.create(tmp_path / "vault", PASSPHRASE, kdf=FAST_KDF)
    with vault:
        journal = Journal(vault.engine, clock=lambda: NOW)
        seed(journal)
        journal.set_setting("extra_backup_folder", str(extra))
        real = backups.header_fields

        def dated(*args: Any) -> dict[str, Any]:
            return {**real(*args), "created_at": datetime(2024, 2, 1, 9).isoformat()}

        monkeypatch.setattr(backups, "header_fields", dated)
        vault.backup("manual")  # past the window: to be deleted
        monkeypatch.setattr(backups, "header_fields", real)
        kept = vault.backup("manual")  # within the window: to be cleaned
        backups.copy_to_folder(kept, extra, 10)
        key = vault.key_copy().bytes()

        files = [*regular_files(vault.path), *regular_files(extra)]
        before = _decrypted(key, files)
        # The decryption sees the canaries: in the journal (file or WAL) and in each backup.
        assert {h.split(":")[0] for h in _hits(before, {"note": GONE["note"]})} >= {
            kept.name,
            "journal.db" if "journal.db" in before else "journal.db-wal",
        }

        result = retention.apply(vault, journal, 24, TODAY, when=NOW)
        assert result.counts.cases == 1 and len(result.backups.cleaned) == 2
        assert len(result.backups.deleted) == 1

        files = [*regular_files(vault.path), *regular_files(extra)]
        assert scan(files, needles(GONE)) == []  # plain bytes, every file
        after = _decrypted(key, files)
        assert {"journal.db", kept.name} <= set(after)
        assert _hits(after, GONE) == []
        # What retention keeps is still readable the same way (the scan can find text).
        assert _hits(after, {"recent": RECENT_NOTE})
    # Closing checkpoints again: nothing comes back.
    db = vault.path / "journal.db"
    assert _hits({"journal.db": decrypt_database(key, db.read_bytes())}, GONE) == []
