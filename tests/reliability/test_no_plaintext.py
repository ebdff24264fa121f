"""A whole GUI session leaves no plaintext anywhere: not in HOME, temp, caches, config or logs.

The session runs in a child process (`gui_session`) whose HOME, TMPDIR, XDG folders,
matplotlib config and vault all point into one scratch folder, with logging at DEBUG into a
file there. Afterwards every file in that folder is searched, as bytes and as UTF-16, for
the alias, the note, the contact details, the passphrase, the recovery key and the data key.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from svjournal.core.keyfile import KeyFile
from tests.reliability.support import Child, mode, needles, regular_files, scan

ALIAS = "QUOKKA-ALIAS-5807"
NOTE = "NOTE-MARKER plover-2263 talked about the night shift"
PHONE = "0161 496 0774"
EMAIL = "quokka.marker@example.org"
PASSPHRASE = "amber lighthouse pelican drifts north 41"
XDG = ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR")


def test_the_scanner_finds_what_it_looks_for(tmp_path: Path) -> None:
    # Guards the session test below against a scan that can never find anything.
    patterns = needles({"note": NOTE}, raw={"key": bytes(range(32))})
    planted = {
        "a.txt": f"..{NOTE}..".encode(),
        "b.bin": f"..{NOTE}..".encode("utf-16-le"),
        ".hidden/c": b"\xfe\xff" + NOTE.encode("utf-16-be"),
        "d.raw": b"xx" + bytes(range(32)) + b"yy",
    }
    for name, data in planted.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(data)
    (tmp_path / "clean").write_bytes(NOTE[:-1].encode())
    hits = scan(regular_files(tmp_path), patterns)
    assert {h.split(": ")[0].removeprefix(f"{tmp_path}/") for h in hits} == set(planted)


def session_env(scratch: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "SVJOURNAL_"))}
    env.update(
        HOME=str(scratch / "home"),
        TMPDIR=str(scratch / "tmp"),
        MPLCONFIGDIR=str(scratch / "mplconfig"),
        SVJOURNAL_VAULT=str(scratch / "vault"),
        QT_QPA_PLATFORM="offscreen",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",  # no keyring: passphrase only
    )
    for name in XDG:
        env[name] = str(scratch / name.lower())
    for name in ("HOME", "TMPDIR", "MPLCONFIGDIR", *XDG):
        Path(env[name]).mkdir(parents=True, mode=0o700)
    return env


def test_a_gui_session_leaves_no_plaintext_in_any_file(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    log = scratch / "logs" / "svjournal-debug.log"
    log.parent.mkdir(parents=True)
    given = {
        "alias": ALIAS,
        "note": NOTE,
        "phone": PHONE,
        "email": EMAIL,
        "passphrase": PASSPHRASE,
        "log": str(log),
    }
    child = Child("tests.reliability.gui_session", [], json.dumps(given), session_env(scratch))
    result = child.start().finish(timeout=240)
    assert result.returncode == 0 and "done" in result.lines, (result.lines, result.stderr)
    [recovery_key] = result.values("recovery")
    assert len(recovery_key.replace("-", "")) == 30

    vault = scratch / "vault"
    data_key = KeyFile.from_bytes((vault / "journal.key").read_bytes()).unwrap_with_passphrase(
        PASSPHRASE
    )
    secrets = {
        "alias": ALIAS,
        "note": NOTE,
        "note (start)": NOTE[:16],
        "phone": PHONE,
        "email": EMAIL,
        "passphrase": PASSPHRASE,
        "recovery key": recovery_key,
        "recovery key (bare)": recovery_key.replace("-", ""),
        "data key (hex)": data_key.hex(),
        "data key (HEX)": data_key.hex().upper(),
    }
    patterns = needles(secrets, raw={"data key": data_key})

    files = regular_files(scratch)
    names = {str(p.relative_to(scratch)) for p in files}
    # The scan covers what the session wrote: the vault, its backup, the logs (a raw one at
    # DEBUG, and svjournal's own log file), matplotlib's cache.
    own_log = "xdg_state_home/svjournal/log/svjournal.log"
    assert {"vault/journal.db", "vault/journal.key", "logs/svjournal-debug.log", own_log} <= names
    assert any(n.startswith("vault/backups/") for n in names), names
    assert scan(files, patterns) == [], names

    text = log.read_text(encoding="utf-8")
    assert " DEBUG " in text and "journal locked" in text and "journal unlocked" in text
    own = (scratch / own_log).read_text(encoding="utf-8")
    assert "journal locked" in own and "unlocked with the passphrase" in own
    assert "backup made (close) in the vault's backups folder" in own
    assert "a new journal was created" in own and mode(scratch / own_log) == 0o600
    # What the app printed would land in a terminal or a session log.
    assert scan_text(result.stderr + "\n".join(result.lines[1:]), secrets) == []

    # The vault the session left is owner-only all the way down.
    assert mode(vault) == 0o700
    for entry in vault.rglob("*"):
        assert mode(entry) == (0o700 if entry.is_dir() else 0o600), entry


def scan_text(text: str, secrets: dict[str, str]) -> list[str]:
    return [name for name, secret in secrets.items() if secret in text]
