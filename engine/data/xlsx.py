"""Excel workbooks (.xlsx) read once, fast: cell values by python-calamine (Rust), and the two
facts about cells the reading rules need that calamine does not give — which cells Excel
formats as a percentage (``0.85`` shown as 85 %) and which hold a formula Excel never
computed — from the workbook's own XML, looked at only when the workbook has such cells.

Bounds are checked on the zip's directory before anything is decompressed: a workbook that
would inflate beyond :data:`MAX_UNCOMPRESSED` bytes, or by more than :data:`MAX_RATIO` times
its stored size, is refused; so is a sheet of more than :data:`MAX_ROWS` rows or
:data:`MAX_CELLS` cells — by the size the sheet declares (``<dimension>``) before it is
parsed, and by the size found, before its cells become Python values.

What a clerk cannot see is never read silently: a hidden sheet holding a table, a cell
whose value comes from another workbook (an external link, perhaps stale), and a merged
cell over the columns read (Excel keeps its value in the first cell only) are refused with
their place and what to do.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

from engine.data.signature import misnamed
from engine.data.tables import Row, Sheet, has_table
from engine.errors import DataError
from engine.inputs import note_read

MAX_UNCOMPRESSED = 256 * 1024 * 1024
"""Largest total size of a workbook's parts once decompressed."""
MAX_RATIO = 100
"""Largest ratio of a part's decompressed size to its stored size (a zip bomb's mark)."""
MAX_CELLS = 5_000_000
"""Largest number of cells (rows × columns of the used area) read from one sheet."""
MAX_ROWS = 500_000
"""Most rows read from one sheet (a national export, 3,000 entities in long form, has
~240,000); a larger table goes in several files, or in a CSV file."""
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\s+ref="[A-Z]{1,3}[0-9]{1,7}:([A-Z]{1,3})([0-9]{1,7})"'
)
_EXTERNAL = re.compile(rb"\[[0-9]+\]")

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
#: Excel's built-in number formats that show a percentage.
_PERCENT_FORMATS = frozenset({9, 10})
_QUOTED = re.compile(r'"[^"]*"|\\.')
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)<")


def xlsx_sheets(path: Path) -> list[Sheet]:
    """Every worksheet of the workbook at ``path``, in the workbook's order."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        with zipfile.ZipFile(path) as archive:
            note_read(path)
            _check_bounds(archive, path)
            marks = _Marks(archive)
            workbook = CalamineWorkbook.from_path(str(path))
            sheets = []
            for meta in workbook.sheets_metadata:
                if meta.typ != SheetTypeEnum.WorkSheet:
                    continue  # a chart sheet has no cells
                name = meta.name
                declared = marks.dimension(name)
                if declared is not None:
                    _check_size(path, name, *declared)
                sheet = workbook.get_sheet_by_name(name)
                _check_size(path, name, sheet.height, sheet.width)
                rows = [list(map(_plain, row)) for row in sheet.to_python(skip_empty_area=False)]
                if meta.visible != SheetVisibleEnum.Visible and has_table(rows):
                    raise _hidden(path, name)
                percent, uncomputed, external = marks.of(name)
                _cover(rows, uncomputed | external)
                sheets.append(
                    Sheet(
                        f"{path.name}!{name}",
                        partial(_numbered, rows),
                        percent,
                        uncomputed,
                        external=external,
                        merged=tuple(
                            (top + 1, left, bottom + 1, right)
                            for (top, left), (bottom, right) in sheet.merged_cell_ranges or ()
                        ),
                    )
                )
            return sheets
    except FileNotFoundError as exc:
        raise DataError.single(str(path), "文件不存在", "file not found") from exc
    except zipfile.BadZipFile as exc:
        raise misnamed(path) or DataError.single(
            str(path),
            "不是可读取的 Excel(.xlsx) 文件：文件已损坏，或并非 .xlsx 格式；"
            "请在 Excel 中打开后另存为 .xlsx",
            "not a readable .xlsx file: damaged, or not in the .xlsx format; open it in Excel "
            "and save it as .xlsx",
        ) from exc
    except (CalamineError, ElementTree.ParseError, KeyError, OSError) as exc:
        raise misnamed(path) or DataError.single(
            str(path), f"不是可读取的 Excel(.xlsx) 文件: {exc}", f"not a readable .xlsx file: {exc}"
        ) from exc


def _cover(rows: list[list[Any]], places: frozenset[tuple[int, int]]) -> None:
    """Empty cells up to each of ``places``: calamine leaves out a formula without a value
    at the end of a row or sheet, and the reader must still see (and report) it."""
    for number, column in places:
        while len(rows) < number:
            rows.append([])
        row = rows[number - 1]
        row.extend([None] * (column + 1 - len(row)))


def _numbered(rows: list[list[Any]]) -> Iterator[Row]:
    return enumerate(rows, start=1)


def _plain(value: Any) -> Any:
    """A cell's value as the reading rules take it: an empty cell is ``None``, and a whole
    number is an ``int`` (Excel stores every number as a float; ``2016`` is a year, ``5305``
    a code — never ``2016.0``)."""
    if value == "":
        return None
    if value.__class__ is float and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _check_bounds(archive: zipfile.ZipFile, path: Path) -> None:
    total = 0
    for info in archive.infolist():
        total += info.file_size
        stored = max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and info.file_size / stored > MAX_RATIO:
            ratio = info.file_size // stored
            raise _too_large(
                path,
                f"{info.filename} 解压后膨胀 {ratio} 倍，上限 {MAX_RATIO} 倍",
                f"{info.filename} inflates {ratio}×, limit {MAX_RATIO}×",
            )
    if total > MAX_UNCOMPRESSED:
        limit, size = MAX_UNCOMPRESSED // (1024 * 1024), total // (1024 * 1024)
        raise _too_large(
            path,
            f"解压后 {size} MB，上限 {limit} MB",
            f"{size} MB uncompressed, limit {limit} MB",
        )


def _check_size(path: Path, name: str, height: int, width: int) -> None:
    if height > MAX_ROWS:
        raise _too_large(
            path,
            f"{name}: {height} 行，上限 {MAX_ROWS} 行",
            f"{name}: {height} rows, limit {MAX_ROWS}",
        )
    if height * width > MAX_CELLS:
        raise _too_large(
            path,
            f"{name}: {height} × {width} 个单元格，上限 {MAX_CELLS} 个",
            f"{name}: {height} × {width} cells, limit {MAX_CELLS}",
        )


def _hidden(path: Path, name: str) -> DataError:
    return DataError.single(
        f"{path}!{name}",
        "这是隐藏的工作表，其中含有数据表；隐藏的数据不会被悄悄读取。请在 Excel 中取消隐藏"
        "(确认要读取)或删除该工作表",
        "a hidden sheet holding a table: hidden data is never read silently; unhide it in "
        "Excel (to have it read) or delete it",
    )


def _too_large(path: Path, zh: str, en: str) -> DataError:
    return DataError.single(
        str(path),
        f"工作簿超出可读取的大小({zh})；请拆分为较小的文件，或另存为 CSV",
        f"the workbook is too large to read ({en}); split it into smaller files, or save it as CSV",
    )


class _Marks:
    """Which cells of each sheet are percent-formatted or uncomputed formulas, by
    (row number, column index) — read from the sheet's XML only when there can be any."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.percent_styles = self._percent_styles()
        self.parts = self._sheet_parts()
        self.has_links = any(name.startswith("xl/externalLinks/") for name in archive.namelist())

    def dimension(self, sheet: str) -> tuple[int, int] | None:
        """(rows, columns) the sheet declares in its ``<dimension>``, read from the start of
        its part without decompressing the rest; ``None`` when it declares none."""
        part = self.parts.get(sheet)
        if part is None:
            return None
        with self.archive.open(part) as stream:
            head = stream.read(4096)
        found = _DIMENSION.search(head)
        if found is None:
            return None
        return int(found.group(2)), _column_number(found.group(1))

    def of(
        self, sheet: str
    ) -> tuple[frozenset[tuple[int, int]], frozenset[tuple[int, int]], frozenset[tuple[int, int]]]:
        """The percent-formatted cells, the uncomputed formulas and the formulas reading
        another workbook (external links) of ``sheet``."""
        part = self.parts.get(sheet)
        if part is None:
            return frozenset(), frozenset(), frozenset()
        xml = self.archive.read(part)
        percent: set[tuple[int, int]] = set()
        uncomputed: set[tuple[int, int]] = set()
        external: set[tuple[int, int]] = set()
        if self.percent_styles:
            styles = b"|".join(str(n).encode() for n in sorted(self.percent_styles))
            pattern = re.compile(rb'<(?:\w+:)?c\b([^>]*\bs="(?:' + styles + rb')"[^>]*)')
            for match in pattern.finditer(xml):
                place = _place(match.group(1))
                if place is not None:
                    percent.add(place)
        # A quick look first: most data sheets have no formula at all (the regular
        # expression costs four times as much as this find over a 19 MB sheet).
        has_formulas = b"<f" in xml or b":f" in xml
        for match in _FORMULA.finditer(xml) if has_formulas else ():
            start = max(xml.rfind(b"<c ", 0, match.start()), xml.rfind(b":c ", 0, match.start()))
            end = xml.find(b">", start)
            close = xml.find(b"c>", match.end())
            if start < 0 or end < 0:
                continue
            stop = close if close > 0 else len(xml)
            value = _VALUE.search(xml, match.end(), stop)
            place = _place(xml[start:end])
            if place is None:
                continue
            if self.has_links and _EXTERNAL.search(xml, match.end(), stop):
                external.add(place)
            elif value is None or not value.group(1).strip():
                uncomputed.add(place)
        return frozenset(percent), frozenset(uncomputed), frozenset(external)

    def _percent_styles(self) -> frozenset[int]:
        """The indexes of the cell styles (``cellXfs``) whose number format shows a %."""
        try:
            root = ElementTree.fromstring(self.archive.read("xl/styles.xml"))
        except KeyError:
            return frozenset()
        formats = set(_PERCENT_FORMATS)
        for fmt in root.iter(f"{_MAIN}numFmt"):
            code = _QUOTED.sub("", fmt.get("formatCode", ""))
            if "%" in code:
                formats.add(int(fmt.get("numFmtId", "-1")))
        cell_xfs = root.find(f"{_MAIN}cellXfs")
        if cell_xfs is None:
            return frozenset()
        return frozenset(
            index
            for index, xf in enumerate(cell_xfs.iter(f"{_MAIN}xf"))
            if int(xf.get("numFmtId", "0")) in formats
        )

    def _sheet_parts(self) -> dict[str, str]:
        """Each sheet's name → its part in the archive (``xl/worksheets/sheet1.xml``)."""
        workbook = ElementTree.fromstring(self.archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(self.archive.read("xl/_rels/workbook.xml.rels"))
        targets = {
            rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_RELS}Relationship")
        }
        parts = {}
        for sheet in workbook.iter(f"{_MAIN}sheet"):
            target = targets.get(sheet.get(f"{_DOC_RELS}id"), "")
            if target:
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                parts[sheet.get("name", "")] = str(PurePosixPath(path))
        return parts


def _place(attributes: bytes) -> tuple[int, int] | None:
    """(row number, column index) of a cell from its ``r="F12"`` attribute."""
    ref = _CELL_REF.search(attributes)
    if ref is None:
        return None
    return int(ref.group(2)), _column_number(ref.group(1)) - 1


def _column_number(letters: bytes) -> int:
    """``b"A"`` → 1, ``b"AB"`` → 28."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
