"""One app per user: a second launch asks the running one to come forward, then exits."""

from __future__ import annotations

import getpass
import hashlib

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket


def server_name(vault_key: str) -> str:
    # Per user and per vault; hashed so that no path or user name appears in the socket name.
    digest = hashlib.sha256(f"{getpass.getuser()}|{vault_key}".encode()).hexdigest()[:16]
    return f"svjournal-{digest}"


class SingleInstance(QObject):
    activation_requested = Signal()

    def __init__(self, vault_key: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(vault_key)
        self._server: QLocalServer | None = None

    def ask_running_instance(self, timeout_ms: int = 500) -> bool:
        """True when another instance answered (it will raise its window)."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(b"activate\n")
        socket.waitForBytesWritten(timeout_ms)
        socket.disconnectFromServer()
        return True

    def listen(self) -> bool:
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
