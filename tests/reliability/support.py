"""Helpers shared by the reliability tests: the seed, child processes, snapshots, scanning."""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import signal
import stat
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from svjournal.core import backup as backups
from svjournal.core.db import KeyHolder, check_integrity, open_raw

ROOT = Path(__file__).resolve().parents[2]
SEED_ENV = "SVJ_RELIABILITY_SEED"
CHILD_TIMEOUT = 60.0


def suite_seed() -> int:
    """A fresh seed per run (more moments covered over time), or the one given to reproduce."""
    given = os.environ.get(SEED_ENV)
    return int(given) if given else random.SystemRandom().randrange(2**32)


def seed_note(seed: int) -> str:
    return f"seed={seed} (reproduce with {SEED_ENV}={seed})"


def snapshot(folder: Path) -> dict[str, str]:
    """Every regular file below `folder`, by relative name, with its SHA-256."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


class HandedKey:
    """A KeyStore holding the one key the parent handed over on stdin."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def available(self) -> tuple[bool, str]:
        return True, ""

    def load(self, vault_id: str) -> bytes | None:
        return self._key

    def save(self, vault_id: str, data_key: bytes) -> None:
        raise NotImplementedError

    def delete(self, vault_id: str) -> None:
        raise NotImplementedError


# --- child processes ----------------------------------------------------------------------


@dataclass
class ChildResult:
    """What a killed child said on stdout (complete lines only) and on stderr."""

    lines: list[str]
    stderr: str
    killed: bool
    returncode: int

    def values(self, tag: str) -> list[str]:
        """The rest of every line starting with `tag ` (e.g. `saved r3-s7` → `r3-s7`)."""
        return [line[len(tag) + 1 :] for line in self.lines if line.startswith(tag + " ")]


@dataclass
class Child:
    """A child process run with `python -m`, whose stdout lines are collected as they come."""

    module: str
    args: Sequence[str]
    stdin: str = ""
    env: dict[str, str] | None = None
    _lines: list[str] = field(default_factory=list)
    _partial: list[str] = field(default_factory=list)
    _new_line: threading.Condition = field(default_factory=threading.Condition)
    _eof: bool = False

    def start(self) -> Child:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", self.module, *self.args],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        assert self.proc.stdin is not None
        self.proc.stdin.write(self.stdin + "\n")
        self.proc.stdin.flush()
        self._stderr: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._err_reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._err_reader.start()
        return self

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._new_line:
                if line.endswith("\n"):  # a line cut short by the kill was never confirmed
                    self._lines.append(line[:-1])
                else:
                    self._partial.append(line)
                self._new_line.notify_all()
        with self._new_line:
            self._eof = True
            self._new_line.notify_all()

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        self._stderr.append(self.proc.stderr.read())

    def wait_for(self, prefix: str, timeout: float = CHILD_TIMEOUT) -> bool:
        """Block until a line starting with `prefix` arrives; False if the child ended first."""
        deadline = time.monotonic() + timeout
        with self._new_line:
            while not any(line.startswith(prefix) for line in self._lines):
                if self._eof:
                    return False
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no {prefix!r} from the child within {timeout} s")
                self._new_line.wait(left)
        return True

    def kill(self) -> ChildResult:
        """SIGKILL (if still running), then everything it managed to say."""
        killed = self.proc.poll() is None
        if killed:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=CHILD_TIMEOUT)
        self._reader.join(CHILD_TIMEOUT)
        self._err_reader.join(CHILD_TIMEOUT)
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                with contextlib.suppress(BrokenPipeError):
                    pipe.close()
        return ChildResult(list(self._lines), "".join(self._stderr), killed, self.proc.returncode)

    def finish(self, timeout: float = CHILD_TIMEOUT) -> ChildResult:
        """Wait for a child that ends on its own."""
        self.proc.wait(timeout=timeout)
        return self.kill()


# --- scanning for plaintext ---------------------------------------------------------------

TEXT_ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")


def needles(secrets: dict[str, str], raw: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Byte patterns to look for: each text in UTF-8 and UTF-16 (both orders), raw bytes as is."""
    found: dict[str, bytes] = {}
    for name, text in secrets.items():
        for encoding in TEXT_ENCODINGS:
            found[f"{name} ({encoding})"] = text.encode(encoding)
    for name, data in (raw or {}).items():
        found[f"{name} (raw bytes)"] = data
    return found


def scan(files: Iterable[Path], patterns: dict[str, bytes]) -> list[str]:
    """`file: what` for every pattern found in any of `files`."""
    hits = []
    for path in files:
        data = path.read_bytes()
        hits.extend(f"{path}: {name}" for name, needle in patterns.items() if needle in data)
    return hits


def regular_files(folder: Path) -> list[Path]:
    """Every regular file below `folder` (hidden ones too; not sockets, not symlinks)."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


# --- backups -----------------------------------------------------------------------------


def backup_parts(path: Path) -> tuple[backups.BackupHeader, bytes]:
    """A backup's header and its database part, after checking the file is whole."""
    raw = path.read_bytes()
    header = backups.read_header(path)
    (head_len,) = struct.unpack(">I", raw[len(backups.MAGIC) : len(backups.MAGIC) + 4])
    db_part = raw[len(backups.MAGIC) + 4 + head_len :]
    assert len(db_part) == header.db_size, f"{path.name} is cut short"
    assert hashlib.sha256(db_part).hexdigest() == header.db_sha256, f"{path.name} was altered"
    return header, db_part


def backup_notes(path: Path, data_key: bytes, scratch: Path) -> set[str]:
    """The encounter notes inside a backup, after both integrity checks on its database."""
    _header, db_part = backup_parts(path)
    copy = scratch / f"{path.stem}.db"
    copy.write_bytes(db_part)
    conn = open_raw(copy, KeyHolder(data_key), configure=False)
    try:
        assert check_integrity(conn).ok, f"{path.name} fails its integrity checks"
        return {row[0] for row in conn.execute("SELECT note FROM encounters")}
    finally:
        conn.close()
        copy.unlink()
