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
import heapq
import multiprocessing
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from engine.compiler import CompiledCriteria
from engine.data import DataFile, Entity, MeasuredValue, record_data
from engine.errors import DataError
from engine.matrix import Cell, MatrixEvaluator
from engine.normalise import SIMPLE_NUMBER, read_value
from engine.results import Summary, Verdict
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


Group = tuple[int, str, "PlainEntity | list[Row]"]
"""A group of rows: its place among the entities, the entity, and the entity read as plain
values or the rows the general reader must read."""


@dataclass(frozen=True)
class PlainCsv:
    """A long CSV the plain reader can take (see :func:`open_plain`)."""

    path: Path
    encoding: str
    layout: Layout
    criteria: CompiledCriteria
    year: int | None

    @property
    def sheet(self) -> Sheet:
        return Sheet(self.path.name, lambda: iter(()))

    def general(self, entity: str, rows: list[Row]) -> DataFile | DataError:
        """One entity's rows read by the general reader, problems and all."""
        record = entity_record(self.sheet, self.layout, entity, rows, self.criteria)
        return record_data(record, self.path, self.criteria, self.year, subunits=True)

    def groups(self, share: tuple[int, int] = (0, 1)) -> Iterator[Group]:
        """The entities' row groups; with ``share=(k, n)`` only every n-th from the k-th is
        read (the others are only checked for split entities), for n processes.

        Raises (while iterating):
            NotGrouped: when an entity's rows are split; nothing read so far is to be kept.
        """
        part, parts = share
        layout, criteria = self.layout, self.criteria
        column, key_column = layout.entity, layout.input
        assert column is not None
        seen: set[str] = set()
        readings: dict[tuple[str, str], float | bool | None] = {}
        numbers = {name: declared.type == "number" for name, declared in criteria.inputs.items()}
        index = 0
        with self.path.open(encoding=self.encoding, newline="") as stream:
            numbered = enumerate(csv.reader(stream), start=1)
            next(numbered)  # the header
            by_entity = groupby(
                numbered, key=lambda row: row[1][column] if column < len(row[1]) else ""
            )
            for raw_entity, rows in by_entity:
                kept: list[Row] = list(rows)
                if not any(key_column < len(row) and cell_text(row[key_column]) for _, row in kept):
                    continue  # no input named: the general reader makes no record of them
                entity = cell_text(raw_entity)
                if entity in seen:
                    raise NotGrouped(entity)
                seen.add(entity)
                index += 1
                if (index - 1) % parts != part:
                    continue
                plain = _plain(
                    entity, kept, layout, criteria, self.year, self.path, readings, numbers
                )
                yield index, entity, plain if isinstance(plain, PlainEntity) else kept


class MatrixRow(NamedTuple):
    """An entity's row of the summary matrix."""

    entity: Entity
    verdict: Verdict
    summary: Summary
    cells: list[Cell]


def assess(
    reader: PlainCsv, matrix: MatrixEvaluator, parts: int = 1
) -> Iterator[MatrixRow | DataFile | DataError]:
    """Every entity of the file in order: its matrix row when it reads plainly, else as the
    general reader gives it (for the full evaluator).

    With ``parts`` > 1, that many forked processes each read the whole file but assess only
    their share of its entities (a large file's rows are most of a batch's time); where
    processes cannot be forked safely, one does it all.

    Raises (while iterating):
        NotGrouped: when an entity's rows are split.
    """
    # Forking is safe only while this process runs a single thread (not, say, in a server).
    single = threading.active_count() == 1
    try:
        context = multiprocessing.get_context("fork") if parts > 1 and single else None
    except ValueError:  # no fork on this platform
        context = None
    if context is None:
        for _, entity, entry in reader.groups():
            yield (
                _row(matrix, entry)
                if isinstance(entry, PlainEntity)
                else reader.general(entity, entry)
            )
        return
    global _WORK
    _WORK = reader, matrix
    try:
        with context.Pool(parts) as pool:
            shares = pool.map(_share, [(part, parts) for part in range(parts)])
    finally:
        _WORK = None
    for _, entity, outcome in heapq.merge(*shares, key=itemgetter(0)):
        yield outcome if isinstance(outcome, MatrixRow) else reader.general(entity, outcome)


_WORK: tuple[PlainCsv, MatrixEvaluator] | None = None
"""What forked processes work on (set by :func:`assess` just before they are forked)."""


def _share(share: tuple[int, int]) -> list[tuple[int, str, MatrixRow | list[Row]]]:
    assert _WORK is not None
    reader, matrix = _WORK
    return [
        (index, entity, _row(matrix, entry) if isinstance(entry, PlainEntity) else entry)
        for index, entity, entry in reader.groups(share)
    ]


def _row(matrix: MatrixEvaluator, plain: PlainEntity) -> MatrixRow:
    return MatrixRow(plain.entity, *matrix.row_plain(plain))


def open_plain(path: Path, criteria: CompiledCriteria, year: int | None) -> PlainCsv | None:
    """The file as a long CSV the plain reader can take, or ``None`` for another layout."""
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
    check = Record(where=path.name)
    columns = header_columns((1, header), Sheet(path.name, lambda: iter(())), check)
    years = sorted(key for key in columns if key.startswith("year:"))
    if check.problems or "entity" not in columns or "input" not in columns or not years:
        return None
    if "value" in columns or "year" in columns:
        return None
    return PlainCsv(path, encoding, Layout.of(columns), criteria, year)


def _plain(
    entity: str,
    rows: list[Row],
    layout: Layout,
    criteria: CompiledCriteria,
    year: int | None,
    path: Path,
    readings: dict[tuple[str, str], float | bool | None],
    numbers: dict[str, bool],
) -> PlainEntity | None:
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


__all__ = [
    "MatrixRow",
    "NotGrouped",
    "PlainCsv",
    "PlainEntity",
    "assess",
    "open_plain",
]
