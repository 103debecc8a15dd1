"""Initial schema of the review store, with the append-only guard on adjudications.

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "guidelines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=200), nullable=False),
        sa.Column("locale", sa.String(length=50), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guidelines")),
        sa.UniqueConstraint("rule", "locale", name="uq_guidelines_rule_locale"),
    )
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("source_name", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("tool_version", sa.String(length=100), nullable=True),
        sa.Column("imported_by", sa.String(length=200), nullable=True),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
    )
    op.create_table(
        "reviewers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("password_hash", sa.String(length=300), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("role IN ('reviewer', 'lead', 'admin')", name=op.f("ck_reviewers_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviewers")),
        sa.UniqueConstraint("email", name=op.f("uq_reviewers_email")),
        sa.UniqueConstraint("username", name=op.f("uq_reviewers_username")),
    )
    op.create_table(
        "items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=128), nullable=False),
        sa.Column("rule", sa.String(length=200), nullable=False),
        sa.Column("check", sa.String(length=50), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=True),
        sa.Column("locale", sa.String(length=50), nullable=True),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("column", sa.Integer(), nullable=True),
        sa.Column("key", sa.Text(), nullable=True),
        sa.Column("record_id", sa.String(length=200), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("suggestion", sa.Text(), nullable=True),
        sa.Column("finding_source", sa.String(length=20), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=True),
        sa.Column("rule_version", sa.String(length=100), nullable=True),
        sa.Column("model_version", sa.String(length=200), nullable=True),
        sa.Column("required_reviews", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("gold_decision", sa.String(length=20), nullable=True),
        sa.Column("gold_fixed_text", sa.Text(), nullable=True),
        sa.Column("first_import_id", sa.Integer(), nullable=True),
        sa.Column("last_import_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('pending', 'conflict', 'done')", name=op.f("ck_items_status")),
        sa.ForeignKeyConstraint(
            ["first_import_id"], ["imports.id"], name=op.f("fk_items_first_import_id_imports")
        ),
        sa.ForeignKeyConstraint(
            ["last_import_id"], ["imports.id"], name=op.f("fk_items_last_import_id_imports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_items")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_items_fingerprint")),
    )
    op.create_index("ix_items_queue", "items", ["locale", "check", "status"], unique=False)
    op.create_index(op.f("ix_items_rule"), "items", ["rule"], unique=False)

    op.create_table(
        "reviewer_locales",
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["reviewers.id"],
            name=op.f("fk_reviewer_locales_reviewer_id_reviewers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("reviewer_id", "locale", name=op.f("pk_reviewer_locales")),
    )
    op.create_table(
        "adjudications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("fixed_text", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("rule", sa.String(length=200), nullable=False),
        sa.Column("rule_version", sa.String(length=100), nullable=True),
        sa.Column("model_version", sa.String(length=200), nullable=True),
        sa.Column("is_gold", sa.Boolean(), nullable=False),
        sa.Column("retracts_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "decision IN ('accept', 'reject', 'fix', 'skip', 'note', 'undo')",
            name=op.f("ck_adjudications_decision"),
        ),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_adjudications_item_id_items")),
        sa.ForeignKeyConstraint(
            ["retracts_id"], ["adjudications.id"], name=op.f("fk_adjudications_retracts_id_adjudications")
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["reviewers.id"], name=op.f("fk_adjudications_reviewer_id_reviewers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adjudications")),
    )
    op.create_index(op.f("ix_adjudications_item_id"), "adjudications", ["item_id"], unique=False)
    op.create_index(
        "ix_adjudications_item_reviewer", "adjudications", ["item_id", "reviewer_id"], unique=False
    )
    op.create_index(op.f("ix_adjudications_reviewer_id"), "adjudications", ["reviewer_id"], unique=False)

    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_claims_item_id_items"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["reviewers.id"],
            name=op.f("fk_claims_reviewer_id_reviewers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.UniqueConstraint("item_id", "reviewer_id", name="uq_claims_item_reviewer"),
    )
    op.create_index(op.f("ix_claims_expires_at"), "claims", ["expires_at"], unique=False)
    op.create_index(op.f("ix_claims_item_id"), "claims", ["item_id"], unique=False)
    op.create_index(op.f("ix_claims_reviewer_id"), "claims", ["reviewer_id"], unique=False)

    op.create_table(
        "votes",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("adjudication_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("fixed_text", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["adjudication_id"], ["adjudications.id"], name=op.f("fk_votes_adjudication_id_adjudications")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_votes_item_id_items"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["reviewers.id"], name=op.f("fk_votes_reviewer_id_reviewers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("item_id", "reviewer_id", name=op.f("pk_votes")),
    )
    op.create_index(op.f("ix_votes_reviewer_id"), "votes", ["reviewer_id"], unique=False)
    _append_only_guard()


#: the audit log is evidence: the database itself refuses to change or delete a row of it
_SQLITE_GUARD = [
    "CREATE TRIGGER adjudications_no_update BEFORE UPDATE ON adjudications "
    "BEGIN SELECT RAISE(ABORT, 'adjudications are append-only'); END",
    "CREATE TRIGGER adjudications_no_delete BEFORE DELETE ON adjudications "
    "BEGIN SELECT RAISE(ABORT, 'adjudications are append-only'); END",
]
_POSTGRES_GUARD = [
    "CREATE FUNCTION adjudications_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'adjudications are append-only'; END $$",
    "CREATE TRIGGER adjudications_no_change BEFORE UPDATE OR DELETE ON adjudications "
    "FOR EACH ROW EXECUTE FUNCTION adjudications_append_only()",
]


def _append_only_guard() -> None:
    dialect = op.get_bind().dialect.name
    for statement in (
        _SQLITE_GUARD if dialect == "sqlite" else _POSTGRES_GUARD if dialect == "postgresql" else []
    ):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS adjudications_no_update")
        op.execute("DROP TRIGGER IF EXISTS adjudications_no_delete")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS adjudications_no_change ON adjudications")
        op.execute("DROP FUNCTION IF EXISTS adjudications_append_only()")
    op.drop_index(op.f("ix_votes_reviewer_id"), table_name="votes")

    op.drop_table("votes")
    op.drop_index(op.f("ix_claims_reviewer_id"), table_name="claims")
    op.drop_index(op.f("ix_claims_item_id"), table_name="claims")
    op.drop_index(op.f("ix_claims_expires_at"), table_name="claims")

    op.drop_table("claims")
    op.drop_index(op.f("ix_adjudications_reviewer_id"), table_name="adjudications")
    op.drop_index("ix_adjudications_item_reviewer", table_name="adjudications")
    op.drop_index(op.f("ix_adjudications_item_id"), table_name="adjudications")

    op.drop_table("adjudications")
    op.drop_table("reviewer_locales")
    op.drop_index(op.f("ix_items_rule"), table_name="items")
    op.drop_index("ix_items_queue", table_name="items")

    op.drop_table("items")
    op.drop_table("reviewers")
    op.drop_table("imports")
    op.drop_table("guidelines")
