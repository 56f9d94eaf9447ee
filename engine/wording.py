"""The words and numbers reports use: the wording file, and numbers as officials publish them."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from engine.resources import templates_dir

OPERATOR_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


@cache
def labels(folder: Path | None = None) -> dict[str, dict[str, Any]]:
    """The report wording (``reports/templates/labels.yaml``), by language."""
    path = (folder or templates_dir()) / "labels.yaml"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loaded: dict[str, dict[str, Any]] = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    return loaded


def format_number(value: float) -> str:
    """A number as published: no float noise, no trailing zeros (6000, 39.08, 0.525)."""
    text = repr(float(value))
    if "e" not in text and "n" not in text:  # no exponent, not inf or nan: repr is shortest
        return text.removesuffix(".0")
    return format(Decimal(text).normalize(), "f")
