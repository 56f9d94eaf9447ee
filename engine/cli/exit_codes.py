"""Exit statuses of the ``ecoassess`` command. Their meaning never changes with flags."""

from enum import IntEnum


class ExitCode(IntEnum):
    """What a script can rely on after running ``ecoassess``."""

    OK = 0
    """``check``: the entity is ready. Other commands: success."""
    NOT_READY = 1
    """``check``: not ready. ``validate``: a case's expectations were not met."""
    BAD_INPUT = 2
    """Bad usage or bad input: malformed criteria or data, unknown names, unreadable files."""
