"""A fast reader for batch summaries: a long CSV read entity by entity, as plain values.

A province's export is one CSV with an entity column, an input column and a column per year
(the layout ``docs/data-files.md`` describes, header on the first row). For a summary matrix
each entity needs only its profile and each input's value in two years. This reader groups
the rows by entity and reads each cell with the same rules as the general reader — a year's
column of plain decimal numbers at once, any other cell by
:func:`engine.normalise.read_value` — but keeps plain Python values instead of building
records and validated models.

An entity is taken this way only when nothing about it needs explaining: every key is an
input or a profile row, every cell reads without a problem, no key is given twice, its
profile is valid and its level is one the set covers. Any other entity's rows go to the
general reader (:func:`engine.tables.entity_record`), which says what is wrong, so the outcome
is the same either way; ``tests/test_plaincsv.py`` compares both on messy files.
"""

from __future__ import annotations

import csv
import multiprocessing
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cached_property
from itertools import compress, groupby
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import ValidationError

from engine.compiler import CompiledCriteria
from engine.csvsplit import Part, open_part, split
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
    clean_text,
    csv_encoding,
    entity_record,
    entity_value,
    header_columns,
)

if TYPE_CHECKING:
    from engine.summary import SummaryRow

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


Group = tuple[str, "PlainEntity | list[Row]"]
"""A group of rows: the entity, and the entity read as plain values or the rows the general
reader must read."""


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

    def groups(self, part: Part | None = None) -> Iterator[Group]:
        """The entities' row groups, of the whole file or of one part of it.

        Raises (while iterating):
            NotGrouped: when an entity's rows are split; nothing read so far is to be kept.
        """
        column, key_column = self.layout.entity, self.layout.input
        assert column is not None
        reader = _EntityReader(self)
        seen: set[str] = set()
        with self._rows(part) as numbered:
            filled = filter(_VALUES, numbered)  # blank lines: nothing to read, nor to split
            by_entity = groupby(
                filled, key=lambda row: row[1][column] if column < len(row[1]) else ""
            )
            for raw_entity, rows in by_entity:
                kept: list[Row] = list(rows)
                cells = list(map(_VALUES, kept))
                keys = _keys(cells, key_column)
                if not any(keys):
                    continue  # no input named: the general reader makes no record of them
                entity = cell_text(raw_entity)
                if entity in seen:
                    raise NotGrouped(entity)
                seen.add(entity)
                plain = reader.read(entity, cells, keys)
                yield entity, kept if plain is None else plain

    @contextmanager
    def _rows(self, part: Part | None) -> Iterator[Iterator[Row]]:
        """The numbered rows after the header, or of one part."""
        if part is None:
            with self.path.open(encoding=self.encoding, newline="") as stream:
                numbered = enumerate(csv.reader(stream), start=1)
                next(numbered)  # the header
                yield numbered
        else:
            with open_part(self.path, self.encoding, part) as stream:
                yield enumerate(csv.reader(stream), start=part.row)


class MatrixRow(NamedTuple):
    """An entity's row of the summary matrix."""

    entity: Entity
    verdict: Verdict
    summary: Summary
    cells: list[Cell]
    summary_row: SummaryRow | None = None
    """Made with the row when the file is read in parts (:func:`assess`): each process then
    formats its own entities for the summaries."""


def assess(
    reader: PlainCsv, matrix: MatrixEvaluator, parts: int = 1
) -> Iterator[MatrixRow | DataFile | DataError]:
    """Every entity of the file in order: its matrix row when it reads plainly, else as the
    general reader gives it (for the full evaluator).

    With ``parts`` > 1, the file is cut into that many parts at entity boundaries; this
    process reads and assesses the first, a forked process each other one (a large file's
    rows are most of a batch's time). Where the file cannot be cut by lines
    (:func:`engine.csvsplit.split`) or processes cannot be forked safely, one does it all.

    Raises (while iterating):
        NotGrouped: when an entity's rows are split.
    """
    # Forking is safe only while this process runs a single thread (not, say, in a server).
    single = threading.active_count() == 1
    try:
        context = multiprocessing.get_context("fork") if parts > 1 and single else None
    except ValueError:  # no fork on this platform
        context = None
    assert reader.layout.entity is not None
    pieces = (
        split(reader.path, reader.encoding, reader.layout.entity, parts)
        if context is not None
        else None
    )
    if context is None or pieces is None or len(pieces) == 1:
        for entity, entry in reader.groups():
            yield (
                _row(matrix, entry)
                if isinstance(entry, PlainEntity)
                else reader.general(entity, entry)
            )
        return
    global _WORK
    _WORK = reader, matrix
    try:
        with context.Pool(len(pieces) - 1) as pool:
            others = [pool.apply_async(_part, (piece,)) for piece in pieces[1:]]
            first = _part(pieces[0])  # this process reads the first part meanwhile
            assessed = [first, *(other.get() for other in others)]
    finally:
        _WORK = None
    names = [entity for part in assessed for entity, _ in part]
    if len(set(names)) < len(names):
        raise NotGrouped(next(name for name in names if names.count(name) > 1))
    for part in assessed:
        for entity, outcome in part:
            yield outcome if isinstance(outcome, MatrixRow) else reader.general(entity, outcome)


_WORK: tuple[PlainCsv, MatrixEvaluator] | None = None
"""What forked processes work on (set by :func:`assess` just before they are forked)."""


def _part(part: Part) -> list[tuple[str, MatrixRow | list[Row]]]:
    from engine.summary import summary_row

    assert _WORK is not None
    reader, matrix = _WORK
    assessed: list[tuple[str, MatrixRow | list[Row]]] = []
    for entity, entry in reader.groups(part):
        if isinstance(entry, PlainEntity):
            row = _row(matrix, entry)
            made = summary_row(row.entity, row.verdict, row.summary, row.cells)
            assessed.append((entity, row._replace(summary_row=made)))
        else:
            assessed.append((entity, entry))
    return assessed


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


_VALUES = itemgetter(1)


def _keys(cells: list[Sequence[str]], column: int) -> tuple[str, ...]:
    """Each row's key as the reading rules clean it ("" where the row has none)."""
    if min(map(len, cells)) > column:
        return tuple(map(clean_text, map(itemgetter(column), cells)))
    return tuple(clean_text(row[column]) if column < len(row) else "" for row in cells)


Pick = Callable[[Sequence[str]], tuple[str, ...]]


def _picker(positions: list[int]) -> Pick:
    """The cells at ``positions`` of a column, as a tuple (``itemgetter`` returns a single
    cell, not a tuple, for one position)."""
    if len(positions) > 1:
        return itemgetter(*positions)
    if positions:
        only = positions[0]
        return lambda cells: (cells[only],)
    return lambda cells: ()


class _Plan(NamedTuple):
    """Which rows hold what, for one sequence of keys: a province's export lists the same
    keys in the same order for every entity, so this is found once."""

    numbers: Pick
    number_names: tuple[str, ...]
    facts: Pick
    fact_names: tuple[str, ...]
    profile: tuple[tuple[int, str], ...]
    """(row, profile field) of each ``entity.*`` row."""


_DECIMAL_CHARACTERS = b"0123456789.-"
"""An ASCII text of these characters that ``float`` takes reads as that float by the reading
rules too (``-``, ``--``, ``1-2`` are not floats; ``.5`` and ``5.`` are read alike)."""
_UNREAD: Any = object()
_UNREADABLE: Any = object()


class _EntityReader:
    """Reads one entity's rows as plain values, or finds that the general reader must."""

    def __init__(self, source: PlainCsv) -> None:
        self.source = source
        self.width = max(column for _, column in source.layout.years) + 1
        self.plans: dict[tuple[str, ...], _Plan | None] = {}
        self.readings: dict[tuple[str, str], Any] = {}
        """How each (input, text) other than a plain number read: the same few words (是,
        否 …) come back on every entity."""

    def read(
        self, entity: str, cells: list[Sequence[str]], keys: tuple[str, ...]
    ) -> PlainEntity | None:
        """The entity as plain values, ``None`` when anything needs the general reader."""
        plan = (
            self.plans[keys]
            if keys in self.plans
            else self.plans.setdefault(keys, self._plan(keys))
        )
        if plan is None or min(map(len, cells)) < self.width:
            return None  # a key given twice or not an input; a short row
        layout = self.source.layout
        columns = list(zip(*cells, strict=False))  # as long as the shortest row: enough
        by_year: dict[int, Values] = {}
        for year, column in layout.years:
            values = self._column(plan, columns[column])
            if values is None:
                return None
            if values:
                by_year[year] = values
        profile: dict[str, Any] = {"name": entity}
        for row, field in plan.profile:
            filled = [cells[row][c] for _, c in layout.years if cell_text(cells[row][c])]
            if filled:
                profile[field] = entity_value(field, filled[0])
        chosen = self.source.year if self.source.year is not None else max(by_year, default=None)
        if chosen is None or chosen not in by_year:
            return None
        try:
            model = Entity.model_validate({**profile, "year": chosen})
        except ValidationError:
            return None
        if model.level not in self.source.criteria.spec.level:
            return None
        return PlainEntity(model, by_year, self.source.path)

    def _plan(self, keys: tuple[str, ...]) -> _Plan | None:
        inputs = self.source.criteria.inputs
        named = [key for key in keys if key]
        if len(set(named)) < len(named):
            return None  # given twice: the general reader says which cell
        numbers: list[int] = []
        facts: list[int] = []
        profile: list[tuple[int, str]] = []
        for row, key in enumerate(keys):
            declared = inputs.get(key)
            if declared is not None:
                (numbers if declared.type == "number" else facts).append(row)
            elif key.startswith("entity."):
                profile.append((row, key.removeprefix("entity.")))
            elif key:
                return None  # not an input (an item's own value, or a typo)
        return _Plan(
            _picker(numbers),
            tuple(keys[row] for row in numbers),
            _picker(facts),
            tuple(keys[row] for row in facts),
            tuple(profile),
        )

    def _column(self, plan: _Plan, texts: Sequence[str]) -> Values | None:
        """One year's values, ``None`` when a cell does not read."""
        numbers = plan.numbers(texts)
        filled = list(filter(None, numbers))
        values: Values | None = None
        joined = "".join(filled)
        if joined.isascii() and not joined.encode().translate(None, _DECIMAL_CHARACTERS):
            with suppress(ValueError):
                values = dict(
                    zip(compress(plan.number_names, numbers), map(float, filled), strict=True)
                )
        if values is None:  # one of them is not a plain number: each by the reading rules
            values = self._cells(plan.number_names, numbers)
            if values is None:
                return None
        facts = self._cells(plan.fact_names, plan.facts(texts))
        if facts is None:
            return None
        values.update(facts)
        return values

    def _cells(self, names: tuple[str, ...], texts: tuple[str, ...]) -> Values | None:
        """The cells read one by one, ``None`` when one has a problem."""
        inputs = self.source.criteria.inputs
        values: Values = {}
        for name, text in zip(names, texts, strict=True):
            if not text:
                continue
            declared = inputs[name]
            if declared.type == "number" and SIMPLE_NUMBER.match(text):
                values[name] = float(text)
                continue
            value = self.readings.get((name, text), _UNREAD)
            if value is _UNREAD:
                reading = read_value(text, declared)
                # A value read under an assumption (0.85 in a percentage column) is kept;
                # the assumption is a note of the full report, never a status.
                value = self.readings[name, text] = (
                    _UNREADABLE if reading.problem is not None else reading.value
                )
            if value is _UNREADABLE:
                return None
            if value is not None:
                values[name] = value
        return values


__all__ = [
    "MatrixRow",
    "NotGrouped",
    "PlainCsv",
    "PlainEntity",
    "assess",
    "open_plain",
]
