"""Hostile headers (issue 13): deep nesting, NaN/Infinity, huge numbers and Argon2 costs out
of range in a key file, backup, sealed export or bundle header are each a typed error —
never a traceback, a hang or a wrong-passphrase message — and nothing is written."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svjournal.core import backup as backups
from svjournal.core import keyfile, sealed
from svjournal.core.errors import ExportFileError, SvJournalError, UnsupportedVersion, VaultDamaged
from svjournal.core.keyfile import KdfParams, KeyFile, KeyFileDamaged, generate_recovery_key
from svjournal.core.vault import Vault
from svjournal.reports import bundle_seal, legacy, legacy_format
from tests.conftest import FAST_KDF, PASSPHRASE

DEEP = "__DEEP__"
NESTING = 50_000
HOSTILE: list[Any] = [
    float("nan"),
    float("inf"),
    float("-inf"),
    "1e999",  # a literal, put in as text: a float that overflows to infinity
    10**30,
    -(10**30),
    "9" * 5000,  # a literal too: past Python's own digit limit
    0,
    -1,
    True,
    3.5,
    "3",
    100_000,
    1_000_000,
    None,
    [],
    {},
    DEEP,
]


def dumps(body: dict[str, Any]) -> str:
    """JSON with the hostile values as a hostile writer would put them."""
    text = json.dumps(body, sort_keys=True)  # NaN / Infinity come out as bare words
    text = text.replace(f'"{DEEP}"', "[" * NESTING + "]" * NESTING)
    text = text.replace('"1e999"', "1e999").replace('"' + "9" * 5000 + '"', "9" * 5000)
    return text


def put(body: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    copy = json.loads(json.dumps(body))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copy


# --- key file -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def key_body() -> dict[str, Any]:
    made = KeyFile.new("vault-id", b"k" * 32, PASSPHRASE, generate_recovery_key(), FAST_KDF)
    body: dict[str, Any] = json.loads(made.to_bytes())
    return body


def with_checksum(body: dict[str, Any]) -> bytes:
    """The key file with a checksum that matches: damage a checksum would not catch."""
    body = {k: v for k, v in body.items() if k != "checksum"}
    try:
        body["checksum"] = keyfile._checksum(body)
    except ValueError:  # NaN etc. cannot be canonicalised: any checksum will do
        body["checksum"] = "0" * 64
    return dumps(body).encode()


KEY_FIELDS = [
    ("version",),
    *[("slots", slot, "params", p) for slot in ("passphrase", "recovery") for p in "tmp"],
    ("slots", "passphrase", "params"),
    ("slots",),
    ("vault_id",),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(KEY_FIELDS), value=st.sampled_from(HOSTILE))
def test_a_hostile_key_file_is_damaged(
    key_body: dict[str, Any], field: tuple[str, ...], value: Any
) -> None:
    data = with_checksum(put(key_body, field, value))
    try:
        KeyFile.from_bytes(data)
    except (KeyFileDamaged, UnsupportedVersion):
        return
    # Only harmless values may parse: an id is any text, and a memory cost above the floor
    # that Argon2 can run (then the passphrase decides, as for any key file).
    plausible_memory = field[-1] == "m" and value in (100_000, 1_000_000)
    assert field == ("vault_id",) or plausible_memory, f"{field} = {value!r} was accepted"


@pytest.mark.parametrize(
    "params",
    [
        {"t": 1, "m": 8, "p": 1},  # far below the floors
        {"t": 3, "m": 65536 // 2, "p": 4},  # memory below the floor
        {"t": 3, "m": 65536, "p": 0},
        {"t": 3, "m": 65536, "p": 100_000},
        {"t": 10**6, "m": 65536, "p": 4},  # time cost absurd
        {"t": 2, "m": 65536, "p": 4},
    ],
)
def test_parameters_the_app_never_writes_are_damage_not_a_wrong_passphrase(
    vault_path: Path, params: dict[str, int]
) -> None:
    """Before: such a key file opened, then said "wrong passphrase" (or Argon2 raised)."""
    vault, _recovery = Vault.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    vault.close()
    body = json.loads((vault_path / "journal.key").read_bytes())
    body["slots"]["passphrase"]["params"] = params
    (vault_path / "journal.key").write_bytes(with_checksum(body))
    files = {p: p.read_bytes() for p in vault_path.iterdir() if p.is_file()}
    with pytest.raises(VaultDamaged, match=r"is damaged: .*(parameters are not ones|implausible)"):
        Vault.open(vault_path)
    assert {p: p.read_bytes() for p in files} == files


def test_a_deeply_nested_key_file_is_one_line_from_the_cli(
    vault_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from svjournal import cli

    vault, _recovery = Vault.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    vault.close()
    (vault_path / "journal.key").write_text("[" * NESTING + "]" * NESTING)
    assert cli.main(["forget", "--vault", str(vault_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "damaged" in err and "Traceback" not in err


def test_kdf_params_read_from_files_are_real_integers_in_range() -> None:
    ok = KdfParams.from_json({"t": 1, "m": 8, "p": 1})  # a sealed file may choose this cost
    assert ok == KdfParams(1, 8, 1)
    for bad in (
        {"t": 1, "m": 7, "p": 1},  # Argon2 needs m >= 8 p
        {"t": 1, "m": 8, "p": 2},
        {"t": True, "m": 8, "p": 1},
        {"t": 1.0, "m": 8, "p": 1},
        {"t": 1, "m": 8 * 1024**3, "p": 1},
        {"t": 1, "m": 65536, "p": 65},
        {"t": 65, "m": 65536, "p": 1},
        {"t": 1, "m": 8},
        [1, 8, 1],
    ):
        with pytest.raises(KeyFileDamaged):
            KdfParams.from_json(bad)  # type: ignore[arg-type]


# --- backup ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def backup_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-backup")
    vault, _recovery = Vault.create(folder / "vault", PASSPHRASE, kdf=FAST_KDF)
    with vault:
        return vault.backup()


def rewrite_backup(source: Path, dest: Path, field: tuple[str, ...], value: Any) -> Path:
    data = source.read_bytes()
    start = len(backups.MAGIC)
    (length,) = struct.unpack(">I", data[start : start + 4])
    header = json.loads(data[start + 4 : start + 4 + length])
    head = dumps(put(header, field, value)).encode()
    dest.write_bytes(
        backups.MAGIC + struct.pack(">I", len(head)) + head + data[start + 4 + length :]
    )
    return dest


BACKUP_FIELDS = [
    ("format_version",),
    ("db_size",),
    ("row_counts",),
    ("row_counts", "cases"),
    ("key_file",),
    ("created_at",),
    ("schema_revision",),
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(BACKUP_FIELDS), value=st.sampled_from(HOSTILE))
def test_a_hostile_backup_header_is_a_typed_error(
    backup_file: Path, tmp_path_factory: pytest.TempPathFactory, field: tuple[str, ...], value: Any
) -> None:
    dest = rewrite_backup(backup_file, tmp_path_factory.mktemp("b") / "x.svjbackup", field, value)
    try:
        header = backups.read_header(dest)
    except ExportFileError as exc:
        assert "\n" not in str(exc)
        return
    # Text fields may take odd text, and a row count any plausible whole number (restore
    # compares it with the database); what restore checks next is the key file.
    counts = field[0] == "row_counts" and (
        value in ([], {})
        if isinstance(value, list | dict)
        else value in (None, 0, 100_000, 1_000_000)
    )
    texts = {("created_at",), ("schema_revision",), ("key_file",)}
    assert field in texts or counts, (field, value)
    if field == ("key_file",):
        with pytest.raises((KeyFileDamaged, UnsupportedVersion)):
            KeyFile.from_bytes(header.key_file)


def test_a_hostile_backup_restores_nothing(backup_file: Path, tmp_path: Path) -> None:
    vault, _recovery = Vault.create(tmp_path / "vault", PASSPHRASE, kdf=FAST_KDF)
    files = {p: p.read_bytes() for p in vault.path.rglob("*") if p.is_file()}
    for n, value in enumerate([DEEP, float("inf"), "9" * 5000]):
        bad = rewrite_backup(backup_file, tmp_path / f"bad-{n}.svjbackup", ("db_size",), value)
        with pytest.raises(ExportFileError):
            vault.restore(bad, passphrase=PASSPHRASE)
    assert {p: p.read_bytes() for p in vault.path.rglob("*") if p.is_file()} == files
    vault.close()


# --- sealed export and bundle -------------------------------------------------------------

QUICK = KdfParams(time_cost=1, memory_kib=8, parallelism=1)


def rewrite_sealed(data: bytes, magic: bytes, field: tuple[str, ...], value: Any) -> bytes:
    start = len(magic)
    (length,) = struct.unpack(">I", data[start : start + 4])
    header = json.loads(data[start + 4 : start + 4 + length])
    head = dumps(put(header, field, value)).encode()
    return magic + struct.pack(">I", len(head)) + head + data[start + 4 + length :]


SEALED_FIELDS = [
    ("format_version",),
    ("kdf_params",),
    ("kdf_params", "t"),
    ("kdf_params", "m"),
    ("kdf_params", "p"),
    ("metadata",),
    ("salt",),
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(SEALED_FIELDS), value=st.sampled_from(HOSTILE))
def test_a_hostile_sealed_export_header_is_a_typed_error(
    field: tuple[str, ...], value: Any
) -> None:
    from svjournal.reports import personal

    good = sealed.seal(personal.MAGIC, b"{}", "pass phrase", kdf=QUICK)
    data = rewrite_sealed(good, personal.MAGIC, field, value)
    try:
        sealed.read_header(personal.MAGIC, data)
    except ExportFileError as exc:
        assert "\n" not in str(exc)
        return
    # A header that still parses asks for nothing out of range: an empty metadata, or a
    # memory cost Argon2 runs in bounded time and memory.
    empty = field == ("metadata",) and isinstance(value, dict) and not value
    memory = field == ("kdf_params", "m") and value in (100_000, 1_000_000)
    assert empty or memory, (field, value)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(SEALED_FIELDS), value=st.sampled_from(HOSTILE))
def test_a_hostile_retired_bundle_header_is_a_typed_error(
    field: tuple[str, ...], value: Any
) -> None:
    good = sealed.seal(legacy_format.MAGIC, b"{}", "team pass", kdf=QUICK)
    data = rewrite_sealed(good, legacy_format.MAGIC, field, value)
    with pytest.raises(SvJournalError) as caught:
        legacy.open_legacy(data, "team pass")
    assert "\n" not in str(caught.value)


def _team_bundle() -> tuple[bytes, Any]:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    team = X25519PrivateKey.generate()
    raw = bundle_seal._raw(team.public_key())
    return bundle_seal.seal(b"{}", raw, Ed25519PrivateKey.generate()), team


V2_FIELDS = [("format",), ("version",), ("suite",), ("recipient",)]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(V2_FIELDS), value=st.sampled_from(HOSTILE))
def test_a_hostile_bundle_header_is_a_typed_error(field: tuple[str, ...], value: Any) -> None:
    """Version 2: any header value changed (the header is authenticated as HPKE info)."""
    good, team = _team_bundle()
    start = len(bundle_seal.MAGIC)
    length = int.from_bytes(good[start : start + 2], "big")
    header = json.loads(good[start + 2 : start + 2 + length])
    head = dumps(put(header, field, value)).encode()
    size = min(len(head), 0xFFFF).to_bytes(2, "big")  # a deep one is longer than 2 bytes say
    data = bundle_seal.MAGIC + size + head + good[start + 2 + length :]
    if head == good[start + 2 : start + 2 + length]:
        return  # the same value again
    with pytest.raises(SvJournalError) as caught:
        bundle_seal.unseal(data, team)
    assert "\n" not in str(caught.value)
