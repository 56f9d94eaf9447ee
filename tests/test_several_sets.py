"""One entity's data against several sets at once (the national set and the city's plan):
each set reads the keys it knows; a key no set knows is still an error; a report per set."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from engine.cli import main
from tests.conftest import REPO

NATIONAL = REPO / "examples" / "lufeng_county_2023.yaml"
PLAN = REPO / "examples" / "lufeng_plan_2023.yaml"


def both(tmp_path: Path, extra: dict | None = None) -> Path:
    national = yaml.safe_load(NATIONAL.read_text(encoding="utf-8"))
    plan = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    values = {**plan["values"], **national["values"], **(extra or {})}
    data = {"entity": national["entity"], "values": values, "history": national["history"]}
    path = tmp_path / "禄丰市_2023.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_one_file_two_sets_two_reports(tmp_path: Path) -> None:
    data = both(tmp_path)
    alone = run("check", str(data), "--criteria", "lufeng_2024")
    assert alone.exit_code == 2  # on its own, the national keys are unknown to the plan
    assert "指标体系 lufeng_2024 中没有此输入项或条目" in alone.stderr
    result = run("check", str(data), "--criteria", "national_demo_area",
                 "--criteria", "lufeng_2024", "--format", "json")  # fmt: skip
    assert result.exit_code == 1, result.stderr
    reports = json.loads(result.output)
    assert [r["criteria"]["id"] for r in reports] == ["national_demo_area", "lufeng_2024"]
    plan = {r["id"]: r["status"] for r in reports[1]["results"]}
    assert plan["green_industries"] == "fail"  # 19.1 < 20, read by the plan alone


def test_a_key_no_set_knows_is_still_an_error(tmp_path: Path) -> None:
    data = both(tmp_path, {"forest_cover_ratee": 60})
    result = run("check", str(data), "--criteria", "national_demo_area",
                 "--criteria", "lufeng_2024")  # fmt: skip
    assert result.exit_code == 2
    assert "forest_cover_ratee" in result.stderr


def test_files_per_set(tmp_path: Path) -> None:
    data = both(tmp_path)
    out = tmp_path / "报告.md"
    result = run("check", str(data), "--criteria", "national_demo_area",
                 "--criteria", "lufeng_2024", "-o", str(out))  # fmt: skip
    assert result.exit_code == 1, result.stderr
    assert (tmp_path / "报告_national_demo_area.md").read_text(encoding="utf-8").startswith("# ")
    assert "禄丰市生态文明建设巩固提升2024年目标" in (tmp_path / "报告_lufeng_2024.md").read_text(
        encoding="utf-8"
    )
    assert not out.exists()
    again = run("check", str(data), "--criteria", "lufeng_2024", "--criteria", "lufeng_2024")
    assert again.exit_code == 2
    assert "同一指标体系给出了两次" in again.stderr


def test_a_workbook_or_csv_too(tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_text(
        "评估对象,禄丰市\n行政层级,县(市、区)\n输入项,2023\n"
        "green_industries_share,19.1\nenv_info_disclosure_rate,100\n",
        encoding="utf-8",
    )
    result = run("check", str(path), "--criteria", "national_demo_area",
                 "--criteria", "lufeng_2024", "--format", "json")  # fmt: skip
    assert result.exit_code == 1, result.stderr
    national, plan = json.loads(result.output)
    assert {r["id"]: r["status"] for r in national["results"]}["env_info_disclosure"] == "pass"
    assert {r["id"]: r["status"] for r in plan["results"]}["green_industries"] == "fail"
