"""The versioned key file: the data key wrapped under the passphrase and the recovery key.

Layout (UTF-8 JSON, one object): a magic and a format version, the vault id, one slot per
way in (`passphrase`, `recovery`), each naming its KDF, the KDF parameters, a random 16-byte
salt and the AES-256-GCM nonce and ciphertext, a key check to tell a keyring entry that does
not belong to this vault, and a SHA-256 checksum over the rest so that accidental damage
reads as damage and not as a wrong passphrase.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from svjournal.core import strict_json
from svjournal.core.errors import UnsupportedVersion, WrongPassphrase, WrongRecoveryKey
from svjournal.core.i18n import tr
from svjournal.core.strict_json import HostileJson, small_int

MAGIC = "svjournal-keyfile"
FORMAT_VERSION = 1
DATA_KEY_BYTES = 32
SALT_BYTES = 16

# Recovery keys: 30 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U),
# read aloud in 6 groups of 5; about 147 bits.
RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
RECOVERY_GROUPS = 6
RECOVERY_GROUP_LEN = 5


class KeyFileDamaged(ValueError):
    """The key file cannot be parsed or its checksum does not match."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. The floor is RFC 9106's second recommended option."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4

    MIN_TIME = 3
    MIN_MEMORY_KIB = 64 * 1024
    MIN_PARALLELISM = 1
    MAX_TIME = 64  # calibration stops at 24 passes
    MAX_MEMORY_KIB = 4 * 1024 * 1024
    MAX_PARALLELISM = 64
    MAX_KEYFILE_PARALLELISM = 16  # the app writes 4
    MAX_KEYFILE_MEMORY_KIB = 1024 * 1024  # the app writes 64 MiB

    def derive(self, secret: bytes, salt: bytes) -> bytes:
        # Imported on first use: reading a key file (to show the lock screen) needs neither.
        from argon2.low_level import Type, hash_secret_raw

        return hash_secret_raw(
            secret,
            salt,
            time_cost=self.time_cost,
            memory_cost=self.memory_kib,
            parallelism=self.parallelism,
            hash_len=32,
            type=Type.ID,
        )

    @classmethod
    def calibrated(cls, target_seconds: float = 0.3, max_time_cost: int = 24) -> KdfParams:
        """The floor, with more passes while one derivation stays under the target.

        The target leaves room in the 0.6 s unlock budget for opening the database and for
        a slower moment on the same machine.
        """
        base = cls()
        samples = []
        for _ in range(2):  # the first run also pays for page faults on the 64 MiB
            started = time.perf_counter()
            base.derive(b"calibration", b"\0" * SALT_BYTES)
            samples.append(time.perf_counter() - started)
        per_pass = min(samples) / base.time_cost
        passes = int(target_seconds / per_pass) if per_pass > 0 else base.time_cost
        return replace(base, time_cost=max(cls.MIN_TIME, min(passes, max_time_cost)))

    def at_least_floor(self) -> KdfParams:
        """These parameters raised to the floors on time, memory and parallelism."""
        return KdfParams(
            max(self.time_cost, self.MIN_TIME),
            max(self.memory_kib, self.MIN_MEMORY_KIB),
            max(self.parallelism, self.MIN_PARALLELISM),
        )

    def to_json(self) -> dict[str, int]:
        return {"t": self.time_cost, "m": self.memory_kib, "p": self.parallelism}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KdfParams:
        """Parameters read from a file: real integers Argon2 accepts, none so large that
        deriving would hang or exhaust memory (a sealed file's sender chooses its own cost,
        within these bounds); KeyFileDamaged otherwise."""
        if not isinstance(data, dict):
            raise KeyFileDamaged(tr("implausible KDF parameters"))
        try:
            p = small_int(data["p"], 1, cls.MAX_PARALLELISM)
            params = cls(
                small_int(data["t"], 1, cls.MAX_TIME),
                small_int(data["m"], 8 * p, cls.MAX_MEMORY_KIB),  # Argon2: m >= 8 p
                p,
            )
        except (KeyError, HostileJson) as exc:
            raise KeyFileDamaged(tr("implausible KDF parameters")) from exc
        return params

    def written_by_us(self) -> bool:
        """Whether a key file slot could hold these: at or above every floor, and no more
        than calibration ever chooses. Anything else is damage (or tampering), not a
        wrong passphrase."""
        return (
            self.MIN_TIME <= self.time_cost <= self.MAX_TIME
            and self.MIN_MEMORY_KIB <= self.memory_kib <= self.MAX_KEYFILE_MEMORY_KIB
            and self.MIN_PARALLELISM <= self.parallelism <= self.MAX_KEYFILE_PARALLELISM
        )


def normalise_passphrase(passphrase: str) -> bytes:
    # NFC so that the same accented passphrase typed on macOS (NFD) and Windows (NFC) match.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8", "surrogatepass")


def generate_recovery_key() -> str:
    chars = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(30))
    return format_recovery_key(chars)


def format_recovery_key(chars: str) -> str:
    n = RECOVERY_GROUP_LEN
    return "-".join(chars[i : i + n] for i in range(0, len(chars), n))


def parse_recovery_key(text: str) -> bytes:
    """Accept any case, spaces and dashes; refuse anything that cannot be a recovery key."""
    chars = "".join(ch for ch in text.upper() if ch not in " -\t\r\n")
    if len(chars) != RECOVERY_GROUPS * RECOVERY_GROUP_LEN or any(
        ch not in RECOVERY_ALPHABET for ch in chars
    ):
        raise WrongRecoveryKey()
    return chars.encode("ascii")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise KeyFileDamaged(tr("malformed field"))
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise KeyFileDamaged(tr("malformed field")) from exc


@dataclass(frozen=True)
class Slot:
    """The data key wrapped under one secret."""

    params: KdfParams
    salt: bytes
    nonce: bytes
    ciphertext: bytes

    @classmethod
    def seal(cls, data_key: bytes, secret: bytes, params: KdfParams, aad: bytes) -> Slot:
        if params.time_cost < KdfParams.MIN_TIME or params.memory_kib < KdfParams.MIN_MEMORY_KIB:
            raise ValueError("Argon2id parameters below RFC 9106's second recommended option")
        salt = secrets.token_bytes(SALT_BYTES)
        nonce = secrets.token_bytes(12)
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        wrapping = params.derive(secret, salt)
        return cls(params, salt, nonce, AESGCM(wrapping).encrypt(nonce, data_key, aad))

    def open(self, secret: bytes, aad: bytes) -> bytes | None:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        wrapping = self.params.derive(secret, self.salt)
        try:
            return AESGCM(wrapping).decrypt(self.nonce, self.ciphertext, aad)
        except InvalidTag:
            return None

    def to_json(self) -> dict[str, Any]:
        return {
            "kdf": "argon2id",
            "params": self.params.to_json(),
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "ciphertext": _b64(self.ciphertext),
        }

    @classmethod
    def from_json(cls, data: Any) -> Slot:
        if not isinstance(data, dict) or data.get("kdf") != "argon2id":
            raise KeyFileDamaged(tr("unknown key derivation"))
        slot = cls(
            KdfParams.from_json(data["params"]),
            _unb64(data["salt"]),
            _unb64(data["nonce"]),
            _unb64(data["ciphertext"]),
        )
        if len(slot.salt) != SALT_BYTES or len(slot.nonce) != 12:
            raise KeyFileDamaged(tr("malformed slot"))
        if len(slot.ciphertext) != DATA_KEY_BYTES + 16:
            raise KeyFileDamaged(tr("malformed slot"))
        if not slot.params.written_by_us():
            raise KeyFileDamaged(tr("its key derivation parameters are not ones svjournal writes"))
        return slot


def _key_check(data_key: bytes, vault_id: str) -> str:
    return hmac.new(data_key, f"svjournal key check {vault_id}".encode(), "sha256").hexdigest()


def _checksum(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(canonical).hexdigest()


@dataclass(frozen=True)
class KeyFile:
    vault_id: str
    created_at: str
    passphrase: Slot
    recovery: Slot
    key_check: str

    def _aad(self, slot: str, params: KdfParams) -> bytes:
        p = params.to_json()
        return (
            f"{MAGIC}/{FORMAT_VERSION}/{self.vault_id}/{slot}/{p['t']}.{p['m']}.{p['p']}".encode()
        )

    # --- building -------------------------------------------------------------------------

    @classmethod
    def new(
        cls, vault_id: str, data_key: bytes, passphrase: str, recovery_key: str, params: KdfParams
    ) -> KeyFile:
        shell = cls(vault_id, datetime.now().isoformat(timespec="seconds"), *_EMPTY, "")
        return replace(
            shell,
            passphrase=Slot.seal(
                data_key, normalise_passphrase(passphrase), params, shell._aad("passphrase", params)
            ),
            recovery=Slot.seal(
                data_key,
                parse_recovery_key(recovery_key),
                params,
                shell._aad("recovery", params),
            ),
            key_check=_key_check(data_key, vault_id),
        )

    def with_passphrase(self, data_key: bytes, passphrase: str, params: KdfParams) -> KeyFile:
        aad = self._aad("passphrase", params)
        return replace(
            self, passphrase=Slot.seal(data_key, normalise_passphrase(passphrase), params, aad)
        )

    # --- opening --------------------------------------------------------------------------

    def unwrap_with_passphrase(self, passphrase: str) -> bytes:
        aad = self._aad("passphrase", self.passphrase.params)
        key = self.passphrase.open(normalise_passphrase(passphrase), aad)
        if key is None:
            raise WrongPassphrase()
        return key

    def unwrap(self, *, passphrase: str | None = None, recovery_key: str | None = None) -> bytes:
        """The data key, opened with the recovery key if given, else with the passphrase."""
        if recovery_key is not None:
            return self.unwrap_with_recovery_key(recovery_key)
        if passphrase is not None:
            return self.unwrap_with_passphrase(passphrase)
        raise ValueError("the passphrase or the recovery key is needed")

    def unwrap_with_recovery_key(self, recovery_key: str) -> bytes:
        secret = parse_recovery_key(recovery_key)
        key = self.recovery.open(secret, self._aad("recovery", self.recovery.params))
        if key is None:
            raise WrongRecoveryKey()
        return key

    def fits(self, data_key: bytes) -> bool:
        return hmac.compare_digest(_key_check(data_key, self.vault_id), self.key_check)

    # --- bytes ----------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        body: dict[str, Any] = {
            "magic": MAGIC,
            "version": FORMAT_VERSION,
            "vault_id": self.vault_id,
            "created_at": self.created_at,
            "slots": {"passphrase": self.passphrase.to_json(), "recovery": self.recovery.to_json()},
            "key_check": self.key_check,
        }
        body["checksum"] = _checksum(body)
        return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> KeyFile:
        try:
            body = strict_json.loads(data)
        except ValueError as exc:  # also UnicodeDecodeError and hostile JSON
            raise KeyFileDamaged(tr("the key file is not readable")) from exc
        if not isinstance(body, dict) or body.get("magic") != MAGIC:
            raise KeyFileDamaged(tr("this is not an svjournal key file"))
        version = body.get("version")
        if type(version) is not int or version < 1:
            raise KeyFileDamaged(tr("the key file has no version"))
        if version > FORMAT_VERSION:
            raise UnsupportedVersion("key file")
        checksum = body.pop("checksum", None)
        if checksum != _checksum(body):
            raise KeyFileDamaged(tr("the key file's checksum does not match"))
        try:
            slots = body["slots"]
            return cls(
                vault_id=str(body["vault_id"]),
                created_at=str(body["created_at"]),
                passphrase=Slot.from_json(slots["passphrase"]),
                recovery=Slot.from_json(slots["recovery"]),
                key_check=str(body["key_check"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, KeyFileDamaged):
                raise
            raise KeyFileDamaged(tr("the key file is incomplete")) from exc


_EMPTY_SLOT = Slot(KdfParams(), b"", b"", b"")
_EMPTY = (_EMPTY_SLOT, _EMPTY_SLOT)
