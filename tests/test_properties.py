"""Properties of the engine that hold for any data, checked on generated inputs."""

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.criteria.compiler import CompiledCriteria, compile_criteria
from engine.criteria.loader import load_criteria, search_path
from engine.criteria.model import CriteriaSet
from engine.data.record import DataFile, Entity, MeasuredValue
from engine.data.sources import load_data
from engine.evaluation.evaluator import evaluate
from tests.conftest import EXAMPLE

SETTINGS = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
YUNNAN = load_criteria("yunnan_2014", search_path())
EXAMPLE_DATA = load_data(EXAMPLE, YUNNAN)


def one_item_set(operator: str, threshold: float, decimals: int) -> CompiledCriteria:
    spec = CriteriaSet.model_validate(
        yaml.safe_load(f"""
        id: prop
        title: {{zh: 性质}}
        document: {{number: 测试, title: {{zh: 测试}}, year: 2024}}
        level: [city]
        source: generated
        groups: [{{id: g, name: {{zh: 组}}}}]
        inputs: {{x: {{name: {{zh: 值}}}}}}
        items:
          - {{id: it, number: "1", kind: indicator, group: g, name: {{zh: 指标}}, measure: x,
              operator: "{operator}", threshold: {threshold}, decimals: {decimals},
              binding: true, responsible: [部门], source: generated}}
    """)
    )
    return compile_criteria(spec, Path("prop.yaml"), lambda location: 0)


def status_for(criteria: CompiledCriteria, value: float) -> str:
    data = DataFile(
        entity=Entity(name="甲", level="city", year=2024), values={"x": MeasuredValue(value=value)}
    )
    return evaluate(criteria, data).results[0].status


NUMBERS = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


@SETTINGS
@given(st.sampled_from([">=", ">", "<=", "<"]), NUMBERS, NUMBERS, NUMBERS, st.integers(0, 4))
def test_moving_in_the_better_direction_never_turns_pass_into_fail(
    operator: str, threshold: float, a: float, b: float, decimals: int
) -> None:
    criteria = one_item_set(operator, threshold, decimals)
    worse, better = sorted((a, b)) if operator in (">=", ">") else sorted((a, b), reverse=True)
    if status_for(criteria, worse) == "pass":
        assert status_for(criteria, better) == "pass"


@SETTINGS
@given(NUMBERS, st.integers(0, 4))
def test_boundaries_are_as_written(threshold: float, decimals: int) -> None:
    exact = float(f"{threshold:.{decimals}f}")
    assert status_for(one_item_set(">=", exact, decimals), exact) == "pass"
    assert status_for(one_item_set("<=", exact, decimals), exact) == "pass"
    assert status_for(one_item_set(">", exact, decimals), exact) == "fail"
    assert status_for(one_item_set("<", exact, decimals), exact) == "fail"


@SETTINGS
@given(st.sets(st.sampled_from(sorted(EXAMPLE_DATA.values)), min_size=1))
def test_removing_inputs_never_creates_a_pass(removed: set[str]) -> None:
    before = {r.id: r.status for r in evaluate(YUNNAN, EXAMPLE_DATA).results}
    fewer = EXAMPLE_DATA.model_copy(
        update={"values": {k: v for k, v in EXAMPLE_DATA.values.items() if k not in removed}}
    )
    after = evaluate(YUNNAN, fewer)
    for result in after.results:
        if result.status == "pass":
            assert before[result.id] == "pass", result.id
    if evaluate(YUNNAN, EXAMPLE_DATA).verdict == "not_ready":
        assert after.verdict == "not_ready"


def perturbed(draw_values: dict[str, Any]) -> DataFile:
    values = dict(EXAMPLE_DATA.values)
    for name, value in draw_values.items():
        values[name] = MeasuredValue(value=value)
    return EXAMPLE_DATA.model_copy(update={"values": values})


CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**12), 10**12),
    st.text(max_size=8),
)


@SETTINGS
@given(st.dictionaries(st.sampled_from(sorted(YUNNAN.inputs)), CELL, max_size=12))
def test_verdict_is_ready_exactly_when_every_blocking_item_passes(changes: dict[str, Any]) -> None:
    report = evaluate(YUNNAN, perturbed(changes))
    blocking_ok = all(r.status in ("pass", "not_applicable") for r in report.results if r.blocks)
    assert (report.verdict == "ready") == blocking_ok
    for result in report.results:
        if result.status == "pass":
            assert not any(
                f.code in ("missing", "not_a_number", "not_a_boolean", "out_of_range")
                for f in result.findings
            )


@SETTINGS
@given(st.dictionaries(st.sampled_from(sorted(YUNNAN.inputs)), CELL, max_size=12))
def test_a_pass_only_rests_on_usable_values(changes: dict[str, Any]) -> None:
    from engine.data.cells import coerce

    data = perturbed(changes)
    for result in evaluate(YUNNAN, data).results:
        if result.status != "pass" or result.given_directly:
            continue
        for name in result.inputs:
            given_value = data.values.get(name)
            assert given_value is not None, (result.id, name)
            value, _ = coerce(name, YUNNAN.inputs[name], given_value.value)
            assert isinstance(value, float | bool), (result.id, name, value)


@SETTINGS
@given(st.dictionaries(st.sampled_from(sorted(YUNNAN.inputs)), CELL, max_size=12))
def test_summary_mode_decides_exactly_what_the_full_report_decides(changes: dict[str, Any]) -> None:
    data = perturbed(changes)
    full, lean = evaluate(YUNNAN, data), evaluate(YUNNAN, data, detail=False)
    assert lean.verdict == full.verdict
    assert lean.summary == full.summary
    assert [(r.id, r.status, r.value, r.gap) for r in lean.results] == [
        (r.id, r.status, r.value, r.gap) for r in full.results
    ]
