"""Alembic environment: runs on the connection `schema.upgrade` hands over, in its transaction."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import svjournal.core.models  # noqa: F401  (registers the tables on SQLModel.metadata)

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - alembic is only driven through schema.py
    raise RuntimeError("svjournal migrations run through svjournal.core.schema only")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    transactional_ddl=True,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
