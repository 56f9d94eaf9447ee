"""Every bundled example runs against the set its header names, with the outcome it shows."""

import re

import pytest

from engine.criteria.loader import load_criteria, search_path
from engine.data.sources import load_data
from engine.evaluation.evaluator import evaluate
from tests.conftest import REPO

EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs_as_its_header_says(path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "ILLUSTRATIVE" in text
    command = re.search(r"ecoassess check (\S+) --criteria (\S+)", text)
    assert command, "the header gives the command that runs the example"
    assert command[1] == f"examples/{path.name}"
    criteria = load_criteria(command[2], search_path())
    report = evaluate(criteria, load_data(path, criteria))
    statuses = {r.status for r in report.results}
    assert report.verdict == "not_ready"
    assert {"pass", "fail"} <= statuses


def test_county_example_exercises_profile_coastal_trend_and_target() -> None:
    criteria = load_criteria("national_demo_area", search_path())
    report = evaluate(criteria, load_data(REPO / "examples" / "lufeng_county_2023.yaml", criteria))
    by_id = {r.id: r for r in report.results}
    assert (by_id["forest_grass_coverage"].threshold, by_id["forest_grass_coverage"].status) == (
        60,
        "fail",
    )
    assert by_id["coastal_water_quality"].status == "not_applicable"
    assert by_id["pm25_reduction"].trend_previous == 22
    assert by_id["rural_sanitary_toilets"].threshold_basis == "assigned"
