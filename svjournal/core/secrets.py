"""The OS keyring behind a small protocol; never a plaintext fallback."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

from svjournal.core.errors import KeyringFailed, KeyringUnavailable
from svjournal.core.i18n import N_, tr
from svjournal.core.logsafe import allow_words

T = TypeVar("T")

log = logging.getLogger(__name__)
allow_words("read", "write", "delete")  # what a keyring call was doing, for the log

SERVICE = "svjournal"

# Backends that would keep the data key readable on disk or that do nothing at all.
_REFUSED_BACKEND_MODULES = ("keyrings.alt", "keyring.backends.fail", "keyring.backends.null")


# What failed, by the keyring call; {error} names the error.
_FAILED = {
    "read": N_("could not read the entry ({error})"),
    "write": N_("could not write the entry ({error})"),
    "delete": N_("could not delete the entry ({error})"),
}


class KeyStore(Protocol):
    """Where a vault's data key may be remembered on this workstation."""

    def available(self) -> tuple[bool, str]: ...
    def load(self, vault_id: str) -> bytes | None: ...
    def save(self, vault_id: str, data_key: bytes) -> None: ...
    def delete(self, vault_id: str) -> None: ...


class OSKeyStore:
    """The `keyring` package's active backend, refusing plaintext and null backends."""

    def _backend(self) -> KeyringBackend:
        import keyring
        from keyring.errors import KeyringError

        try:
            backend = keyring.get_keyring()
        except KeyringError as exc:  # pragma: no cover - depends on the platform
            raise KeyringUnavailable(type(exc).__name__) from exc
        module = type(backend).__module__
        if module.startswith(_REFUSED_BACKEND_MODULES):
            raise KeyringUnavailable(tr("only an insecure or empty keyring backend is installed"))
        if getattr(backend, "priority", 1) <= 0:
            raise KeyringUnavailable(tr("no keyring backend is usable on this system"))
        return backend

    def available(self) -> tuple[bool, str]:
        """Whether remembering can work here, found by one harmless read."""
        try:
            self._call("read", lambda b: b.get_password(SERVICE, "svjournal-availability-probe"))
        except (KeyringUnavailable, KeyringFailed) as exc:
            return False, str(exc)
        return True, ""

    def load(self, vault_id: str) -> bytes | None:
        value: str | None = self._call("read", lambda b: b.get_password(SERVICE, vault_id))
        if value is None:
            return None
        try:
            key = bytes.fromhex(value)
        except ValueError as exc:
            raise KeyringFailed(tr("the keyring entry for this journal is not a key")) from exc
        if len(key) != 32:
            raise KeyringFailed(tr("the keyring entry for this journal is not a key"))
        return key

    def save(self, vault_id: str, data_key: bytes) -> None:
        self._call("write", lambda b: b.set_password(SERVICE, vault_id, data_key.hex()))

    def delete(self, vault_id: str) -> None:
        from keyring.errors import PasswordDeleteError

        def delete(backend: KeyringBackend) -> None:
            try:
                backend.delete_password(SERVICE, vault_id)
            except PasswordDeleteError:
                return None  # nothing remembered: forgetting is already done
            return None

        self._call("delete", delete)

    def _call(self, what: str, action: Callable[[KeyringBackend], T]) -> T:
        from keyring.errors import KeyringError, KeyringLocked, NoKeyringError

        backend = self._backend()
        try:
            return action(backend)
        except NoKeyringError as exc:
            raise KeyringUnavailable(type(exc).__name__) from exc
        except KeyringLocked as exc:
            raise KeyringFailed(tr("the keyring is locked")) from exc
        except KeyringError as exc:
            # The exception text may come from the platform; it never holds our key.
            log.warning("keyring %s failed: %s", what, type(exc).__name__)
            raise KeyringFailed(tr(_FAILED[what]).format(error=type(exc).__name__)) from exc
