"""Schema versions: which Alembic revision a vault is at, and upgrading it in one transaction."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config(script_location: Path | None) -> Config:
    config = Config()
    # '%' would be read as interpolation by configparser.
    config.set_main_option("script_location", str(script_location or MIGRATIONS).replace("%", "%%"))
    return config


def head_revision(script_location: Path | None = None) -> str:
    heads = ScriptDirectory.from_config(_config(script_location)).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"the migrations must have exactly one head, found {heads}")
    return heads[0]


def known_revisions(script_location: Path | None = None) -> set[str]:
    script = ScriptDirectory.from_config(_config(script_location))
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, target: str = "head", script_location: Path | None = None) -> None:
    """Run every pending revision inside one transaction: all of them land or none."""
    config = _config(script_location)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, target)
