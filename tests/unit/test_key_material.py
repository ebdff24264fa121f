"""Key material (issue 13): the data key reaches SQLCipher from a wiped buffer, and the
cipher settings are pinned and checked at open, not left to the library's defaults."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from svjournal.core import db
from svjournal.core.db import CIPHER_SETTINGS, KeyHolder, check_cipher_settings, open_raw
from svjournal.core.errors import VaultLocked


class Recording:
    """Stands in for a connection: keeps what set_key received (the very object)."""

    def __init__(self) -> None:
        self.given: Any = None
        self.seen = b""
        self.pragmas: list[str] = []

    def set_key(self, key: Any) -> None:
        self.given, self.seen = key, bytes(key)

    def execute(self, sql: str) -> None:
        self.pragmas.append(sql)


def test_the_key_goes_in_as_a_buffer_that_is_wiped_afterwards() -> None:
    """Before: `PRAGMA key = "x'<hex>'"` built a str (kept by the statement cache too)."""
    key = bytes(range(32))
    conn = Recording()
    KeyHolder(key).apply(conn)  # type: ignore[arg-type]
    assert isinstance(conn.given, bytearray)
    assert conn.seen == b"x'" + key.hex().encode() + b"'"
    assert not any(conn.given)  # wiped once SQLCipher had it
    assert not any("PRAGMA key" in p or key.hex() in p for p in conn.pragmas)
    assert [p.split()[1] for p in conn.pragmas] == [name for name, _ in CIPHER_SETTINGS]


def test_a_wiped_holder_keys_nothing() -> None:
    holder = KeyHolder(os.urandom(32))
    holder.wipe()
    with pytest.raises(VaultLocked):  # typed: the UI says "locked", not "something went wrong"
        holder.apply(Recording())  # type: ignore[arg-type]


def test_settings_other_than_the_pinned_ones_are_refused(tmp_path: Path) -> None:
    key = KeyHolder(os.urandom(32))
    conn = sqlcipher3.connect(str(tmp_path / "x.db"))
    key.apply(conn)
    conn.execute("CREATE TABLE t (x)")
    check_cipher_settings(conn)  # as pinned
    conn.close()
    # A library (or a connection) with other settings: told apart, not silently used.
    other = sqlcipher3.connect(str(tmp_path / "other.db"))
    key.apply(other)
    other.execute("PRAGMA cipher_hmac_algorithm = HMAC_SHA1")
    with pytest.raises(db.CipherSettingsDiffer, match="cipher_hmac_algorithm"):
        check_cipher_settings(other)
    other.close()
    again = open_raw(tmp_path / "x.db", key)
    assert again.execute("PRAGMA cipher_page_size").fetchone()[0] == "4096"
    again.close()
