"""The log file: owner-only, size-capped, in the platform's log folder, safe lines only.

Configured once per process by the app and by the command line (`configure`). What a line may
hold is decided by `logsafe.SafeFormatter`; this module only decides where the lines go.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import platform
import sys
from collections.abc import Mapping
from logging.handlers import RotatingFileHandler
from pathlib import Path

from svjournal import __version__
from svjournal.core import portable
from svjournal.core.atomic import OWNER_ONLY_FILE, make_private_dir
from svjournal.core.logsafe import PACKAGE, SafeFormatter, allow_words

log = logging.getLogger(__name__)

ENV_LOG_DIR = "SVJOURNAL_LOG_DIR"  # for tests: where the log file goes
FILE_NAME = "svjournal.log"
MAX_BYTES = 1_000_000  # per file; with BACKUP_COUNT older files at most ~4 MB in all
BACKUP_COUNT = 3

_handler: PrivateRotatingFileHandler | None = None
_stderr: logging.Handler | None = None


def log_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Where the log file goes: like the journals list, on the stick in portable use."""
    override = environ.get(ENV_LOG_DIR)
    if override:
        return Path(override).expanduser()
    root = portable.portable_root(environ=environ)
    if root is not None:  # nothing about the stick's use is left on the host
        return portable.data_folder(root) / "logs"
    import platformdirs

    # Linux ~/.local/state/svjournal/log, macOS ~/Library/Logs/svjournal,
    # Windows %LOCALAPPDATA%\svjournal\Logs.
    return platformdirs.user_log_path("svjournal", appauthor=False)


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A RotatingFileHandler whose files are owner-only from the moment they exist, and
    which never complains on stderr when it cannot write."""

    def _open(self) -> io.TextIOWrapper:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
        # The mode at creation (the umask can only take bits away), then fchmod for a file
        # an older version or another tool left readable by others.
        fd = os.open(self.baseFilename, flags, OWNER_ONLY_FILE)
        if os.name == "posix":
            os.fchmod(fd, OWNER_ONLY_FILE)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)

    def handleError(self, record: logging.LogRecord) -> None:
        # logging's default prints the record's message and arguments to stderr, which is
        # exactly what must not be printed; and a full disk must not disturb the user.
        return


class _SafeStderr(logging.Handler):
    """Where warnings went before (logging's last resort: the message alone, on whatever
    sys.stderr is now), but through the safe formatter: the app's stderr may end up in a
    file of the desktop session (~/.xsession-errors), so it gets the same rules."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.setFormatter(SafeFormatter(bare=True))

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):
            sys.stderr.write(self.format(record) + "\n")


class _Levels(logging.Filter):
    """Our loggers from INFO (the events worth keeping); other libraries from WARNING."""

    def filter(self, record: logging.LogRecord) -> bool:
        ours = record.name == PACKAGE or record.name.startswith(PACKAGE + ".")
        return record.levelno >= (logging.INFO if ours else logging.WARNING)


def configure(front_end: str, *, environ: Mapping[str, str] = os.environ) -> Path | None:
    """Write svjournal's log to the log folder from now on; the file, or None when it cannot
    be written (a read-only stick): the program works the same without it. Repeat calls
    with the same folder do nothing, so the app started from the command line logs once."""
    global _handler, _stderr
    path = log_dir(environ) / FILE_NAME
    if _handler is not None and Path(_handler.baseFilename) == path.absolute():
        return path
    shutdown()
    root = logging.getLogger()
    if not root.handlers:
        # Without handlers, warnings went to stderr through logging's last resort; adding
        # a file handler would silence them, so they keep going there (safely).
        _stderr = _SafeStderr()
        root.addHandler(_stderr)
    try:
        make_private_dir(path.parent)
        handler = PrivateRotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError as exc:
        log.info("no log file: %s", exc)  # nowhere to say it; stderr stays as it was
        return None
    handler.setFormatter(SafeFormatter())
    handler.addFilter(_Levels())
    root.addHandler(handler)
    ours = logging.getLogger(PACKAGE)
    if ours.getEffectiveLevel() > logging.INFO:  # never less than someone asked for (DEBUG)
        ours.setLevel(logging.INFO)
    _handler = handler
    python, system = platform.python_version(), platform.system() or "unknown"
    allow_words(__version__, front_end, python, system)
    log.info("started: svjournal %s (%s), Python %s on %s", __version__, front_end, python, system)
    return path


def current_log_file() -> Path | None:
    return Path(_handler.baseFilename) if _handler is not None else None


def shutdown() -> None:
    """Stop writing the log file (tests; a folder change)."""
    global _handler, _stderr
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        with contextlib.suppress(OSError, ValueError):  # a file already gone or closed
            _handler.close()
        _handler = None
    if _stderr is not None:
        root.removeHandler(_stderr)
        _stderr = None
