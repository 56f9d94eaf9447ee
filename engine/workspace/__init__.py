"""The campaign workspace: an office's values, their history and its check-ins, kept in a
real database (SQLite by default, PostgreSQL for a shared office)."""
