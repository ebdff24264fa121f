"""Peak resident memory of this process and of other live processes, in bytes."""

from __future__ import annotations

import os
import resource
import sys
from pathlib import Path


def own_peak_bytes() -> int:
    """This process's peak resident set so far.

    Linux's VmHWM, not ru_maxrss: ru_maxrss survives exec, so a child started by a large
    parent would report the parent's peak (checked: 297 MB for a bare interpreter).
    """
    peak = process_peak_bytes(os.getpid())
    if peak is not None:
        return peak
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss if sys.platform == "darwin" else maxrss * 1024  # bytes on macOS, else KiB


def own_resident_bytes() -> int | None:
    """This process's resident set now (VmRSS), or None where /proc cannot tell."""
    return _status_field(os.getpid(), "VmRSS:")


def note_memory(memory: dict[str, int], step: str) -> None:
    """Record the peak so far under `step`, and the resident set now under "now:" + step."""
    memory[step] = own_peak_bytes()
    now = own_resident_bytes()
    if now is not None:
        memory[f"now:{step}"] = now


def _status_field(pid: int, name: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(name):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def process_peak_bytes(pid: int) -> int | None:
    """A live process's peak resident set (VmHWM), or None where /proc cannot tell."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None
