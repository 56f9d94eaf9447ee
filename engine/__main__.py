"""``python -m engine``: the same as the ``ecoassess`` command."""

from engine.cli import main

main()
