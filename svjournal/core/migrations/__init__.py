"""Alembic revisions of the vault schema (run through `svjournal.core.schema`)."""
