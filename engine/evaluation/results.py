"""The outcome of checking one entity: per-item results, summary and verdict.

These dataclasses are the JSON report contract (see ``docs/json-report.md``): field names
are a public interface that scripts rely on and only ever grow. They are plain slotted
dataclasses, not pydantic models, because the engine builds one per item per entity from
values it has already validated; pydantic serialises them for JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from itertools import compress
from typing import Any, Literal

from pydantic import TypeAdapter

from engine.criteria.judging import Explanation
from engine.criteria.model import Kind, Operator, Text, Verification
from engine.evaluation.trajectory import Trajectory
from engine.outcomes import (
    MISSING_CODES,
    STATUSES,
    Direction,
    Finding,
    Gap,
    ProblemCode,
    Status,
    ThresholdBasis,
)

Verdict = Literal["ready", "not_ready"]

# The outcome vocabulary lives in engine.outcomes (rules use it too); importers of this
# module keep finding it here.
__all__ = [
    "MISSING_CODES",
    "STATUSES",
    "BundleResult",
    "CriteriaSummary",
    "Direction",
    "Finding",
    "Gap",
    "InputValue",
    "ItemResult",
    "PartResult",
    "ProblemCode",
    "Report",
    "Status",
    "Summary",
    "ThresholdBasis",
    "Verdict",
    "bundle_status",
    "summarize",
    "summary_of",
    "verdict_of",
]


@dataclass(frozen=True, slots=True)
class InputValue:
    """An input as the data file gave it, with its provenance."""

    name: str
    label: Text
    value: Any
    unit: str = ""
    source: str | None = None
    evidence: str | None = None
    note: str | None = None
    year: int | None = None
    """Set for a value of an earlier year than the one assessed."""


PartResult = Explanation
"""One node of a composed rule (an item with ``rule:``), in the rule's order, depth first."""


@dataclass(frozen=True, slots=True)
class ItemResult:
    """The outcome of one item for one entity."""

    id: str
    number: str
    name: Text
    kind: Kind
    group: str
    binding: bool
    status: Status
    value: float | bool | None
    raw_value: float | None
    """The measured value before rounding to the published precision."""
    operator: Operator | None
    threshold: float | None
    unit: str
    gap: Gap | None
    inputs: list[str]
    threshold_basis: ThresholdBasis | None
    threshold_label: Text | None
    trend: Literal["higher", "lower"] | None
    trend_current: float | None
    trend_previous: float | None
    previous_inputs: list[str]
    series: list[tuple[int, float]]
    """The measured value in each year of the data that gives it (for trend charts)."""
    responsible: list[str]
    cooperating: list[str]
    requirement: Text | None
    given_directly: bool
    input_values: list[InputValue]
    findings: list[Finding]
    source: str
    parts: list[PartResult] = field(default_factory=list)
    """Each node of a composed rule with its own status (empty for a classic item)."""
    lead: list[str] = field(default_factory=list)
    """牵头单位, where the source names them (``responsible`` is 责任单位)."""
    verification: Verification = "unverified"
    """How the item was checked against its source: official, secondary, unverified."""
    binding_basis: Literal["source", "convention"] = "source"
    source_url: str | None = None
    trajectory: Trajectory | None = None
    """Whether the item is on track for its target by the set's target year (plans only)."""

    @property
    def owners(self) -> list[str]:
        """The departments a task list assigns the item to: its lead units, else its
        responsible ones."""
        return self.lead or self.responsible

    @property
    def blocks(self) -> bool:
        """Whether this item, unmet, blocks readiness (basic conditions and binding items)."""
        return self.kind == "basic_condition" or self.binding


@dataclass(frozen=True, slots=True)
class BundleResult:
    """An item of the source checked as several parts: it passes when every part passes."""

    number: str
    name: Text
    status: Status
    parts: list[str]


@dataclass(frozen=True, slots=True)
class CriteriaSummary:
    """Which criteria set a report is against."""

    id: str
    title: Text
    document: str
    year: int
    status: Literal["in_force", "superseded"] = "in_force"
    """``superseded`` when the set's source has been replaced (the set names by what)."""
    complete: bool = True
    """``False`` when the set leaves items of its source untranscribed: the verdict then
    covers the transcribed items only."""
    untranscribed: int = 0
    untranscribed_binding: int = 0
    """Untranscribed items that are, or may be, binding."""
    unverified_blocking: int = 0
    """Basic conditions and binding items that apply here and are not verified at all."""


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts of results by status, plus what blocks and what warns."""

    total: int
    blocking: int
    warnings: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def verdict(self) -> Verdict:
        """``ready`` when no basic condition or binding item is unmet (fail, missing, error)."""
        return "ready" if self.blocking == 0 else "not_ready"

    def to_json(self) -> dict[str, int]:
        """Counts by status, then total, blocking and warnings: the JSON ``summary``."""
        return {
            **self.counts,
            "total": self.total,
            "blocking": self.blocking,
            "warnings": self.warnings,
        }


@dataclass(frozen=True, slots=True)
class Report:
    """Everything one check produced, before rendering."""

    criteria: CriteriaSummary
    entity: dict[str, Any]
    verdict: Verdict
    summary: Summary
    results: list[ItemResult]
    bundles: list[BundleResult] = field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON report: ``summary`` holds the counts by status at its top level."""
        payload: dict[str, Any] = _report_adapter().dump_python(self, mode="json")
        payload["summary"] = self.summary.to_json()
        for result in payload["results"]:
            if not result["parts"]:
                del result["parts"]  # only composed rules have parts
        ordered = ("criteria", "entity", "verdict", "summary", "results", "bundles")
        return {key: payload[key] for key in ordered}


@cache
def _report_adapter() -> TypeAdapter[Report]:
    return TypeAdapter(Report)


def verdict_of(results: list[ItemResult]) -> Verdict:
    """``ready`` when every basic condition and binding item passes or does not apply."""
    return summarize(results).verdict


def bundle_status(parts: list[ItemResult]) -> Status:
    """A bundle passes only when every part passes (or does not apply)."""
    statuses = {part.status for part in parts}
    if statuses <= {"not_applicable"}:
        return "not_applicable"
    if statuses <= {"pass", "not_applicable"}:
        return "pass"
    worst: tuple[Status, ...] = ("fail", "error", "missing")
    for status in worst:
        if status in statuses:
            return status
    return "fail"


def summarize(results: list[ItemResult]) -> Summary:
    return summary_of([r.status for r in results], [r.blocks for r in results])


def summary_of(statuses: list[Status], blocks: list[bool]) -> Summary:
    """:func:`summarize` from each item's status and whether it blocks readiness (counted
    with C-level builtins: a batch summarises every entity)."""
    counts: dict[str, int] = {status: statuses.count(status) for status in STATUSES}
    blocking = list(compress(statuses, blocks))
    unmet = len(blocking) - blocking.count("pass") - blocking.count("not_applicable")
    warnings = counts["fail"] - blocking.count("fail")  # the failures that do not block
    return Summary(total=len(statuses), blocking=unmet, warnings=warnings, counts=counts)
