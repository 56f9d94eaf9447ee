"""Batches: many entities, roll-up from sub-units, summary matrix, safe outputs."""

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from engine.cli import main
from engine.evaluation.batch import run_batch
from tests.conftest import EXAMPLE, REPO
from tests.messy import messy_csv

BATCH = REPO / "examples" / "baoshan_batch"


@pytest.fixture
def batch_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(BATCH, folder)
    return folder


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_rollup_counts_the_counties_and_names_them(yunnan) -> None:
    result = run_batch([BATCH / "baoshan_2016.yaml", BATCH / "counties.csv"], yunnan)
    assert [entry.name for entry in result.assessed] == ["保山市"]
    assert len(result.subunits) == 5
    b4 = next(r for r in result.assessed[0].report.results if r.number == "B4")
    assert (b4.status, b4.value) == ("pass", 80.0)
    named = next(v for v in b4.input_values if v.name == "counties_named")
    assert named.value == 4
    assert named.note == "由本批次 5 个下级单位汇总，计入: 隆阳区、腾冲市、龙陵县、昌宁县"


def test_an_unreadable_county_makes_the_rollup_missing(batch_copy: Path, yunnan) -> None:
    """A county whose record cannot be used must not silently drop out of the count."""
    counties = batch_copy / "counties.csv"
    text = counties.read_text(encoding="utf-8").replace(
        "施甸县,eco_county_named,否", "施甸县,eco_county_named,"
    )
    counties.write_text(text, encoding="utf-8")
    result = run_batch([batch_copy / "baoshan_2016.yaml", counties], yunnan)
    b4 = next(r for r in result.assessed[0].report.results if r.number == "B4")
    assert b4.status == "missing"  # not 4/4 = 100 %
    named = next(v for v in b4.input_values if v.name == "counties_named")
    assert named.note == "下级单位的记录无法使用，不能汇总: 施甸县"
    assert [bad.error.entity.get("name") for bad in result.rejected] == ["施甸县"]


def test_a_county_that_does_not_say_makes_the_rollup_missing(tmp_path: Path, yunnan) -> None:
    silent = tmp_path / "shidian.yaml"
    silent.write_text(
        "entity: {name: 施甸县, level: county, year: 2016, parent: 保山市}\n"
        "values: {eco_county_named: }\n",
        encoding="utf-8",
    )
    named = tmp_path / "longyang.yaml"
    named.write_text(
        "entity: {name: 隆阳区, level: county, year: 2016, parent: 保山市}\n"
        "values: {eco_county_named: true}\n",
        encoding="utf-8",
    )
    result = run_batch([BATCH / "baoshan_2016.yaml", silent, named], yunnan)
    b4 = next(r for r in result.assessed[0].report.results if r.number == "B4")
    assert b4.status == "missing"
    note = next(v.note for v in b4.input_values if v.name == "counties_named")
    assert note == (
        "由本批次 2 个下级单位汇总，计入: 隆阳区；以下单位未填写 eco_county_named: 施甸县"
    )


def test_batch_writes_reports_and_summaries(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("batch", str(BATCH), "--criteria", "yunnan_2014", "-o", str(out))
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "ready.txt",
        "summary.csv",
        "summary.json",
        "summary.md",
        "保山市.md",
    ]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [e["name"] for e in summary["entities"]] == ["保山市"]
    assert summary["entities"][0]["items"]["counties_named_share"] == {
        "number": "B4",
        "status": "pass",
        "value": 80.0,
    }
    assert summary["ready"] == []
    assert {u["parent"] for u in summary["subunits"]} == {"保山市"}
    matrix = (out / "summary.csv").read_text(encoding="utf-8-sig").splitlines()
    assert matrix[0].startswith("评估对象,年度,结论,阻碍项,预警,B1,B1 值,")
    assert matrix[1].startswith("保山市,2016,尚未具备申报技术评估条件,4,2,达标,是,")
    assert result.stderr.endswith("已评估 1 个，具备条件 0 个；下级单位 5 个；无法评估 0 个\n")


def test_existing_outputs_are_kept_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.md").write_text("mine", encoding="utf-8")
    result = run("batch", str(BATCH), "--criteria", "yunnan_2014", "-o", str(out))
    assert result.exit_code == 2
    assert "文件已存在" in result.stderr
    assert (out / "summary.md").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in out.iterdir()) == ["summary.md"]  # nothing half written
    result = run("batch", str(BATCH), "--criteria", "yunnan_2014", "-o", str(out), "--force")
    assert result.exit_code == 1
    assert (out / "summary.md").read_text(encoding="utf-8").startswith("# 批量评估汇总")


def test_a_bad_entity_does_not_stop_the_good_ones(batch_copy: Path, tmp_path: Path) -> None:
    (batch_copy / "broken.yaml").write_text(
        "entity: {name: 坏市, level: city, year: 2016}\nvalues: {gdpp: 1}\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = run("batch", str(batch_copy), "--criteria", "yunnan_2014", "-o", str(out))
    assert result.exit_code == 2
    assert (out / "保山市.md").exists()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["rejected"][0]["source"].endswith("broken.yaml")
    assert "gdpp" in summary["rejected"][0]["problems"][0]
    assert "values.gdpp" in result.stderr


def test_one_sheet_per_entity(tmp_path: Path) -> None:
    path = tmp_path / "two.xlsx"
    book = openpyxl.Workbook()
    for index, (name, income) in enumerate((("甲市", 7000), ("乙市", 5000))):
        sheet = book.active if index == 0 else book.create_sheet()
        assert sheet is not None
        sheet.title = name
        for row in (
            ["评估对象", name],
            ["行政层级", "州(市)"],
            ["输入项", "2016"],
            ["farmer_net_income", income],
        ):
            sheet.append(row)
    book.save(path)
    result = run("batch", str(path), "--criteria", "yunnan_2014", "--lang", "en")
    assert result.exit_code == 1
    assert "| 甲市 | 2016 |" in result.stdout
    assert "| 乙市 | 2016 |" in result.stdout
    assert result.stderr.endswith("assessed 2, ready 0, sub-units 0, could not be assessed 0\n")


def test_duplicate_entity_and_orphan_subunit_are_rejected(tmp_path: Path, yunnan) -> None:
    data = tmp_path / "a.yaml"
    data.write_text("entity: {name: 甲市, level: city, year: 2016}\nvalues: {}\n", encoding="utf-8")
    twin = tmp_path / "b.yaml"
    twin.write_text(data.read_text(encoding="utf-8"), encoding="utf-8")
    orphan = tmp_path / "c.yaml"
    orphan.write_text(
        "entity: {name: 某县, level: county, year: 2016, parent: 丙市}\nvalues: {}\n",
        encoding="utf-8",
    )
    result = run_batch([data, twin, orphan], yunnan)
    assert [e.name for e in result.assessed] == ["甲市"]
    reasons = [bad.error.render("en") for bad in result.rejected]
    assert reasons[0].endswith("the same entity's 2016 data appears twice in the batch")
    assert reasons[1].endswith(
        "parent '丙市' is not in the batch and the criteria set does not apply to county"
    )


def test_county_without_parent_is_a_level_error_in_check(tmp_path: Path) -> None:
    path = tmp_path / "county.yaml"
    path.write_text(
        "entity: {name: 某县, level: county, year: 2016}\nvalues: {}\n", encoding="utf-8"
    )
    result = run("check", str(path), "--criteria", "yunnan_2014", "--lang", "en")
    assert result.exit_code == 2
    assert "applies to city only, not to county" in result.stderr


@pytest.mark.parametrize("set_id", ["national_demo_area", "yunnan_2014", "lufeng_2024"])
@pytest.mark.parametrize("seed", range(4))
def test_deciding_only_gives_the_summaries_of_full_reports(
    tmp_path: Path, set_id: str, seed: int
) -> None:
    """A summary-only batch decides each item without explaining it: its summaries are
    those of a batch that writes every report, on messy exports too."""
    data = tmp_path / "province.csv"
    messy_csv(data, set_id, seed=seed, entities=25, quotes=seed % 2 == 1)
    outputs = []
    for extra in (["--no-reports"], ["--no-reports", "--jobs", "2"], []):
        out = tmp_path / f"out{len(outputs)}"
        result = run("batch", str(data), "--criteria", set_id, "-o", str(out), *extra)
        assert result.exit_code in (1, 2), result.output
        outputs.append([(out / name).read_bytes() for name in ("summary.csv", "summary.json")])
    assert outputs[0] == outputs[1] == outputs[2]


def test_report_names_never_collide_with_each_other_or_the_summaries(tmp_path: Path) -> None:
    """Issue 15, defect 7: six entities gave two reports, and `summary` was overwritten."""
    names = ["a/b", "a:b", "a*b", "A*B", "summary", "ready", "县" * 120]
    folder = tmp_path / "in"
    folder.mkdir()
    for index, name in enumerate(names):
        (folder / f"e{index}.yaml").write_text(
            f"entity: {{name: {json.dumps(name, ensure_ascii=False)}, level: city, year: 2016}}\n"
            "values: {}\n",
            encoding="utf-8",
        )
    out = tmp_path / "out"
    result = run("batch", str(folder), "--criteria", "yunnan_2014", "-o", str(out))
    assert result.exit_code == 1, result.output
    reports = sorted(p.name for p in out.glob("*.md") if p.name != "summary.md")
    assert len(reports) == len(names)
    assert "summary (2).md" in reports
    assert {"a_b.md", "a_b (2).md", "a_b (3).md", "A_B (4).md"} <= set(reports)
    assert all(len(name.encode()) <= 255 for name in reports)
    assert (out / "summary.md").read_text(encoding="utf-8").startswith("# ")
    assert "的报告文件名为 summary (2).md" in result.stderr


def test_several_years_of_one_entity_are_several_entities(tmp_path: Path) -> None:
    """Many years go through batch (README): each year is assessed, with its year in the
    report's name; only the same entity's same year twice is a duplicate."""
    import yaml

    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    raw["entity"]["year"] = 2017
    raw["history"] = {2016: {"forest_cover_rate": 66.2}}
    earlier = tmp_path / "baoshan_2017.yaml"
    earlier.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = run("batch", str(EXAMPLE), str(earlier), "--criteria", "yunnan_2014", "-o", str(out))
    assert result.exit_code == 1, result.output  # not ready, but nothing refused
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert sorted(e["year"] for e in summary["entities"]) == [2016, 2017]
    assert summary["rejected"] == []
    assert {"保山市 2016.md", "保山市 2017.md"} <= {p.name for p in out.iterdir()}
    again = run("batch", str(EXAMPLE), str(EXAMPLE), "--criteria", "yunnan_2014",
                "-o", str(tmp_path / "again"))  # fmt: skip
    assert again.exit_code == 2
    assert "同名对象的 2016 年数据已在本批次中出现" in again.stderr
