"""Child process of the crash rounds: keeps saving, reports each save that returned.

Run as `python -m tests.reliability.crash_child MODE VAULT --round N`; the first stdin line
is a JSON object with the passphrase(s) or the data key, so that no secret sits on a command
line (a handed-over key unlocks like a remembered one and skips the KDF). Every
line on stdout is flushed at once: a line there means the call before it returned.

With `--pause`, the child stops for good at a chosen crash point (just before or just after
the rename that publishes a backup, or one of a re-key's) and says so, for the parent to kill it
exactly there; random kills alone would almost never land in those few microseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from svjournal.core.inputs import CaseInput, EncounterInput
from svjournal.core.journal import Journal
from svjournal.core.vault import Vault
from tests.reliability.support import HandedKey

REFERRED_ON = date(2025, 1, 1)
FIRST_ENCOUNTER = datetime(2025, 1, 2, 9, 0)
SAVES_PER_CASE = 10
CHECKPOINT_EVERY = 7
PAUSE_LIMIT_S = 120  # a paused child the parent forgot ends itself


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def note_of(round_no: int, i: int) -> str:
    return f"r{round_no}-s{i}"


def encounter_of(round_no: int, i: int) -> EncounterInput:
    """The i-th save of a round; the parent rebuilds the same values to compare."""
    return EncounterInput(
        occurred_at=FIRST_ENCOUNTER + timedelta(days=round_no, minutes=i),
        mode="phone",
        duration_minutes=1 + i % 60,
        stage=1 + i % 5,
        note=note_of(round_no, i),
    )


def case_of(round_no: int, i: int) -> CaseInput:
    return CaseInput(
        alias=f"r{round_no}-c{i}",
        role="nurse",
        department="icu",
        event_category="near_miss",
        referral_source="self",
        referred_on=REFERRED_ON,
    )


def install_pause(point: str, target_suffix: str, skip: int) -> None:
    """Stop for good at `point` of the (skip+1)-th rename onto a file ending in the suffix."""
    real_replace = os.replace
    seen = [0]

    def replace(src: Any, dst: Any, **kwargs: Any) -> None:
        hit = str(dst).endswith(target_suffix)
        if hit:
            seen[0] += 1
        pausing = hit and seen[0] == skip + 1
        if pausing and point == "before-replace":
            _pause(point)
        real_replace(src, dst, **kwargs)
        if pausing and point == "after-replace":
            _pause(point)

    os.replace = replace  # type: ignore[assignment]


def _pause(point: str) -> None:
    say(f"paused {point}")
    threading.Event().wait(PAUSE_LIMIT_S)
    os._exit(3)


def save_encounters(journal: Journal, round_no: int, vault: Vault, backups: bool) -> None:
    case_id = ""
    i = 0
    while True:
        if i % SAVES_PER_CASE == 0:
            say(f"begin-case {case_of(round_no, i).alias}")
            case_id = journal.open_case(case_of(round_no, i)).id
            say(f"case {case_of(round_no, i).alias}")
        say(f"begin {note_of(round_no, i)}")
        journal.log_encounter(case_id, encounter_of(round_no, i))
        say(f"saved {note_of(round_no, i)}")
        if backups:
            say("begin-backup")
            path = vault.backup(reason="crash-test")
            say(f"backup {path.name}")
        elif i % CHECKPOINT_EVERY == CHECKPOINT_EVERY - 1:
            # What SQLite does on its own every 1000 pages: copy the WAL into the database.
            with vault.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            say("checkpoint")
        i += 1


def re_key(vault: Vault, round_no: int, secrets: dict[str, Any], pause: list[str]) -> None:
    """Save, take a backup, then change the passphrase again and again (each a re-key with a
    recovery key known to the parent), saving once after each change."""
    from svjournal.core import rekey

    journal = Journal(vault.engine)
    say(f"begin-case {case_of(round_no, 0).alias}")
    case_id = journal.open_case(case_of(round_no, 0)).id
    say(f"case {case_of(round_no, 0).alias}")
    path = vault.backup(reason="crash-test")
    say(f"backup {path.name}")
    if pause:
        install_pause(pause[0], pause[1], int(pause[2]))
    current = secrets["passphrase"]
    pairs = zip(secrets["upcoming"], secrets["recovery"], strict=True)
    for n, (new, recovery_key) in enumerate(pairs):
        say(f"begin {note_of(round_no, n)}")
        journal.log_encounter(case_id, encounter_of(round_no, n))
        say(f"saved {note_of(round_no, n)}")
        rekey.generate_recovery_key = lambda key=recovery_key: key  # type: ignore[assignment]
        say(f"begin-change {n}")
        vault.change_passphrase(current, new)
        say(f"changed {n}")
        current = new
    say("done")
    threading.Event().wait(PAUSE_LIMIT_S)  # the parent still kills it, as in every round


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["encounters", "backup", "rekey"])
    parser.add_argument("vault", type=Path)
    parser.add_argument("--round", type=int, default=0)
    parser.add_argument("--pause", choices=["before-replace", "after-replace"])
    parser.add_argument("--pause-skip", type=int, default=0)
    parser.add_argument("--pause-target", default="", help="rekey mode: the renamed file")
    parser.add_argument("--umask", type=lambda text: int(text, 8))
    args = parser.parse_args()
    secrets = json.loads(sys.stdin.readline())
    if args.umask is not None:
        os.umask(args.umask)
    if args.pause and args.mode != "rekey":  # a re-key round pauses after its setup
        install_pause(args.pause, ".svjbackup", args.pause_skip)

    vault = Vault.open(args.vault)
    if args.mode == "rekey":
        vault.unlock(secrets["passphrase"])
        say("ready")
        pause = [args.pause, args.pause_target, str(args.pause_skip)] if args.pause else []
        re_key(vault, args.round, secrets, pause)
        vault.close()
        return
    if "key" in secrets:
        # The data key handed over like a remembered one: no KDF, the same way in (`_start`).
        assert vault.unlock_with_keystore(HandedKey(bytes.fromhex(secrets["key"])))
    else:
        vault.unlock(secrets["passphrase"])
    say("ready")
    save_encounters(Journal(vault.engine), args.round, vault, backups=args.mode == "backup")


if __name__ == "__main__":
    main()
