"""Numbers as officials publish them (used by evaluation and reports alike)."""

from __future__ import annotations

from decimal import Decimal


def format_number(value: float) -> str:
    """A number as published: no float noise, no trailing zeros (6000, 39.08, 0.525)."""
    text = repr(float(value))
    if "e" not in text and "n" not in text:  # no exponent, not inf or nan: repr is shortest
        return text.removesuffix(".0")
    return format(Decimal(text).normalize(), "f")
