"""Where the bundled criteria sets and report templates are, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE / "_bundled"
_CHECKOUT = _PACKAGE.parent


def _pick(installed: Path, checkout: Path) -> Path:
    return installed if installed.is_dir() else checkout


def bundled_criteria_dir() -> Path:
    """The folder holding the criteria sets shipped with ecoassess."""
    return _pick(_BUNDLED / "criteria", _CHECKOUT / "criteria")


def templates_dir() -> Path:
    """The folder holding the report templates and their labels."""
    return _pick(_BUNDLED / "templates", _CHECKOUT / "reports" / "templates")
