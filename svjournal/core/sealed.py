"""Passphrase-sealed files: personal exports and team bundles share this versioned format.

Layout: a kind-specific magic line (e.g. ``SVJBUNDLE\\n``), a 4-byte big-endian header
length, a JSON header (format version, KDF name, its parameters and a random salt, the
AES-GCM nonce, plus public metadata the caller chooses — never anything confidential), then
the AES-256-GCM ciphertext of the zlib-compressed payload. Magic, length and header are the
associated data, so altering any byte of the file fails authentication: a file opens whole
or not at all.
"""

from __future__ import annotations

import json
import secrets
import struct
import zlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from svjournal.core import strict_json
from svjournal.core.errors import FileDamaged, NotOurFile, WrongFilePassphrase
from svjournal.core.i18n import tr
from svjournal.core.keyfile import KdfParams, KeyFileDamaged, normalise_passphrase

FORMAT_VERSION = 1
SALT_BYTES = 16
NONCE_BYTES = 12
MAX_HEADER = 64 * 1024
# A payload never legitimately decompresses beyond this: guards against zip bombs.
MAX_PAYLOAD = 2 * 1024**3


@dataclass(frozen=True)
class SealedHeader:
    format_version: int
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    metadata: dict[str, Any]


def seal(
    magic: bytes,
    payload: bytes,
    passphrase: str,
    *,
    metadata: dict[str, Any] | None = None,
    kdf: KdfParams | None = None,
) -> bytes:
    """The sealed file's bytes for `payload` under `passphrase`."""
    params = kdf or KdfParams()
    salt = secrets.token_bytes(SALT_BYTES)
    nonce = secrets.token_bytes(NONCE_BYTES)
    header = {
        "format_version": FORMAT_VERSION,
        "kdf": "argon2id",
        "kdf_params": params.to_json(),
        "salt": salt.hex(),
        "nonce": nonce.hex(),
        "metadata": metadata or {},
    }
    head = json.dumps(header, sort_keys=True, ensure_ascii=True).encode("ascii")
    prefix = magic + struct.pack(">I", len(head)) + head
    key = params.derive(normalise_passphrase(passphrase), salt)
    body = AESGCM(key).encrypt(nonce, zlib.compress(payload, 6), prefix)
    return prefix + body


def read_header(magic: bytes, data: bytes) -> tuple[SealedHeader, int]:
    """The public header and where the ciphertext starts; no passphrase needed."""
    if not data.startswith(magic):
        raise NotOurFile(tr("This is not the expected kind of svjournal file."))
    at = len(magic)
    if len(data) < at + 4:
        raise FileDamaged(tr("The file is truncated."))
    (length,) = struct.unpack(">I", data[at : at + 4])
    if length > MAX_HEADER or len(data) < at + 4 + length:
        raise FileDamaged(tr("The file is truncated or its header is damaged."))
    raw = data[at + 4 : at + 4 + length]
    fields, version = strict_json.versioned_header(
        raw,
        FORMAT_VERSION,
        damaged=tr("The file's header is damaged."),
        too_new=tr("The file was written by a newer version of svjournal."),
    )
    try:
        if version < 1 or fields["kdf"] != "argon2id":
            raise ValueError("unknown key derivation")
        header = SealedHeader(
            format_version=version,
            kdf=KdfParams.from_json(fields["kdf_params"]),
            salt=bytes.fromhex(fields["salt"]),
            nonce=bytes.fromhex(fields["nonce"]),
            metadata=_metadata(fields.get("metadata", {})),
        )
    except (ValueError, KeyError, TypeError, KeyFileDamaged) as exc:
        raise FileDamaged(tr("The file's header is damaged.")) from exc
    if len(header.salt) != SALT_BYTES or len(header.nonce) != NONCE_BYTES:
        raise FileDamaged(tr("The file's header is damaged."))
    return header, at + 4 + length


def _metadata(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("the metadata is not an object")
    return value


def unseal(magic: bytes, data: bytes, passphrase: str) -> tuple[SealedHeader, bytes]:
    """The header and the payload; raises before returning anything if a byte is wrong."""
    header, start = read_header(magic, data)
    if len(data) < start + 16:
        raise FileDamaged(tr("The file is truncated."))
    key = header.kdf.derive(normalise_passphrase(passphrase), header.salt)
    try:
        compressed = AESGCM(key).decrypt(header.nonce, data[start:], data[:start])
    except InvalidTag:
        # GCM cannot tell a wrong passphrase from an altered ciphertext; the header parsed,
        # so a wrong passphrase is by far the likelier cause.
        raise WrongFilePassphrase(
            tr("The passphrase does not open this file (or the file was altered).")
        ) from None
    try:
        inflater = zlib.decompressobj()
        payload = inflater.decompress(compressed, MAX_PAYLOAD)
        if inflater.unconsumed_tail or not inflater.eof:
            raise FileDamaged(tr("The file's contents are damaged."))
    except zlib.error as exc:
        raise FileDamaged(tr("The file's contents are damaged.")) from exc
    return header, payload
