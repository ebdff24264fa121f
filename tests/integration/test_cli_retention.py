"""`svjournal retention --months N [--dry-run] [--yes]`: preview, confirmation, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from svjournal import cli
from svjournal.core.journal import Journal
from svjournal.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.retention_data import GONE, NOW, OLD_ALIAS, TODAY, seed


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    path = tmp_path / "vault"
    vault, _recovery = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    with vault:
        seed(Journal(vault.engine, clock=lambda: NOW))
    return path


@pytest.fixture
def pass_file(tmp_path: Path) -> Path:
    path = tmp_path / "pass.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path


def run(vault: Path, pass_file: Path, *args: str) -> int:
    base = ["retention", "--vault", str(vault), "--passphrase-file", str(pass_file)]
    return cli.main([*base, "--today", TODAY.isoformat(), *args])


def aliases(vault_path: Path) -> list[str]:
    with Vault.open(vault_path) as vault:
        vault.unlock(PASSPHRASE)
        with vault.engine.connect() as conn:
            return [r[0] for r in conn.execute(text("SELECT alias FROM cases ORDER BY alias"))]


def test_a_dry_run_shows_what_would_go_and_changes_nothing(
    seeded: Path, pass_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(seeded, pass_file, "--months", "24", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "before Nov 26, 2024" in out
    assert "1 case closed before Nov 26, 2024 will be de-identified" in out
    assert "Deleted: 2 notes, 1 set of contact details, 1 unsaved draft." in out
    assert "Dry run: nothing was changed." in out
    assert not any(secret in out for secret in GONE.values())
    assert OLD_ALIAS in aliases(seeded)


def test_yes_applies_it_and_a_second_run_finds_nothing(
    seeded: Path, pass_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(seeded, pass_file, "--months", "24", "--yes") == 0
    out = capsys.readouterr().out
    assert "De-identified 1 case closed before Nov 26, 2024" in out
    assert not any(secret in out for secret in GONE.values())
    names = aliases(seeded)
    assert OLD_ALIAS not in names and sum(n.startswith("Closed case ") for n in names) == 1
    assert run(seeded, pass_file, "--months", "24", "--yes") == 0
    assert "Nothing to remove" in capsys.readouterr().out


def test_without_a_terminal_it_asks_for_yes(
    seeded: Path, pass_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(seeded, pass_file, "--months", "24") == 1
    err = capsys.readouterr().err
    last = err.strip().splitlines()[-1]
    assert last == "svjournal: no terminal to confirm in: add --yes to go ahead"
    assert OLD_ALIAS in aliases(seeded)


def test_months_default_to_the_setting_and_off_is_a_clear_error(
    seeded: Path, pass_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(seeded, pass_file, "--dry-run") == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        "svjournal: retention is off in this journal's settings: give --months N to run it once"
    )
    with Vault.open(seeded) as vault:
        vault.unlock(PASSPHRASE)
        Journal(vault.engine).set_setting("retention_months", 24)
    assert run(seeded, pass_file, "--dry-run") == 0
    assert "more than 24 months ago" in capsys.readouterr().out


@pytest.mark.parametrize("months", ["0", "-1", "twelve"])
def test_bad_months_are_a_usage_error(
    seeded: Path, pass_file: Path, months: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(seeded, pass_file, "--months", months) == 2
    assert "--months" in capsys.readouterr().err


def test_more_months_than_the_app_allows_is_one_line(
    seeded: Path, pass_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(seeded, pass_file, "--months", "5000", "--dry-run") == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("svjournal: ") and len(err.splitlines()) == 1 and "months" in err


def test_a_wrong_passphrase_is_one_line(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase at all\n", encoding="utf-8")
    assert run(seeded, wrong, "--months", "24", "--dry-run") == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("svjournal: ")
