"""The journals this computer account has opened, by the label each owner chose.

For a clinical unit that shares one OS login: the lock screen lists the other journals by
label only, so that each supporter finds their own. The list is a small JSON file in the
user's config folder (beside the executable in portable use). It holds labels and folder
paths and nothing else: no alias, no count, no date — anyone using this login can read it.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from svjournal.core import portable
from svjournal.core.atomic import atomic_write_bytes, make_private_dir
from svjournal.core.errors import ValidationError
from svjournal.core.i18n import tr

log = logging.getLogger(__name__)

FILE_NAME = "journals.json"
ENV_CONFIG_DIR = "SVJOURNAL_CONFIG_DIR"  # for tests: where the list is kept
MAX_LABEL = 40
MAX_ENTRIES = 20


@dataclass(frozen=True)
class KnownJournal:
    path: Path
    label: str  # "" when its owner has not chosen one


def config_dir(environ: Mapping[str, str] = os.environ) -> Path:
    override = environ.get(ENV_CONFIG_DIR)
    if override:
        return Path(override).expanduser()
    root = portable.portable_root(environ=environ)
    if root is not None:  # nothing about the stick's journals is left on the host
        return portable.data_folder(root)
    import platformdirs

    return platformdirs.user_config_path("svjournal", appauthor=False)


def journals_folder(environ: Mapping[str, str] = os.environ) -> Path:
    """Where journals created from the lock screen go (each in its own folder)."""
    root = portable.portable_root(environ=environ)
    if root is not None:
        return portable.data_folder(root) / "journals"
    import platformdirs

    return platformdirs.user_data_path("svjournal", appauthor=False) / "journals"


def new_journal_path(environ: Mapping[str, str] = os.environ) -> Path:
    """A fresh folder name for another journal; random, so it says nothing about its owner."""
    return journals_folder(environ) / f"journal-{secrets.token_hex(4)}"


def check_label(label: str) -> str:
    """One line of at most 40 characters without control characters; trimmed."""
    text = label.strip()
    if len(text) > MAX_LABEL:
        problem = tr("Too long (at most {n} characters).").format(n=MAX_LABEL)
        raise ValidationError("label", problem)
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text):
        raise ValidationError("label", tr("Must be one line of plain text."))
    return text


def _key(path: Path) -> str:
    return str(Path(path).expanduser().resolve())


class JournalList:
    """Read and update the list; a missing or unreadable file is an empty list."""

    def __init__(self, folder: Path | None = None) -> None:
        self.file = (folder or config_dir()) / FILE_NAME

    def entries(self) -> list[KnownJournal]:
        """Most recently opened first."""
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            rows = data["journals"]
            result = [
                KnownJournal(Path(row["path"]), check_label(str(row.get("label", ""))))
                for row in rows
                if isinstance(row, dict) and isinstance(row.get("path"), str)
            ]
        except FileNotFoundError:
            return []
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # A damaged list costs a few clicks, never the journals: start a new one.
            log.warning("the journals list could not be read: %s", type(exc).__name__)
            return []
        return result[:MAX_ENTRIES]

    def label_of(self, path: Path) -> str:
        key = _key(path)
        return next((e.label for e in self.entries() if _key(e.path) == key), "")

    def others(self, current: Path) -> list[KnownJournal]:
        """The journals other than `current` whose folders still exist."""
        key = _key(current)
        return [e for e in self.entries() if _key(e.path) != key and e.path.is_dir()]

    def opened(self, path: Path, label: str | None = None) -> None:
        """Put `path` first; keep its label unless a new one is given."""
        key = _key(path)
        entries = self.entries()
        old = next((e.label for e in entries if _key(e.path) == key), "")
        chosen = old if label is None else check_label(label)
        rest = [e for e in entries if _key(e.path) != key]
        self._write([KnownJournal(Path(key), chosen), *rest][:MAX_ENTRIES])

    def set_label(self, path: Path, label: str) -> None:
        key = _key(path)
        chosen = check_label(label)
        entries = self.entries()
        if not any(_key(e.path) == key for e in entries):
            entries.insert(0, KnownJournal(Path(key), chosen))
        self._write([KnownJournal(e.path, chosen) if _key(e.path) == key else e for e in entries])

    def forget(self, path: Path) -> None:
        key = _key(path)
        self._write([e for e in self.entries() if _key(e.path) != key])

    def _write(self, entries: list[KnownJournal]) -> None:
        make_private_dir(self.file.parent)
        rows = [{"label": e.label, "path": str(e.path)} for e in entries]
        data = json.dumps({"journals": rows}, indent=1, ensure_ascii=False)
        atomic_write_bytes(self.file, data.encode("utf-8"))
