"""No plaintext at rest: the database, its WAL and shared memory, and backups are encrypted."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from svjournal.core import backup as backups
from svjournal.core.inputs import CaseInput, EncounterInput
from svjournal.core.journal import Journal
from svjournal.core.vault import Vault
from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
ALIAS = "ZEBRA-ALIAS-7731"
NOTE = "NOTE-MARKER-xyzzy 4411"
SECRETS = (ALIAS, NOTE, "ZEBRA-ALIAS", "xyzzy 4411")
SQLITE_HEADER = b"SQLite format 3\x00"


def plaintext_found(data: bytes) -> list[str]:
    """Which of the marker strings appear in `data`, in UTF-8 or UTF-16 (either order)."""
    found = []
    for secret in SECRETS:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            if secret.encode(encoding) in data:
                found.append(f"{secret!r} as {encoding}")
    return found


def test_plaintext_finder_finds_what_it_looks_for() -> None:
    # Guards every assertion below against a finder that can never find anything.
    assert plaintext_found(f"..{ALIAS}..".encode())
    assert plaintext_found(f"..{NOTE}..".encode("utf-16-le"))
    assert plaintext_found(f"..{NOTE}..".encode("utf-16-be"))
    assert not plaintext_found(b"nothing to see here")


def record_markers(journal: Journal) -> None:
    case = journal.open_case(
        CaseInput(
            alias=ALIAS,
            role="nurse",
            department="icu",
            event_category="near_miss",
            referral_source="self",
            referred_on=date(2026, 11, 20),
        )
    )
    journal.log_encounter(
        case.id,
        EncounterInput(
            occurred_at=datetime(2026, 11, 21, 14, 30),
            mode="in_person",
            duration_minutes=45,
            note=NOTE,
        ),
    )
    # The markers really were stored, so their absence on disk means encryption.
    [encounter] = journal.encounters(case.id)
    assert encounter.note == NOTE
    assert [row.alias for row in journal.list_cases()] == [ALIAS]


def test_no_plaintext_in_database_wal_shm_or_backup(
    vault: Vault, vault_path: Path, journal: Journal
) -> None:
    record_markers(journal)
    db = vault_path / "journal.db"
    wal = vault_path / "journal.db-wal"
    shm = vault_path / "journal.db-shm"

    # While the engine is open the WAL holds the new pages.
    assert vault.is_unlocked
    assert db.is_file()
    assert wal.is_file()
    assert wal.stat().st_size > 0
    for path in (db, wal, shm):
        if path.exists():
            assert plaintext_found(path.read_bytes()) == [], path.name
    assert not db.read_bytes().startswith(SQLITE_HEADER)

    backup = vault.backup()
    backup_bytes = backup.read_bytes()
    assert len(backup_bytes) > 4096
    assert plaintext_found(backup_bytes) == []
    assert SQLITE_HEADER not in backup_bytes

    vault.close()

    leftovers = sorted(p.name for p in vault_path.rglob("*") if p.is_file())
    for path in vault_path.rglob("*"):
        if path.is_file():
            assert plaintext_found(path.read_bytes()) == [], (path.name, leftovers)
    data = db.read_bytes()
    assert len(data) > 4096
    assert not data.startswith(SQLITE_HEADER)

    # The data is there (checkpointed into the .db), yet still unreadable without the key.
    reopened = Vault.open(vault_path)
    try:
        reopened.unlock(PASSPHRASE)
        assert [row.alias for row in Journal(reopened.engine).list_cases()] == [ALIAS]
    finally:
        reopened.close()


def test_stock_sqlite3_cannot_read_the_database(vault: Vault, vault_path: Path) -> None:
    vault.close()
    db = vault_path / "journal.db"
    before = db.read_bytes()
    conn = sqlite3.connect(db)
    try:
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute("SELECT name FROM sqlite_master").fetchall()
    finally:
        conn.close()
    assert db.read_bytes() == before


def test_stock_sqlite3_cannot_read_a_backup(vault: Vault, tmp_path: Path) -> None:
    backup = vault.backup()
    raw = backup.read_bytes()
    size = backups.read_header(backup).db_size
    assert 0 < size < len(raw)
    # The database part follows the header; on its own it is still not SQLite.
    db_part = tmp_path / "db-part.db"
    db_part.write_bytes(raw[-size:])
    conn = sqlite3.connect(db_part)
    try:
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute("SELECT name FROM sqlite_master").fetchall()
    finally:
        conn.close()


def test_core_does_not_import_pyside6() -> None:
    code = (
        "import svjournal.core.vault, svjournal.core.journal, svjournal.core.db, sys; "
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


PYSIDE_IMPORT = re.compile(r"^\s*(?:import\s+PySide6|from\s+PySide6)\b", re.MULTILINE)


def test_pyside6_import_pattern_matches() -> None:
    assert PYSIDE_IMPORT.search("import PySide6\n")
    assert PYSIDE_IMPORT.search("x = 1\n    from PySide6.QtCore import Qt\n")
    assert PYSIDE_IMPORT.search("import PySide6.QtGui as gui\n")
    assert not PYSIDE_IMPORT.search("# see PySide6 docs\nimport os\n")


def test_headless_packages_never_import_pyside6() -> None:
    folders = [ROOT / "svjournal" / name for name in ("core", "charts", "reports")]
    scanned = []
    offenders = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            scanned.append(path)
            if PYSIDE_IMPORT.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(ROOT)))
    assert any(p.name == "vault.py" for p in scanned)
    assert offenders == []
