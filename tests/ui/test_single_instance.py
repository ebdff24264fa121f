"""The single-instance socket (issue 13): in a private per-user folder, and another user's
listener is ignored, so another account can no longer keep the app from starting."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from svjournal.ui import single_instance
from svjournal.ui.single_instance import SingleInstance, private_folder, server_name

pytestmark = pytest.mark.skipif(os.name != "posix", reason="Unix sockets and folders")


@pytest.fixture
def private_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    # A short path, like /run/user/1000: a socket path holds about 100 bytes.
    runtime = Path(tempfile.mkdtemp(prefix="svj-run-", dir="/tmp"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("TMPDIR", str(runtime / "tmp"))
    (runtime / "tmp").mkdir()
    yield runtime
    shutil.rmtree(runtime, ignore_errors=True)


def test_the_socket_is_in_a_folder_only_this_user_can_enter(private_env: Path) -> None:
    """Before: a name like svjournal-<hash> in the public temp folder (predictable from the
    user name), which any account could take first."""
    name = server_name("/some/vault")
    folder = Path(name).parent
    assert Path(name).is_absolute() and folder == private_env / "svjournal"
    info = os.lstat(folder)
    assert stat.S_ISDIR(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o700
    assert info.st_uid == os.getuid()
    assert "vault" not in Path(name).name


def test_without_a_runtime_folder_a_private_one_in_tmp_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    assert private_folder() == tmp_path / f"svjournal-{os.getuid()}"
    assert stat.S_IMODE((tmp_path / f"svjournal-{os.getuid()}").stat().st_mode) == 0o700


@pytest.mark.parametrize("squat", ["link", "open", "file"])
def test_a_squatted_folder_is_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, squat: str, qtbot: QtBot
) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    target = tmp_path / f"svjournal-{os.getuid()}"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    if squat == "link":
        target.symlink_to(elsewhere)
    elif squat == "open":
        target.mkdir()
        target.chmod(0o777)
    else:
        target.write_text("")
    assert private_folder() is None and server_name("/v") == ""
    # No safe place: no single-instance check, but the app is not stopped from starting.
    instance = SingleInstance("/v")
    assert not instance.ask_running_instance(timeout_ms=100)
    assert not instance.listen()


def test_a_listener_of_another_user_is_ignored(
    private_env: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    first = SingleInstance("/v")
    assert first.listen()
    monkeypatch.setattr(single_instance, "peer_uid", lambda fd: os.getuid() + 1)
    assert not SingleInstance("/v").ask_running_instance(timeout_ms=500)
    first.close()


CHILD = r"""
import os, socket, sys, time
path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
os.chmod(path, 0o777)
os.setuid(65534)   # the credentials a listener shows are taken at listen()
s.listen(1)
print("listening", flush=True)
conn, _ = s.accept()
time.sleep(5)
"""


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs to switch user")
def test_the_peer_check_sees_the_real_listening_user(private_env: Path, tmp_path: Path) -> None:
    path = str(tmp_path / "foreign.sock")
    child = subprocess.Popen([sys.executable, "-c", CHILD, path], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "listening"
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.connect(path)
        assert single_instance.peer_uid(client.fileno()) == 65534
        client.close()
        own_a, own_b = socket.socketpair()
        assert single_instance.peer_uid(own_a.fileno()) == os.getuid()
        own_a.close()
        own_b.close()
    finally:
        child.kill()
        child.wait()
