"""Alembic revisions of the review store (one file per schema change, never edited once released)."""
