"""A fast reader for batch summaries: a long CSV read entity by entity, as plain values.

A province's export is one CSV with an entity column, an input column and a column per year
(the layout ``docs/data-files.md`` describes, header on the first row). For a summary matrix
each entity needs only its profile and each input's value in two years. This reader groups
the rows by entity and reads each cell with the same rules as the general reader
(:func:`engine.normalise.plain_number`, then :func:`engine.normalise.read_value`), but keeps
plain Python values instead of building records and validated models.

An entity is taken this way only when nothing about it needs explaining: every key is an
input or a profile row, every cell reads without a problem, no key is given twice, its
profile is valid and its level is one the set covers. Any other entity's rows go to the
general reader (:func:`engine.tables.entity_record`), which says what is wrong, so the outcome
is the same either way; ``tests/test_plaincsv.py`` compares both on messy files.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.compiler import CompiledCriteria
from engine.data import DataFile, Entity, MeasuredValue, record_data
from engine.errors import DataError
from engine.normalise import SIMPLE_NUMBER, read_value
from engine.tables import (
    Layout,
    Record,
    Row,
    Sheet,
    cell_text,
    csv_encoding,
    entity_record,
    entity_value,
    header_columns,
)

Values = dict[str, float | bool]


@dataclass(frozen=True)
class PlainEntity:
    """An entity read as plain values: its profile, and its inputs' values by year."""

    entity: Entity
    years: dict[int, Values]
    path: Path

    @property
    def current(self) -> Values:
        return self.years[self.entity.year]

    @property
    def previous(self) -> Values:
        return self.years.get(self.entity.year - 1, {})

    @cached_property
    def data(self) -> DataFile:
        """The same entity as the general reader gives it (for the full evaluator)."""
        return DataFile(
            entity=self.entity,
            values={k: MeasuredValue(value=v) for k, v in self.current.items()},
            history={
                year: {k: MeasuredValue(value=v) for k, v in values.items()}
                for year, values in self.years.items()
                if year != self.entity.year
            },
            path=self.path,
        )


class NotGrouped(Exception):
    """An entity's rows are not all together: the file must go through the general reader."""


def read_plain(
    path: Path, criteria: CompiledCriteria, year: int | None
) -> Iterator[PlainEntity | DataFile | DataError] | None:
    """The entities of a long CSV, or ``None`` when the file has another layout.

    Raises (while iterating):
        NotGrouped: when an entity's rows are split; nothing read so far is to be kept.
    """
    if path.suffix.lower() != ".csv":
        return None
    try:
        encoding = csv_encoding(path)
    except DataError:
        return None
    with path.open(encoding=encoding, newline="") as stream:
        header = next(csv.reader(stream), None)
    if header is None:
        return None
    sheet = Sheet(path.name, lambda: iter(()))
    check = Record(where=path.name)
    columns = header_columns((1, header), sheet, check)
    years = sorted(key for key in columns if key.startswith("year:"))
    if check.problems or "entity" not in columns or "input" not in columns or not years:
        return None
    if "value" in columns or "year" in columns:
        return None
    return _entities(path, encoding, Layout.of(columns), sheet, criteria, year)


def _entities(
    path: Path,
    encoding: str,
    layout: Layout,
    sheet: Sheet,
    criteria: CompiledCriteria,
    year: int | None,
) -> Iterator[PlainEntity | DataFile | DataError]:
    seen: set[str] = set()
    column = layout.entity
    assert column is not None
    readings: dict[tuple[str, str], float | bool | None] = {}
    numbers = {name: declared.type == "number" for name, declared in criteria.inputs.items()}
    with path.open(encoding=encoding, newline="") as stream:
        numbered = enumerate(csv.reader(stream), start=1)
        next(numbered)  # the header
        by_entity = groupby(
            numbered, key=lambda row: row[1][column] if column < len(row[1]) else ""
        )
        for raw_entity, rows in by_entity:
            kept: list[Row] = list(rows)
            entity = cell_text(raw_entity)
            plain = _plain(entity, kept, layout, criteria, year, path, readings, numbers)
            if plain is _NO_INPUT:
                continue  # no input named: the general reader makes no record of such rows
            if entity in seen:
                raise NotGrouped(entity)
            seen.add(entity)
            if isinstance(plain, PlainEntity):
                yield plain
            else:
                record = entity_record(sheet, layout, entity, kept, criteria)
                yield record_data(record, path, criteria, year, subunits=True)


class _NoInput:
    """Rows that name no input at all."""


_NO_INPUT = _NoInput()


def _plain(
    entity: str,
    rows: list[Row],
    layout: Layout,
    criteria: CompiledCriteria,
    year: int | None,
    path: Path,
    readings: dict[tuple[str, str], float | bool | None],
    numbers: dict[str, bool],
) -> PlainEntity | _NoInput | None:
    """The entity as plain values, ``None`` when anything needs the general reader.

    ``readings`` remembers how each (input, text) other than a plain number read: the same
    few words (是, 否 …) come back on every entity. ``numbers``: whether each input is a
    number.
    """
    profile: dict[str, Any] = {"name": entity}
    by_year: dict[int, Values] = {year: {} for year, _ in layout.years}
    columns = [(c, by_year[year]) for year, c in layout.years]
    column = layout.input
    keys: set[str] = set()
    plain_number = SIMPLE_NUMBER.match
    for _, row in rows:
        width = len(row)
        key = cell_text(row[column]) if column < width else ""
        if not key:
            continue
        if key in keys:
            return None  # given twice: the general reader says which cell
        keys.add(key)
        number = numbers.get(key)
        if number is None:
            if not key.startswith("entity."):
                return None  # not an input (an item's own value, or a typo)
            filled = [row[c] for _, c in layout.years if c < width and cell_text(row[c])]
            if filled:
                profile[key.removeprefix("entity.")] = entity_value(key[7:], filled[0])
            continue
        for c, values in columns:
            text = row[c] if c < width else ""
            if not text:
                continue
            if number and plain_number(text):
                value: float | bool | None = float(text)
            else:
                remembered = readings.get((key, text), _UNREAD)
                if remembered is _UNREAD:
                    reading = read_value(text, criteria.inputs[key])
                    # A value read under an assumption (0.85 in a percentage column) is
                    # kept; the assumption is a note of the full report, never a status.
                    remembered = readings[key, text] = (
                        _UNREADABLE if reading.problem is not None else reading.value
                    )
                if remembered is _UNREADABLE:
                    return None
                value = remembered
                if value is None:
                    continue
            values[key] = value  # type: ignore[assignment]
    if not keys:
        return _NO_INPUT
    by_year = {year: values for year, values in by_year.items() if values}
    chosen = year if year is not None else max(by_year, default=None)
    if chosen is None or chosen not in by_year:
        return None
    try:
        model = Entity.model_validate({**profile, "year": chosen})
    except ValidationError:
        return None
    if model.level not in criteria.spec.level:
        return None
    return PlainEntity(model, by_year, path)


_UNREAD: Any = object()
_UNREADABLE: Any = object()


__all__ = ["NotGrouped", "PlainEntity", "read_plain"]
