"""The command line: exit statuses, one-line errors, and the JSON contracts."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import main
from tests.conftest import EXAMPLE, write_data, write_set

JSON_RESULT_FIELDS = {
    "id", "number", "name", "kind", "group", "binding", "status", "value",
    "operator", "threshold", "unit", "gap", "inputs", "responsible",
}  # fmt: skip
# `show` gives the same item fields that do not depend on data, plus the expression.
SHOW_ITEM_FIELDS = (JSON_RESULT_FIELDS - {"status", "value", "gap"}) | {"expression"}


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_check_example_is_not_ready_with_exit_1(runner: CliRunner) -> None:
    code, out, _ = run(runner, "check", str(EXAMPLE), "--criteria", "yunnan_2014")
    assert code == 1
    assert out.startswith("生态文明建设示范区达标评估报告\n评估对象: 保山市")
    assert "结论: 尚未具备申报技术评估条件" in out


def test_ready_case_exits_0(runner: CliRunner) -> None:
    case = Path("criteria/yunnan_2014/cases/ready_with_warnings.yaml")
    code, out, _ = run(runner, "check", str(case), "--criteria", "yunnan_2014", "--lang", "en")
    assert code == 0
    assert "Verdict: Ready for the technical assessment" in out


def test_json_report_contract(runner: CliRunner) -> None:
    code, out, _ = run(
        runner, "check", str(EXAMPLE), "--criteria", "yunnan_2014", "--format", "json"
    )
    payload = json.loads(out)
    assert code == 1
    assert list(payload) == ["criteria", "entity", "verdict", "summary", "results", "bundles"]
    assert {"id", "title"} <= set(payload["criteria"])
    assert payload["verdict"] == "not_ready"
    assert {"pass", "fail", "missing", "not_applicable", "error"} <= set(payload["summary"])
    assert all(set(result) >= JSON_RESULT_FIELDS for result in payload["results"])
    gap = next(r["gap"] for r in payload["results"] if r["number"] == "12.1")
    assert gap == {
        "absolute": 1.5,
        "relative": pytest.approx(1.7647, rel=1e-3),
        "direction": "increase",
    }


def test_output_file_and_format_from_suffix(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    code, out, _ = run(
        runner, "check", str(EXAMPLE), "--criteria", "yunnan_2014", "-o", str(target)
    )
    assert (code, out) == (1, "")
    assert target.read_text(encoding="utf-8").startswith("# 生态文明建设示范区达标评估报告")


def test_output_never_overwrites_the_data(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "d.yaml"
    data.write_bytes(EXAMPLE.read_bytes())
    code, _, err = run(runner, "check", str(data), "--criteria", "yunnan_2014", "-o", str(data))
    assert code == 2
    assert err == f"错误: -o {data}: would overwrite the data file; choose another name\n"
    assert data.read_bytes() == EXAMPLE.read_bytes()


def test_unknown_criteria_is_one_line_exit_2(runner: CliRunner) -> None:
    code, out, err = run(runner, "check", str(EXAMPLE), "--criteria", "yunan_2014", "--lang", "en")
    assert (code, out) == (2, "")
    assert err.startswith(
        "error: --criteria yunan_2014: no criteria set 'yunan_2014' (did you "
        "mean 'yunnan_2014'?); available:"
    )
    assert err.count("\n") == 1


def test_bad_data_lists_every_problem_without_traceback(runner: CliRunner, tmp_path: Path) -> None:
    data = write_data(
        tmp_path,
        """\
        entity: {name: 甲市, level: city, year: 2016}
        values:
          farmer_net_incom: 1
          gpd: 2
    """,
    )
    code, _, err = run(runner, "check", str(data), "--criteria", "yunnan_2014")
    assert code == 2
    assert err.splitlines() == [
        f"错误: {data}:3 values.farmer_net_incom: 指标体系 yunnan_2014 中没有此输入项或条目"
        "(是否应为 'farmer_net_income'?)；用 `ecoassess template yunnan_2014` 查看全部输入项",
        f"错误: {data}:4 values.gpd: 指标体系 yunnan_2014 中没有此输入项或条目"
        "(是否应为 'gdp'?)；用 `ecoassess template yunnan_2014` 查看全部输入项",
    ]
    assert "Traceback" not in err


def test_missing_data_file(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = run(
        runner, "check", str(tmp_path / "none.yaml"), "--criteria", "yunnan_2014", "--lang", "en"
    )
    assert (code, err) == (2, f"error: {tmp_path / 'none.yaml'}: file not found\n")


def test_list_shows_bundled_sets(runner: CliRunner) -> None:
    code, out, _ = run(runner, "list")
    assert code == 0
    assert "yunnan_2014\t云南省生态文明州(市)建设指标(云环发〔2014〕38号)\t28 items\t内置" in out
    assert "site-packages" not in out


def test_list_shows_where_a_users_set_is(runner: CliRunner, tmp_path: Path) -> None:
    from tests.test_new_set import CITY_PLAN

    write_set(tmp_path, CITY_PLAN, name="lakeside_plan_2025")
    code, out, _ = run(runner, "list", "--criteria-path", str(tmp_path))
    assert code == 0
    assert f"3 items\t{tmp_path / 'lakeside_plan_2025'}\t" in out


def test_list_marks_invalid_sets(runner: CliRunner, tmp_path: Path) -> None:
    write_set(tmp_path, "id: broken\n", name="broken")
    code, out, _ = run(runner, "list", "--criteria-path", str(tmp_path))
    assert code == 0
    assert f"broken\t(无效 invalid: ecoassess validate {tmp_path / 'broken'})" in out


def test_show_json_contract(runner: CliRunner) -> None:
    code, out, _ = run(runner, "show", "yunnan_2014", "--format", "json")
    payload = json.loads(out)
    assert code == 0
    assert set(payload) == {"criteria", "items"}
    assert all(set(item) >= SHOW_ITEM_FIELDS for item in payload["items"])
    satisfaction = next(i for i in payload["items"] if i["number"] == "18")
    assert (satisfaction["operator"], satisfaction["threshold"], satisfaction["binding"]) == (
        ">",
        90,
        False,
    )
    tertiary = next(i for i in payload["items"] if i["number"] == "2")
    assert tertiary["expression"] == "tertiary_value_added / gdp * 100"
    assert tertiary["inputs"] == ["tertiary_value_added", "gdp"]


def test_show_text(runner: CliRunner) -> None:
    code, out, _ = run(runner, "show", "yunnan_2014")
    assert code == 0
    assert "  18    公众对环境的满意率 [> 90 %] (指导性)\n" in out
    assert "        = tertiary_value_added / gdp * 100\n" in out


def test_validate_bundled_sets(runner: CliRunner) -> None:
    code, out, _ = run(runner, "validate", "criteria")
    assert code == 0
    assert "yunnan_2014: 28 items, 3/3 cases met\n" in out


def test_validate_reports_broken_set_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    folder = write_set(tmp_path, "id: mini\nbogus: 1\n")
    code, _, err = run(runner, "validate", str(folder), "--lang", "en")
    assert code == 2
    assert f"error: {folder / 'criteria.yaml'}:2: bogus: unknown key; check its spelling" in err


def test_validate_reports_unmet_case_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    folder = write_set(tmp_path)
    (folder / "cases").mkdir()
    write_data(
        folder / "cases",
        """\
        entity: {name: 甲市, level: city, year: 2020}
        values: {plan_adopted: true, income: 50, part: 1, total: 2}
        expect:
          verdict: ready
          statuses: {plan: pass, income_check: pass, share: pass, county_only: not_applicable}
    """,
        name="wrong.yaml",
    )
    code, out, err = run(runner, "validate", str(folder))
    assert code == 1
    assert "mini: 4 items, 0/1 cases met" in out
    assert "verdict: expected ready, got not_ready" in err
    assert "income_check (1): expected pass, got fail" in err


def test_template_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "fill.yaml"
    code, _, _ = run(runner, "template", "yunnan_2014", "-o", str(target))
    text = target.read_text(encoding="utf-8")
    assert code == 0
    assert "  farmer_net_income:" in text
    assert "# ── 1 农民年人均纯收入 (约束性; 责任单位: 市农业局)" in text
    filled = text.replace("name: ''", "name: 甲市").replace("  year:   ", "  year: 2020")
    target.write_text(filled, encoding="utf-8")
    code, out, _ = run(
        runner, "check", str(target), "--criteria", "yunnan_2014", "--format", "json"
    )
    payload = json.loads(out)
    assert code == 1
    assert payload["summary"]["missing"] == 28


def test_template_never_overwrites(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text("precious", encoding="utf-8")
    code, _, err = run(runner, "template", "yunnan_2014", "-o", str(target), "--lang", "en")
    assert code == 2
    assert "file exists" in err
    assert target.read_text(encoding="utf-8") == "precious"


def test_schema_is_json_schema_of_the_format(runner: CliRunner) -> None:
    code, out, _ = run(runner, "schema")
    schema = json.loads(out)
    assert code == 0
    assert schema["title"] == "ecoassess criteria file"
    whole, derived = (schema["$defs"][ref["$ref"].rsplit("/", 1)[1]] for ref in schema["anyOf"])
    assert {"id", "title", "items", "inputs", "groups"} <= set(whole["properties"])
    assert {"extends", "change", "remove"} <= set(derived["properties"])
    assert schema["$defs"]["Item"]["additionalProperties"] is False


def test_validate_reports_every_broken_case_and_asks_for_the_three_kinds(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Issue 16, section 5: only the first broken case was reported, and a set with no case
    passed although the docs ask for a ready, a not-ready and a missing-data case."""
    folder = write_set(tmp_path)
    code, out, err = run(runner, "validate", str(folder), "--lang", "en")
    assert code == 1
    assert "mini: 4 items, 0/0 cases met" in out
    assert "no case with verdict ready" in err
    assert "no case with missing data" in err
    (folder / "cases").mkdir()
    for name in ("a.yaml", "b.yaml", "c.yaml"):
        (folder / "cases" / name).write_text("entity: {name: 甲市}\n", encoding="utf-8")
    code, out, err = run(runner, "validate", str(folder), "--lang", "en")
    assert code == 2
    assert all(f"cases/{name}" in err for name in ("a.yaml", "b.yaml", "c.yaml"))


def test_o_file_says_what_was_written(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "报告.md"
    code, stdout, err = run(runner, "check", str(EXAMPLE), "--criteria", "yunnan_2014", "-o",
                            str(out))  # fmt: skip
    assert code == 1
    assert stdout == ""
    assert err == f"已写入: {out}\n"
    code, _, err = run(runner, "template", "yunnan_2014", "-o", str(tmp_path / "t.xlsx"),
                       "--lang", "en")  # fmt: skip
    assert code == 0
    assert err == f"wrote {tmp_path / 't.xlsx'}\n"
