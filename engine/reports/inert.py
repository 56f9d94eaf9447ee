"""Text written into CSV and Excel cells, made inert: a cell that begins with ``=``, ``+``,
``-``, ``@`` (or a tab or carriage return) is a formula to a spreadsheet — an entity named
``=HYPERLINK(…)`` or a criteria text beginning with ``=`` would run when the file is opened.
CSV text gets a leading apostrophe (what spreadsheets themselves write for such text); an
xlsx cell is stored as text, never as a formula."""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """``text`` as a CSV field a spreadsheet shows as text."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def inert_row(row: list[Any]) -> list[Any]:
    """Every text of a CSV row made inert (numbers and empty cells as they are)."""
    return [inert(value) if isinstance(value, str) else value for value in row]


def as_text_cells(cells: Any) -> None:
    """Store each xlsx cell (openpyxl) whose text looks like a formula as plain text."""
    for cell in cells:
        if isinstance(cell.value, str) and cell.data_type == "f":
            cell.data_type = "s"
