"""Two case summary columns: when a red flag was last recorded, and the Tier 3 referral state.

Revision ID: 0003_red_flag_summaries
Revises: 0002_team_and_export_records
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_red_flag_summaries"
down_revision = "0002_team_and_export_records"
branch_labels = None
depends_on = None

# The values as `summaries.refresh` defined them when this revision was written. Frozen here
# (not imported) so that replaying this revision later gives the same result whatever the
# module has become; later changes to the definition bring their own revision.
_TIER3_TARGETS = "'psychologist', 'chaplain', 'eap', 'social_work', 'own_counsellor', 'psychiatry'"
_FILL = f"""
UPDATE cases SET
    last_red_flag_at = (
        SELECT max(e.occurred_at) FROM encounters AS e
        WHERE e.case_id = cases.id AND e.deleted_at IS NULL
          AND json_array_length(e.red_flags) > 0
    ),
    tier3_referral = (
        SELECT CASE max(CASE json_extract(r.value, '$.response')
                            WHEN 'accepted' THEN 3 WHEN 'pending' THEN 2 WHEN 'declined' THEN 1
                        END)
                   WHEN 3 THEN 'accepted' WHEN 2 THEN 'pending' WHEN 1 THEN 'declined'
               END
        FROM encounters AS e, json_each(e.referrals) AS r
        WHERE e.case_id = cases.id AND e.deleted_at IS NULL AND e.referrals != '[]'
          AND json_extract(r.value, '$.target') IN ({_TIER3_TARGETS})
    )
"""


def upgrade() -> None:
    # SQLite adds nullable columns in place; the fill then reads the encounters once.
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_red_flag_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("tier3_referral", sa.String(), nullable=True))
    op.execute(_FILL)


def downgrade() -> None:
    # Not batch mode: it would copy and drop the cases table, and with foreign keys on, the
    # drop cascades to every encounter and follow-up. SQLite (3.35+) drops a plain column
    # in place.
    op.execute("ALTER TABLE cases DROP COLUMN tier3_referral")
    op.execute("ALTER TABLE cases DROP COLUMN last_red_flag_at")
