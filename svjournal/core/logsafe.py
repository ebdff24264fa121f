"""Turn a log record into a line that cannot carry journal text.

The log file sits unencrypted beside the user's other files, so it must never hold an alias,
a note, a passphrase, a key or anything else read from or typed into a journal. Redacting
after the fact (searching lines for "secret-looking" text) cannot work: a note is just words.
So the rule is the other way round — nothing is written unless it is known to be harmless:

* the message *template* of svjournal's own loggers (a string literal in our code; a test
  walks the package and fails on any logging call whose first argument is not a literal);
* arguments only of types that cannot hold free text: numbers, booleans, None, enum members
  (their code-defined name), exception classes and instances (the class name alone, never the
  message: an SQL error echoes the values of the failed statement), and strings that are in a
  closed set of program-made words (exception class names, signal names, and words our code
  registers with `allow_words`, such as export kinds). Any other argument — a str(), a path,
  an object whose repr could show its fields — becomes WITHHELD;
* tracebacks as `file:line in function` for frames in the svjournal package, with library
  frames only counted: no source lines (a line of code can hold a literal, and the linecache
  can hold a user's file) and never locals;
* for other libraries' loggers only the logger name and level: their templates are not ours
  to check (SQLAlchemy's echo puts statement parameters in them).

`str(record.args)`, `record.getMessage()` and `logging.Formatter.formatException` are never
called here; `exc_text`, `stack_info` and any extra attributes on the record are ignored.
"""

from __future__ import annotations

import enum
import logging
import re
import signal
import threading
import time
import traceback
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType


class _Withheld(str):
    """The stand-in for a value not written; the same under %s and %r."""

    def __repr__(self) -> str:
        return str.__str__(self)


WITHHELD = _Withheld("<withheld>")
PACKAGE = "svjournal"
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # .../svjournal
MAX_CHAIN = 5  # causes and contexts followed; a loop of them must not hang the logger
MAX_FRAMES = 40

_words_lock = threading.Lock()
_allowed_words: set[str] = {s.name for s in signal.Signals}
# A program-made word: short, one token; a sentence can never be registered by accident.
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+:-]{0,63}")


def allow_words(*words: str) -> None:
    """Let these exact strings through as log arguments. Only for words our code makes
    (export kinds, command names, version numbers), never for anything a user typed."""
    for word in words:
        if not _WORD.fullmatch(word):
            raise ValueError("a log word is one short token of letters, digits and _.+:-")
    with _words_lock:
        _allowed_words.update(words)


def _exception_names() -> set[str]:
    names: set[str] = set()
    todo: list[type] = [BaseException]
    while todo:
        kind = todo.pop()
        names.add(kind.__name__)
        todo.extend(kind.__subclasses__())
    return names


def class_name(kind: type) -> str:
    """`ValueError`, `sqlalchemy.exc.IntegrityError`: where the class is, never its text."""
    module = getattr(kind, "__module__", "") or ""
    qualname = getattr(kind, "__qualname__", kind.__name__)
    return qualname if module in ("builtins", "") else f"{module}.{qualname}"


def safe_arg(value: object) -> object:
    """The argument itself where it cannot hold text (numbers keep %d working), else a
    code-defined name, else WITHHELD."""
    if isinstance(value, enum.Enum):  # first: an IntEnum or StrEnum member is also an int/str
        return _enum_name(value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):  # plain int: a subclass's __str__ could say anything
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, BaseException):
        return class_name(type(value))
    if isinstance(value, type):
        return class_name(value)
    if type(value) is str:  # exactly str: a subclass could override __str__
        with _words_lock:
            if value in _allowed_words:
                return value
        if value in _exception_names():
            return value
    return WITHHELD


def _enum_name(member: enum.Enum) -> str:
    return f"{type(member).__name__}.{member.name}"


def render_message(template: object, args: object) -> str:
    """The template with only safe arguments filled in."""
    if type(template) is not str:
        return "<message withheld: not a template>"
    values: list[object]
    if isinstance(args, dict):
        mapping = {key: safe_arg(value) for key, value in args.items()}
        values = list(mapping.values())
        filled: object = mapping
    else:
        if args is None:
            values = []
        elif isinstance(args, tuple):
            values = [safe_arg(a) for a in args]
        else:
            values = [safe_arg(args)]
        filled = tuple(values)
    if not values:
        return template
    try:
        return template % filled
    except (TypeError, ValueError, KeyError):
        # A %d that received WITHHELD, a count mismatch: the template, then what is safe.
        return f"{template} [{', '.join(str(v) for v in values)}]"


def svjournal_frames(tb: TracebackType | None) -> tuple[list[str], int]:
    """(`svjournal/core/x.py:12 in f` for our frames, how many library frames)."""
    ours: list[str] = []
    others = 0
    for frame, line in traceback.walk_tb(tb):
        where = _package_path(frame.f_code.co_filename)
        if where is None:
            others += 1
            continue
        if len(ours) < MAX_FRAMES:
            ours.append(f"{where}:{line} in {frame.f_code.co_name}")
    return ours, others


def _package_path(filename: str) -> str | None:
    parts = filename.replace("\\", "/").split("/")
    if parts[0] == PACKAGE and len(parts) > 1:
        # A frozen build (PyInstaller) names its modules relative to the bundle.
        return "/".join(parts)
    try:
        relative = Path(filename).resolve().relative_to(_PACKAGE_ROOT)
    except (ValueError, OSError):
        return None
    return f"{PACKAGE}/{relative.as_posix()}"


def exception_chain(exc: BaseException) -> Iterable[BaseException]:
    """The exception, then what caused it (or was being handled), at most MAX_CHAIN deep."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(seen) < MAX_CHAIN:
        seen.add(id(current))
        yield current
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )


def render_exception(exc: BaseException) -> list[str]:
    """Class names and svjournal frames for the exception and its chain; no messages."""
    lines: list[str] = []
    for depth, link in enumerate(exception_chain(exc)):
        prefix = "error" if depth == 0 else "  from"
        lines.append(f"{prefix}: {class_name(type(link))}")
        ours, others = svjournal_frames(link.__traceback__)
        lines.extend(f"    {frame}" for frame in ours)
        if others:
            lines.append(f"    ({others} frame(s) in Python or libraries)")
    return lines


class SafeFormatter(logging.Formatter):
    """See the module docstring: a line that holds no journal text, by construction.
    `bare`: the message alone, as logging's last resort prints to stderr."""

    def __init__(self, *, bare: bool = False) -> None:
        super().__init__()
        self.bare = bare

    def format(self, record: logging.LogRecord) -> str:
        ours = record.name == PACKAGE or record.name.startswith(PACKAGE + ".")
        text = render_message(record.msg, record.args) if ours else "<library message withheld>"
        if self.bare:
            head = text if ours else f"{record.name}: {text}"
        else:
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(record.created))
            head = f"{stamp} {record.levelname} [{record.process}] {record.name}: {text}"
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None:
            return head
        return "\n".join([head, *render_exception(exc)])
