"""Passphrase-sealed files (personal exports, team bundles): whole or nothing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svjournal.core import sealed
from svjournal.core.errors import (
    ExportFileError,
    FileDamaged,
    FileTooNew,
    NotOurFile,
    WrongFilePassphrase,
)
from svjournal.core.keyfile import KdfParams

MAGIC = b"SVJTEST\n"
FAST = KdfParams(time_cost=1, memory_kib=8, parallelism=1)


@pytest.fixture(scope="module")
def blob() -> bytes:
    return sealed.seal(
        MAGIC, b"payload \xe2\x9c\x93" * 100, "t\u00e9am pass", metadata={"n": 3}, kdf=FAST
    )


def test_round_trip_with_public_metadata(blob: bytes) -> None:
    header, payload = sealed.unseal(MAGIC, blob, "t\u00e9am pass")
    assert payload == b"payload \xe2\x9c\x93" * 100
    assert header.metadata == {"n": 3}
    assert header.kdf == FAST and len(header.salt) == 16
    assert b"payload" not in blob  # encrypted (and compressed) on disk


def test_accents_typed_decomposed_still_open(blob: bytes) -> None:
    _header, payload = sealed.unseal(MAGIC, blob, "te\u0301am pass")
    assert payload.startswith(b"payload")


def test_every_file_has_its_own_salt_and_nonce() -> None:
    a = sealed.read_header(MAGIC, sealed.seal(MAGIC, b"x", "p", kdf=FAST))[0]
    b = sealed.read_header(MAGIC, sealed.seal(MAGIC, b"x", "p", kdf=FAST))[0]
    assert a.salt != b.salt and a.nonce != b.nonce


def test_wrong_passphrase(blob: bytes) -> None:
    with pytest.raises(WrongFilePassphrase):
        sealed.unseal(MAGIC, blob, "team pass")


def test_foreign_and_other_kinds(blob: bytes) -> None:
    with pytest.raises(NotOurFile):
        sealed.unseal(b"SVJOTHER\n", blob, "t\u00e9am pass")
    with pytest.raises(NotOurFile):
        sealed.unseal(MAGIC, b"%PDF-1.7 not ours", "x")


def test_truncation_anywhere_is_damage_or_refusal(blob: bytes) -> None:
    for cut in (0, 3, len(MAGIC), len(MAGIC) + 2, len(MAGIC) + 10, len(blob) - 1):
        with pytest.raises(ExportFileError):
            sealed.unseal(MAGIC, blob[:cut], "t\u00e9am pass")


def test_altered_header_is_caught(blob: bytes) -> None:
    tampered = blob.replace(b'"n": 3', b'"n": 4')
    assert tampered != blob
    with pytest.raises(WrongFilePassphrase):  # the header is authenticated
        sealed.unseal(MAGIC, tampered, "t\u00e9am pass")


def test_newer_format_is_refused_by_name() -> None:
    data = sealed.seal(MAGIC, b"x", "p", kdf=FAST).replace(
        b'"format_version": 1', b'"format_version": 9'
    )
    with pytest.raises(FileTooNew):
        sealed.unseal(MAGIC, data, "p")


def test_implausible_kdf_parameters_are_damage() -> None:
    data = sealed.seal(MAGIC, b"x", "p", kdf=FAST).replace(b'"m": 8', b'"m": 99999999')
    with pytest.raises(FileDamaged):
        sealed.unseal(MAGIC, data, "p")


@settings(max_examples=150, deadline=None)
@given(position=st.integers(min_value=0), value=st.integers(1, 255))
def test_any_flipped_byte_fails_cleanly(blob: bytes, position: int, value: int) -> None:
    data = bytearray(blob)
    data[position % len(data)] ^= value
    with pytest.raises(ExportFileError):
        sealed.unseal(MAGIC, bytes(data), "t\u00e9am pass")


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400))
def test_random_bytes_never_crash(data: bytes) -> None:
    with pytest.raises(ExportFileError):
        sealed.unseal(MAGIC, MAGIC + data, "p")
