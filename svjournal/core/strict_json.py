"""JSON from files someone else may have written: bounded depth, no NaN/Infinity, no huge
numbers. Every refusal is a ValueError (HostileJson), which the format readers already turn
into their own typed "damaged" error; nothing here can raise RecursionError or OverflowError.
"""

from __future__ import annotations

import json
from typing import Any

from svjournal.core.errors import FileDamaged, FileTooNew

MAX_DEPTH = 32  # our headers nest 4 deep; the parser's recursion limit is ~1000
MAX_INT_DIGITS = 19  # anything bigger than int64 is no size, version or cost we write


class HostileJson(ValueError):
    """JSON we never write: nested too deep, a non-finite or huge number."""


def _depth_ok(text: str, limit: int) -> bool:
    """Whether no array or object nests deeper than `limit` (strings skipped)."""
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def _refuse_constant(name: str) -> Any:
    raise HostileJson(f"{name} is not a number we write")


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise HostileJson("an integer too large")
    return int(text)


def _real(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise HostileJson("a number too large")
    return value


def loads(data: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """json.loads with the limits above; UnicodeDecodeError and JSON errors are ValueErrors."""
    text = data.decode("utf-8") if isinstance(data, bytes | bytearray) else data
    if not _depth_ok(text, max_depth):
        raise HostileJson("nested too deep")
    return json.loads(text, parse_constant=_refuse_constant, parse_int=_integer, parse_float=_real)


def small_int(value: Any, low: int, high: int) -> int:
    """A real integer (not a bool, float or string) in [low, high]; else HostileJson."""
    if type(value) is not int or not low <= value <= high:
        raise HostileJson("a number out of range")
    return value


def versioned_header(
    raw: bytes, newest: int, *, damaged: str, too_new: str
) -> tuple[dict[str, Any], int]:
    """A file header's JSON object and its `format_version`: FileDamaged (`damaged`) when it
    is no object with a sound version, FileTooNew (`too_new`) when the version is newer than
    `newest`. Backups and sealed files read their headers with this."""
    try:
        data = loads(raw)
        if not isinstance(data, dict):
            raise TypeError("not an object")
        version = small_int(data["format_version"], 1, 1_000_000)
    except (ValueError, KeyError, TypeError) as exc:
        raise FileDamaged(damaged) from exc
    if version > newest:
        raise FileTooNew(too_new)
    return data, version
