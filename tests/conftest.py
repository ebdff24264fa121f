"""Shared fixtures: fast-but-real KDF parameters, fresh vaults, in-memory keyrings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

from svjournal.core import logsetup
from svjournal.core.journal import Journal
from svjournal.core.keyfile import KdfParams
from svjournal.core.vault import Vault

PASSPHRASE = "correct horse battery staple"
# Tests use the floor of the KDF (RFC 9106's second option) rather than the calibrated cost.
FAST_KDF = KdfParams()
FIXED_NOW = datetime(2026, 11, 26, 12, 0, 0)


class MemoryKeyring(KeyringBackend):
    """A working keyring that keeps entries in a dict."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.entries:
            raise PasswordDeleteError("not found")
        del self.entries[(service, username)]


class AbsentKeyring(KeyringBackend):
    """What a headless machine has: every call raises NoKeyringError."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise NoKeyringError("no backend")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NoKeyringError("no backend")

    def delete_password(self, service: str, username: str) -> None:
        raise NoKeyringError("no backend")


class FailingKeyring(KeyringBackend):
    """A keyring that exists but fails (locked collection, D-Bus error, ...)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError("backend failed")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError("backend failed")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringError("backend failed")


@pytest.fixture(autouse=True)
def _no_real_keyring() -> Iterator[None]:
    """Never touch the developer's real keyring: every test starts with an absent one."""
    previous = keyring.get_keyring()
    keyring.set_keyring(AbsentKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def _no_system_policy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A policy file on the test machine, a portable marker, the user's list of journals or
    log file must not change the tests (nor the tests them)."""
    with pytest.MonkeyPatch.context() as patch:
        missing = tmp_path_factory.getbasetemp() / "no-policy" / "policy.toml"
        patch.setenv("SVJOURNAL_POLICY_FILE", str(missing))
        patch.delenv("SVJOURNAL_PORTABLE_ROOT", raising=False)
        # The list of journals opened on this account (lock screen) goes to a temp folder.
        patch.setenv("SVJOURNAL_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
        # The log file too (the CLI and the app start it); stopped after each test.
        patch.setenv("SVJOURNAL_LOG_DIR", str(tmp_path_factory.mktemp("logs")))
        yield
        logsetup.shutdown()


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def failing_keyring() -> FailingKeyring:
    backend = FailingKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def vault(vault_path: Path) -> Iterator[Vault]:
    created, _recovery = Vault.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    yield created
    created.close()


@pytest.fixture
def journal(vault: Vault) -> Journal:
    return Journal(vault.engine, clock=lambda: FIXED_NOW)
