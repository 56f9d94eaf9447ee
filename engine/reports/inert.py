"""Text the user gave, made inert in what the tool writes.

- :func:`one_line`: every text a report shows stays on its line — a line break in a note
  could otherwise start a forged 「## 结论」 heading in Markdown or a line of its own in the
  text report — and carries no control character (a terminal escape, a NUL).
- :func:`inert`: a CSV or Excel cell that begins with ``=``, ``+``, ``-``, ``@`` (or a tab
  or carriage return) is a formula to a spreadsheet — an entity named ``=HYPERLINK(…)`` or a
  criteria text beginning with ``=`` would run when the file is opened. CSV text gets a
  leading apostrophe (what spreadsheets themselves write for such text); an xlsx cell is
  stored as text, never as a formula.
"""

from __future__ import annotations

import re
from typing import Any

_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def one_line(text: str) -> str:
    """``text`` on one line: line breaks as spaces, tabs as spaces, other control characters
    as U+FFFD (shown, so that nothing is silently lost)."""
    if text.isprintable():
        return text
    return _CONTROL.sub("\ufffd", _BREAKS.sub(" ", text).replace("\t", " "))


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
