"""Alembic environment: migrations run on the connection `assay.store.connect.migrate` passes in."""

from __future__ import annotations

from alembic import context

from assay.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("assay's migrations run through assay.store.open_store(), which passes a connection")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
