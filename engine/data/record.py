"""Data files: the measured values of one entity (a city or county) for one year.

Shape (YAML)::

    entity: {name: 保山市, level: city, year: 2016}
    values:
      farmer_net_income: 6420                  # by input name
      tertiary_share: {value: 41.3, source: 保山统计年鉴2017, note: 初步数}   # by item id

A key under ``values`` is an input name, or an item id whose value is then given directly
instead of derived. Earlier years go under ``history``, keyed by year, in the same form;
rules that compare with the previous year read ``history[year - 1]``::

    history:
      2015: {forest_cover_rate: 64.6, forest_land_area: 1461500}

The entity's profile (``region``, ``terrain``, ``coastal``, ``city_size``, with ``level``)
selects profile-dependent thresholds and applicability.

Values are *not* type-checked here: a value that cannot be used becomes an ``error``
result of the items reading it, so one bad cell never hides the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from engine.criteria.compiler import CompiledCriteria
from engine.criteria.model import (
    LEVEL_NAMES,
    CitySize,
    Level,
    ProfileValue,
    Region,
    Terrain,
)
from engine.criteria.yamlio import line_of
from engine.data.cells import WarningCode
from engine.errors import DataError, Problem, Suggestions
from engine.validation_messages import describe


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Entity(_Strict):
    """The entity assessed: who, at what administrative level, for which year."""

    name: Annotated[str, Field(min_length=1)]
    level: Level
    year: int
    region: Region | None = Field(default=None, description="干旱半干旱 / 青藏高原 / other")
    terrain: Terrain | None = Field(default=None, description="山区 / 丘陵 / 平原")
    coastal: bool | None = Field(default=None, description="沿海")
    city_size: CitySize | None = Field(default=None, description="超大特大 / 大 / 中小城市")
    code: str | None = Field(default=None, description="行政区划代码")
    parent: str | None = Field(default=None, description="上级: the prefecture a county belongs to")
    note: str | None = None

    @field_validator("name", "code", "parent")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        """A name goes into titles, file names and ready.txt: a line break in it could forge
        a heading or a line, so it is refused (as is any other control character)."""
        if value is not None and any(ord(c) < 32 or c in "\x7f\x85\u2028\u2029" for c in value):
            raise ValueError(
                "应为一行文字，不能含换行或控制字符 / must be one line, without line breaks or "
                "control characters"
            )
        return value

    def profile(self, key: str) -> ProfileValue | None:
        """The value of profile key ``key`` (``None``: not given)."""
        value: ProfileValue | None = getattr(self, key)
        return value


class ReadWarning(_Strict):
    """How ecoassess read a spreadsheet cell under an assumption the report must show."""

    code: WarningCode
    found: str


class MeasuredValue(_Strict):
    """One value as the data file gives it, with where it comes from."""

    value: Any = None
    source: str | None = Field(default=None, description="statistical yearbook, department …")
    evidence: str | None = Field(default=None, description="document number, report, link")
    note: str | None = None
    warning: ReadWarning | None = Field(
        default=None, description="set by the spreadsheet reader; not written by hand"
    )


class DataFile(_Strict):
    """A whole data file, with the file it came from."""

    entity: Entity
    values: dict[str, MeasuredValue] = {}
    history: dict[int, dict[str, MeasuredValue]] = {}
    path: Path | None = None

    def year_values(self, year: int) -> dict[str, MeasuredValue]:
        """The values given for ``year`` (empty when that year is not in the file)."""
        if year == self.entity.year:
            return self.values
        return self.history.get(year, {})


def select_yaml_year(raw: Any, path: Path, year: int | None) -> Any:
    """A YAML record with ``year`` as the assessed year (its other years as history)."""
    if year is None or not isinstance(raw, dict) or not isinstance(raw.get("entity"), dict):
        return raw
    entity = raw["entity"]
    if entity.get("year") == year:
        return raw
    by_year = {**(raw.get("history") or {}), entity.get("year"): raw.get("values") or {}}
    return {**raw, **assemble(entity, by_year, str(path), year)}


def assemble(
    entity: dict[str, Any], by_year: dict[Any, Any], where: str, year: int | None
) -> dict[str, Any]:
    years = sorted(y for y in by_year if isinstance(y, int))
    chosen = year if year is not None else (years[-1] if years else None)
    if chosen is None or chosen not in by_year:
        present = ", ".join(map(str, years)) or "-"
        wanted = f" {chosen}" if chosen is not None else ""
        raise DataError.single(
            where,
            f"没有{wanted or '任何'}年度的数值；已有年度: {present}",
            f"no values for{wanted or ' any year'}; years present: {present}",
        )
    return {
        "entity": {**entity, "year": chosen},
        "values": by_year[chosen],
        "history": {y: v for y, v in by_year.items() if y != chosen},
    }


def _at(where: str, line: int) -> str:
    return f"{where}:{line}" if line else where


def parse_data(
    raw: Any,
    path: Path,
    criteria: CompiledCriteria,
    *,
    where: str | None = None,
    subunits: bool = False,
) -> DataFile:
    """Validate a loaded record (YAML content, or a spreadsheet's) as data for ``criteria``."""
    source = where or str(path)
    if not isinstance(raw, dict):
        raise DataError.single(
            source,
            "顶层应为键值映射(entity、values)",
            "the top level must be a mapping with entity and values",
        )
    values = raw.get("values") or {}
    if not isinstance(values, dict):
        raise DataError.single(
            _at(source, line_of(raw, ["values"])), "values 应为键值映射", "values must be a mapping"
        )
    # A case file (engine.evaluation.cases) is a data file plus its expectations: check it as data.
    content = {key: value for key, value in raw.items() if key != "expect"}
    history = content.get("history") or {}
    if not isinstance(history, dict) or not all(isinstance(v, dict) for v in history.values()):
        raise DataError.single(
            _at(source, line_of(raw, ["history"])),
            "history 应为按年份的键值映射，如 2015: {forest_cover_rate: 64.6}",
            "history must map years to values, e.g. 2015: {forest_cover_rate: 64.6}",
        )
    if criteria.also_known:  # keys of the other sets checked at the same time: not ours
        values = {k: v for k, v in values.items() if k not in criteria.also_known}
        history = {
            year: {k: v for k, v in given.items() if k not in criteria.also_known}
            for year, given in history.items()
        }
    try:
        data = DataFile.model_validate(
            {
                **content,
                "values": _wrapped(values),
                "history": {year: _wrapped(given) for year, given in history.items()},
                "path": path,
            }
        )
    except ValidationError as exc:
        raise DataError(
            [
                Problem(_at(source, line_of(raw, error["loc"])), *_located(error))
                for error in exc.errors()
            ]
        ) from exc
    problems = _key_problems(raw, data, source, criteria, subunits)
    if problems:
        raise DataError(problems)
    return data


def _wrapped(values: dict[Any, Any]) -> dict[Any, Any]:
    """Plain values as ``{value: …}``, so every value may carry its provenance."""
    return {
        key: value if isinstance(value, dict) else {"value": value} for key, value in values.items()
    }


def _located(error: Any) -> tuple[str, str]:
    field = ".".join(str(part) for part in error["loc"])
    zh, en = describe(error)
    return f"{field}: {zh}", f"{field}: {en}"


def _key_problems(
    raw: Any, data: DataFile, source: str, criteria: CompiledCriteria, subunits: bool
) -> list[Problem]:
    items = criteria.by_id
    problems = []
    levels = criteria.spec.level
    if data.entity.level not in levels and not (subunits and data.entity.parent):
        names = "/".join(LEVEL_NAMES[level].zh for level in levels)
        problems.append(
            Problem(
                f"{_at(source, line_of(raw, ['entity', 'level']))} entity.level",
                f"指标体系 {criteria.id} 只适用于{names}，不适用于 {data.entity.level}；"
                "请选用适用的指标体系",
                f"criteria set {criteria.id} applies to {', '.join(levels)} only, not to "
                f"{data.entity.level}; choose a set for this level",
            )
        )
    if data.entity.year in data.history:
        problems.append(
            Problem(
                f"{_at(source, line_of(raw, ['history', data.entity.year]))} "
                f"history.{data.entity.year}",
                "这是评估年度；其数值应写在 values 下",
                "this is the assessed year; its values belong under values",
            )
        )
    located: list[tuple[list[int | str], str]] = [(["values", key], key) for key in data.values]
    located += [
        (["history", year, key], key) for year, given in data.history.items() for key in given
    ]
    candidates = [*criteria.inputs, *items]
    suggest = Suggestions()
    for location, key in located:
        if key in criteria.inputs:
            continue
        where = f"{_at(source, line_of(raw, location))} {'.'.join(map(str, location))}"
        if key not in items:
            zh_hint, en_hint = suggest(key, candidates)
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
