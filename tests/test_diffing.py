"""Comparing criteria sets: by id and by declared correspondence."""

import json
from pathlib import Path

from click.testing import CliRunner

from engine.cli import main
from engine.criteria.loader import load_path
from engine.reports.diff import diff, diff_json
from tests.conftest import MINI_SET, write_set

OTHER = (
    MINI_SET.replace("id: mini", "id: other", 1)
    .replace("threshold: 100", "threshold: 120")
    .replace("id: share\n", "id: ratio\n")
    .replace("    binding: false\n", "    binding: true\n")
    .replace("applies_to: [county]", "applies_when: {coastal: true}")
)


def test_pairs_by_id_and_reports_differences(tmp_path: Path) -> None:
    mini = load_path(write_set(tmp_path))
    other = load_path(write_set(tmp_path, OTHER, name="other"))
    result = diff(mini, other)
    assert [item.id for item in result.only_in_a] == ["share"]
    assert [item.id for item in result.only_in_b] == ["ratio"]
    assert {pair.a.id: pair.differences for pair in result.different} == {
        "income_check": {"threshold": (100, 120)},
        "county_only": {"applicability": ((["county"], None), ([], {"coastal": True}))},
    }


def test_declared_correspondence_pairs_renamed_items(tmp_path: Path) -> None:
    mapped = MINI_SET.replace("groups:", "correspondence: {other: {share: ratio}}\ngroups:", 1)
    mini = load_path(write_set(tmp_path, mapped))
    other = load_path(write_set(tmp_path, OTHER, name="other"))
    payload = diff_json(diff(mini, other))
    assert payload["only_in_a"] == payload["only_in_b"] == []
    ratio = next(d for d in payload["different"] if d["a"]["id"] == "share")
    assert ratio["differences"] == {"binding": {"a": False, "b": True}}


def test_correspondence_declared_by_the_other_set_works_both_ways(tmp_path: Path) -> None:
    mini = load_path(write_set(tmp_path))
    other = load_path(
        write_set(
            tmp_path,
            OTHER.replace("groups:", "correspondence: {mini: {ratio: share}}\ngroups:", 1),
            name="other",
        )
    )
    assert diff(mini, other).only_in_a == []


def test_yunnan_against_national_from_the_cli() -> None:
    result = CliRunner().invoke(
        main, ["diff", "yunnan_2014", "national_demo_area", "--format", "json"]
    )
    payload = json.loads(result.stdout)
    assert result.exit_code == 0
    pairs = {(d["a"]["id"], d["b"]["id"]): d["differences"] for d in payload["different"]}
    assert pairs[("urban_sewage_treatment", "urban_sewage_treatment")]["threshold"] == {
        "a": 85,
        "b": [[{"level": "city"}, 95], [{"level": "county"}, 85]],
    }
    assert pairs[("urban_public_green", "park_green")]["threshold"] == {"a": 10, "b": 15}
    assert pairs[("public_satisfaction", "satisfaction")]["operator"] == {"a": ">", "b": ">="}
    assert "river_chief" in {item["id"] for item in payload["only_in_b"]}
    assert "farmer_income" in {item["id"] for item in payload["only_in_a"]}


def test_unknown_set_in_diff_is_one_line(runner) -> None:
    result = runner.invoke(main, ["diff", "yunnan_2014", "nope", "--lang", "en"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: B nope: no criteria set 'nope'")
