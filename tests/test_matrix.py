"""The summary matrix's lean path gives exactly the full evaluator's cells, verdict and counts.

Entities are random but hostile to a shortcut: values on and just beside thresholds, ties at
the published precision (x.xx5), missing and unreadable values, values out of range, items
given directly, profiles with keys left out, last year present or not.
"""

import random
from pathlib import Path
from typing import Any

import pytest

from engine.compiler import CompiledCriteria
from engine.data import DataFile, Entity, MeasuredValue
from engine.evaluator import evaluate
from engine.loader import load_criteria, search_path
from engine.matrix import MatrixEvaluator

SETS = ["national_demo_area", "yunnan_2014", "guigang_2023", "pingliang_2025", "lufeng_2024"]
PROFILE_CHOICES: dict[str, list[Any]] = {
    "region": ["arid_semi_arid", "qinghai_tibet", "other"],
    "terrain": ["mountain", "hill", "plain"],
    "coastal": [True, False],
    "city_size": ["megacity", "large", "medium_small"],
}


def _thresholds(criteria: CompiledCriteria) -> list[float]:
    found = [0.0, 1.0, 100.0]
    for compiled in criteria.items:
        item = compiled.item
        if isinstance(item.threshold, float | int):
            found.append(float(item.threshold))
        found += [float(variant.value) for variant in item.thresholds or []]
    return found


def _number(rng: random.Random, thresholds: list[float]) -> Any:
    near = rng.choice(thresholds)
    return rng.choice(
        [
            lambda: round(rng.uniform(0, 120), rng.choice([0, 1, 2, 3])),
            lambda: near,
            lambda: near + rng.choice([-1, 1]) * rng.choice([1e-9, 0.004, 0.005, 0.0051, 0.01]),
            lambda: round(near + rng.randint(-20, 20) / 1000 + 0.0005, 4),  # ties at .xx5
            lambda: rng.uniform(0, 1),  # a fraction where a percentage belongs
            lambda: -rng.uniform(0, 50),
            lambda: -rng.uniform(0, 0.004),  # rounds to -0.0
            lambda: rng.uniform(1e6, 1e12),
            lambda: None,
            lambda: rng.choice(["约85", "n/a", "", "12.5", "85%", "是"]),
            lambda: 0.0,
        ]
    )()


def _entity_data(criteria: CompiledCriteria, rng: random.Random, index: int) -> DataFile:
    thresholds = _thresholds(criteria)

    def value(name: str) -> Any:
        declared = criteria.inputs[name]
        if declared.type == "boolean":
            return rng.choice([True, True, True, False, None, "否", "unknown"])
        return _number(rng, thresholds)

    def year_values() -> dict[str, MeasuredValue]:
        chosen = {n: MeasuredValue(value=value(n)) for n in criteria.inputs if rng.random() > 0.05}
        for compiled in criteria.items:
            if compiled.measure is not None and rng.random() < 0.05:
                chosen[compiled.id] = MeasuredValue(value=_number(rng, thresholds))
        return chosen

    profile = {key: rng.choice(choices) for key, choices in PROFILE_CHOICES.items()}
    profile = {key: value for key, value in profile.items() if rng.random() > 0.1}
    history = {2022: year_values()} if rng.random() < 0.8 else {}
    return DataFile(
        entity=Entity(
            name=f"e{index}",
            year=2023,
            level=rng.choice(criteria.spec.level),
            **profile,
        ),
        values=year_values(),
        history=history,
        path=Path("random.yaml"),
    )


@pytest.mark.parametrize("set_id", SETS)
def test_lean_path_gives_the_full_evaluators_cells(set_id: str) -> None:
    criteria = load_criteria(set_id, search_path())
    matrix = MatrixEvaluator(criteria)
    rng = random.Random(set_id)
    for index in range(150):
        data = _entity_data(criteria, rng, index)
        report = evaluate(criteria, data, detail=False)
        verdict, summary, cells = matrix.row(data)
        # repr tells 0.0 from -0.0, and the summaries show them apart ("0", "-0").
        typed = [(status, repr(value), type(value)) for status, value in cells]
        assert typed == [(r.status, repr(r.value), type(r.value)) for r in report.results], (
            data.entity.name
        )
        assert (verdict, summary) == (report.verdict, report.summary)


def test_ties_at_the_published_precision_round_half_up(tmp_path: Path) -> None:
    """40.0 is not reached by 39.995 rounded half-even as a float (39.99), but is half-up."""
    criteria = load_criteria("national_demo_area", search_path())
    matrix = MatrixEvaluator(criteria)
    compiled = next(
        c
        for c in criteria.items
        if c.measure is not None and len(c.measure.names) == 1 and c.trend is None
        and c.item.applies_when is None and c.item.applies_to is None
        and isinstance(c.item.threshold, float | int)
    )  # fmt: skip
    name = next(iter(compiled.measure.names))  # type: ignore[union-attr]
    threshold = float(compiled.item.threshold)  # type: ignore[arg-type]
    step = 10.0**-compiled.decimals
    tie = round(threshold - step / 2, compiled.decimals + 1)
    data = DataFile(
        entity=Entity(name="甲", year=2023, level="city"),
        values={name: MeasuredValue(value=tie)},
        path=Path("tie.yaml"),
    )
    index = criteria.items.index(compiled)
    full = evaluate(criteria, data, detail=False).results[index]
    assert matrix.row(data)[2][index] == (full.status, full.value)
