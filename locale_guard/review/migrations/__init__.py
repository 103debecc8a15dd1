"""Alembic migrations of the review store, shipped inside the package so ``pip install`` users get them."""
