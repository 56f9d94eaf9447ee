"""Spreadsheets: templates filled programmatically read back exactly like the YAML."""

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from engine.cli import main
from engine.data import load_data
from engine.errors import DataError
from engine.evaluator import evaluate
from tests.conftest import EXAMPLE


def example_years() -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    by_year = {raw["entity"]["year"]: raw["values"], **raw["history"]}
    return raw["entity"], by_year


def plain(given: Any) -> tuple[Any, dict[str, str]]:
    if isinstance(given, dict):
        return given.get("value"), {k: v for k, v in given.items() if k != "value" and v}
    return given, {}


def fill_xlsx(path: Path) -> None:
    """Fill a generated workbook with the Baoshan example, as a clerk would."""
    entity, by_year = example_years()
    book = openpyxl.load_workbook(path)
    sheet = book["数据"]
    header = next(r for r in sheet.iter_rows() if any(c.value == "输入项" for c in r))
    columns = {c.value: c.column for c in header}
    for row in sheet.iter_rows():
        if row[0].value == "评估对象":
            row[1].value = entity["name"]
    for row in sheet.iter_rows(min_row=header[0].row + 1):
        name = row[columns["输入项"] - 1].value
        for year, values in by_year.items():
            value, provenance = plain(values.get(name))
            if value is True or value is False:
                value = "是" if value else "否"
            sheet.cell(row[0].row, columns[str(year)], value)
            for key, title in (("source", "来源"), ("evidence", "佐证"), ("note", "备注")):
                if key in provenance:
                    sheet.cell(row[0].row, columns[title], provenance[key])
    book.save(path)


def template(tmp_path: Path, fmt: str, lang: str = "zh") -> Path:
    target = tmp_path / f"fill.{fmt}"
    result = CliRunner().invoke(
        main,
        [
            "template",
            "yunnan_2014",
            "--format",
            fmt,
            "--year",
            "2016",
            "--lang",
            lang,
            "-o",
            str(target),
        ],
    )
    assert result.exit_code == 0, result.output
    return target


def outcome(report) -> list[tuple[str, str, Any]]:
    return [(r.id, r.status, r.value) for r in report.results]


def test_xlsx_round_trip_gives_the_yaml_results(tmp_path: Path, yunnan) -> None:
    path = template(tmp_path, "xlsx")
    fill_xlsx(path)
    from_xlsx = evaluate(yunnan, load_data(path, yunnan))
    from_yaml = evaluate(yunnan, load_data(EXAMPLE, yunnan))
    # The example gives energy intensity directly by item id; the template lists inputs
    # only, so that one item is derived (missing) in the workbook.
    expected = [o for o in outcome(from_yaml) if o[0] != "energy_intensity"]
    assert [o for o in outcome(from_xlsx) if o[0] != "energy_intensity"] == expected
    assert from_xlsx.entity["year"] == 2016
    tertiary = next(r for r in from_xlsx.results if r.id == "tertiary_share")
    assert [v.source for v in tertiary.input_values] == ["保山统计年鉴2017(示意)"] * 2


def test_csv_round_trip_gives_the_yaml_results(tmp_path: Path, yunnan) -> None:
    path = template(tmp_path, "csv")
    entity, by_year = example_years()
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = next(i for i, r in enumerate(rows) if "输入项" in r)
    columns = {title: j for j, title in enumerate(rows[header])}
    for row in rows[:header]:
        if row and row[0] == "评估对象":
            row[1] = entity["name"]
    for row in rows[header + 1 :]:
        for year, values in by_year.items():
            value, _ = plain(values.get(row[columns["输入项"]]))
            row[columns[str(year)]] = "" if value is None else str(value)
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    from_csv = evaluate(yunnan, load_data(path, yunnan))
    from_yaml = evaluate(yunnan, load_data(EXAMPLE, yunnan))
    assert [o for o in outcome(from_csv) if o[0] != "energy_intensity"] == [
        o for o in outcome(from_yaml) if o[0] != "energy_intensity"
    ]


def test_english_template_reads_back(tmp_path: Path, yunnan) -> None:
    path = template(tmp_path, "xlsx", "en")
    book = openpyxl.load_workbook(path)
    sheet = book["Data"]
    sheet["B2"] = "Baoshan"
    header = next(r for r in sheet.iter_rows() if any(c.value == "Input" for c in r))
    year_column = next(c.column for c in header if c.value == "2016")
    row = next(r for r in sheet.iter_rows() if r[2].value == "farmer_net_income")
    sheet.cell(row[0].row, year_column, 6420)
    book.save(path)
    data = load_data(path, yunnan)
    assert (data.entity.name, data.entity.level, data.values["farmer_net_income"].value) == (
        "Baoshan",
        "city",
        6420,
    )


def messy_workbook(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append(["评估对象", "保山市"])
    sheet.append(["行政层级", "州(市)"])
    sheet.append([])
    sheet.append(["输入项", "2016", "来源"])
    sheet.append(["farmer_net_income", "约6000"])
    sheet.append(["gdp", "≥600"])
    sheet.append(["urban_sewage_treatment_rate", 0.835])
    sheet["B7"].number_format = "0.0%"
    sheet.append(["tertiary_value_added", "236.4"])
    sheet.append(["no_hazardous_waste_discharge", "是/否"])
    sheet.append(["farmer_incme", 1])
    sheet.append(["counties_total", "无"])
    book.save(path)


def test_every_bad_cell_is_reported_with_its_place(tmp_path: Path, yunnan) -> None:
    path = tmp_path / "baoshan.xlsx"
    messy_workbook(path)
    with pytest.raises(DataError) as caught:
        load_data(path, yunnan)
    assert caught.value.render("en").splitlines() == [
        "baoshan.xlsx!数据!B5: farmer_net_income: found '约6000'; an approximate figure: "
        "give the exact figure",
        "baoshan.xlsx!数据!B6: gdp: found '≥600'; a bound is not a measurement: give the exact "
        "figure",
        "baoshan.xlsx!数据!B9: no_hazardous_waste_discharge: found '是/否'; the choice was left "
        "unfilled: write yes or no",
        "baoshan.xlsx!数据!A10: 'farmer_incme' is not an input of yunnan_2014 (did you mean "
        "'farmer_income'?)",
        "baoshan.xlsx!数据!B11: counties_total: found '无'; '无' is ambiguous: write 0 if none, "
        "leave empty if unknown",
    ]


def test_bad_cells_exit_2_from_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "baoshan.xlsx"
    messy_workbook(path)
    result = CliRunner().invoke(main, ["check", str(path), "--criteria", "yunnan_2014"])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 5
    assert result.stderr.startswith(
        "错误: baoshan.xlsx!数据!B5: farmer_net_income: 填写的是 '约6000'，这是约数"
    )


def test_percent_formatted_cell_is_read_and_flagged(tmp_path: Path, yunnan) -> None:
    path = tmp_path / "pct.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (
        ["评估对象", "保山市"],
        ["行政层级", "州(市)"],
        ["输入项", "2016"],
        ["urban_sewage_treatment_rate", 0.835],
    ):
        sheet.append(row)
    sheet["B4"].number_format = "0.0%"
    book.save(path)
    report = evaluate(yunnan, load_data(path, yunnan))
    sewage = next(r for r in report.results if r.id == "urban_sewage_treatment")
    assert (sewage.status, sewage.value) == ("fail", 83.5)
    assert [(f.code, f.found) for f in sewage.findings] == [("percent_cell", "0.835")]


def test_formula_without_a_computed_value_is_an_error(tmp_path: Path, yunnan) -> None:
    path = tmp_path / "formula.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["评估对象", "保山市"], ["输入项", "2016"], ["gdp", "=600+4.97"]):
        sheet.append(row)
    book.save(path)
    with pytest.raises(
        DataError,
        match=r"formula\.xlsx!Sheet!B3: gdp: the formula has no "
        "computed value",
    ):
        load_data(path, yunnan)


def test_year_option_picks_the_assessed_year(tmp_path: Path, yunnan) -> None:
    path = tmp_path / "years.csv"
    path.write_text(
        "评估对象,保山市\n行政层级,州(市)\n输入项,2015,2016\nfarmer_net_income,5800,6420\n",
        encoding="utf-8",
    )
    latest = load_data(path, yunnan)
    assert (latest.entity.year, latest.values["farmer_net_income"].value) == (2016, 6420)
    earlier = load_data(path, yunnan, year=2015)
    assert (earlier.entity.year, earlier.values["farmer_net_income"].value) == (2015, 5800)
    assert earlier.history[2016]["farmer_net_income"].value == 6420
    with pytest.raises(
        DataError,
        match=r"years\.csv: no values for 2017; years present: "
        "2015, 2016",
    ):
        load_data(path, yunnan, year=2017)


def test_gbk_csv_from_chinese_excel_is_read(tmp_path: Path, yunnan) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes(
        '评估对象,保山市\n行政层级,市\n输入项,2016\nfarmer_net_income,"6,420"\n'.encode("gbk")
    )
    assert load_data(path, yunnan).values["farmer_net_income"].value == 6420


def test_yaml_year_option_swaps_history(yunnan) -> None:
    data = load_data(EXAMPLE, yunnan, year=2015)
    assert data.entity.year == 2015
    assert data.values["forest_cover_rate"].value == 64.6
    assert 2016 in data.history


def test_check_reads_xlsx_and_writes_json(tmp_path: Path) -> None:
    path = template(tmp_path, "xlsx")
    fill_xlsx(path)
    result = CliRunner().invoke(
        main, ["check", str(path), "--criteria", "yunnan_2014", "--format", "json"]
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout)["entity"]["name"] == "保山市"
