"""Owner-only permissions: a vault folder 0700 and files 0600, kept so and repaired at start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from svjournal.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.reliability.support import ROOT, mode

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")

# Runs with umask 000, so that anything created without an explicit mode comes out
# world-readable; prints the vault's modes while open, during a backup and after closing.
UMASK_SESSION = """
import json, os, stat, sys
from pathlib import Path
os.umask(0)
from svjournal.core import backup as backups
from svjournal.core.journal import Journal
from svjournal.core.keyfile import KdfParams
from svjournal.core.vault import Vault
from tests.reliability.crash_child import case_of, encounter_of

path = Path(sys.argv[1])
def modes(moment):
    found = {str(p.relative_to(path)): oct(stat.S_IMODE(p.lstat().st_mode))
             for p in [path, *path.rglob("*")]}
    print(json.dumps([moment, found]), flush=True)

real_check = backups.check_database
def check_database(*args, **kwargs):
    modes("during backup")  # the verified copy exists now, before it is moved into place
    return real_check(*args, **kwargs)
backups.check_database = check_database

vault, _ = Vault.create(path, sys.argv[2], kdf=KdfParams())
journal = Journal(vault.engine)
case = journal.open_case(case_of(0, 0))
journal.log_encounter(case.id, encounter_of(0, 0))
modes("open")
vault.backup()
vault.close()
modes("closed")
"""


def test_everything_a_session_creates_is_owner_only_even_under_umask_000(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    result = subprocess.run(
        [sys.executable, "-c", UMASK_SESSION, str(path), PASSPHRASE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    seen = [json.loads(line) for line in result.stdout.splitlines()]
    assert [moment for moment, _ in seen] == ["open", "during backup", "closed"]
    wrong = {}
    for moment, modes in seen:
        assert "journal.db-wal" in modes or moment != "open", modes  # the WAL was looked at
        for name, found in modes.items():
            is_dir = name in (".", "backups")
            if found != oct(0o700 if is_dir else 0o600):
                wrong[f"{moment}: {name}"] = found
    assert wrong == {}


def test_loosened_permissions_anywhere_in_the_vault_are_repaired_at_start(
    tmp_path: Path,
) -> None:
    path = tmp_path / "vault"
    vault, _ = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    vault.backup()
    vault.backup()
    vault.close()
    (path / "backups" / "kept-by-hand").mkdir()
    (path / "backups" / "kept-by-hand" / "note.txt").write_text("moved here by the user")
    entries = [path, *path.rglob("*")]
    assert {"journal.db", "journal.key", ".svjournal.lock", "backups"} <= {p.name for p in entries}
    for entry in entries:
        os.chmod(entry, 0o777 if entry.is_dir() else 0o666)

    vault = Vault.open(path)
    try:
        loose = {
            str(p.relative_to(path)): oct(mode(p))
            for p in [path, *path.rglob("*")]
            if mode(p) != (0o700 if p.is_dir() else 0o600)
        }
        assert loose == {}
        vault.unlock(PASSPHRASE)
        assert vault.check().problems == []
    finally:
        vault.close()


def test_check_reports_a_file_loosened_while_the_vault_is_open(tmp_path: Path) -> None:
    vault, _ = Vault.create(tmp_path / "vault", PASSPHRASE, kdf=FAST_KDF)
    try:
        assert vault.check().problems == []
        os.chmod(vault.key_path, 0o644)
        problems = vault.check().problems
        assert len(problems) == 1 and "journal.key" in problems[0]
        assert not vault.check().ok
    finally:
        vault.close()
