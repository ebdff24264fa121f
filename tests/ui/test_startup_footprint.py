"""The lock screen is painted with Qt and the vault's file names only (issue 15).

The `svjournal` command's own start runs in a new interpreter on a real vault: when it
enters its event loop and the lock screen is painted, none of the libraries that unlocking
needs (SQLAlchemy, SQLModel, Alembic, Argon2, the AES-GCM of `cryptography`) nor the
keyring's is loaded yet. They load right after, in the background while the passphrase is
typed, and the passphrase then opens the journal as before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from svjournal.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE

NOT_FOR_THE_LOCK_SCREEN = ("sqlalchemy", "sqlmodel", "alembic", "argon2", "cryptography", "keyring")

CHILD = """
import json, sys, threading, time
from PySide6.QtWidgets import QApplication

HEAVY = {heavy!r}

def loaded():
    return sorted(m for m in HEAVY if m in sys.modules)

def exec_once(self):
    windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for w in windows:
        w.grab()  # the first paint
    at_paint = loaded()
    window = next(w for w in windows if hasattr(w, "unlock_view"))
    end = time.time() + 60
    while time.time() < end and not any(t.name == "prewarm" for t in threading.enumerate()):
        self.processEvents()
        time.sleep(0.01)
    for t in threading.enumerate():
        if t.name == "prewarm":
            t.join(60)
    window.unlock_view.field.setText(sys.stdin.readline().rstrip("\\n"))
    window.unlock_view.attempt_unlock()
    self.processEvents()
    print(json.dumps({{"at_paint": at_paint, "after": loaded(),
                      "unlocked": window.session.is_unlocked}}), flush=True)
    window.session.lock()
    return 0

QApplication.exec = exec_once
from svjournal.cli import entry_point
sys.argv = ["svjournal", "--vault", sys.argv[1], "--no-log-file"]
entry_point()
"""


def test_the_lock_screen_is_painted_before_the_unlocking_code_loads(tmp_path: Path) -> None:
    vault_path = tmp_path / "vault"
    created, _recovery = Vault.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    created.close()
    home = tmp_path / "home"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_RUNTIME_DIR": str(tmp_path),
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
    }
    out = subprocess.run(
        [sys.executable, "-c", CHILD.format(heavy=NOT_FOR_THE_LOCK_SCREEN), str(vault_path)],
        input=PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,  # svjournal as installed (PYTHONPATH), not from the current folder
        timeout=180,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["at_paint"] == []
    # Loaded while the passphrase is typed: unlocking then waits for none of it.
    assert {"sqlalchemy", "sqlmodel", "argon2", "cryptography"} <= set(seen["after"])
    assert "keyring" in seen["after"]  # a remembered key was looked for after the paint
    assert seen["unlocked"] is True
