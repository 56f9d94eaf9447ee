"""The workbench's pages, one Flask blueprint each: criteria sets, check, batch, compare."""
