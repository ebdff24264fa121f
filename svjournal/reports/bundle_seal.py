"""The team bundle's envelope (version 2): signed by its author, encrypted to the team's key.

Built only from `cryptography`'s standard pieces (no cipher composed here):
- HPKE (RFC 9180) base mode, suite DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
  ChaCha20-Poly1305, single-shot, to the recipient team's X25519 public key;
- Ed25519 (RFC 8032) for the author's signature.

File layout::

    MAGIC ("SVJBUNDLE2\\n") | header length (2 bytes, big-endian) | header | HPKE output

The header is canonical JSON, public, and says only the format, its version, the suite and
the recipient team's fingerprint (so a wrong team's file is named as such). HPKE's `info`
is INFO_LABEL | MAGIC | header, so changing any header byte makes the file fail to open.
The HPKE plaintext is::

    b"SVJ2" | author's Ed25519 public key (32) | signature (64) | zlib(payload)

and the signature covers SIGN_LABEL | MAGIC | header | the recipient team's raw X25519
public key (32) | payload (the canonical JSON, uncompressed). So the author's identity is
inside the encryption (a colleague with the file learns nobody's name), and a signed
payload cannot be re-addressed to another team or given another header. Encryption alone
(base-mode HPKE) says nothing about who wrote a file; the signature does.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from svjournal.core.errors import ExportFileError, FileDamaged, FileTooNew, NotOurFile
from svjournal.core.i18n import tr
from svjournal.core.team_keys import signing_fingerprint, team_fingerprint

MAGIC = b"SVJBUNDLE2\n"
FORMAT_NAME = "svjournal-team-bundle"
VERSION = 2
SUITE_NAME = "HPKE-base/X25519/HKDF-SHA256/ChaCha20-Poly1305+Ed25519"
INFO_LABEL = b"svjournal team bundle v2 hpke info\x00"
SIGN_LABEL = b"svjournal team bundle v2 signature\x00"
INNER_MAGIC = b"SVJ2"
MAX_HEADER = 1024
# Ten thousand encounters are well under 2 MiB of JSON; a payload past this is hostile.
MAX_PAYLOAD = 256 * 1024**2
_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)
_HEADER_KEYS = {"format", "version", "suite", "recipient"}


class BundleNotForThisTeam(ExportFileError):
    """The bundle is addressed to another team's key (or this journal has no team)."""


class BundleForged(ExportFileError):
    """The bundle's signature does not verify: it was altered or made by someone else."""


@dataclass(frozen=True)
class Opened:
    """A bundle's payload, with the author's key (the signature over it verified)."""

    signer: bytes  # raw Ed25519 public key
    payload: bytes

    @property
    def fingerprint(self) -> str:
        return signing_fingerprint(self.signer)


def _raw(key: X25519PublicKey | Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _header(recipient: bytes) -> bytes:
    body = {
        "format": FORMAT_NAME,
        "version": VERSION,
        "suite": SUITE_NAME,
        "recipient": team_fingerprint(recipient),
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("ascii")


def _signed_message(header: bytes, recipient: bytes, payload: bytes) -> bytes:
    return SIGN_LABEL + MAGIC + header + recipient + payload


def seal(payload: bytes, recipient: bytes, signer: Ed25519PrivateKey) -> bytes:
    """The file bytes of `payload`, signed by `signer` and encrypted to team key `recipient`."""
    X25519PublicKey.from_public_bytes(recipient)  # a bad key fails here, not at the recipient
    header = _header(recipient)
    signature = signer.sign(_signed_message(header, recipient, payload))
    inner = INNER_MAGIC + _raw(signer.public_key()) + signature + zlib.compress(payload, 6)
    sealed = _SUITE.encrypt(
        inner, X25519PublicKey.from_public_bytes(recipient), info=INFO_LABEL + MAGIC + header
    )
    return MAGIC + len(header).to_bytes(2, "big") + header + sealed


def read_header(data: bytes) -> tuple[dict[str, Any], bytes, bytes]:
    """The public header (checked), its bytes, and the encrypted rest."""
    if not data.startswith(MAGIC):
        raise NotOurFile(tr("This is not a team bundle (not a file svjournal wrote)."))
    start = len(MAGIC) + 2
    length = int.from_bytes(data[len(MAGIC) : start], "big")
    if len(data) < start or length > MAX_HEADER or len(data) < start + length:
        raise FileDamaged(
            tr("The bundle is truncated or damaged (its header); nothing was imported.")
        )
    header = data[start : start + length]
    try:
        body = json.loads(header)
    except (ValueError, RecursionError):
        body = None
    if not isinstance(body, dict) or body.get("format") != FORMAT_NAME:
        raise FileDamaged(tr("The bundle's header is damaged; nothing was imported."))
    version = body.get("version")
    if type(version) is int and version > VERSION:
        raise FileTooNew(tr("The bundle was written by a newer version of svjournal; update it."))
    if (
        set(body) != _HEADER_KEYS
        or version != VERSION
        or body.get("suite") != SUITE_NAME
        or type(body.get("recipient")) is not str
        or header != json.dumps(body, sort_keys=True, separators=(",", ":")).encode("ascii")
    ):
        raise FileDamaged(tr("The bundle's header is damaged; nothing was imported."))
    return body, header, data[start + length :]


def unseal(data: bytes, team_key: X25519PrivateKey | None) -> Opened:
    """The payload and author of a bundle for `team_key`; typed errors, never a partial one."""
    body, header, sealed = read_header(data)
    if team_key is None:
        raise BundleNotForThisTeam(
            tr(
                "This journal has no team, so no bundle can be opened here: a coordinator creates "
                "one with `svjournal team create` (or in the Team view)."
            )
        )
    recipient = _raw(team_key.public_key())
    if body["recipient"] != team_fingerprint(recipient):
        raise BundleNotForThisTeam(
            tr(
                "The bundle is addressed to another team (fingerprint {fingerprint}), not "
                "this journal's; nothing was imported."
            ).format(fingerprint=body["recipient"])
        )
    try:
        inner = _SUITE.decrypt(sealed, team_key, info=INFO_LABEL + MAGIC + header)
    except (InvalidTag, ValueError):
        raise FileDamaged(
            tr("The bundle is truncated or was altered after it was written; nothing was imported.")
        ) from None
    if len(inner) < 100 or not inner.startswith(INNER_MAGIC):
        raise FileDamaged(tr("The bundle's contents are damaged; nothing was imported."))
    signer, signature = inner[4:36], inner[36:100]
    payload = _inflate(inner[100:])
    try:
        Ed25519PublicKey.from_public_bytes(signer).verify(
            signature, _signed_message(header, recipient, payload)
        )
    except (InvalidSignature, ValueError):
        raise BundleForged(
            tr(
                "The bundle's signature does not match its contents or its author (a forged or "
                "altered bundle); nothing was imported."
            )
        ) from None
    return Opened(signer, payload)


def _inflate(compressed: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        payload = inflater.decompress(compressed, MAX_PAYLOAD)
    except zlib.error:
        raise FileDamaged(tr("The bundle's contents are damaged; nothing was imported.")) from None
    if inflater.unconsumed_tail or not inflater.eof or inflater.unused_data:
        raise FileDamaged(
            tr("The bundle's contents are damaged or far too large; nothing was imported.")
        )
    return payload
