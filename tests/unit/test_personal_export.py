"""Personal export: everything (notes, pseudonyms, contacts, trash, drafts) sealed under an
export passphrase, read back whole; refusals for wrong passphrases and other files; the CLI."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from svjournal import cli
from svjournal.core import demo, sealed
from svjournal.core.errors import (
    ExportFileError,
    FileDamaged,
    FileTooNew,
    NotOurFile,
    WrongFilePassphrase,
)
from svjournal.core.inputs import CaseInput, ContactInput, EncounterInput
from svjournal.core.journal import Journal
from svjournal.core.keyfile import KdfParams
from svjournal.core.vault import Vault
from svjournal.reports.personal import (
    MAGIC,
    collect,
    read_personal_export,
    write_personal_export,
)
from tests.conftest import FIXED_NOW, PASSPHRASE

# Sealing cost is not under test here; the format and its checks are.
QUICK_KDF = KdfParams(time_cost=1, memory_kib=8, parallelism=1)
EXPORT_PASSPHRASE = "marble orchard fiddle cascade"
ALIAS = "QX-ALIAS-4410"
NOTE = "NOTE-TEXT-quiet 6612"
PHONE = "+1 555 0199"


@pytest.fixture
def filled(vault: Vault, journal: Journal) -> Vault:
    demo.generate(vault.engine, cases=8, seed=2, anchor=FIXED_NOW.date())
    case = journal.open_case(
        CaseInput(ALIAS, "nurse", "icu", "near_miss", "self", FIXED_NOW.date())
    )
    journal.log_encounter(
        case.id, EncounterInput(FIXED_NOW.replace(hour=9), "phone", 20, stage=2, note=NOTE)
    )
    journal.set_contact(case.id, ContactInput(phone=PHONE))
    trashed = journal.list_cases()[0]
    journal.delete_case(trashed.id)
    journal.save_draft("encounter:new", "encounter", {"note": "half-typed"})
    return vault


def test_round_trip_holds_every_row_notes_included(filled: Vault, tmp_path: Path) -> None:
    dest = tmp_path / "all.svjexport"
    records = write_personal_export(
        filled.engine, dest, EXPORT_PASSPHRASE, vault_id=filled.vault_id, kdf=QUICK_KDF
    )

    content = read_personal_export(dest, EXPORT_PASSPHRASE)

    assert content["tables"] == collect(filled.engine)
    tables = content["tables"]
    assert records == len(tables["cases"]) + len(tables["encounters"]) + len(tables["follow_ups"])
    assert NOTE in {e["note"] for e in tables["encounters"]}
    assert ALIAS in {c["alias"] for c in tables["cases"]}
    assert PHONE in {c["phone"] for c in tables["contact_details"]}
    assert any(c["deleted_at"] for c in tables["cases"]), "the trash is part of everything"
    assert tables["drafts"][0]["payload"] == {"note": "half-typed"}
    assert content["vault_id"] == filled.vault_id
    assert content["schema_revision"]
    with filled.engine.connect() as conn:
        encounters = conn.exec_driver_sql("SELECT count(*) FROM encounters").scalar()
    assert len(tables["encounters"]) == encounters


def test_the_file_is_owner_only_and_shows_nothing_outside(filled: Vault, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    dest = tmp_path / "out" / "all.svjexport"
    write_personal_export(filled.engine, dest, EXPORT_PASSPHRASE, kdf=QUICK_KDF)
    data = dest.read_bytes()
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    for secret in (ALIAS, NOTE, PHONE, "Demo"):
        assert secret.encode() not in data
    header, _start = sealed.read_header(MAGIC, data)
    assert set(header.metadata) == {"kind", "created_at"}
    assert [p.name for p in dest.parent.iterdir()] == ["all.svjexport"], "a temp file was left"


def test_wrong_passphrase_and_other_files_are_refused(filled: Vault, tmp_path: Path) -> None:
    dest = tmp_path / "all.svjexport"
    write_personal_export(filled.engine, dest, EXPORT_PASSPHRASE, kdf=QUICK_KDF)
    with pytest.raises(WrongFilePassphrase):
        read_personal_export(dest, PASSPHRASE)
    backup = filled.backup()
    with pytest.raises(NotOurFile):
        read_personal_export(backup, EXPORT_PASSPHRASE)
    cut = tmp_path / "cut.svjexport"
    cut.write_bytes(dest.read_bytes()[:40])
    with pytest.raises(FileDamaged):
        read_personal_export(cut, EXPORT_PASSPHRASE)
    with pytest.raises(ExportFileError):
        read_personal_export(tmp_path / "missing.svjexport", EXPORT_PASSPHRASE)


def test_a_newer_or_foreign_payload_is_refused(tmp_path: Path) -> None:
    newer = tmp_path / "newer.svjexport"
    payload = {"format": "svjournal-personal-export", "version": 2, "tables": {}}
    newer.write_bytes(
        sealed.seal(MAGIC, json.dumps(payload).encode(), EXPORT_PASSPHRASE, kdf=QUICK_KDF)
    )
    with pytest.raises(FileTooNew):
        read_personal_export(newer, EXPORT_PASSPHRASE)
    other = tmp_path / "other.svjexport"
    other.write_bytes(sealed.seal(MAGIC, b'{"format": "x"}', EXPORT_PASSPHRASE, kdf=QUICK_KDF))
    with pytest.raises(NotOurFile):
        read_personal_export(other, EXPORT_PASSPHRASE)


def test_a_missing_folder_is_a_clear_error_and_writes_nothing(
    filled: Vault, tmp_path: Path
) -> None:
    with pytest.raises(ExportFileError, match="does not exist"):
        write_personal_export(
            filled.engine, tmp_path / "no" / "x.svjexport", EXPORT_PASSPHRASE, kdf=QUICK_KDF
        )
    assert not (tmp_path / "no").exists()


# --- command line -------------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    made = {}
    for name, text in (("pass", PASSPHRASE), ("export", EXPORT_PASSPHRASE), ("weak", "abc")):
        made[name] = tmp_path / f"{name}.txt"
        made[name].write_text(text + "\n", encoding="utf-8")
    return made


def test_cli_export_warns_writes_and_logs(
    filled: Vault, tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = filled.path
    filled.close()
    dest = tmp_path / "mine.svjexport"
    args = ["export", "--vault", path, "--passphrase-file", files["pass"], "-o", dest]
    code = cli.main([str(a) for a in [*args, "--export-passphrase-file", files["export"]]])
    assert code == 0
    captured = capsys.readouterr()
    assert "notes" in captured.err and "never send it" in captured.err
    content = read_personal_export(dest, EXPORT_PASSPHRASE)
    assert NOTE in {e["note"] for e in content["tables"]["encounters"]}
    with Vault.open(path) as vault:
        vault.unlock(PASSPHRASE)
        log = Journal(vault.engine).export_log()
    assert [(e.kind, e.destination) for e in log] == [("personal-export", str(dest))]
    assert log[0].records == int(captured.out.split("(")[1].split()[0])


def test_cli_export_refuses_a_weak_export_passphrase(
    filled: Vault, tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = filled.path
    filled.close()
    dest = tmp_path / "mine.svjexport"
    args = ["export", "--vault", path, "--passphrase-file", files["pass"], "-o", dest]
    code = cli.main([str(a) for a in [*args, "--export-passphrase-file", files["weak"]]])
    assert code == 1
    assert "too easy to guess" in capsys.readouterr().err
    assert not dest.exists()


def test_the_writer_itself_refuses_a_weak_passphrase(tmp_path: Path, vault: Vault) -> None:
    """Issue 14: the floor is the core's, not only the front ends' (a script calling the
    writer directly gets the same refusal)."""
    from svjournal.core.errors import WeakPassphrase

    dest = tmp_path / "weak.svjexport"
    with pytest.raises(WeakPassphrase):
        write_personal_export(vault.engine, dest, "password1", kdf=QUICK_KDF)
    assert not dest.exists()
