"""A scripted session with distinctive ("canary") journal text: the log file names what
happened and none of that text, even where errors repeat it in their messages."""

from __future__ import annotations

import dataclasses
import logging
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from svjournal import cli
from svjournal.cli import vault_commands
from svjournal.core import logsetup
from svjournal.core.errors import WrongPassphrase
from svjournal.core.inputs import CaseInput, EncounterInput
from svjournal.core.journal import Journal
from svjournal.core.keyfile import KdfParams
from svjournal.core.vault import Vault
from tests.conftest import FAST_KDF

ALIAS = "Canaryalias Quillfeather"
NOTE = "canarynote: she cried about the Morrow-Vance infusion"
EDITED = "canaryedit follow the Okonkwo pump review"
PASSPHRASE = "canarypass tangerine kettle ribbon 9183"
WRONG = "canarywrong harbour velvet spindle 2210"
CANARIES = (ALIAS, NOTE, EDITED, PASSPHRASE, WRONG)
# Any one distinctive word is a leak too, not only the whole text.
WORDS = ("canaryalias", "Quillfeather", "canarynote", "Morrow-Vance", "canaryedit", "Okonkwo")
WORDS += ("canarypass", "tangerine", "canarywrong", "spindle")


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(KdfParams, "calibrated", classmethod(lambda cls, *a, **k: FAST_KDF))


def secret(tmp_path: Path, name: str, value: str) -> Path:
    path = tmp_path / name
    path.write_text(value + "\n", encoding="utf-8")
    return path


def run(*args: str | Path) -> int:
    return cli.main([str(a) for a in args])


def scripted_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vault_path = tmp_path / "vault"
    right, wrong = secret(tmp_path, "pass", PASSPHRASE), secret(tmp_path, "wrong", WRONG)
    assert run("init", "--vault", vault_path, "--passphrase-file", right) == 0
    assert run("check", "--vault", vault_path, "--passphrase-file", wrong) == 1

    # SQLAlchemy's own logging would carry statement parameters: as chatty as it can be.
    monkeypatch.setattr(logging.getLogger("sqlalchemy.engine"), "level", logging.INFO)
    with Vault.open(vault_path) as vault:
        with pytest.raises(WrongPassphrase):
            vault.unlock(WRONG)
        vault.unlock(PASSPHRASE)
        journal = Journal(vault.engine)
        case = journal.open_case(
            CaseInput(
                alias=ALIAS,
                role="nurse",
                department="icu",
                event_category="near_miss",
                referral_source="self",
                referred_on=date(2026, 11, 2),
            )
        )
        first = EncounterInput(
            occurred_at=datetime(2026, 11, 3, 9, 30), mode="phone", duration_minutes=20, note=NOTE
        )
        encounter = journal.log_encounter(case.id, first)
        journal.edit_encounter(encounter.id, dataclasses.replace(first, note=EDITED))
        # An error whose message repeats journal text: the failed statement and its values.
        try:
            with vault.engine.begin() as conn:
                conn.execute(
                    text("INSERT INTO cases (id, alias) VALUES (:id, :alias)"),
                    {"id": case.id, "alias": ALIAS},
                )
        except IntegrityError as exc:
            assert ALIAS in str(exc)  # the message does hold it
            logging.getLogger("svjournal.core.journal").exception("saving failed: %s", exc)
        logging.getLogger("sqlalchemy.engine").warning("library text %s", NOTE)

    assert (
        run(
            "report",
            "--vault",
            vault_path,
            "--passphrase-file",
            right,
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "-o",
            tmp_path / "report.pdf",
        )
        == 0
    )
    assert run("backup", "--vault", vault_path, "--passphrase-file", right, "-o", tmp_path) == 0

    def broken_check(_args: object) -> int:
        raise ValueError(f"could not parse {NOTE!r} for {ALIAS}")

    monkeypatch.setattr(vault_commands, "cmd_check", broken_check)
    with pytest.raises(ValueError):
        run("check", "--vault", vault_path, "--passphrase-file", right)


def test_a_scripted_sessions_log_holds_the_events_and_none_of_the_journal_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scripted_session(tmp_path, monkeypatch)
    path = logsetup.current_log_file()
    assert path is not None
    logged = "\n".join(p.read_text(encoding="utf-8") for p in path.parent.iterdir())

    for canary in CANARIES + WORDS:
        assert canary.lower() not in logged.lower(), canary
    for event in (
        "started: svjournal",
        "command: init",
        "unlock refused: wrong passphrase (1 in a row)",
        "command failed: svjournal.core.errors.WrongPassphrase",
        "unlocked with the passphrase (1 wrong before)",
        "saving failed: sqlalchemy.exc.IntegrityError",
        "  from: sqlcipher3.dbapi2.IntegrityError",
        "sqlalchemy.engine: <library message withheld>",
        "command: report",
        "export written: report-pdf",
        "backup made (manual) to a chosen file",
        "a new journal was created",
        "export written: backup",
        "command failed unexpectedly: ValueError",
        "tests/",  # must NOT be there: see below
    ):
        if event == "tests/":
            assert event not in logged  # only svjournal frames are named
        else:
            assert event in logged, event
    assert "svjournal/cli/main.py:" in logged  # the unexpected error's place in our code
