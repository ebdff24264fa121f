"""The app as a process: its window title, and SIGINT/SIGTERM closing it as Quit does."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from svjournal.core.backup import list_backups
from svjournal.core.secrets import OSKeyStore
from svjournal.core.vault import Vault
from svjournal.ui.main_window import MainWindow
from svjournal.ui.session import JournalSession
from svjournal.ui.single_instance import server_name
from tests.conftest import PASSPHRASE


def shown_title(title: str) -> str:
    """The title as the window manager shows it: Qt's xcb and Windows plugins append the
    application display name unless the title already ends with it."""
    display = QApplication.applicationDisplayName()
    return title if title.endswith(display) else f"{title} — {display}"


def test_the_window_title_names_the_app_once(vault: Vault, qtbot: QtBot) -> None:
    from svjournal.ui.app import application

    application()  # the display name the real app sets
    window = MainWindow(JournalSession(vault, OSKeyStore()))
    qtbot.addWidget(window)
    title = shown_title(window.windowTitle())
    assert title.lower().count("svjournal") == 1, title
    assert "peer support journal" in title.lower()


# The child: the real run_app on a vault whose key it "remembers", so that it unlocks at once
# (a fresh vault has no backup yet, so closing must make one).
CHILD = """
import sys
from pathlib import Path

from PySide6.QtCore import QTimer

from svjournal.core.keyfile import KdfParams
from svjournal.core.vault import Vault
from svjournal.ui.app import application, run_app


class Store:
    def __init__(self):
        self.keys = {}

    def available(self):
        return True, ""

    def load(self, vault_id):
        return self.keys.get(vault_id)

    def save(self, vault_id, key):
        self.keys[vault_id] = key

    def delete(self, vault_id):
        self.keys.pop(vault_id, None)


path = Path(sys.argv[1])
store = Store()
vault = Vault.open(path)
vault.unlock(sys.stdin.readline().rstrip("\\n"))
vault.remember(store)
vault.close()
app = application()


def ready_when_unlocked():
    # The remembered key is tried once the lock screen has been painted (issue 15).
    sessions = [getattr(w, "session", None) for w in app.topLevelWidgets()]
    if any(getattr(s, "is_unlocked", False) for s in sessions):
        print("ready", flush=True)
    else:
        QTimer.singleShot(10, ready_when_unlocked)


QTimer.singleShot(0, ready_when_unlocked)
sys.exit(run_app(path, keystore=store))
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_closes_the_journal_as_quit_does(
    tmp_path: Path, signum: signal.Signals, request: pytest.FixtureRequest
) -> None:
    from tests.conftest import FAST_KDF

    vault_path = tmp_path / "vault"
    created, _recovery = Vault.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    created.close()
    runtime = Path(tempfile.mkdtemp(prefix="svj-run-", dir="/tmp"))  # short, like /run/user/N
    request.addfinalizer(lambda: shutil.rmtree(runtime, ignore_errors=True))
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "TMPDIR": str(tmp_path),
        "XDG_RUNTIME_DIR": str(runtime),  # the single-instance socket's private folder
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # the window state, not the user's
    }
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(vault_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(PASSPHRASE + "\n")
        child.stdin.close()
        assert child.stdout.readline().strip() == "ready"
        socket = Path(server_name(str(vault_path.resolve()), env))
        assert socket.parent == runtime / "svjournal"
        assert socket.exists(), sorted(p.name for p in tmp_path.iterdir())
        assert list_backups(vault_path / "backups") == []
        child.send_signal(signum)
        code = child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    stderr = child.stderr.read() if child.stderr else ""
    assert code == 0, stderr
    assert "Traceback" not in stderr, stderr
    assert len(list_backups(vault_path / "backups")) == 1  # the backup on closing
    assert not socket.exists()  # the single-instance socket is gone
