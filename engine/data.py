"""Data files: the measured values of one entity (a city or county) for one year.

Shape (YAML)::

    entity: {name: 保山市, level: city, year: 2016}
    values:
      farmer_net_income: 6420                  # by input name
      tertiary_share: {value: 41.3, source: 保山统计年鉴2017, note: 初步数}   # by item id

A key under ``values`` is an input name, or an item id whose value is then given directly
instead of derived. Values are *not* type-checked here: a value that cannot be used
becomes an ``error`` result of the items reading it, so one bad cell never hides the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.compiler import CompiledCriteria
from engine.errors import DataError, Problem, did_you_mean
from engine.model import LEVEL_NAMES, Level
from engine.validation_messages import describe
from engine.yamlio import line_of, load_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entity(_Strict):
    """The entity assessed: who, at what administrative level, for which year."""

    name: Annotated[str, Field(min_length=1)]
    level: Level
    year: int
    code: str | None = Field(default=None, description="行政区划代码")
    note: str | None = None


class MeasuredValue(_Strict):
    """One value as the data file gives it, with where it comes from."""

    value: Any = None
    source: str | None = Field(default=None, description="statistical yearbook, department …")
    evidence: str | None = Field(default=None, description="document number, report, link")
    note: str | None = None


class DataFile(_Strict):
    """A whole data file, with the file it came from."""

    entity: Entity
    values: dict[str, MeasuredValue] = {}
    path: Path | None = None


def load_data(path: Path, criteria: CompiledCriteria) -> DataFile:
    """Load a data file and check its keys against ``criteria``.

    Raises:
        DataError: listing every problem (malformed file, unknown keys …).
    """
    raw = load_yaml(path, DataError)
    return parse_data(raw, path, criteria)


def parse_data(raw: Any, path: Path, criteria: CompiledCriteria) -> DataFile:
    """Validate already-loaded YAML content as a data file for ``criteria``."""
    if not isinstance(raw, dict):
        raise DataError.single(
            str(path),
            "顶层应为键值映射(entity、values)",
            "the top level must be a mapping with entity and values",
        )
    values = raw.get("values") or {}
    if not isinstance(values, dict):
        raise DataError.single(
            f"{path}:{line_of(raw, ['values'])}", "values 应为键值映射", "values must be a mapping"
        )
    # A case file (see engine.cases) is a data file plus its expectations: check it as data.
    content = {key: value for key, value in raw.items() if key != "expect"}
    wrapped = {
        key: value if isinstance(value, dict) else {"value": value} for key, value in values.items()
    }
    try:
        data = DataFile.model_validate({**content, "values": wrapped, "path": path})
    except ValidationError as exc:
        raise DataError(
            [
                Problem(f"{path}:{line_of(raw, error['loc'])}", *_located(error))
                for error in exc.errors()
            ]
        ) from exc
    problems = _key_problems(raw, data, path, criteria)
    if problems:
        raise DataError(problems)
    return data


def _located(error: Any) -> tuple[str, str]:
    field = ".".join(str(part) for part in error["loc"])
    zh, en = describe(error)
    return f"{field}: {zh}", f"{field}: {en}"


def _key_problems(
    raw: Any, data: DataFile, path: Path, criteria: CompiledCriteria
) -> list[Problem]:
    items = {compiled.id: compiled for compiled in criteria.items}
    known = [*criteria.inputs, *items]
    problems = []
    levels = criteria.spec.level
    if data.entity.level not in levels:
        names = "/".join(LEVEL_NAMES[level].zh for level in levels)
        problems.append(
            Problem(
                f"{path}:{line_of(raw, ['entity', 'level'])} entity.level",
                f"指标体系 {criteria.id} 只适用于{names}，不适用于 {data.entity.level}；"
                "请选用适用的指标体系",
                f"criteria set {criteria.id} applies to {', '.join(levels)} only, not to "
                f"{data.entity.level}; choose a set for this level",
            )
        )
    for key in data.values:
        where = f"{path}:{line_of(raw, ['values', key])} values.{key}"
        if key in criteria.inputs:
            continue
        if key not in items:
            zh_hint, en_hint = did_you_mean(key, known)
            problems.append(
                Problem(
                    where,
                    f"指标体系 {criteria.id} 中没有此输入项或条目{zh_hint}；"
                    f"用 `ecoassess template {criteria.id}` 查看全部输入项",
                    f"not an input or item of {criteria.id}{en_hint}; "
                    f"`ecoassess template {criteria.id}` lists every input",
                )
            )
        elif items[key].measure is None:
            names = ", ".join(items[key].inputs)
            problems.append(
                Problem(
                    where,
                    f"条目 {key} 没有可直接填写的数值，请逐项填写其事实: {names}",
                    f"item {key} has no measured value to give directly; give its facts: {names}",
                )
            )
    return problems
