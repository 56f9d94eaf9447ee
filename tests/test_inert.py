"""Issue 15, defect 5: no text the tool writes into a CSV or an xlsx cell is a formula."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from engine.cli import main
from engine.criteria.loader import load_path
from engine.reports.inert import inert
from engine.reports.sheet_template import csv_template, xlsx_template
from tests.conftest import MINI_SET, write_set


@pytest.mark.parametrize("text", ["=HYPERLINK(1)", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx"])
def test_formula_starts_are_made_text(text: str) -> None:
    assert inert(text) == "'" + text
    assert inert("保山市") == "保山市"


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1"])
def test_entity_names_in_summary_csv_are_inert(tmp_path: Path, name: str) -> None:
    data = tmp_path / "e.yaml"
    data.write_text(
        f"entity: {{name: {json.dumps(name)}, level: city, year: 2016}}\nvalues: {{}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["batch", str(data), "--criteria", "yunnan_2014", "-o", str(out), "--no-reports"]
    )
    assert result.exit_code == 1, result.output
    row = (out / "summary.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    assert row.startswith(("'", "\"'"))


def test_criteria_texts_in_templates_are_text(tmp_path: Path) -> None:
    text = MINI_SET.replace("name: {zh: 占比}", "name: {zh: '=1+1'}", 1)
    assert text != MINI_SET
    criteria = load_path(write_set(tmp_path, text))
    path = tmp_path / "t.xlsx"
    xlsx_template(criteria, "zh", [2016], path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == "=1+1"]
    assert cells
    assert all(c.data_type == "s" for c in cells)
    assert "'=1+1" in csv_template(criteria, "zh", [2016]).decode("utf-8-sig")
