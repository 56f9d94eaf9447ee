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
    assert "uncompressed (limit 0 MB)" in caught.value.render("en")


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04broken"])
def test_a_file_that_is_not_a_workbook_is_one_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(content)
    with pytest.raises(DataError) as caught:
        xlsx_sheets(path)
    assert caught.value.render("en").startswith(f"{path}: not a readable .xlsx file")
