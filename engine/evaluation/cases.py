"""Test cases shipped with a criteria set: data files that state the expected outcome.

A case is a data file with one more key::

    expect:
      verdict: not_ready
      statuses: {farmer_income: pass, tertiary_share: fail, ...}   # every item

``ecoassess validate`` and the test suite run every case of every set.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from engine.criteria.compiler import CompiledCriteria
from engine.criteria.yamlio import line_of, load_yaml
from engine.data.record import parse_data
from engine.errors import DataError, Problem
from engine.evaluation.evaluator import evaluate
from engine.evaluation.results import Status, Verdict

CASES_FOLDER = "cases"


class Expectation(BaseModel):
    """What a case expects."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    verdict: Verdict
    statuses: dict[str, Status]


@dataclass(frozen=True)
class CaseOutcome:
    """A case and what differed from its expectation (nothing when it passed)."""

    path: Path
    mismatches: list[str]
    verdict: str = ""
    """The verdict the case expects."""
    expects_missing: bool = False
    """Whether the case expects some item to be ``missing``."""

    @property
    def passed(self) -> bool:
        return not self.mismatches


def coverage_gaps(outcomes: list[CaseOutcome]) -> list[tuple[str, str]]:
    """What a set's cases leave uncovered (Chinese, English): the docs ask for a ready case,
    a not-ready case and one with missing data."""
    gaps = []
    if not any(o.verdict == "ready" for o in outcomes):
        gaps.append(("没有结论为 ready(具备条件)的用例", "no case with verdict ready"))
    if not any(o.verdict == "not_ready" for o in outcomes):
        gaps.append(("没有结论为 not_ready(尚不具备)的用例", "no case with verdict not_ready"))
    if not any(o.expects_missing for o in outcomes):
        gaps.append(("没有含缺失数据(missing)的用例", "no case with missing data"))
    return gaps


def case_files(criteria: CompiledCriteria) -> list[Path]:
    """The case files of a set, sorted by name."""
    return sorted((criteria.path.parent / CASES_FOLDER).glob("*.yaml"))


def run_case(path: Path, criteria: CompiledCriteria) -> CaseOutcome:
    """Evaluate one case and compare with its expectation.

    Raises:
        DataError: the case file is malformed or incomplete.
    """
    raw = load_yaml(path, DataError)
    if not isinstance(raw, dict) or "expect" not in raw:
        raise DataError.single(str(path), "测试用例缺少 expect", "a case needs an expect section")
    expect = _expectation(raw, path, criteria)
    data = parse_data(raw, path, criteria)
    report = evaluate(criteria, data)
    mismatches = []
    if report.verdict != expect.verdict:
        mismatches.append(f"verdict: expected {expect.verdict}, got {report.verdict}")
    for result in report.results:
        expected = expect.statuses[result.id]
        if result.status != expected:
            mismatches.append(
                f"{result.id} ({result.number}): expected {expected}, got {result.status}"
            )
    return CaseOutcome(
        path=path,
        mismatches=mismatches,
        verdict=expect.verdict,
        expects_missing="missing" in expect.statuses.values(),
    )


def _expectation(raw: dict[str, Any], path: Path, criteria: CompiledCriteria) -> Expectation:
    try:
        expect = Expectation.model_validate(raw["expect"])
    except ValidationError as exc:
        raise DataError(
            [
                Problem(
                    f"{path}:{line_of(raw, ['expect', *error['loc']])}",
                    f"expect.{'.'.join(map(str, error['loc']))}: {error['msg']}",
                    f"expect.{'.'.join(map(str, error['loc']))}: {error['msg']}",
                )
                for error in exc.errors()
            ]
        ) from exc
    ids = [compiled.id for compiled in criteria.items]
    problems = [
        Problem(
            f"{path}:{line_of(raw, ['expect', 'statuses'])}",
            f"expect.statuses 缺少条目 {item_id}",
            f"expect.statuses lacks item {item_id}",
        )
        for item_id in ids
        if item_id not in expect.statuses
    ] + [
        Problem(
            f"{path}:{line_of(raw, ['expect', 'statuses', key])}",
            f"expect.statuses 中的 {key} 不是条目 id",
            f"expect.statuses: {key} is not an item id",
        )
        for key in expect.statuses
        if key not in ids
    ]
    if problems:
        raise DataError(problems)
    return expect
