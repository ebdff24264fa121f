"""The vault folder on disk: its file names, where it lives by default, the process lock, and
its hygiene (no symbolic links inside, owner-only permissions, no temp files a crash left).

Functions of a folder path only; `core/vault.py` calls them as a vault is opened, created,
restored into and checked.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from svjournal.core import portable
from svjournal.core import restore as restoring
from svjournal.core.atomic import OWNER_ONLY_DIR, OWNER_ONLY_FILE
from svjournal.core.errors import VaultError, VaultInUse
from svjournal.core.i18n import tr
from svjournal.core.process_lock import AlreadyLocked, ProcessLock

DB_NAME = "journal.db"
KEY_NAME = "journal.key"
LOCK_NAME = ".svjournal.lock"
BACKUPS_NAME = "backups"
ENV_VAULT = "SVJOURNAL_VAULT"


def default_vault_path() -> Path:
    """`SVJOURNAL_VAULT` if set, else beside the executable in portable use, else a folder in
    the platform's user data directory."""
    override = os.environ.get(ENV_VAULT)
    if override:
        return Path(override).expanduser()
    root = portable.portable_root()
    if root is not None:
        return portable.portable_vault_path(root)
    import platformdirs

    return platformdirs.user_data_path("svjournal", appauthor=False) / "vault"


def acquire(path: Path) -> ProcessLock:
    """The vault's process lock, taken; VaultInUse when another process holds it."""
    lock = ProcessLock(path / LOCK_NAME)
    try:
        lock.acquire()
    except AlreadyLocked:
        raise VaultInUse(path) from None
    return lock


def with_sidecars(db: Path) -> list[Path]:
    return [db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")]


def unique(path: Path) -> Path:
    """`path`, or the first of `name-2`, `name-3`, ... that does not exist yet."""
    candidate, n = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def refuse_links(path: Path) -> None:
    """A database, key file, WAL or backup that is a symbolic link is refused, not
    followed: the journal's secrets would sit wherever the link points, with that
    place's permissions, and repairing permissions would change a file outside the
    vault. (The vault folder itself may be a link: that is the user's own choice.)"""
    backups_dir = path / BACKUPS_NAME
    names = [*(f"{DB_NAME}{s}" for s in ("", "-wal", "-shm", "-journal")), KEY_NAME]
    names.append(BACKUPS_NAME)
    candidates = [path / name for name in names]
    if backups_dir.is_dir() and not backups_dir.is_symlink():
        candidates += sorted(backups_dir.iterdir())
    for entry in candidates:
        if not entry.is_symlink():
            continue
        where = entry.relative_to(path)
        if not entry.exists():
            reason = tr("{path} is a symbolic link that points nowhere").format(path=where)
        else:
            reason = tr("{path} is a symbolic link to {target}").format(
                path=where, target=os.readlink(entry)
            )
        raise VaultError(
            tr(
                "The journal at {path} was not opened: {reason}. svjournal does not "
                "follow links inside a journal folder; put the real file there instead."
            ).format(path=path, reason=reason)
        )


def _private_entries(path: Path) -> list[tuple[Path, os.stat_result]]:
    """The vault folder and everything below it, by lstat: links are never followed."""
    found = [(path, os.stat(path))]
    for root, dirs, files in os.walk(path, followlinks=False):
        for name in [*dirs, *files]:
            entry = Path(root) / name
            found.append((entry, os.lstat(entry)))
    return found


def repair_permissions(path: Path) -> None:
    """Links refused (above), then everything in the folder made owner-only."""
    refuse_links(path)
    if os.name != "posix":
        return
    for entry, info in _private_entries(path):
        if stat.S_ISLNK(info.st_mode):
            continue  # chmod would change the link's target; refused above or ignored
        if stat.S_IMODE(info.st_mode) & 0o077:
            wanted = OWNER_ONLY_DIR if stat.S_ISDIR(info.st_mode) else OWNER_ONLY_FILE
            os.chmod(entry, wanted)


def permission_problems(path: Path) -> list[str]:
    if os.name != "posix":
        return []
    return [
        tr("{path} can be read by other users").format(path=entry.relative_to(path.parent))
        for entry, info in _private_entries(path)
        if not stat.S_ISLNK(info.st_mode) and stat.S_IMODE(info.st_mode) & 0o077
    ]


def remove_stale_temp_files(path: Path) -> None:
    """Temp files a crash left behind: half-written key files and backup exports; an
    interrupted restore is finished (or its staged files dropped) first."""
    restoring.finish(path / DB_NAME, path / KEY_NAME)
    # The restore marker's own temp file, when the crash came before its rename.
    patterns = (f".{KEY_NAME}.*.tmp", f".{DB_NAME}.creating*", f"{restoring.MARKER}.*.tmp")
    for pattern in patterns:
        for leftover in path.glob(pattern):
            leftover.unlink(missing_ok=True)
    backups_dir = path / BACKUPS_NAME
    if backups_dir.is_dir():
        for leftover in backups_dir.glob(".*"):
            leftover.unlink(missing_ok=True)


def tidy(path: Path) -> None:
    """What opening (or restoring into) a vault folder does before anything else."""
    repair_permissions(path)
    remove_stale_temp_files(path)
