"""Where the bundled criteria sets and report templates are, installed or in a checkout, and
the report wording file (read by the spreadsheet reader too: profile words)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

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


@cache
def labels(folder: Path | None = None) -> dict[str, dict[str, Any]]:
    """The report wording (``reports/templates/labels.yaml``), by language."""
    path = (folder or templates_dir()) / "labels.yaml"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loaded: dict[str, dict[str, Any]] = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    return loaded


def say(lang: str, zh: str, en: str) -> str:
    """One message in the language asked for: English for ``en``, else Chinese."""
    return en if lang == "en" else zh
