"""Schema versions: which Alembic revision a vault is at, and upgrading it in one transaction.

Alembic is imported only when a migration may run: it costs ~150 ms of start-up, and a vault
already at `HEAD_REVISION` (nearly every unlock) needs none of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest revision in migrations/versions; a test checks it against Alembic's own view.
HEAD_REVISION = "0005_dashboard_covering_index"


def _config(script_location: Path | None) -> Config:
    from alembic.config import Config

    config = Config()
    # '%' would be read as interpolation by configparser.
    config.set_main_option("script_location", str(script_location or MIGRATIONS).replace("%", "%%"))
    return config


def head_revision(script_location: Path | None = None) -> str:
    if script_location is None:
        return HEAD_REVISION
    return alembic_head(script_location)


def alembic_head(script_location: Path | None = None) -> str:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(_config(script_location)).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"the migrations must have exactly one head, found {heads}")
    return str(heads[0])


def known_revisions(script_location: Path | None = None) -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config(script_location))
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(conn: Connection) -> str | None:
    """The vault's revision, or None when it has no alembic_version table (not our schema)."""
    has_table = conn.execute(
        text("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
    ).scalar()
    if not has_table:
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return str(row[0]) if row else None


def upgrade(engine: Engine, target: str = "head", script_location: Path | None = None) -> None:
    """Run every pending revision inside one transaction: all of them land or none."""
    from alembic import command

    config = _config(script_location)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, target)
