"""Check one entity's data against a compiled criteria set.

The evaluator is pure: it reads a :class:`CompiledCriteria` and a :class:`DataFile` and
returns a :class:`Report`. Missing or unusable data never passes; an item that needs a
profile key, an earlier year or an assigned target the data lacks is ``missing`` and says
what is needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from engine.criteria.compiler import CompiledCriteria, CompiledItem
from engine.criteria.expressions import EvaluationError
from engine.criteria.judging import Explanation, Judging
from engine.criteria.model import Item, ProfileCondition, Text
from engine.data.cells import as_number, coerce, is_empty
from engine.data.record import DataFile, Entity, MeasuredValue
from engine.evaluation.results import (
    BundleResult,
    CriteriaSummary,
    Finding,
    InputValue,
    ItemResult,
    Report,
    Status,
    bundle_status,
    summarize,
)
from engine.evaluation.trajectory import Trajectory, trajectory

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
            id=spec.id,
            title=spec.title,
            document=spec.document.number,
            year=spec.document.year,
            status="superseded" if spec.superseded else "in_force",
            complete=spec.incomplete is None,
            untranscribed=len(spec.incomplete.untranscribed) if spec.incomplete else 0,
            untranscribed_binding=spec.incomplete.binding if spec.incomplete else 0,
            unverified_blocking=sum(
                1
                for r in results
                if r.blocks and r.status != "not_applicable" and r.verification == "unverified"
            ),
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
    direct: bool = False
    """Whether the data gives any item's value directly (in any year)."""

    @classmethod
    def of(cls, criteria: CompiledCriteria, data: DataFile) -> EntityContext:
        """This year's and last year's inputs of ``data``, each coerced once."""
        current, warnings = _prepare_inputs(criteria, data.values)
        previous, _ = _prepare_inputs(criteria, data.history.get(data.entity.year - 1, {}))
        items = criteria.by_id
        direct = not items.keys().isdisjoint(data.values) or any(
            not items.keys().isdisjoint(given) for given in data.history.values()
        )
        return cls(criteria, data, current, previous, warnings, direct=direct)

    def applicability(self, compiled: CompiledItem) -> tuple[bool, list[Finding]]:
        """Whether the item applies to this entity, and the findings that say why not (or
        the profile keys it lacks): settled once per item and entity profile."""
        entity = self.data.entity
        key = (compiled.id, entity.level, entity.region, entity.terrain, entity.coastal,
               entity.city_size)  # fmt: skip
        settled = self.criteria.settled
        known = settled.get(key)
        if known is None:
            problems: list[Finding] = []
            notes: list[Finding] = []
            applies = _applies(compiled.item, self, problems, notes)
            known = settled[key] = (applies, tuple(problems or notes))
        return known[0], list(known[1])

    def prepared_in(self, year: int) -> Prepared:
        if year not in self.years:
            self.years[year], _ = _prepare_inputs(self.criteria, self.data.year_values(year))
        return self.years[year]


class _ItemValues:
    """What the rules of one item read for one entity (:class:`RuleContext`)."""

    __slots__ = ("compiled", "context", "year")

    def __init__(self, context: EntityContext, compiled: CompiledItem) -> None:
        self.context = context
        self.compiled = compiled
        self.year = context.data.entity.year

    def value(self, name: str, year: int) -> float | bool | Finding | None:
        context = self.context
        if year == self.year:
            return context.current.get(name)
        if year == self.year - 1:
            return context.previous.get(name)
        return context.prepared_in(year).get(name)

    def direct(self, year: int) -> float | Finding | None:
        if not self.context.direct:
            return None
        given = self.context.data.year_values(year).get(self.compiled.id)
        if given is None or is_empty(given.value):
            return None
        return as_number(self.compiled.id, given.value, self.compiled.item.unit)

    def profile_match(self, condition: ProfileCondition) -> tuple[bool | None, list[Finding]]:
        return match_profile(condition, self.context.data.entity)


def evaluate_item(context: EntityContext, compiled: CompiledItem, detail: bool) -> ItemResult:
    item = compiled.item
    data = context.data
    direct = data.values.get(item.id)
    given_directly = direct is not None and not is_empty(direct.value)
    problems: list[Finding] = []
    notes: list[Finding] = []
    status: Status
    value: float | bool | None = None
    raw: float | None = None
    primary = trend = None
    parts: list[Explanation] = []
    applies, said = context.applicability(compiled)
    if not applies:
        status = "missing" if said and said[0].code == "missing_profile" else "not_applicable"
        (problems if status == "missing" else notes).extend(said)
    else:
        judging = Judging(
            _ItemValues(context, compiled),
            compiled.measure,
            compiled.decimals,
            (item.minimum, item.maximum),
            item.id,
        )
        decision = compiled.rule.decide(judging)
        status, parts = decision.status, decision.parts
        problems += decision.problems
        notes += decision.notes
        if len(parts) == 1:
            primary = parts[0] if parts[0].shape in _LIMITED else None
            trend = parts[0] if parts[0].shape == "trend" else None
        else:
            limited = [p for p in parts if p.shape in _LIMITED]
            # The part a report shows as the item's own: the first that fails, else the first.
            primary = next(
                (p for p in limited if p.status == "fail"), limited[0] if limited else None
            )
            trend = next((p for p in parts if p.shape == "trend"), None)
        if status in ("pass", "fail"):
            if compiled.measure is not None or given_directly:
                raw, number = judging.measured()
                value = float(number)
            elif all(p.shape == "facts" for p in parts if p.depth == 0):
                value = status == "pass" if len(parts) > 1 else parts[0].value
    if detail:
        # Notes explain a status; they never change one, and a summary matrix shows none.
        if status in ("pass", "fail"):
            notes += _unevidenced(compiled, context)
        notes += [context.warnings[n] for n in compiled.inputs if n in context.warnings]
    # Only a threshold compares the measured value itself with a limit (charts draw it).
    limit = primary if primary is not None and primary.shape == "threshold" else None
    inputs, previous_inputs, lead, responsible, cooperating = compiled.shared_lists
    fixed = item.threshold if isinstance(item.threshold, float | int) else None
    series = _series(status, value, compiled, context) if detail else []
    return ItemResult(
        id=item.id,
        number=item.number,
        name=item.name,
        kind=item.kind,
        group=item.group,
        binding=item.binding,
        status=status,
        value=value,
        raw_value=raw,
        operator=limit.operator if limit else item.operator,
        threshold=limit.threshold if limit and limit.threshold is not None else fixed,
        unit=item.unit,
        gap=primary.gap if primary else None,
        inputs=inputs,
        threshold_basis=limit.threshold_basis if limit else None,
        threshold_label=limit.threshold_label if limit else None,
        trend=compiled.better if trend else None,
        trend_current=trend.value if trend and isinstance(trend.value, float) else None,
        trend_previous=trend.base if trend else None,
        previous_inputs=previous_inputs,
        series=series,
        responsible=responsible,
        cooperating=cooperating,
        requirement=item.requirement,
        given_directly=given_directly,
        input_values=_input_values(context, compiled, given_directly) if detail else [],
        findings=problems + notes,
        source=item.source,
        parts=parts if item.rule is not None else [],
        lead=lead,
        verification=context.criteria.spec.verification_of(item),
        binding_basis=item.binding_basis,
        source_url=item.source_url,
        trajectory=_trajectory(status, value, series, compiled, limit, context) if detail else None,
    )


def _trajectory(
    status: Status,
    value: float | bool | None,
    series: list[tuple[int, float]],
    compiled: CompiledItem,
    limit: Explanation | None,
    context: EntityContext,
) -> Trajectory | None:
    """Whether the item is on track for its target by the set's target year — for a plan
    (a set with ``target_year``) checked in an earlier year, on an item that compares its
    measured value with a number (a composed rule, a trend or a fact has no growth path)."""
    item, year = compiled.item, context.data.entity.year
    due = item.target_year or context.criteria.spec.target_year
    if due is None or year >= due or item.rule is not None or limit is None:
        return None
    if limit.operator not in _DIRECTIONS or limit.threshold is None:
        return None
    if status not in ("pass", "fail") or not isinstance(value, float):
        return None
    return trajectory(
        series,
        (year, value),
        float(limit.threshold),
        due,
        _DIRECTIONS[limit.operator],
        status == "pass",
        context.criteria.spec.base_year,
    )


_DIRECTIONS: dict[str, Literal["higher", "lower"]] = {
    ">=": "higher",
    ">": "higher",
    "<=": "lower",
    "<": "lower",
}
_LIMITED = frozenset({"threshold", "range", "change"})
"""The shapes whose limit, value and gap a report shows as the item's own."""


def _series(
    status: Status, value: float | bool | None, compiled: CompiledItem, context: EntityContext
) -> list[tuple[int, float]]:
    """The item's measured value in every year the data can give it (two or more, or none)."""
    data = context.data
    if not data.history or compiled.measure is None or status == "not_applicable":
        return []
    series = []
    for year in sorted({*data.history, data.entity.year}):
        if year == data.entity.year:
            found = value if isinstance(value, float) else None
        else:
            found = _measure_in(year, compiled, context)
        if found is not None:
            series.append((year, found))
    return series if len(series) > 1 else []


def _measure_in(year: int, compiled: CompiledItem, context: EntityContext) -> float | None:
    """The item's measure for an earlier ``year`` as the rules read it (given directly, or
    computed), or ``None`` when that year lacks what it needs."""
    item = compiled.item
    judging = Judging(
        _ItemValues(context, compiled),
        compiled.measure,
        compiled.decimals,
        (item.minimum, item.maximum),
        item.id,
    )
    try:
        return float(judging.measured(year)[1])
    except EvaluationError:  # a value missing or unusable that year, or out of range
        return None


def _applies(
    item: Item, context: EntityContext, problems: list[Finding], notes: list[Finding]
) -> bool:
    """Whether the item applies to the entity; a profile key it needs but lacks is a problem."""
    entity = context.data.entity
    if item.applies_to is not None and entity.level not in item.applies_to:
        notes.append(Finding(code="not_applicable", detail="level"))
        return False
    if item.applies_when is None:
        return True
    matched, unknown = match_profile(item.applies_when, context.data.entity)
    if matched is False:
        notes.append(Finding(code="not_applicable", detail="profile"))
        return False
    problems += unknown
    return not unknown


def match_profile(condition: ProfileCondition, entity: Entity) -> tuple[bool | None, list[Finding]]:
    """``(True/False, [])`` when the profile decides, ``(None, missing keys)`` when it cannot.

    A known key that does not match decides ``False`` even when other keys are unknown.
    """
    unknown = []
    for key, accepted in condition.requirements().items():
        found = entity.profile(key)
        if found is None:
            unknown.append(Finding(code="missing_profile", input=key))
        elif found not in accepted:
            return False, []
    return (None, unknown) if unknown else (True, [])


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
