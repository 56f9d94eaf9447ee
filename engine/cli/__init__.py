"""The command line: one module per command group, shared options in :mod:`engine.cli.support`.

The entry point ``engine.cli:main`` is the click group of :mod:`engine.cli.main`.
"""

from engine.cli.main import main

__all__ = ["main"]
