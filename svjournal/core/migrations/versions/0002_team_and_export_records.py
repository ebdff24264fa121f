"""Team tables (a coordinator's merged bundles) and a record count on the export log.

Revision ID: 0002_team_and_export_records
Revises: 0001_baseline
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_team_and_export_records"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def _supporter_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["supporter_id"], ["team_supporters.supporter_id"], ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "team_supporters",
        sa.Column("supporter_id", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("first_imported_at", sa.DateTime(), nullable=False),
        sa.Column("last_imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("supporter_id"),
    )
    op.create_table(
        "team_bundles",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("supporter_id", sa.String(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.Column("encounters", sa.Integer(), nullable=False),
        sa.Column("follow_ups", sa.Integer(), nullable=False),
        _supporter_fk(),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("team_bundles", schema=None) as batch_op:
        batch_op.create_index(
            "ix_team_bundles_supporter", ["supporter_id", "created"], unique=False
        )

    op.create_table(
        "team_cases",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("supporter_id", sa.String(), nullable=False),
        sa.Column("bundle_created", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("department", sa.String(), nullable=False),
        sa.Column("event_category", sa.String(), nullable=False),
        sa.Column("high_risk_events", sa.JSON(), nullable=False),
        sa.Column("referral_source", sa.String(), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("current_stage", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("first_contact_on", sa.Date(), nullable=True),
        sa.Column("last_contact_on", sa.Date(), nullable=True),
        sa.Column("next_follow_up_on", sa.Date(), nullable=True),
        _supporter_fk(),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("team_cases", schema=None) as batch_op:
        batch_op.create_index("ix_team_cases_supporter", ["supporter_id"], unique=False)

    op.create_table(
        "team_live_cases",
        sa.Column("supporter_id", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        _supporter_fk(),
        sa.PrimaryKeyConstraint("supporter_id", "case_id"),
    )
    op.create_table(
        "team_encounters",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("supporter_id", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("bundle_created", sa.DateTime(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("mode", sa.String(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("group_size", sa.Integer(), nullable=True),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("triggered", sa.Boolean(), nullable=False),
        sa.Column("referrals", sa.JSON(), nullable=False),
        sa.Column("support_declined", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("team_encounters", schema=None) as batch_op:
        batch_op.create_index(
            "ix_team_encounters_supporter_day", ["supporter_id", "occurred_on"], unique=False
        )

    op.create_table(
        "team_follow_ups",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("supporter_id", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("bundle_created", sa.DateTime(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("team_follow_ups", schema=None) as batch_op:
        batch_op.create_index(
            "ix_team_follow_ups_supporter_due", ["supporter_id", "due_on"], unique=False
        )

    # SQLite adds a nullable column in place: earlier export lines keep records = NULL.
    with op.batch_alter_table("export_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("records", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("export_log", schema=None) as batch_op:
        batch_op.drop_column("records")
    for table, indexes in (
        ("team_follow_ups", ("ix_team_follow_ups_supporter_due",)),
        ("team_encounters", ("ix_team_encounters_supporter_day",)),
        ("team_live_cases", ()),
        ("team_cases", ("ix_team_cases_supporter",)),
        ("team_bundles", ("ix_team_bundles_supporter",)),
        ("team_supporters", ()),
    ):
        if indexes:
            with op.batch_alter_table(table, schema=None) as batch_op:
                for index in indexes:
                    batch_op.drop_index(index)
        op.drop_table(table)
