"""Shared fixtures: the bundled sets, a CLI runner, and a tiny criteria set to vary."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.criteria.compiler import CompiledCriteria
from engine.criteria.loader import load_path
from engine.resources import bundled_criteria_dir

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "baoshan_2016.yaml"

MINI_SET = """\
id: mini
title: {zh: 迷你指标体系, en: Mini criteria}
document: {number: 测试〔2024〕1号, title: {zh: 测试文件}, year: 2024}
level: [city, county]
source: written for the tests
groups:
  - id: basics
    name: {zh: 基本条件}
  - id: economy
    name: {zh: 经济}
inputs:
  plan_adopted: {type: boolean, name: {zh: 规划已通过}}
  income: {unit: 元, minimum: 0, name: {zh: 收入}}
  part: {unit: 亿元, name: {zh: 部分}}
  total: {unit: 亿元, name: {zh: 总量}}
  coastal_fact: {type: boolean, name: {zh: 沿海事实}}
items:
  - id: plan
    number: B1
    kind: basic_condition
    group: basics
    name: {zh: 规划}
    condition: plan_adopted
    binding: true
    responsible: [创建办]
    source: test B1
  - id: income_check
    number: "1"
    kind: indicator
    group: economy
    name: {zh: 收入}
    unit: 元
    measure: income
    operator: ">="
    threshold: 100
    binding: true
    responsible: [农业局]
    source: test 1
  - id: share
    number: "2"
    kind: indicator
    group: economy
    name: {zh: 占比}
    unit: "%"
    measure: part / total * 100
    operator: ">"
    threshold: 40
    binding: false
    responsible: [统计局]
    source: test 2
  - id: county_only
    number: "3"
    kind: indicator
    group: economy
    name: {zh: 县级条目}
    condition: coastal_fact
    binding: true
    applies_to: [county]
    responsible: [县政府]
    source: test 3
"""


def write_set(folder: Path, text: str = MINI_SET, name: str = "mini") -> Path:
    """Write a criteria set ``name`` under ``folder`` and return its folder."""
    target = folder / name
    target.mkdir(parents=True, exist_ok=True)
    (target / "criteria.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return target


def write_data(folder: Path, text: str, name: str = "data.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def yunnan() -> CompiledCriteria:
    return load_path(bundled_criteria_dir() / "yunnan_2014")


@pytest.fixture
def mini(tmp_path: Path) -> CompiledCriteria:
    return load_path(write_set(tmp_path))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, through Playwright (never Playwright's own download).

    Skipped only where Chromium is not installed and this is not CI (`.ci/run` installs it).
    Module-scoped: no browser thread outlives the module that drives it.
    """
    import os
    import shutil

    from scripts.screenshots import CHROMIUM, CHROMIUM_ARGS

    if not shutil.which(CHROMIUM) and not os.environ.get("CI"):
        pytest.skip("Debian's chromium is not installed here")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


POSTGRES = os.environ.get("ECOASSESS_TEST_POSTGRES")
"""A PostgreSQL database the tests may empty, e.g. postgresql+psycopg://u:p@localhost/db;
.ci/run starts a real server and sets it, so CI runs every test below on both databases."""


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> str | None:
    """The database a test's workspace uses: None for SQLite in the folder, or PostgreSQL."""
    if request.param == "sqlite":
        return None
    if not POSTGRES:
        if os.environ.get("CI"):
            pytest.fail(
                "CI must run the workspace tests on PostgreSQL: set ECOASSESS_TEST_POSTGRES"
            )
        pytest.skip("no PostgreSQL server (set ECOASSESS_TEST_POSTGRES)")
    from sqlalchemy import create_engine

    engine = create_engine(POSTGRES)
    with engine.begin() as connection:  # a fresh, empty database for each test
        connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    engine.dispose()
    return POSTGRES
