"""What a data file really is, by its first bytes: a workbook from old Excel or WPS saved
under another name gets the one fix that helps (save it as .xlsx), not an encoding or zip
error."""

from __future__ import annotations

from pathlib import Path

from engine.errors import DataError

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The compound-file signature of .xls (Excel 97–2003) and WPS .et workbooks."""


def misnamed(path: Path) -> DataError | None:
    """The error for a file whose content is not what its suffix says, if we can tell."""
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
    except OSError:
        return None
    if head.startswith(OLE2):
        return DataError.single(
            str(path),
            "这是旧版 Excel(.xls)或 WPS 表格(.et)文件；请在 Excel 或 WPS 中“另存为” .xlsx 后再试",
            "an old Excel (.xls) or WPS (.et) workbook; save it as .xlsx in Excel or WPS",
        )
    if head.startswith(b"%PDF-"):
        return DataError.single(
            str(path), "这是 PDF 文件，不是数据表", "a PDF file, not a data table"
        )
    return None


__all__ = ["OLE2", "misnamed"]
