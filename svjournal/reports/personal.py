"""Personal export: everything in the journal, notes included, sealed under a passphrase.

For the supporter's own keeping (moving to another machine, an archive when leaving the
programme) — never for anyone else: the payload holds pseudonyms, contact details and notes.
It is JSON of every row of every table, in the passphrase-sealed format of `core.sealed`
(magic `SVJEXPORT\\n`); only the kind of file and when it was made are readable outside.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from svjournal.core import sealed
from svjournal.core.atomic import atomic_write_bytes
from svjournal.core.errors import ExportFileError, FileDamaged, FileTooNew, NotOurFile
from svjournal.core.i18n import N_, tr
from svjournal.core.keyfile import KdfParams

MAGIC = b"SVJEXPORT\n"
FORMAT = "svjournal-personal-export"
VERSION = 1
RECORD_TABLES = ("cases", "encounters", "follow_ups")
SUFFIX = ".svjexport"

# A message (N_): the window and the CLI say it with tr(WARNING).
WARNING = N_(
    "This export holds everything in your journal: pseudonyms, contact details and notes. "
    "It is encrypted with the export passphrase you choose now; anyone who has the file and "
    "that passphrase can read all of it. Keep it for yourself — never send it to leadership "
    "or colleagues (use the de-identified reports for that) — and delete it when you no "
    "longer need it."
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def collect(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every journal table (trash included), as JSON-ready dicts."""
    from sqlmodel import SQLModel

    import svjournal.core.models  # noqa: F401  (registers the tables on SQLModel.metadata)

    tables: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            key = list(table.primary_key.columns)
            rows = conn.execute(select(table).order_by(*key)).mappings()
            tables[table.name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    return tables


def count_records(tables: dict[str, list[dict[str, Any]]]) -> int:
    return sum(len(tables.get(name, ())) for name in RECORD_TABLES)


def write_personal_export(
    engine: Engine,
    path: Path,
    passphrase: str,
    *,
    vault_id: str = "",
    kdf: KdfParams | None = None,
) -> int:
    """Seal the whole journal into `path` (atomically, owner-only); returns the records.

    The passphrase must pass the same strength rule as the journal's own (WeakPassphrase):
    the file holds every note, so a guessable passphrase would undo the vault's encryption.
    """
    from svjournal.core.passphrase import require_strong

    require_strong(passphrase)
    if path.is_dir():
        raise ExportFileError(tr("{path} is a folder; give a file name.").format(path=path))
    if not path.parent.is_dir():
        raise ExportFileError(tr("The folder {folder} does not exist.").format(folder=path.parent))
    from svjournal.core.schema import current_revision

    created = datetime.now().isoformat(timespec="seconds")
    tables = collect(engine)
    with engine.connect() as conn:
        revision = current_revision(conn)
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": created,
        "vault_id": vault_id,
        "schema_revision": revision,
        "tables": tables,
    }
    data = sealed.seal(
        MAGIC,
        json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
        passphrase,
        metadata={"kind": "personal-export", "created_at": created},
        kdf=kdf,
    )
    try:
        atomic_write_bytes(path, data, clean_stale=True)
    except OSError as exc:
        raise ExportFileError(
            tr("{path} cannot be written ({reason}).").format(path=path, reason=exc.strerror or exc)
        ) from exc
    return count_records(tables)


def read_personal_export(path: Path, passphrase: str) -> dict[str, Any]:
    """The export's contents: format, version, created_at, vault_id and `tables`.

    Raises NotOurFile, FileDamaged, FileTooNew or WrongFilePassphrase; nothing partial.
    """
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ExportFileError(tr("There is no file at {path}.").format(path=path)) from None
    except IsADirectoryError:
        raise NotOurFile(tr("{path} is a folder, not an export.").format(path=path)) from None
    except OSError as exc:
        raise ExportFileError(
            tr("{path} cannot be read ({reason}).").format(path=path, reason=exc.strerror or exc)
        ) from None
    _header, payload = sealed.unseal(MAGIC, data, passphrase)
    try:
        content = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FileDamaged(tr("The export's contents are damaged.")) from exc
    if not isinstance(content, dict) or content.get("format") != FORMAT:
        raise NotOurFile(tr("This file is not an svjournal personal export."))
    version = content.get("version")
    if not isinstance(version, int) or version < 1:
        raise FileDamaged(tr("The export's contents are damaged."))
    if version > VERSION:
        raise FileTooNew(tr("This export was written by a newer svjournal; update the app."))
    if not isinstance(content.get("tables"), dict):
        raise FileDamaged(tr("The export's contents are damaged."))
    return content
