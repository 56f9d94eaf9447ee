"""The fill-in workbook explains itself and guards its cells."""

import csv
import io
from pathlib import Path

import openpyxl
import yaml

from engine.reports.sheet_template import csv_template, profile_keys, xlsx_template


def test_workbook_layout(tmp_path: Path, yunnan) -> None:
    path = tmp_path / "t.xlsx"
    xlsx_template(yunnan, "zh", [2015, 2016], path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["数据", "说明"]
    sheet = book["数据"]
    header = next(row for row in sheet.iter_rows() if row[2].value == "输入项")
    assert [c.value for c in header] == [
        "编号",
        "条目",
        "输入项",
        "名称",
        "单位",
        "类型",
        "责任单位",
        "2015",
        "2016",
        "来源",
        "佐证",
        "备注",
    ]
    assert header[0].font.bold
    assert sheet.freeze_panes == f"H{header[0].row + 1}"
    assert sheet.column_dimensions["B"].width == 34
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    numbers = [v for v in sheet.data_validations.dataValidation if v.type == "decimal"]
    assert any(v.formula1 == '"是,否"' for v in lists)
    assert numbers
    assert numbers[0].errorStyle == "warning"
    assert book["说明"]["A1"].value == "填报说明"


def test_rows_cover_every_input_read_including_last_year(yunnan) -> None:
    text = csv_template(yunnan, "en", [2015, 2016]).decode("utf-8-sig")
    assert text.splitlines()[4] == (
        "No.,Item,Input,Name,Unit,Type,Responsible,2015,2016,Source,Evidence,Note"
    )
    inputs = {row[2] for row in csv.reader(io.StringIO(text)) if len(row) > 2}
    inputs -= {"Input"}
    read = {n for c in yunnan.items for n in (*c.inputs, *c.previous_inputs)}
    assert inputs == read


def test_profile_rows_follow_what_the_set_uses(yunnan) -> None:
    from engine.criteria.loader import load_criteria, search_path

    assert profile_keys(yunnan) == ["level"]
    national = load_criteria("national_demo_area", search_path())
    assert profile_keys(national) == ["level", "region", "terrain", "coastal", "city_size"]


def test_yaml_template_round_trip(tmp_path: Path, yunnan) -> None:
    from click.testing import CliRunner

    from engine.cli import main
    from engine.data.sources import load_data
    from engine.evaluation.evaluator import evaluate
    from tests.conftest import EXAMPLE

    target = tmp_path / "t.yaml"
    assert CliRunner().invoke(main, ["template", "yunnan_2014", "-o", str(target)]).exit_code == 0
    example = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    filled = yaml.safe_load(target.read_text(encoding="utf-8"))
    filled["entity"].update(name="保山市", year=2016)
    filled["values"] = {k: example["values"].get(k) for k in filled["values"]}
    filled["values"]["energy_intensity"] = example["values"]["energy_intensity"]
    filled["history"] = example["history"]
    target.write_text(yaml.safe_dump(filled, allow_unicode=True), encoding="utf-8")
    ours = [(r.id, r.status, r.value) for r in evaluate(yunnan, load_data(target, yunnan)).results]
    theirs = [
        (r.id, r.status, r.value) for r in evaluate(yunnan, load_data(EXAMPLE, yunnan)).results
    ]
    assert ours == theirs
