"""Check one entity's data against a compiled criteria set.

The evaluator is pure: it reads a :class:`CompiledCriteria` and a :class:`DataFile` and
returns a :class:`Report`. Missing or unusable data never passes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from engine.coercion import as_number, coerce, is_empty
from engine.comparison import gap, meets, rounded
from engine.compiler import CompiledCriteria, CompiledItem
from engine.data import DataFile, MeasuredValue
from engine.expressions import DivisionByZeroError, EvaluationError, Evaluator, new_evaluator
from engine.model import LEVEL_NAMES, Text
from engine.results import (
    CriteriaSummary,
    Finding,
    Gap,
    InputValue,
    ItemResult,
    Report,
    Status,
    summarize,
    verdict_of,
)

Prepared = Mapping[str, float | bool | Finding]


def evaluate(criteria: CompiledCriteria, data: DataFile) -> Report:
    """The full report for one entity."""
    prepared: dict[str, float | bool | Finding] = {
        name: coerce(name, criteria.inputs[name], given.value)
        for name, given in data.values.items()
        if name in criteria.inputs
    }
    scratch = new_evaluator()
    results = [
        _evaluate_item(criteria, compiled, data, prepared, scratch) for compiled in criteria.items
    ]
    spec = criteria.spec
    return Report(
        criteria=CriteriaSummary(
            id=spec.id, title=spec.title, document=spec.document.number, year=spec.document.year
        ),
        entity=data.entity.model_dump(exclude_none=True),
        verdict=verdict_of(results),
        summary=summarize(results),
        results=results,
    )


def _evaluate_item(
    criteria: CompiledCriteria,
    compiled: CompiledItem,
    data: DataFile,
    prepared: Prepared,
    scratch: Evaluator,
) -> ItemResult:
    item = compiled.item
    direct = data.values.get(item.id)
    given_directly = direct is not None and not is_empty(direct.value)
    needed = set(compiled.condition.names) if compiled.condition else set()
    if compiled.measure and not given_directly:
        needed |= compiled.measure.names

    status: Status
    value: float | bool | None = None
    result_gap: Gap | None = None
    findings: list[Finding] = []

    if item.applies_to is not None and data.entity.level not in item.applies_to:
        levels = "/".join(LEVEL_NAMES[level].zh for level in item.applies_to)
        findings.append(Finding(code="not_applicable", detail=levels))
        status = "not_applicable"
    else:
        values: dict[str, float | bool] = {}
        for name in sorted(needed):
            found = prepared.get(name)
            if found is None:
                findings.append(Finding(code="missing", input=name))
            elif isinstance(found, Finding):
                findings.append(found)
            else:
                values[name] = found
        measured: float | Finding | None = None
        if given_directly and direct is not None:
            measured = as_number(item.id, direct.value)
            if isinstance(measured, Finding):
                findings.append(measured)
        if findings:
            usable = all(f.code == "missing" for f in findings)
            status = "missing" if usable else "error"
        else:
            status, value, result_gap, more = _judge(compiled, values, measured, criteria, scratch)
            findings.extend(more)

    return ItemResult(
        id=item.id,
        number=item.number,
        name=item.name,
        kind=item.kind,
        group=item.group,
        binding=item.binding,
        status=status,
        value=value,
        operator=item.operator,
        threshold=item.threshold,
        unit=item.unit,
        gap=result_gap,
        inputs=list(compiled.inputs),
        responsible=list(item.responsible),
        cooperating=list(item.cooperating),
        requirement=item.requirement,
        given_directly=given_directly,
        input_values=_input_values(criteria, compiled, data, given_directly),
        findings=findings,
        source=item.source,
    )


def _judge(
    compiled: CompiledItem,
    values: dict[str, float | bool],
    measured: float | Finding | None,
    criteria: CompiledCriteria,
    scratch: Evaluator,
) -> tuple[Status, float | bool | None, Gap | None, list[Finding]]:
    """Evaluate an item whose inputs are all present and usable."""
    item = compiled.item
    value: float | bool | None = None
    ok = True
    result_gap = None
    findings: list[Finding] = []
    try:
        if compiled.measure is not None:
            raw = (
                measured
                if isinstance(measured, float)
                else compiled.measure.evaluate(values, scratch)
            )
            if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
                raise EvaluationError(f"measure gave {raw!r}, not a finite number")
            assert item.operator is not None
            assert item.threshold is not None
            number = rounded(raw, compiled.decimals)
            value = float(number)
            ok = meets(number, item.operator, item.threshold)
            if not ok:
                result_gap = gap(number, item.operator, item.threshold)
        if compiled.condition is not None:
            holds = compiled.condition.evaluate(values, scratch)
            if not isinstance(holds, bool):
                raise EvaluationError(f"condition gave {holds!r}, not true/false")
            if compiled.measure is None:
                value = holds
            if not holds:
                ok = False
                findings.extend(
                    Finding(code="fact_false", input=name)
                    for name in sorted(compiled.condition.names)
                    if criteria.inputs[name].type == "boolean" and values.get(name) is False
                )
    except DivisionByZeroError:
        zeros = ", ".join(sorted(name for name, v in values.items() if v == 0))
        return "error", None, None, [Finding(code="division_by_zero", detail=zeros)]
    except EvaluationError as exc:
        return "error", None, None, [Finding(code="evaluation", detail=str(exc))]
    return ("pass" if ok else "fail"), value, result_gap, findings


def _input_values(
    criteria: CompiledCriteria, compiled: CompiledItem, data: DataFile, given_directly: bool
) -> list[InputValue]:
    """The values the item used, as given: the item's own value when given directly (its
    measure's inputs are then not used), then each input it read."""
    shown = []
    unused: frozenset[str] = frozenset()
    if given_directly:
        item = compiled.item
        shown.append(_shown(item.id, item.name, item.unit, data.values[item.id]))
        condition = compiled.condition.names if compiled.condition else frozenset()
        unused = (compiled.measure.names if compiled.measure else frozenset()) - condition
    for name in compiled.inputs:
        given = data.values.get(name)
        if given is not None and name not in unused:
            declared = criteria.inputs[name]
            shown.append(_shown(name, declared.name, declared.unit, given))
    return shown


def _shown(name: str, label: Text, unit: str, given: MeasuredValue) -> InputValue:
    return InputValue(
        name=name,
        label=label,
        value=given.value,
        unit=unit,
        source=given.source,
        evidence=given.evidence,
        note=given.note,
    )
