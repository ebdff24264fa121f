"""One app per user: a second launch asks the running one to come forward, then exits.

On Unix the socket lives in a folder only this user can enter — `$XDG_RUNTIME_DIR/svjournal`,
else `<tmp>/svjournal-<uid>` — never under a public name in /tmp, where another account could
listen first and stop the app from starting ("already running"). A folder that is a link,
belongs to someone else or is open to others is not used, and a listener whose peer is
another user is ignored.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import os
import socket as pysocket
import stat
import struct
import tempfile
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

MAX_SOCKET_PATH = 100  # sun_path holds 108 bytes on Linux, 104 on macOS


def _private(folder: Path) -> bool:
    """An existing folder (not a link) of this user's that nobody else can enter."""
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and not stat.S_IMODE(info.st_mode) & 0o077
    )


def _make_private(folder: Path) -> Path | None:
    with contextlib.suppress(FileExistsError, OSError):
        folder.mkdir(mode=0o700)
    return folder if _private(folder) else None


def private_folders(environ: Mapping[str, str] | None = None) -> list[Path]:
    """Where this user's instance sockets may go (Unix), best first; the safe ones only."""
    env = os.environ if environ is None else environ
    found = []
    runtime = env.get("XDG_RUNTIME_DIR", "")
    if runtime and Path(runtime).is_absolute() and _private(Path(runtime)):
        made = _make_private(Path(runtime) / "svjournal")
        if made is not None:
            found.append(made)
    tmp = Path(env.get("TMPDIR") or tempfile.gettempdir())
    made = _make_private(tmp / f"svjournal-{os.getuid()}")
    if made is not None:
        found.append(made)
    return found


def private_folder(environ: Mapping[str, str] | None = None) -> Path | None:
    folders = private_folders(environ)
    return folders[0] if folders else None


def server_name(vault_key: str, environ: Mapping[str, str] | None = None) -> str:
    """The socket's full path in the private folder (Unix), or a per-user pipe name
    (Windows); hashed so that no vault path appears in it. Empty: no safe place."""
    digest = hashlib.sha256(f"{getpass.getuser()}|{vault_key}".encode()).hexdigest()[:16]
    if os.name != "posix":
        return f"svjournal-{digest}"
    for folder in private_folders(environ):
        path = str(folder / f"instance-{digest}")
        if len(path.encode()) <= MAX_SOCKET_PATH:  # else the next, shorter place
            return path
    return ""


def peer_uid(descriptor: int) -> int | None:
    """The user at the other end of a connected Unix socket (Linux), else None."""
    if not hasattr(pysocket, "SO_PEERCRED") or descriptor < 0:
        return None
    probe = pysocket.socket(fileno=os.dup(descriptor))
    try:
        raw = probe.getsockopt(pysocket.SOL_SOCKET, pysocket.SO_PEERCRED, struct.calcsize("3i"))
    except OSError:
        return None
    finally:
        probe.close()
    _pid, uid, _gid = struct.unpack("3i", raw)
    return uid


class SingleInstance(QObject):
    activation_requested = Signal()

    def __init__(self, vault_key: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(vault_key)
        self._server: QLocalServer | None = None

    def ask_running_instance(self, timeout_ms: int = 500) -> bool:
        """True when another instance of this user answered (it will raise its window)."""
        if not self.name:
            return False
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(timeout_ms):
            return False
        if os.name == "posix":
            uid = peer_uid(int(socket.socketDescriptor()))
            if uid is not None and uid != os.getuid():
                socket.abort()  # someone else's listener: not ours to obey
                return False
        socket.write(b"activate\n")
        socket.waitForBytesWritten(timeout_ms)
        socket.disconnectFromServer()
        return True

    def listen(self) -> bool:
        if not self.name:
            return False  # no private place: the vault's process lock still keeps one app
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # A stale socket from a crashed instance: remove it and try once more.
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                return False
        server.newConnection.connect(self._connection)
        self._server = server
        return True

    def _connection(self) -> None:
        assert self._server is not None
        socket = self._server.nextPendingConnection()
        if socket is not None:
            socket.readyRead.connect(lambda: self._read(socket))

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(b"activate"):
            self.activation_requested.emit()
        socket.disconnectFromServer()

    def close(self) -> None:
        """Stop listening; on Unix this removes the socket file."""
        if self._server is not None:
            self._server.close()
            self._server = None
