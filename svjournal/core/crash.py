"""What a user may copy and send after an unexpected error: where in the program, never what.

The details name the versions and the place in svjournal's code (file, line, function) and
the exception's class. They never hold the exception's message (an SQL error repeats the
values it failed on: an alias, a note), the values of variables, the journal's folder or
anything else from the journal — the same rules as the log file (see `logsafe`).
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Mapping

from svjournal import __version__
from svjournal.core.logsafe import render_exception


def crash_details(exc: BaseException, versions: Mapping[str, str] | None = None) -> str:
    """Plain text for the clipboard; `versions` adds e.g. Qt and PySide6."""
    lines = [
        f"svjournal {__version__}",
        f"Platform: {platform.system()} {platform.release()} ({platform.machine()})",
        f"Python {platform.python_version()} ({sys.implementation.name})",
    ]
    lines.extend(f"{name} {version}" for name, version in (versions or {}).items())
    lines.append("")
    lines.append("Where (svjournal code only; no messages, no values):")
    lines.extend(render_exception(exc))
    return "\n".join(lines) + "\n"
