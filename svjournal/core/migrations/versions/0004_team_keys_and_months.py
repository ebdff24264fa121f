"""Team sharing v2: team keys in the vault, and team data held by month instead of by day.

Team rows imported from passphrase bundles are kept, made as coarse as the new bundles:
days become months, the first contact a duration from the referral day, a follow-up's
lateness days and on-time flag. Encounters and follow-ups lose their UUIDs (rows are now
replaced per supporter and month). The downgrade recreates the old, empty team tables
(days cannot be recovered from months): re-import the bundles after it.

Revision ID: 0004_team_keys_and_months
Revises: 0003_red_flag_summaries
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_team_keys_and_months"
down_revision = "0003_red_flag_summaries"
branch_labels = None
depends_on = None


def _supporter_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["supporter_id"], ["team_supporters.supporter_id"], ondelete="CASCADE"
    )


def _create_v2(suffix: str) -> None:
    op.create_table(
        f"team_bundles{suffix}",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("supporter_id", sa.String(), nullable=False),
        sa.Column("first_month", sa.String(), nullable=False),
        sa.Column("last_month", sa.String(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("digest", sa.String(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.Column("encounters", sa.Integer(), nullable=False),
        sa.Column("follow_ups", sa.Integer(), nullable=False),
        sa.Column("retired_format", sa.Boolean(), nullable=False),
        _supporter_fk(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        f"team_cases{suffix}",
        sa.Column("supporter_id", sa.String(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("bundle_created", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("department", sa.String(), nullable=False),
        sa.Column("event_category", sa.String(), nullable=False),
        sa.Column("high_risk_events", sa.JSON(), nullable=False),
        sa.Column("referral_source", sa.String(), nullable=False),
        sa.Column("referred_month", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("current_stage", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("minutes_to_first_contact", sa.Integer(), nullable=True),
        sa.Column("last_contact_month", sa.String(), nullable=True),
        _supporter_fk(),
        sa.PrimaryKeyConstraint("supporter_id", "id"),
    )
    op.create_table(
        f"team_encounters{suffix}",
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("supporter_id", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("month", sa.String(), nullable=False),
        sa.Column("mode", sa.String(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("group_size", sa.Integer(), nullable=True),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("triggered", sa.Boolean(), nullable=False),
        sa.Column("referrals", sa.JSON(), nullable=False),
        sa.Column("support_declined", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("row"),
    )
    op.create_table(
        f"team_follow_ups{suffix}",
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("supporter_id", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("month", sa.String(), nullable=False),
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("late_days", sa.Integer(), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("row"),
    )


# Months a stored bundle covered, walked with a recursive CTE (periods are at most years).
_MONTHS = """
WITH RECURSIVE spans(supporter_id, day, last, created) AS (
    SELECT supporter_id, date(period_start, 'start of month'), period_end, created
    FROM team_bundles
    UNION ALL
    SELECT supporter_id, date(day, '+1 month'), last, created FROM spans
    WHERE date(day, '+1 month') <= last
)
INSERT INTO team_months (supporter_id, month, created)
SELECT supporter_id, substr(day, 1, 7), max(created) FROM spans GROUP BY 1, 2
"""

_COPIES = (
    """INSERT INTO team_bundles_v2 (id, supporter_id, first_month, last_month, created, digest,
           imported_at, cases, encounters, follow_ups, retired_format)
       SELECT id, supporter_id, substr(period_start, 1, 7), substr(period_end, 1, 7), created,
              '', imported_at, cases, encounters, follow_ups, 1
       FROM team_bundles""",
    """INSERT INTO team_cases_v2 (supporter_id, id, bundle_created, kind, role, department,
           event_category, high_risk_events, referral_source, referred_month, status,
           current_stage, outcome, minutes_to_first_contact, last_contact_month)
       SELECT supporter_id, id, bundle_created, kind, role, department, event_category,
              high_risk_events, referral_source, substr(referred_on, 1, 7), status,
              current_stage, outcome,
              CAST(round((julianday(first_contact_on) - julianday(referred_on)) * 1440)
                   AS INTEGER),
              substr(last_contact_on, 1, 7)
       FROM team_cases""",
    """INSERT INTO team_encounters_v2 (supporter_id, case_id, month, mode, duration_minutes,
           group_size, tier, stage, outcome, triggered, referrals, support_declined)
       SELECT supporter_id, case_id, substr(occurred_on, 1, 7), mode, duration_minutes,
              group_size, tier, stage, outcome, triggered, referrals, support_declined
       FROM team_encounters""",
    """INSERT INTO team_follow_ups_v2 (supporter_id, case_id, month, method, status,
           late_days, on_time)
       SELECT supporter_id, case_id, substr(due_on, 1, 7), method,
              CASE WHEN status = 'planned' AND due_on < substr(bundle_created, 1, 10)
                   THEN 'overdue' ELSE status END,
              CASE WHEN status = 'done' AND done_on IS NOT NULL
                   THEN CAST(julianday(done_on) - julianday(due_on) AS INTEGER) END,
              status = 'done' AND done_on IS NOT NULL AND done_on <= date(due_on, '+1 day')
       FROM team_follow_ups""",
)

_OLD_INDEXES = {
    "team_bundles": ("ix_team_bundles_supporter",),
    "team_cases": ("ix_team_cases_supporter",),
    "team_encounters": ("ix_team_encounters_supporter_day",),
    "team_follow_ups": ("ix_team_follow_ups_supporter_due",),
}
_NEW_INDEXES = {
    "team_bundles": ("ix_team_bundles_supporter", ["supporter_id", "created"]),
    "team_encounters": ("ix_team_encounters_supporter_month", ["supporter_id", "month"]),
    "team_follow_ups": ("ix_team_follow_ups_supporter_month", ["supporter_id", "month"]),
}


def upgrade() -> None:
    op.create_table(
        "team_keys",
        sa.Column("purpose", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("public_key", sa.String(), nullable=False),
        sa.Column("private_key", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("purpose"),
    )
    # SQLite adds nullable columns in place; team_supporters keeps its rows (and the other
    # tables' references to it).
    with op.batch_alter_table("team_supporters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_key", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(), nullable=True))
    op.create_table(
        "team_months",
        sa.Column("supporter_id", sa.String(), nullable=False),
        sa.Column("month", sa.String(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        _supporter_fk(),
        sa.PrimaryKeyConstraint("supporter_id", "month"),
    )
    op.execute(_MONTHS)
    _create_v2("_v2")
    for copy in _COPIES:
        op.execute(copy)
    for table in ("team_bundles", "team_cases", "team_encounters", "team_follow_ups"):
        for index in _OLD_INDEXES[table]:
            op.execute(f"DROP INDEX {index}")
        op.execute(f"DROP TABLE {table}")
        op.execute(f"ALTER TABLE {table}_v2 RENAME TO {table}")
        if table in _NEW_INDEXES:
            name, columns = _NEW_INDEXES[table]
            op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for table in ("team_follow_ups", "team_encounters", "team_cases", "team_bundles"):
        if table in _NEW_INDEXES:
            op.execute(f"DROP INDEX {_NEW_INDEXES[table][0]}")
        op.execute(f"DROP TABLE {table}")
    op.drop_table("team_months")
    op.drop_table("team_keys")
    op.execute("DELETE FROM team_live_cases")
    op.execute("DELETE FROM team_supporters")
    op.execute("ALTER TABLE team_supporters DROP COLUMN revoked_at")
    op.execute("ALTER TABLE team_supporters DROP COLUMN public_key")
    # The 0002 layout, empty (see the module's note).
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
    op.create_index("ix_team_bundles_supporter", "team_bundles", ["supporter_id", "created"])
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
    op.create_index("ix_team_cases_supporter", "team_cases", ["supporter_id"])
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
    op.create_index(
        "ix_team_encounters_supporter_day", "team_encounters", ["supporter_id", "occurred_on"]
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
    op.create_index(
        "ix_team_follow_ups_supporter_due", "team_follow_ups", ["supporter_id", "due_on"]
    )
