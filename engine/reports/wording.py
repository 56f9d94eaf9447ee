"""Operators as the reports write them."""

from __future__ import annotations

OPERATOR_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}
