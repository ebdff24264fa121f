"""This journal's team keys: the coordinator's team key pair, the signing key, the team joined.

Every key lives in the `team_keys` table of the encrypted vault, never in a file of its own:
- `own_team`: an X25519 key pair made by `svjournal team create`; bundles are encrypted to
  its public half (HPKE, RFC 9180), so only this journal opens them;
- `signing`: an Ed25519 key pair made on first need (joining a team); it signs every bundle
  this journal writes, and its public half is how the coordinator knows the author;
- `record_ids`: 32 random bytes keying the record IDs of bundles (see `record_id`);
- `joined_team`: the public half of the team card this journal joined (no private part).

Fingerprints are the first 80 bits of a SHA-256 over a label and the raw public key, in
Crockford's base32 (no I, L, O, U), four groups of four: short enough to read over the phone,
long enough that nobody can make another key with the same fingerprint (2^80 work).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from sqlalchemy import Connection, Engine, text

from svjournal.core.atomic import atomic_write_bytes
from svjournal.core.errors import (
    ExportFileError,
    FileDamaged,
    FileTooNew,
    InvalidState,
    NotOurFile,
    ValidationError,
)
from svjournal.core.i18n import tr
from svjournal.core.models import now

OWN_TEAM = "own_team"
SIGNING = "signing"
RECORD_IDS = "record_ids"
JOINED_TEAM = "joined_team"

CARD_MAGIC = b"SVJTEAMCARD\n"
CARD_VERSION = 1
CARD_SUFFIX = ".svjteam"
MAX_CARD_BYTES = 4096
MAX_TEAM_NAME = 60

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
_TEAM_LABEL = b"svjournal team key\x00"
_SIGNING_LABEL = b"svjournal signing key\x00"


class TeamError(ExportFileError):
    """Something about the team keys stops the request (no team yet, card unusable, ...)."""


class NoTeam(TeamError):
    """This journal has not created a team (coordinators) or joined one (supporters)."""


def _base32(data: bytes) -> str:
    bits = int.from_bytes(data, "big")
    count = len(data) * 8 // 5
    return "".join(_ALPHABET[(bits >> (5 * (count - 1 - i))) & 31] for i in range(count))


def _fingerprint(label: bytes, raw_public: bytes) -> str:
    code = _base32(hashlib.sha256(label + raw_public).digest()[:10])  # 80 bits, 16 symbols
    return "-".join(code[i : i + 4] for i in range(0, 16, 4))


def team_fingerprint(public_key: bytes) -> str:
    return _fingerprint(_TEAM_LABEL, public_key)


def signing_fingerprint(public_key: bytes) -> str:
    return _fingerprint(_SIGNING_LABEL, public_key)


def normalise_fingerprint(value: str) -> str:
    """A fingerprint as typed or read out (any case, spaces or dashes, O for 0) in its form."""
    raw = value.strip().upper().replace(" ", "").replace("-", "")
    raw = raw.translate(str.maketrans("OIL", "011"))
    if len(raw) != 16 or any(ch not in _ALPHABET for ch in raw):
        # Translators: keep the example fingerprint 7K3F-9QX2-MA4B-C8DE as it is.
        problem = tr("{value} is not a fingerprint like 7K3F-9QX2-MA4B-C8DE.")
        raise ValidationError("fingerprint", problem.format(value=repr(value)))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


# --- storage --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredKey:
    purpose: str
    name: str
    public_key: bytes
    private_key: bytes | None
    created_at: datetime


def _read(conn: Connection, purpose: str) -> StoredKey | None:
    row = conn.execute(
        text("SELECT name, public_key, private_key, created_at FROM team_keys WHERE purpose = :p"),
        {"p": purpose},
    ).first()
    if row is None:
        return None
    name, public, private, created = row
    return StoredKey(
        purpose,
        name,
        bytes.fromhex(public),
        bytes.fromhex(private) if private else None,
        created if isinstance(created, datetime) else datetime.fromisoformat(str(created)),
    )


def _write(conn: Connection, key: StoredKey) -> None:
    conn.execute(
        text(
            "INSERT OR REPLACE INTO team_keys (purpose, name, public_key, private_key, created_at) "
            "VALUES (:p, :n, :pub, :priv, :at)"
        ),
        {
            "p": key.purpose,
            "n": key.name,
            "pub": key.public_key.hex(),
            "priv": key.private_key.hex() if key.private_key is not None else None,
            "at": key.created_at.isoformat(sep=" ", timespec="microseconds"),
        },
    )


def stored(engine: Engine, purpose: str) -> StoredKey | None:
    with engine.connect() as conn:
        return _read(conn, purpose)


def _raw(public: X25519PublicKey | Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _raw_private(private: X25519PrivateKey | Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    return private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def _or_create(
    engine: Engine, purpose: str, make: type[X25519PrivateKey | Ed25519PrivateKey] | None
) -> StoredKey:
    """The stored key of `purpose`, made on first use (in one transaction: no two of them)."""
    with engine.begin() as conn:
        existing = _read(conn, purpose)
        if existing is not None:
            return existing
        if make is None:  # a secret, not a key pair
            key = StoredKey(purpose, "", b"", secrets.token_bytes(32), now())
        else:
            private = make.generate()
            key = StoredKey(purpose, "", _raw(private.public_key()), _raw_private(private), now())
        _write(conn, key)
        return key


# --- the coordinator's team -----------------------------------------------------------------


def _team_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError("team name", tr("Give the team a name."))
    if len(cleaned) > MAX_TEAM_NAME or not cleaned.isprintable():
        problem = tr("At most {n} printable characters.").format(n=MAX_TEAM_NAME)
        raise ValidationError("team name", problem)
    return cleaned


def create_team(engine: Engine, name: str) -> StoredKey:
    """Make this journal's team key pair; refused if it already has one (bundles sent to the
    old key would no longer open)."""
    checked = _team_name(name)
    with engine.begin() as conn:
        if _read(conn, OWN_TEAM) is not None:
            raise InvalidState(tr("This journal already has a team; its card stays the same."))
        private = X25519PrivateKey.generate()
        key = StoredKey(OWN_TEAM, checked, _raw(private.public_key()), _raw_private(private), now())
        _write(conn, key)
    return key


def own_team(engine: Engine) -> StoredKey:
    key = stored(engine, OWN_TEAM)
    if key is None:
        raise NoTeam(tr("This journal has no team yet: create one with `svjournal team create`."))
    return key


def team_private_key(engine: Engine) -> X25519PrivateKey | None:
    key = stored(engine, OWN_TEAM)
    if key is None or key.private_key is None:
        return None
    return X25519PrivateKey.from_private_bytes(key.private_key)


# --- the supporter's side -------------------------------------------------------------------


def signing_key(engine: Engine) -> Ed25519PrivateKey:
    key = _or_create(engine, SIGNING, Ed25519PrivateKey)
    assert key.private_key is not None
    return Ed25519PrivateKey.from_private_bytes(key.private_key)


def own_fingerprint(engine: Engine) -> str:
    """This journal's signing fingerprint: what a coordinator accepts (made on first use)."""
    return signing_fingerprint(_raw(signing_key(engine).public_key()))


def record_id(engine_secret: bytes, recipient: bytes, *parts: str) -> str:
    """A record's ID in a bundle: HMAC-SHA256 under this journal's secret, over the recipient
    team's key and the record's own ID, cut to 128 bits. It stays the same in every bundle
    to one team (so a newer bundle updates the case), differs between teams, and cannot be
    linked to the record's UUID or its calendar UID without the secret."""
    message = recipient + b"\x00" + "\x00".join(parts).encode()
    return _base32(hmac.new(engine_secret, message, hashlib.sha256).digest()[:15])


def record_id_secret(engine: Engine) -> bytes:
    key = _or_create(engine, RECORD_IDS, None)
    assert key.private_key is not None
    return key.private_key


def join_team(engine: Engine, card: TeamCard) -> None:
    """Bundles of this journal go to `card`'s team from now on (replaces an earlier team)."""
    signing_key(engine)  # made now, so the supporter can read out its fingerprint
    with engine.begin() as conn:
        _write(conn, StoredKey(JOINED_TEAM, card.name, card.public_key, None, now()))


def joined_team(engine: Engine) -> TeamCard | None:
    key = stored(engine, JOINED_TEAM)
    return None if key is None else TeamCard(key.name, key.public_key)


def require_joined(engine: Engine) -> TeamCard:
    card = joined_team(engine)
    if card is None:
        raise NoTeam(
            tr(
                "This journal has not joined a team: ask your coordinator for the team card "
                "and join with `svjournal team join CARD` (or in the Team view)."
            )
        )
    return card


# --- team cards -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamCard:
    """What a supporter needs to send bundles: the team's name and public key."""

    name: str
    public_key: bytes

    @property
    def fingerprint(self) -> str:
        return team_fingerprint(self.public_key)

    def to_bytes(self) -> bytes:
        body = {
            "version": CARD_VERSION,
            "name": self.name,
            "public_key": base64.b64encode(self.public_key).decode("ascii"),
            "fingerprint": self.fingerprint,  # for a reader; recomputed, never trusted
        }
        return CARD_MAGIC + json.dumps(body, indent=1, sort_keys=True).encode("ascii") + b"\n"


def card_of(engine: Engine) -> TeamCard:
    key = own_team(engine)
    return TeamCard(key.name, key.public_key)


def write_card(engine: Engine, dest: Path) -> TeamCard:
    card = card_of(engine)
    atomic_write_bytes(Path(dest), card.to_bytes())
    return card


def read_card(data: bytes) -> TeamCard:
    """A team card's contents; typed errors for anything else."""
    if len(data) > MAX_CARD_BYTES or not data.startswith(CARD_MAGIC):
        raise NotOurFile(tr("This is not a svjournal team card."))
    try:
        body = json.loads(data[len(CARD_MAGIC) :])
    except (ValueError, RecursionError):
        raise FileDamaged(tr("The team card is damaged (not readable).")) from None
    if not isinstance(body, dict):
        raise FileDamaged(tr("The team card is damaged (unexpected layout)."))
    version = body.get("version")
    if type(version) is int and version > CARD_VERSION:
        raise FileTooNew(tr("The team card was written by a newer svjournal; update it."))
    name, public = body.get("name"), body.get("public_key")
    if version != CARD_VERSION or type(name) is not str or type(public) is not str:
        raise FileDamaged(tr("The team card is damaged (unexpected layout)."))
    try:
        raw = base64.b64decode(public, validate=True)
        X25519PublicKey.from_public_bytes(raw)
        checked = _team_name(name)
    except (ValueError, ValidationError):
        raise FileDamaged(tr("The team card is damaged (its key or name is not valid).")) from None
    card = TeamCard(checked, raw)
    if body.get("fingerprint") not in (None, card.fingerprint):
        raise FileDamaged(tr("The team card is damaged (its fingerprint does not match its key)."))
    return card


def read_card_file(path: Path) -> TeamCard:
    try:
        if Path(path).stat().st_size > MAX_CARD_BYTES:
            raise NotOurFile(tr("This is not a svjournal team card (far too large)."))
        return read_card(Path(path).read_bytes())
    except OSError as exc:
        problem = tr("Cannot read {name}: {reason}.")
        raise TeamError(problem.format(name=Path(path).name, reason=exc.strerror or exc)) from None


def is_public_key(raw: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        return False
    return True
