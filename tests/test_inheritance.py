"""Criteria sets that extend another: changes, removals, additions, and their errors."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import main
from engine.criteria.loader import load_path
from engine.errors import CriteriaError
from tests.conftest import write_set

DERIVED = """\
id: mini_local
extends: mini
title: {zh: 迷你地方目标}
document: {number: 地方〔2024〕3号, title: {zh: 地方方案}, year: 2024}
level: [city]
source: test derived set
change:
  income_check: {threshold: 150, responsible: [市农业农村局], source: 地方方案 第1条}
remove: [county_only]
inputs:
  sewage: {unit: "%", name: {zh: 农村生活污水治理率}}
items:
  - id: rural_sewage
    number: L1
    kind: indicator
    group: economy
    name: {zh: 农村生活污水治理率}
    unit: "%"
    measure: sewage
    operator: ">="
    threshold: 50
    binding: true
    responsible: [市生态环境局]
    source: 地方方案 第2条
"""


@pytest.fixture
def sets(tmp_path: Path) -> Path:
    write_set(tmp_path)
    write_set(tmp_path, DERIVED, name="mini_local")
    return tmp_path


def test_effective_items(sets: Path) -> None:
    local = load_path(sets / "mini_local")
    assert [c.id for c in local.items] == ["plan", "income_check", "share", "rural_sewage"]
    income = local.item("income_check").item
    assert (income.threshold, income.responsible, income.source) == (
        150,
        ["市农业农村局"],
        "地方方案 第1条",
    )
    assert "coastal_fact" not in local.inputs  # read only by the removed item
    assert local.base is not None
    assert local.base.id == "mini"


def test_base_is_untouched(sets: Path) -> None:
    assert load_path(sets / "mini").item("income_check").item.threshold == 100


def test_show_marks_what_changed(sets: Path) -> None:
    result = CliRunner().invoke(
        main, ["show", "mini_local", "--criteria-path", str(sets), "--format", "json"]
    )
    items = {item["id"]: item for item in json.loads(result.stdout)["items"]}
    assert json.loads(result.stdout)["criteria"]["extends"] == "mini"
    assert (items["income_check"]["origin"], items["income_check"]["changed"]) == (
        "changed",
        ["threshold", "responsible", "source"],
    )
    assert items["rural_sewage"]["origin"] == "added"
    assert items["plan"]["origin"] == "base"
    text = CliRunner().invoke(main, ["show", "mini_local", "--criteria-path", str(sets)]).stdout
    assert "[* changed: threshold, responsible, source]" in text
    assert "[+ added]" in text


def variant(sets: Path, old: str, new: str) -> None:
    assert old in DERIVED
    write_set(sets, DERIVED.replace(old, new), name="mini_local")
    load_path(sets / "mini_local")


def test_change_of_unknown_item(sets: Path) -> None:
    with pytest.raises(
        CriteriaError,
        match=r"change\.income_chek: mini has no item 'income_chek' "
        r"\(did you mean 'income_check'\?\)",
    ):
        variant(sets, "  income_check: {", "  income_chek: {")


def test_change_must_cite_its_source(sets: Path) -> None:
    with pytest.raises(CriteriaError, match=r"change\.income_check: cite the change: add source"):
        variant(sets, ", source: 地方方案 第1条}", "}")


def test_removal_of_unknown_item(sets: Path) -> None:
    with pytest.raises(CriteriaError, match=r"remove county: mini has no item 'county'"):
        variant(sets, "remove: [county_only]", "remove: [county]")


def test_unknown_base(sets: Path) -> None:
    with pytest.raises(CriteriaError, match=r"criteria\.yaml:2 extends: no criteria set 'mino'"):
        variant(sets, "extends: mini", "extends: mino")


def test_cycle_is_an_error(tmp_path: Path) -> None:
    loop_a = DERIVED.replace("id: mini_local", "id: loop_a").replace(
        "extends: mini", "extends: loop_b"
    )
    loop_b = DERIVED.replace("id: mini_local", "id: loop_b").replace(
        "extends: mini", "extends: loop_a"
    )
    write_set(tmp_path, loop_a, name="loop_a")
    write_set(tmp_path, loop_b, name="loop_b")
    with pytest.raises(
        CriteriaError, match=r"extend each other in a cycle: loop_a → loop_b → loop_a"
    ):
        load_path(tmp_path / "loop_a")


def test_invalid_change_is_located(sets: Path) -> None:
    with pytest.raises(
        CriteriaError,
        match=r"criteria\.yaml:8: change\.income_check\.operator: "
        r"Input should be '>=', '>', '<=', '<' or '==' \(found '=>'\)",
    ):
        variant(sets, "{threshold: 150,", "{operator: '=>', threshold: 150,")


def test_error_in_added_item_points_into_the_derived_file(sets: Path) -> None:
    with pytest.raises(
        CriteriaError,
        match=r"mini_local/criteria\.yaml:\d+ item rural_sewage "
        r"\(L1\): measure: name 'sewag' is not a declared input",
    ):
        variant(sets, "measure: sewage", "measure: sewag")
