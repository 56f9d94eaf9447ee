"""The local web workbench (``ecoassess serve``): the whole tool in a browser page, served
from the user's own machine, over the same engine as the command line."""

from engine.web.app import create_app

__all__ = ["create_app"]
