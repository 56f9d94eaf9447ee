"""A brand-new criteria set, written as YAML only, works end to end with no code change."""

import json
from pathlib import Path

from click.testing import CliRunner

from engine.cli import main
from tests.conftest import write_data, write_set

CITY_PLAN = """\
id: lakeside_plan_2025
title: {zh: 湖滨市生态文明建设规划目标(2025), en: Lakeside city plan targets 2025}
document: {number: 湖政发〔2023〕7号, title: {zh: 湖滨市生态文明建设规划}, year: 2023}
level: [city]
source: an imaginary city's own plan, written for this test
groups:
  - id: environment
    name: {zh: 生态环境, en: Environment}
inputs:
  good_air_days: {unit: 天, minimum: 0, maximum: 366, name: {zh: 空气优良天数}}
  days_monitored: {unit: 天, minimum: 1, maximum: 366, name: {zh: 有效监测天数}}
  pm25: {unit: 微克/立方米, minimum: 0, name: {zh: PM2.5年均浓度}}
  river_chief_system: {type: boolean, name: {zh: 全面实施河长制}}
items:
  - id: good_air_share
    number: "1"
    kind: indicator
    group: environment
    name: {zh: 空气质量优良天数比例, en: Share of days with good air}
    unit: "%"
    measure: good_air_days / days_monitored * 100
    operator: ">="
    threshold: 95
    decimals: 1
    binding: true
    responsible: [市生态环境局]
    source: 湖政发〔2023〕7号 表1第1项
  - id: pm25_level
    number: "2"
    kind: indicator
    group: environment
    name: {zh: PM2.5年均浓度, en: PM2.5 annual mean}
    unit: 微克/立方米
    measure: pm25
    operator: "<"
    threshold: 25
    binding: false
    responsible: [市生态环境局]
    source: 湖政发〔2023〕7号 表1第2项
  - id: river_chief
    number: "3"
    kind: indicator
    group: environment
    name: {zh: 河长制, en: River-chief system}
    condition: river_chief_system
    requirement: {zh: 全面实施, en: fully implemented}
    binding: true
    responsible: [市水务局]
    source: 湖政发〔2023〕7号 表1第3项
"""


def test_new_set_checks_data_from_the_cli(tmp_path: Path) -> None:
    write_set(tmp_path / "sets", CITY_PLAN, name="lakeside_plan_2025")
    data = write_data(
        tmp_path,
        """\
        entity: {name: 湖滨市, level: city, year: 2024}
        values:
          good_air_days: 348
          days_monitored: 366
          pm25: {value: 26.1, source: 市生态环境局}
          river_chief_system: {value: true, evidence: 湖办发〔2018〕3号}
    """,
    )
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(data),
            "--criteria",
            "lakeside_plan_2025",
            "--criteria-path",
            str(tmp_path / "sets"),
            "--format",
            "json",
        ],
    )
    payload = json.loads(result.stdout)
    statuses = {r["id"]: (r["status"], r["value"]) for r in payload["results"]}
    assert result.exit_code == 0
    assert payload["verdict"] == "ready"
    assert statuses == {
        "good_air_share": ("pass", 95.1),  # 348/366 = 95.08… at the set's one decimal
        "pm25_level": ("fail", 26.1),  # guidance: warns, does not block
        "river_chief": ("pass", True),
    }


def test_new_set_via_environment_variable(tmp_path: Path, monkeypatch) -> None:
    write_set(tmp_path / "sets", CITY_PLAN, name="lakeside_plan_2025")
    monkeypatch.setenv("ECOASSESS_CRITERIA_PATH", str(tmp_path / "sets"))
    result = CliRunner().invoke(main, ["list"])
    assert "lakeside_plan_2025\t湖滨市生态文明建设规划目标(2025)\t3 items" in result.stdout
