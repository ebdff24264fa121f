"""Portable use: a `portable` file beside the executable keeps the journal beside it too.

Meant for a USB stick carried between workstations: the journal folder lives on the stick
(`<executable folder>/svjournal-data/vault`), and the OS keyring is never used, because a key
remembered on one computer would stay on that computer after the stick has gone.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

MARKER_NAME = "portable"
DATA_FOLDER = "svjournal-data"
# For tests and for running from source: this folder stands in for the executable's folder.
ENV_PORTABLE_ROOT = "SVJOURNAL_PORTABLE_ROOT"


def executable_folder(
    *,
    executable: str | None = None,
    frozen: bool | None = None,
    environ: Mapping[str, str] = os.environ,
) -> Path | None:
    """The folder a portable marker is looked for in; None when running from source."""
    override = environ.get(ENV_PORTABLE_ROOT)
    if override:
        return Path(override).expanduser()
    is_frozen = getattr(sys, "frozen", False) if frozen is None else frozen
    if not is_frozen:
        return None  # beside a Python interpreter a `portable` file means nothing to us
    return Path(executable or sys.executable).resolve().parent


def portable_root(
    *,
    executable: str | None = None,
    frozen: bool | None = None,
    environ: Mapping[str, str] = os.environ,
) -> Path | None:
    """The executable's folder when a `portable` marker file sits in it, else None."""
    folder = executable_folder(executable=executable, frozen=frozen, environ=environ)
    if folder is None or not (folder / MARKER_NAME).is_file():
        return None
    return folder


def data_folder(root: Path) -> Path:
    """Everything svjournal keeps in portable use: the journal(s) and the journals list."""
    return root / DATA_FOLDER


def portable_vault_path(root: Path) -> Path:
    return data_folder(root) / "vault"
