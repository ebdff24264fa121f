"""The dashboard's encounters read from one index: every column its SQL needs, in date order.

`ix_encounters_time` (occurred_at, deleted_at, case_id, stage) covered the per-month
figures only; the dashboard's temp table of encounters (core/stats_sql.py) also needs tier,
minutes, group size, support declined and referrals, so it read each encounter's row, with
its note, scattered over the whole table: at 100,000 encounters more pages than the page
cache holds, each decrypted again on every dashboard (1.3x the plain-SQLite time). The
index now holds those columns too (a few MB): a period is one range of it.

Revision ID: 0005_dashboard_covering_index
Revises: 0004_team_keys_and_months
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0005_dashboard_covering_index"
down_revision = "0004_team_keys_and_months"
branch_labels = None
depends_on = None

OLD = ("occurred_at", "deleted_at", "case_id", "stage")
NEW = (*OLD, "tier", "duration_minutes", "group_size", "support_declined", "referrals")


def upgrade() -> None:
    op.drop_index("ix_encounters_time", table_name="encounters")
    op.create_index("ix_encounters_time", "encounters", list(NEW))


def downgrade() -> None:
    op.drop_index("ix_encounters_time", table_name="encounters")
    op.create_index("ix_encounters_time", "encounters", list(OLD))
