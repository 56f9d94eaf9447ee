"""Check one entity's data against a compiled criteria set.

The evaluator is pure: it reads a :class:`CompiledCriteria` and a :class:`DataFile` and
returns a :class:`Report`. Missing or unusable data never passes; an item that needs a
profile key, an earlier year or an assigned target the data lacks is ``missing`` and says
what is needed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from engine.criteria.comparison import gap, meets, rounded
from engine.criteria.compiler import CompiledCriteria, CompiledItem
from engine.criteria.expressions import (
    DivisionByZeroError,
    EvaluationError,
    Expression,
    previous_name,
    split_previous,
)
from engine.criteria.model import AssignedTarget, Item, ProfileCondition, Text
from engine.data.record import DataFile, Entity, MeasuredValue
from engine.evaluation.coercion import as_number, coerce, is_empty
from engine.evaluation.results import (
    MISSING_CODES,
    BundleResult,
    CriteriaSummary,
    Finding,
    Gap,
    InputValue,
    ItemResult,
    ProblemCode,
    Report,
    Status,
    ThresholdBasis,
    bundle_status,
    summarize,
)
from engine.numbers import format_number

Prepared = dict[str, float | bool | Finding]
Warnings = dict[str, Finding]


def evaluate(criteria: CompiledCriteria, data: DataFile, *, detail: bool = True) -> Report:
    """The full report for one entity.

    ``detail=False`` leaves out what only a per-entity report shows (each input's provenance,
    the series of earlier years, notes such as missing evidence): statuses, values, gaps,
    the findings that decide a status, and the verdict are the same.
    """
    context = EntityContext.of(criteria, data)
    results = [evaluate_item(context, compiled, detail) for compiled in criteria.items]
    by_id = {result.id: result for result in results}
    spec = criteria.spec
    summary = summarize(results)
    return Report(
        criteria=CriteriaSummary(
            id=spec.id, title=spec.title, document=spec.document.number, year=spec.document.year
        ),
        entity=data.entity.model_dump(exclude_none=True),
        verdict=summary.verdict,
        summary=summary,
        results=results,
        bundles=[
            BundleResult(
                number=bundle.number,
                name=bundle.name,
                status=bundle_status([by_id[part] for part in bundle.parts]),
                parts=list(bundle.parts),
            )
            for bundle in criteria.bundles
        ],
    )


def _prepare_inputs(
    criteria: CompiledCriteria, values: dict[str, MeasuredValue]
) -> tuple[Prepared, Warnings]:
    """Each input's value as its declared type, and how any was read under an assumption
    (by the YAML reader here, or earlier by the spreadsheet reader)."""
    prepared: Prepared = {}
    warnings: Warnings = {}
    for name, given in values.items():
        if name not in criteria.inputs:
            continue
        prepared[name], warning = coerce(name, criteria.inputs[name], given.value)
        if given.warning is not None:
            warning = Finding(code=given.warning.code, input=name, found=given.warning.found)
        if warning is not None:
            warnings[name] = warning
    return prepared, warnings


@dataclass
class EntityContext:
    """What evaluating one entity needs, prepared once for all its items."""

    criteria: CompiledCriteria
    data: DataFile
    current: Prepared
    previous: Prepared
    warnings: Warnings
    years: dict[int, Prepared] = field(default_factory=dict)
    """Each earlier year's inputs, prepared once for all items (for trend series)."""

    @classmethod
    def of(cls, criteria: CompiledCriteria, data: DataFile) -> EntityContext:
        """This year's and last year's inputs of ``data``, each coerced once."""
        current, warnings = _prepare_inputs(criteria, data.values)
        previous, _ = _prepare_inputs(criteria, data.history.get(data.entity.year - 1, {}))
        return cls(criteria, data, current, previous, warnings)

    def prepared_in(self, year: int) -> Prepared:
        if year not in self.years:
            self.years[year], _ = _prepare_inputs(self.criteria, self.data.year_values(year))
        return self.years[year]


@dataclass
class _Outcome:
    """The parts of an item's result that evaluation decides."""

    status: Status = "pass"
    value: float | bool | None = None
    raw: float | None = None
    threshold: float | None = None
    basis: ThresholdBasis | None = None
    label: Text | None = None
    gap: Gap | None = None
    trend_current: float | None = None
    trend_previous: float | None = None
    problems: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)


def evaluate_item(context: EntityContext, compiled: CompiledItem, detail: bool) -> ItemResult:
    item = compiled.item
    data = context.data
    direct = data.values.get(item.id)
    given_directly = direct is not None and not is_empty(direct.value)
    outcome = _Outcome()
    if not _applies(item, context, outcome):
        outcome.status = "not_applicable" if not outcome.problems else "missing"
    else:
        _resolve_threshold(compiled, context, outcome)
        values = _gather(compiled, context, outcome, given_directly)
        measured = _direct_value(item, direct, outcome) if given_directly else None
        if outcome.problems:
            codes = {finding.code for finding in outcome.problems}
            outcome.status = "missing" if codes <= MISSING_CODES else "error"
        else:
            _judge(compiled, context, values, measured, outcome)
    if detail:
        # Notes explain a status; they never change one, and a summary matrix shows none.
        if outcome.status in ("pass", "fail"):
            outcome.notes += _unevidenced(compiled, context)
        outcome.notes += [context.warnings[n] for n in compiled.inputs if n in context.warnings]
    inputs, previous_inputs, responsible, cooperating = compiled.shared_lists
    threshold = item.threshold if isinstance(item.threshold, float | int) else None
    return ItemResult(
        id=item.id,
        number=item.number,
        name=item.name,
        kind=item.kind,
        group=item.group,
        binding=item.binding,
        status=outcome.status,
        value=outcome.value,
        raw_value=outcome.raw,
        operator=item.operator,
        threshold=outcome.threshold if outcome.threshold is not None else threshold,
        unit=item.unit,
        gap=outcome.gap,
        inputs=inputs,
        threshold_basis=outcome.basis,
        threshold_label=outcome.label,
        trend=item.trend.better if item.trend else None,
        trend_current=outcome.trend_current,
        trend_previous=outcome.trend_previous,
        previous_inputs=previous_inputs,
        series=_series(outcome, compiled, context) if detail else [],
        responsible=responsible,
        cooperating=cooperating,
        requirement=item.requirement,
        given_directly=given_directly,
        input_values=_input_values(context, compiled, given_directly) if detail else [],
        findings=outcome.problems + outcome.notes,
        source=item.source,
    )


def _series(
    outcome: _Outcome, compiled: CompiledItem, context: EntityContext
) -> list[tuple[int, float]]:
    """The item's measured value in every year the data can give it (two or more, or none)."""
    data = context.data
    if not data.history or compiled.measure is None or outcome.status == "not_applicable":
        return []
    series = []
    for year in sorted({*data.history, data.entity.year}):
        if year == data.entity.year:
            value = outcome.value if isinstance(outcome.value, float) else None
        else:
            value = _measure_in(year, compiled, context)
        if value is not None:
            series.append((year, value))
    return series if len(series) > 1 else []


def _measure_in(year: int, compiled: CompiledItem, context: EntityContext) -> float | None:
    """The item's measure for an earlier ``year``, or ``None`` when that year lacks inputs."""
    assert compiled.measure is not None
    data = context.data
    given = data.history.get(year, {}).get(compiled.id)
    if given is not None:
        number = as_number(compiled.id, given.value, compiled.item.unit)
        return float(rounded(number, compiled.decimals)) if isinstance(number, float) else None
    this, before = context.prepared_in(year), context.prepared_in(year - 1)
    values: dict[str, float | bool] = {}
    for name in compiled.measure.names:
        base, is_previous = split_previous(name)
        found = (before if is_previous else this).get(base)
        if not isinstance(found, float):
            return None
        values[name] = found
    try:
        return float(rounded(_number(compiled.measure, values, context), compiled.decimals))
    except EvaluationError:
        return None


def _applies(item: Item, context: EntityContext, outcome: _Outcome) -> bool:
    """Whether the item applies to the entity; a profile key it needs but lacks is a problem."""
    entity = context.data.entity
    if item.applies_to is not None and entity.level not in item.applies_to:
        outcome.notes.append(Finding(code="not_applicable", detail="level"))
        return False
    if item.applies_when is None:
        return True
    matched, unknown = match_profile(item.applies_when, context.data.entity)
    if matched is False:
        outcome.notes.append(Finding(code="not_applicable", detail="profile"))
        return False
    outcome.problems += unknown
    return not unknown


def match_profile(condition: ProfileCondition, entity: Entity) -> tuple[bool | None, list[Finding]]:
    """``(True/False, [])`` when the profile decides, ``(None, missing keys)`` when it cannot.

    A known key that does not match decides ``False`` even when other keys are unknown.
    """
    unknown = []
    for key, accepted in condition.requirements().items():
        value = entity.profile(key)
        if value is None:
            unknown.append(Finding(code="missing_profile", input=key))
        elif value not in accepted:
            return False, []
    return (None, unknown) if unknown else (True, [])


def _resolve_threshold(compiled: CompiledItem, context: EntityContext, outcome: _Outcome) -> None:
    item = compiled.item
    if isinstance(item.threshold, float | int):
        outcome.threshold, outcome.basis = float(item.threshold), "fixed"
    elif isinstance(item.threshold, AssignedTarget):
        outcome.basis = "assigned"
        target = context.current.get(item.threshold.input)
        if target is None:
            outcome.problems.append(Finding(code="missing", input=item.threshold.input))
        elif isinstance(target, Finding):
            outcome.problems.append(target)
        elif isinstance(target, float):
            outcome.threshold = target
    elif item.thresholds is not None:
        outcome.basis = "profile"
        for variant in item.thresholds:
            matched, unknown = match_profile(variant.when, context.data.entity)
            if unknown:
                outcome.problems += unknown
                return
            if matched:
                outcome.threshold, outcome.label = variant.value, variant.label
                return
        outcome.problems.append(Finding(code="no_threshold"))


def _gather(
    compiled: CompiledItem, context: EntityContext, outcome: _Outcome, given_directly: bool
) -> dict[str, float | bool]:
    """The values the item's expressions read, this year's and last year's by name."""
    trend_direct = compiled.trend is not None and _previous_direct(compiled, context) is not None
    previous_year = str(context.data.entity.year - 1)
    values: dict[str, float | bool] = {}
    for name, base, is_previous in compiled.wanted[given_directly, trend_direct]:
        found = (context.previous if is_previous else context.current).get(base)
        if is_previous and isinstance(found, Finding) and found.code == "missing":
            found = None  # an empty value for last year: say which year is needed
        if found is None:
            code: ProblemCode = "missing_previous" if is_previous else "missing"
            detail = previous_year if is_previous else None
            outcome.problems.append(Finding(code=code, input=base, detail=detail))
        elif isinstance(found, Finding):
            outcome.problems.append(found)
        else:
            values[name] = found
    return values


def _previous_direct(compiled: CompiledItem, context: EntityContext) -> float | None:
    """Last year's value of the item given directly, when the trend follows the measure."""
    item = compiled.item
    if item.trend is None or item.trend.of is not None:
        return None
    given = context.data.history.get(context.data.entity.year - 1, {}).get(item.id)
    if given is None:
        return None
    number = as_number(item.id, given.value, item.unit)
    return number if isinstance(number, float) else None


def _direct_value(item: Item, direct: MeasuredValue | None, outcome: _Outcome) -> float | None:
    number = as_number(item.id, direct.value if direct else None, item.unit)
    if isinstance(number, Finding):
        outcome.problems.append(number)
        return None
    return number


def _judge(
    compiled: CompiledItem,
    context: EntityContext,
    values: dict[str, float | bool],
    measured: float | None,
    outcome: _Outcome,
) -> None:
    """Evaluate an item whose inputs are all present and usable."""
    item = compiled.item
    ok = True
    try:
        number: Decimal | None = None
        if compiled.measure is not None:
            raw = measured if measured is not None else _number(compiled.measure, values, context)
            low, high = item.minimum, item.maximum
            if (low is not None and raw < low) or (high is not None and raw > high):
                bounds = f"{'' if low is None else format_number(low)}.." + (
                    "" if high is None else format_number(high)
                )
                outcome.status = "error"
                outcome.problems.append(
                    Finding(
                        code="out_of_range", input=item.id, found=format_number(raw), detail=bounds
                    )
                )
                return
            number = rounded(raw, compiled.decimals)
            outcome.value, outcome.raw = float(number), raw
        limit = outcome.threshold
        if (
            item.operator
            and limit is not None
            and number is not None
            and not meets(number, item.operator, limit)
        ):
            ok = False
            outcome.gap = gap(number, item.operator, limit)
        if compiled.condition is not None:
            holds = compiled.condition.evaluate(values)
            if not isinstance(holds, bool):
                raise EvaluationError(f"condition gave {holds!r}, not true/false")
            if compiled.measure is None and compiled.trend is None:
                outcome.value = holds
            if not holds:
                ok = False
                outcome.notes += [
                    Finding(code="fact_false", input=base)
                    for base, value in _facts(compiled.condition, values, context)
                    if value is False
                ]
        if compiled.trend is not None and item.trend is not None:
            ok &= _trend_holds(compiled, context, values, number, outcome)
    except DivisionByZeroError:
        zeros = ", ".join(sorted(split_previous(n)[0] for n, v in values.items() if v == 0))
        outcome.status, outcome.value = "error", None
        outcome.problems.append(Finding(code="division_by_zero", detail=zeros))
        return
    except EvaluationError as exc:
        outcome.status, outcome.value = "error", None
        outcome.problems.append(Finding(code="evaluation", detail=str(exc)))
        return
    outcome.status = "pass" if ok else "fail"


def _number(
    expression: Expression, values: dict[str, float | bool], context: EntityContext
) -> float:
    raw = expression.evaluate(values)
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise EvaluationError(f"{expression.text} gave {raw!r}, not a finite number")
    return float(raw)


def _facts(
    condition: Expression, values: dict[str, float | bool], context: EntityContext
) -> list[tuple[str, float | bool | None]]:
    boolean = [
        name
        for name in sorted(condition.names)
        if context.criteria.inputs[split_previous(name)[0]].type == "boolean"
    ]
    return [(split_previous(name)[0], values.get(name)) for name in boolean]


def _trend_holds(
    compiled: CompiledItem,
    context: EntityContext,
    values: dict[str, float | bool],
    number: Decimal | None,
    outcome: _Outcome,
) -> bool:
    """This year is not worse than last year in the item's better direction."""
    assert compiled.trend is not None
    assert compiled.item.trend is not None
    follows_measure = compiled.item.trend.of is None and number is not None
    if follows_measure and number is not None:
        current = number
    else:
        current = rounded(_number(compiled.trend, values, context), compiled.decimals)
    earlier = _previous_direct(compiled, context)
    if earlier is None:
        last_year = {name: values[previous_name(name)] for name in compiled.trend.names}
        earlier = _number(compiled.trend, last_year, context)
    previous = rounded(earlier, compiled.decimals)
    outcome.trend_current, outcome.trend_previous = float(current), float(previous)
    holds = current >= previous if compiled.item.trend.better == "higher" else current <= previous
    if not holds:
        outcome.notes.append(Finding(code="trend_worse", found=str(current), detail=str(previous)))
    return holds


def _unevidenced(compiled: CompiledItem, context: EntityContext) -> list[Finding]:
    """Facts answered "yes" with neither evidence nor source: accepted, but flagged."""
    flagged = []
    for name in compiled.inputs:
        declared = context.criteria.inputs[name]
        given = context.data.values.get(name)
        if (
            declared.type == "boolean"
            and declared.evidence
            and given is not None
            and context.current.get(name) is True
            and not (given.evidence or given.source)
        ):
            flagged.append(Finding(code="no_evidence", input=name))
    return flagged


def _input_values(
    context: EntityContext, compiled: CompiledItem, given_directly: bool
) -> list[InputValue]:
    """The values the item used, as given: the item's own value when given directly (its
    measure's inputs are then not used), then each input it read."""
    data = context.data
    shown = []
    unused: frozenset[str] = frozenset()
    if given_directly:
        item = compiled.item
        shown.append(_shown(item.id, item.name, item.unit, data.values[item.id]))
        kept = (compiled.condition.names if compiled.condition else frozenset()) | (
            compiled.trend.names
            if compiled.trend and compiled.item.trend and compiled.item.trend.of
            else frozenset()
        )
        unused = (compiled.measure.names if compiled.measure else frozenset()) - kept
    for name in compiled.inputs:
        given = data.values.get(name)
        if given is not None and name not in unused:
            declared = context.criteria.inputs[name]
            shown.append(_shown(name, declared.name, declared.unit, given))
    last_year = data.entity.year - 1
    earlier = data.history.get(last_year, {})
    for name in compiled.previous_inputs:
        given = earlier.get(name)
        if given is not None:
            declared = context.criteria.inputs[name]
            shown.append(_shown(name, declared.name, declared.unit, given, last_year))
    return shown


def _shown(
    name: str, label: Text, unit: str, given: MeasuredValue, year: int | None = None
) -> InputValue:
    return InputValue(
        name=name,
        label=label,
        value=given.value,
        unit=unit,
        source=given.source,
        evidence=given.evidence,
        note=given.note,
        year=year,
    )


__all__ = ["EntityContext", "evaluate", "evaluate_item", "match_profile"]
