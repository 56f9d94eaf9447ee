"""Every bundled criteria set ships cases, and every case is met."""

import pytest

from engine.criteria.loader import discover, load_path, search_path
from engine.evaluation.cases import case_files, run_case

SETS = sorted(discover(search_path()).values(), key=lambda location: location.id)
CASES = [
    pytest.param(location, case, id=f"{location.id}/{case.stem}")
    for location in SETS
    if (location.folder / "criteria.yaml").is_file()
    for case in sorted((location.folder / "cases").glob("*.yaml"))
]


@pytest.mark.parametrize(("location", "case"), CASES)
def test_case_is_met(location, case) -> None:
    outcome = run_case(case, load_path(location.folder))
    assert outcome.mismatches == []


@pytest.mark.parametrize("location", SETS, ids=[location.id for location in SETS])
def test_set_has_ready_not_ready_and_missing_cases(location) -> None:
    import yaml

    criteria = load_path(location.folder)
    expectations = [
        yaml.safe_load(path.read_text(encoding="utf-8"))["expect"] for path in case_files(criteria)
    ]
    verdicts = {expect["verdict"] for expect in expectations}
    assert verdicts == {"ready", "not_ready"}
    assert any("missing" in expect["statuses"].values() for expect in expectations)
