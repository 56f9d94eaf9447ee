"""Excel workbooks read once by python-calamine, with percent formats and uncomputed formulas
taken from the workbook's XML, and bounds checked before anything is decompressed."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from engine.data import xlsx
from engine.data.xlsx import xlsx_sheets
from engine.errors import DataError
from tests.conftest import REPO


def _openpyxl_rows(path: Path) -> dict[str, list[list[object]]]:
    workbook = openpyxl.load_workbook(path, data_only=True)
    return {
        sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()]
        for sheet in workbook.worksheets
    }


def _trimmed(rows: list[list[object]]) -> list[list[object]]:
    """Rows without trailing empty cells or rows (the two readers pad differently)."""
    out = []
    for row in rows:
        cells = list(row)
        while cells and cells[-1] is None:
            cells.pop()
        out.append(cells)
    while out and not out[-1]:
        out.pop()
    return out


@pytest.mark.parametrize("name", ["baoshan_2016.xlsx"])
def test_values_are_those_openpyxl_reads(name: str) -> None:
    path = REPO / "examples" / name
    expected = _openpyxl_rows(path)
    for sheet in xlsx_sheets(path):
        title = sheet.where.split("!", 1)[1]
        got = [row for _, row in sheet.rows()]
        assert _trimmed(got) == _trimmed(expected[title]), title


def test_percent_formats_builtin_custom_and_literal(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row, fmt in enumerate(["0%", "0.00%", "0.0%;[Red]-0.0%", '0"%"', "0.00", "General"], 1):
        cell = sheet.cell(row=row, column=2, value=0.85)
        cell.number_format = fmt
    path = tmp_path / "formats.xlsx"
    workbook.save(path)
    (read,) = xlsx_sheets(path)
    # B1–B3 show a percentage; 0"%" writes a literal % sign and does not scale.
    assert read.percent == {(1, 1), (2, 1), (3, 1)}
    assert [row[1] for _, row in read.rows()] == [0.85] * 6


def test_formulas_without_a_value_are_marked(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = 5
    sheet["A2"] = "=A1*2"  # openpyxl writes no cached value
    path = tmp_path / "formula.xlsx"
    workbook.save(path)
    (read,) = xlsx_sheets(path)
    assert read.uncomputed == {(2, 0)}
    assert [row for _, row in read.rows()] == [[5], [None]]


def test_whole_numbers_are_ints_and_empty_cells_none(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([2016, 5305, 1.5, None, "x"])
    path = tmp_path / "numbers.xlsx"
    workbook.save(path)
    (read,) = xlsx_sheets(path)
    values = next(row for _, row in read.rows())
    assert values == [2016, 5305, 1.5, None, "x"]
    assert [type(v) for v in values[:3]] == [int, int, float]


def test_a_zip_bomb_is_refused_before_it_is_decompressed(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(DataError) as caught:
        xlsx_sheets(path)
    assert "too large" in caught.value.render("en")
    assert "inflates" in caught.value.render("en")


def test_the_uncompressed_size_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "MAX_UNCOMPRESSED", 1000)
    with pytest.raises(DataError) as caught:
        xlsx_sheets(REPO / "examples" / "baoshan_2016.xlsx")
    assert "uncompressed, limit 0 MB" in caught.value.render("en")


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04broken"])
def test_a_file_that_is_not_a_workbook_is_one_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(content)
    with pytest.raises(DataError) as caught:
        xlsx_sheets(path)
    assert caught.value.render("en").startswith(f"{path}: not a readable .xlsx file")


# --- issue 15: what a clerk cannot see is never read silently; rows bounded ---------------


def _long_book(path: Path, rows: list[list[object]]) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "数据"
    for row in [["评估对象", "输入项", 2016], ["保山市", "entity.level", "city"], *rows]:
        sheet.append(row)
    return book


def _check(path: Path) -> tuple[int, str]:
    from click.testing import CliRunner

    from engine.cli import main

    result = CliRunner().invoke(main, ["check", str(path), "--criteria", "yunnan_2014"])
    return result.exit_code, result.stderr


def test_a_hidden_sheet_holding_a_table_is_refused(tmp_path: Path) -> None:
    book = _long_book(tmp_path / "a.xlsx", [["保山市", "forest_cover_rate", 65]])
    hidden = book.create_sheet("旧数据")
    hidden.append(["评估对象", "输入项", 2016])
    hidden.append(["保山市", "forest_cover_rate", 99])
    hidden.sheet_state = "hidden"
    lists = book.create_sheet("选项")  # a hidden list of choices is no table: fine
    lists.append(["是"])
    lists.append(["否"])
    lists.sheet_state = "hidden"
    path = tmp_path / "a.xlsx"
    book.save(path)
    with pytest.raises(DataError, match="hidden sheet holding a table") as caught:
        xlsx_sheets(path)
    assert "a.xlsx!旧数据" in caught.value.render("en")
    del book["旧数据"]
    book.save(path)
    assert [s.where for s in xlsx_sheets(path)] == ["a.xlsx!数据", "a.xlsx!选项"]


def test_merged_cells_over_the_columns_read_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "merged.xlsx"
    book = _long_book(path, [["保山市", "forest_cover_rate", 65], ["保山市", "gdp", 5]])
    sheet = book.active
    assert sheet is not None
    sheet.merge_cells("C3:C4")  # one value for two inputs: the second would read as empty
    book.save(path)
    code, stderr = _check(path)
    assert code == 2
    assert "merged.xlsx!数据!C3:C4: 合并单元格位于数据区" in stderr
    # Merged cells above the table (a title) are not read, and so are fine.
    book = _long_book(path, [["保山市", "forest_cover_rate", 65]])
    sheet = book.active
    assert sheet is not None
    sheet.insert_rows(1)
    sheet["A1"] = "保山市 2016 年自查表"
    sheet.merge_cells("A1:C1")
    book.save(path)
    assert "合并单元格" not in _check(path)[1]


def test_a_value_from_another_workbook_is_refused(tmp_path: Path) -> None:
    """An external link's value is the one cached when the file was last saved."""
    path = tmp_path / "linked.xlsx"
    _long_book(path, [["保山市", "forest_cover_rate", 1]]).save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(
        b'<c r="C3" t="n"><v>1</v></c>', b'<c r="C3"><f>[1]Sheet1!A1</f><v>85</v></c>'
    )
    assert b"[1]Sheet1!A1" in parts[sheet]
    parts["xl/externalLinks/externalLink1.xml"] = b"<externalLink/>"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    (read,) = xlsx_sheets(path)
    assert read.external == {(3, 2)}
    code, stderr = _check(path)
    assert code == 2
    assert (
        "linked.xlsx!数据!C3: 森林覆盖率 (forest_cover_rate): 数值来自另一个工作簿(外部链接)"
        in stderr
    )


def _sheet_of_rows(path: Path, rows: int, dimension: bool) -> None:
    """A workbook of ``rows`` rows, written directly (openpyxl would take minutes)."""
    book = openpyxl.Workbook()
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    head = f'<dimension ref="A1:B{rows}"/>' if dimension else ""
    body = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, rows + 1))
    parts["xl/worksheets/sheet1.xml"] = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{head}<sheetData>{body}</sheetData></worksheet>"
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.parametrize("dimension", [True, False])
def test_too_many_rows_are_refused_naming_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dimension: bool
) -> None:
    """Issue 15, defect 3: a workbook of a million rows took 182 s and 5.8 GB. Refused by the
    size the sheet declares before it is parsed, else by the size found, before its cells
    become Python values (the limit lowered here to keep the test small)."""
    monkeypatch.setattr(xlsx, "MAX_ROWS", 1000)
    path = tmp_path / "rows.xlsx"
    _sheet_of_rows(path, 1001, dimension)
    converted = []
    monkeypatch.setattr(xlsx, "_plain", lambda v: converted.append(v) or v)
    with pytest.raises(
        DataError,
        match=r"Sheet: 1001 rows, limit 1000\); split it into smaller files, or save it as CSV",
    ):
        xlsx_sheets(path)
    assert converted == []
    _sheet_of_rows(path, 1000, dimension)
    assert len(list(xlsx_sheets(path)[0].rows())) == 1000
