"""live_sessions.connected_now goes: presence is counted in memory and Redis

Every phone's connect and disconnect committed an UPDATE of this column on
the event loop; the count now lives in facilitation/live/presence.py. The
peak (peak_participants) stays for the summaries.

Revision ID: b3c1d2e4f5a6
Revises: a17c0e55e001
Create Date: 2026-12-05 13:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b3c1d2e4f5a6"
down_revision = "a17c0e55e001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.drop_column("connected_now")


def downgrade():
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("connected_now", sa.Integer(), nullable=False, server_default="0")
        )
