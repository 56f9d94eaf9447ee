"""Alembic's environment for the workspace: the connection is handed over by
:func:`engine.workspace.store.migrate`, never read from an ini file."""

from alembic import context

from engine.workspace.schema import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
