"""The key file format: wrapping, parsing, damage detection, recovery keys and KDF cost."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import unicodedata

import pytest

from svjournal.core.errors import UnsupportedVersion, WrongPassphrase, WrongRecoveryKey
from svjournal.core.keyfile import (
    DATA_KEY_BYTES,
    FORMAT_VERSION,
    RECOVERY_ALPHABET,
    RECOVERY_GROUP_LEN,
    RECOVERY_GROUPS,
    KdfParams,
    KeyFile,
    KeyFileDamaged,
    generate_recovery_key,
    parse_recovery_key,
)
from tests.conftest import FAST_KDF, PASSPHRASE

VAULT_ID = "0b4f3a8e-6f0e-4b1f-9d2a-3c5e7a9b1d2f"
JSON_WHITESPACE = b" \t\r\n"


class Sealed:
    """A key file together with the secrets that made it."""

    def __init__(self, passphrase: str = PASSPHRASE) -> None:
        self.data_key = secrets.token_bytes(DATA_KEY_BYTES)
        self.passphrase = passphrase
        self.recovery_key = generate_recovery_key()
        self.key_file = KeyFile.new(
            VAULT_ID, self.data_key, passphrase, self.recovery_key, FAST_KDF
        )
        self.raw = self.key_file.to_bytes()


@pytest.fixture(scope="module")
def sealed() -> Sealed:
    return Sealed()


def _with_checksum(body: dict) -> bytes:
    """Serialise `body` with a correct checksum, as the key file format defines it."""
    body = dict(body)
    body.pop("checksum", None)
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    body["checksum"] = hashlib.sha256(canonical).hexdigest()
    return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode()


# --- round trip ---------------------------------------------------------------------------


def test_round_trip_preserves_every_field(sealed: Sealed) -> None:
    parsed = KeyFile.from_bytes(sealed.raw)
    assert parsed == sealed.key_file
    assert parsed.to_bytes() == sealed.raw
    assert parsed.vault_id == VAULT_ID
    assert parsed.unwrap_with_passphrase(PASSPHRASE) == sealed.data_key
    assert parsed.unwrap_with_recovery_key(sealed.recovery_key) == sealed.data_key
    assert parsed.fits(sealed.data_key)
    assert not parsed.fits(secrets.token_bytes(DATA_KEY_BYTES))


def test_serialised_key_file_holds_no_data_key_or_secret(sealed: Sealed) -> None:
    text = sealed.raw.decode("utf-8")
    assert json.loads(text)["version"] == FORMAT_VERSION
    for secret in (sealed.data_key.hex(), PASSPHRASE, sealed.recovery_key):
        assert secret.lower() not in text.lower()
    assert sealed.data_key not in sealed.raw


def test_wrong_passphrase_raises_wrong_passphrase(sealed: Sealed) -> None:
    parsed = KeyFile.from_bytes(sealed.raw)
    with pytest.raises(WrongPassphrase):
        parsed.unwrap_with_passphrase(PASSPHRASE + "!")
    with pytest.raises(WrongPassphrase):
        parsed.unwrap_with_passphrase("")


def test_wrong_recovery_key_raises_wrong_recovery_key(sealed: Sealed) -> None:
    other = generate_recovery_key()
    assert other != sealed.recovery_key
    with pytest.raises(WrongRecoveryKey):
        sealed.key_file.unwrap_with_recovery_key(other)


def test_passphrase_slot_and_recovery_slot_are_not_interchangeable(sealed: Sealed) -> None:
    # The recovery key typed as a passphrase must not open the passphrase slot.
    with pytest.raises(WrongPassphrase):
        sealed.key_file.unwrap_with_passphrase(sealed.recovery_key)


def test_with_passphrase_rewraps_the_same_key(sealed: Sealed) -> None:
    new = "a completely different lighthouse keeper"
    rewrapped = KeyFile.from_bytes(
        sealed.key_file.with_passphrase(sealed.data_key, new, FAST_KDF).to_bytes()
    )
    assert rewrapped.unwrap_with_passphrase(new) == sealed.data_key
    with pytest.raises(WrongPassphrase):
        rewrapped.unwrap_with_passphrase(PASSPHRASE)
    # The recovery slot is untouched.
    assert rewrapped.recovery == sealed.key_file.recovery
    assert rewrapped.unwrap_with_recovery_key(sealed.recovery_key) == sealed.data_key


# --- recovery keys ------------------------------------------------------------------------


def test_generated_recovery_keys_are_six_groups_of_five_from_the_alphabet() -> None:
    group = f"[{re.escape(RECOVERY_ALPHABET)}]{{{RECOVERY_GROUP_LEN}}}"
    pattern = re.compile(rf"{group}(?:-{group}){{{RECOVERY_GROUPS - 1}}}")
    assert RECOVERY_GROUPS == 6
    assert RECOVERY_GROUP_LEN == 5
    keys = [generate_recovery_key() for _ in range(50)]
    for key in keys:
        assert pattern.fullmatch(key), key
        assert len(key.split("-")) == 6
        assert all(len(g) == 5 for g in key.split("-"))
    assert len(set(keys)) == len(keys)


def test_recovery_alphabet_has_no_look_alikes() -> None:
    assert len(set(RECOVERY_ALPHABET)) == len(RECOVERY_ALPHABET)
    for ch in "0O1IL U":
        assert ch not in RECOVERY_ALPHABET


@pytest.mark.parametrize(
    "transform",
    [
        lambda k: k,
        lambda k: k.lower(),
        lambda k: k.replace("-", " "),
        lambda k: k.replace("-", ""),
        lambda k: k.lower().replace("-", "  "),
        lambda k: "  " + k.replace("-", " - ") + "\n",
        lambda k: "-".join(k.replace("-", "")[i : i + 3] for i in range(0, 30, 3)),
    ],
    ids=["as-shown", "lowercase", "spaces", "no-separators", "lower-spaces", "padded", "regrouped"],
)
def test_recovery_key_parse_accepts_case_spaces_and_dashes(transform, sealed: Sealed) -> None:
    typed = transform(sealed.recovery_key)
    assert parse_recovery_key(typed) == sealed.recovery_key.replace("-", "").encode("ascii")
    assert sealed.key_file.unwrap_with_recovery_key(typed) == sealed.data_key


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ABCDE-FGHJK-MNPQR-STVWX-YZ234-5678",  # 29 characters
        "ABCDE-FGHJK-MNPQR-STVWX-YZ234-56789-A",  # 31 characters
        "ABCDE-FGHJK-MNPQR-STVWX-YZ234-5678O",  # O is not in the alphabet
        "ABCDE-FGHJK-MNPQR-STVWX-YZ234-56780",  # 0 is not in the alphabet
        "ABCDE-FGHJK-MNPQR-STVWX-YZ234-5678I",  # I
        "ABCDE-FGHJK-MNPQR-STVWX-YZ234-5678U",  # U
        "ABCDE-FGHJK-MNPQR-STVWX-YZ234-5678_",
        "ABCDE-FGHJK-MNPQR-STVWX-YZ234-5678É",
        "correct horse battery staple!!",  # 30 characters, wrong alphabet
    ],
)
def test_recovery_key_parse_refuses_wrong_length_or_alphabet(typed: str) -> None:
    with pytest.raises(WrongRecoveryKey):
        parse_recovery_key(typed)


def test_malformed_recovery_key_is_refused_by_the_key_file_too(sealed: Sealed) -> None:
    with pytest.raises(WrongRecoveryKey):
        sealed.key_file.unwrap_with_recovery_key(sealed.recovery_key[:-1])


# --- damage -------------------------------------------------------------------------------


@pytest.mark.parametrize("mask", [0x01, 0x20, 0x80, 0xFF])
def test_single_byte_flips_read_as_damage_never_as_other_data(sealed: Sealed, mask: int) -> None:
    damaged = 0
    for position in range(0, len(sealed.raw), 7):
        flipped = bytearray(sealed.raw)
        flipped[position] ^= mask
        try:
            parsed = KeyFile.from_bytes(bytes(flipped))
        except KeyFileDamaged:
            damaged += 1
            continue
        # Only a flip from JSON whitespace into JSON whitespace may leave a valid file,
        # and then it must be exactly the same key file.
        assert sealed.raw[position] in JSON_WHITESPACE, (position, mask)
        assert flipped[position] in JSON_WHITESPACE, (position, mask)
        assert parsed == sealed.key_file
        assert parsed.unwrap_with_passphrase(PASSPHRASE) == sealed.data_key
    assert damaged > len(sealed.raw) // 7 - 5


def test_whitespace_changes_leave_an_identical_key_file(sealed: Sealed) -> None:
    # The one case in which a changed byte is harmless: whitespace JSON ignores.
    relaxed = sealed.raw.replace(b"\n", b"\r\n").replace(b"  ", b"\t")
    assert relaxed != sealed.raw
    assert KeyFile.from_bytes(relaxed) == sealed.key_file


@pytest.mark.parametrize("field", ["salt", "nonce", "ciphertext", "params"])
@pytest.mark.parametrize("slot", ["passphrase", "recovery"])
def test_edited_slot_with_stale_checksum_is_damage(sealed: Sealed, slot: str, field: str) -> None:
    body = json.loads(sealed.raw)
    if field == "params":
        body["slots"][slot]["params"]["t"] += 1
    else:
        value = body["slots"][slot][field]
        body["slots"][slot][field] = ("B" if value[0] == "A" else "A") + value[1:]
    edited = (json.dumps(body, indent=2, sort_keys=True) + "\n").encode()
    with pytest.raises(KeyFileDamaged):
        KeyFile.from_bytes(edited)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00" * 64,
        b"not json at all",
        b"[]",
        b'"svjournal-keyfile"',
        b'{"magic": "something-else", "version": 1}',
        b'{"magic": "svjournal-keyfile"}',
        b'{"magic": "svjournal-keyfile", "version": "1"}',
        b"\xff\xfe\xfd",
    ],
)
def test_garbage_is_damage(raw: bytes) -> None:
    with pytest.raises(KeyFileDamaged):
        KeyFile.from_bytes(raw)


def test_recomputed_checksum_helper_matches_the_format(sealed: Sealed) -> None:
    # Guards the tests below: re-serialising with our checksum gives a valid file.
    assert KeyFile.from_bytes(_with_checksum(json.loads(sealed.raw))) == sealed.key_file


def test_missing_field_with_valid_checksum_is_damage(sealed: Sealed) -> None:
    body = json.loads(sealed.raw)
    del body["slots"]["recovery"]
    with pytest.raises(KeyFileDamaged):
        KeyFile.from_bytes(_with_checksum(body))


def test_short_salt_with_valid_checksum_is_damage(sealed: Sealed) -> None:
    body = json.loads(sealed.raw)
    body["slots"]["passphrase"]["salt"] = "AAAA"
    with pytest.raises(KeyFileDamaged):
        KeyFile.from_bytes(_with_checksum(body))


@pytest.mark.parametrize("bump", [1, 7])
def test_newer_version_is_unsupported(sealed: Sealed, bump: int) -> None:
    body = json.loads(sealed.raw)
    body["version"] = FORMAT_VERSION + bump
    with pytest.raises(UnsupportedVersion):
        KeyFile.from_bytes(_with_checksum(body))


# --- KDF cost -----------------------------------------------------------------------------


def test_default_kdf_params_are_the_rfc9106_floor() -> None:
    params = KdfParams()
    assert params.time_cost >= 3
    assert params.memory_kib >= 64 * 1024
    assert params.parallelism >= 4
    assert KdfParams.MIN_TIME >= 3
    assert KdfParams.MIN_MEMORY_KIB >= 64 * 1024
    assert params.to_json() == {"t": 3, "m": 65536, "p": 4}


def test_key_file_records_the_kdf_params_it_used(sealed: Sealed) -> None:
    body = json.loads(sealed.raw)
    for slot in ("passphrase", "recovery"):
        assert body["slots"][slot]["kdf"] == "argon2id"
        assert body["slots"][slot]["params"] == FAST_KDF.to_json()


@pytest.mark.parametrize(
    ("target_seconds", "max_time_cost"),
    [(1e-9, 24), (0.0, 24), (0.35, 1), (0.35, 0), (1e-6, 2)],
)
def test_calibrated_never_goes_below_the_floor(target_seconds: float, max_time_cost: int) -> None:
    params = KdfParams.calibrated(target_seconds=target_seconds, max_time_cost=max_time_cost)
    assert params.time_cost >= 3
    assert params.memory_kib >= 64 * 1024
    assert params.parallelism >= 4


def test_calibrated_adds_passes_up_to_the_cap() -> None:
    params = KdfParams.calibrated(target_seconds=3600.0, max_time_cost=5)
    assert params.time_cost == 5
    assert params.memory_kib == 64 * 1024
    assert params.parallelism == 4


# --- Unicode ------------------------------------------------------------------------------

ACCENTED = "Crème brûlée à la façon de Zoë"


@pytest.mark.parametrize(("made_with", "typed_as"), [("NFC", "NFD"), ("NFD", "NFC")])
def test_nfc_and_nfd_forms_of_a_passphrase_both_unlock(made_with: str, typed_as: str) -> None:
    made = unicodedata.normalize(made_with, ACCENTED)
    typed = unicodedata.normalize(typed_as, ACCENTED)
    assert made != typed  # the two forms really differ, byte for byte
    sealed = Sealed(made)
    parsed = KeyFile.from_bytes(sealed.raw)
    assert parsed.unwrap_with_passphrase(typed) == sealed.data_key
    assert parsed.unwrap_with_passphrase(made) == sealed.data_key
    with pytest.raises(WrongPassphrase):
        parsed.unwrap_with_passphrase(ACCENTED.replace("è", "e"))
