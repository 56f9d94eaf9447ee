"""Read data kept in spreadsheets (xlsx, csv) into the same records a YAML file gives.

Layout (see ``docs/data-files.md``): optional preamble rows ``评估对象 | 保山市``,
``行政层级 | 州(市)`` … above a header row that contains ``输入项`` (or ``input``); below it
one row per input, with one column per year (``2015``, ``2016年``) or a ``年度``/``数值`` pair,
and optional ``来源``/``佐证``/``备注`` columns. A ``评估对象`` column puts several entities in one
sheet (their profile as rows ``entity.level`` …); a workbook may also hold one entity per sheet.

Every cell is read by :mod:`engine.data.cells`; every cell that cannot be read is reported with
its place (``baoshan.xlsx!数据!F12``), the input, what was found and what is expected.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import islice
from typing import Any, Literal

from engine.criteria.compiler import CompiledCriteria
from engine.criteria.model import Input
from engine.data.cells import Reading, fold_width, plain_number, read_value
from engine.errors import DataError, Problem, Suggestions

HEADERS = {
    "编号": "number", "no.": "number", "number": "number", "条目": "item", "item": "item",
    "输入项": "input", "input": "input", "名称": "label", "name": "label", "单位": "unit",
    "unit": "unit", "类型": "type", "type": "type", "责任单位": "responsible",
    "responsible": "responsible", "来源": "source", "source": "source", "佐证": "evidence",
    "evidence": "evidence", "备注": "note", "note": "note", "评估对象": "entity",
    "entity": "entity", "年度": "year", "year": "year", "数值": "value", "value": "value",
}  # fmt: skip
PREAMBLE = {
    "评估对象": "name", "entity": "name", "行政层级": "level", "level": "level",
    "地区类型": "region", "region": "region", "地形": "terrain", "terrain": "terrain",
    "是否沿海": "coastal", "coastal": "coastal", "城市规模": "city_size",
    "city size": "city_size", "city_size": "city_size", "行政区划代码": "code", "code": "code",
    "上级": "parent", "parent": "parent",
}  # fmt: skip
IGNORED_PREAMBLE = frozenset({"指标体系", "criteria", "说明", "notes", "填报说明"})
ENTITY_WORDS = {
    "州(市)": "city", "州": "city", "市": "city", "地级市": "city", "city": "city",
    "县(市、区)": "county", "县": "county", "县级市": "county", "区": "county",
    "county": "county", "干旱半干旱地区": "arid_semi_arid", "干旱半干旱": "arid_semi_arid",
    "青藏高原地区": "qinghai_tibet", "青藏高原": "qinghai_tibet", "其他地区": "other",
    "其他": "other", "山区": "mountain", "丘陵": "hill", "丘陵地区": "hill", "平原": "plain",
    "平原地区": "plain", "沿海": True, "沿海地区": True, "是": True, "true": True,
    "非沿海": False, "非沿海地区": False, "否": False, "false": False,
    "超大/特大城市": "megacity", "超大城市": "megacity", "特大城市": "megacity",
    "大城市": "large", "中小城市": "medium_small",
}  # fmt: skip
_YEAR = re.compile(r"^(\d{4})\s*年?(度)?$")


@dataclass
class Record:
    """One entity read from a table: its raw record (as YAML would give it) or its problems."""

    where: str
    entity: dict[str, Any] = field(default_factory=dict)
    years: dict[int, dict[str, dict[str, Any]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    suggest: Suggestions = field(default_factory=Suggestions, repr=False, compare=False)
    unknown: int = 0
    """Rows naming an input the set does not know (a workbook made for another set?)."""


UnreadablePolicy = Literal["refuse", "item_error"]
"""The reading policy, for a value that cannot be read (``约85``, ``是/否`` unfilled …):

- ``refuse``: the file is refused, each such cell named with its place
  (``baoshan.xlsx!数据!F12``) and what to write instead — a spreadsheet's clerk corrects the
  cell and loads it again;
- ``item_error``: the value is kept as written and every item reading it is ``error`` — a
  hand-written YAML file, where one bad value must not hide the rest.

Either way it never counts as passing. Each source states its policy in the registry."""

Row = tuple[int, Sequence[Any]]
"""A row's number in its sheet and its raw values."""


@dataclass(frozen=True)
class Sheet:
    """One table: where it is, its rows, and the cells Excel formatted as a percentage or
    left as a formula it never computed, by (row number, column index)."""

    where: str
    """The file, or ``file!sheet``: the start of every cell reference."""
    rows: Callable[[], Iterator[Row]]
    """The rows, read afresh at each call (a large CSV is read twice, never held)."""
    percent: frozenset[tuple[int, int]] = frozenset()
    uncomputed: frozenset[tuple[int, int]] = frozenset()
    unreadable: UnreadablePolicy = "refuse"
    """What a cell that cannot be read does (set by the source: :mod:`engine.data.sources`)."""
    external: frozenset[tuple[int, int]] = frozenset()
    """Cells whose value a formula takes from another workbook (an external link)."""
    merged: tuple[tuple[int, int, int, int], ...] = ()
    """Merged ranges: (first row number, first column, last row number, last column)."""

    def ref(self, number: int, column: int) -> str:
        return f"{self.where}!{_column(column + 1)}{number}"


def read_records(
    sheets: Iterable[Sheet], where: str, criteria: CompiledCriteria
) -> Iterator[Record]:
    """Every entity in the tables of one file, each with the problems of its own cells,
    handed on as soon as its last row has been read."""
    found = False
    for sheet in sheets:
        for record in _read_sheet(sheet, criteria):
            found = True
            yield record
    if not found:
        raise DataError.single(
            where,
            "没有找到含“输入项”列标题的表格；请用 ecoassess template ID --format xlsx 生成模板",
            "no table with an 'input' header row; generate one with "
            "ecoassess template ID --format xlsx",
        )


_SET_HEADINGS = frozenset({"指标体系", "criteria"})


def named_set(sheets: Iterable[Sheet]) -> tuple[str, str] | None:
    """The criteria set a workbook (or CSV) names above its table — the template writes
    ``指标体系 | yunnan_2014 — 云南省…`` in its first row — with that cell's reference."""
    for sheet in sheets:
        for number, values in itertools.islice(sheet.rows(), 12):
            filled = [(column, value) for column, value in enumerate(values) if cell_text(value)]
            if len(filled) > 1 and cell_text(filled[0][1]).rstrip(":：").lower() in _SET_HEADINGS:
                words = cell_text(filled[1][1]).replace("—", " ").split()
                return (words[0], sheet.ref(number, filled[1][0])) if words else None
    return None


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    return clean_text(value) if value.__class__ is str else clean_text(str(value))


@lru_cache(maxsize=4096)
def clean_text(text: str) -> str:
    """Full-width forms folded (:func:`~engine.data.cells.fold_width`) and stripped;
    remembered, as entity and input names repeat row after row."""
    return fold_width(text).strip()


def has_table(rows: Iterable[Sequence[Any]]) -> bool:
    """Whether ``rows`` hold a table the reader would read (a row with an input header)."""
    return any(HEADERS.get(cell_text(value).lower()) == "input" for row in rows for value in row)


def _merged_problems(sheet: Sheet, layout: Layout, header: int) -> list[Problem]:
    """A merged range over the columns read, below the header: Excel keeps its value in the
    first cell only, so the other rows (or years) would silently read as empty."""
    read = {c for c in (layout.entity, layout.input, layout.year, layout.value) if c is not None}
    read |= {column for _, column in layout.years} | {c for _, c in layout.provenance}
    problems = []
    for top, left, bottom, right in sheet.merged:
        if bottom > header and read & set(range(left, right + 1)):
            span = f"{_column(left + 1)}{top}:{_column(right + 1)}{bottom}"
            problems.append(
                Problem(
                    f"{sheet.where}!{span}",
                    "合并单元格位于数据区，Excel 只在第一个单元格保存数值，其余会被读作空白；"
                    "请取消合并，并在每一格填写",
                    "merged cells in the table: Excel keeps the value in the first cell only, "
                    "the others would read as empty; unmerge them and fill in every cell",
                )
            )
    return problems


def _read_sheet(sheet: Sheet, criteria: CompiledCriteria) -> Iterator[Record]:
    """The entities of one sheet, each handed on after its last row."""
    iterator = sheet.rows()
    above: list[Row] = []
    for number, row in iterator:
        if any(HEADERS.get(cell_text(value).lower()) == "input" for value in row):
            header = (number, row)
            break
        above.append((number, row))
    else:
        return  # an instructions sheet, or anything else without a table
    preamble = Record(where=sheet.where)
    for row in above:
        _read_preamble(row, sheet, preamble)
    layout = Layout.of(header_columns(header, sheet, preamble))
    if sheet.merged:
        preamble.problems += _merged_problems(sheet, layout, header[0])
    start = len(above) + 1
    last = (
        _last_rows(islice(sheet.rows(), start, None), layout) if layout.entity is not None else {}
    )
    records: dict[str, Record] = {}
    first = True
    for number, row in iterator:
        key_and_entity = _key_and_entity(row, layout)
        if key_and_entity is None:
            if _values_without_input(row, layout):  # a value would be lost without a word
                entity = _entity_of(row, layout)
                record = records.get(entity)
                if record is None:
                    record = records[entity] = _new_record(sheet, entity, preamble)
                record.problems.append(
                    Problem(
                        sheet.ref(number, layout.input),
                        "此行填有数值，但输入项为空；请填写输入项名称(或删除此行)",
                        "this row has values but no input name; name the input (or delete the row)",
                    )
                )
            continue
        key, entity = key_and_entity
        record = records.get(entity)
        if record is None:
            record = records[entity] = _new_record(sheet, entity, preamble)
            if first:
                record.problems += preamble.problems
            first = False
            if not entity.isprintable():
                assert layout.entity is not None
                record.problems.append(
                    Problem(
                        sheet.ref(number, layout.entity),
                        "评估对象名称应为一行文字，不能含换行或控制字符",
                        "the entity's name must be one line, without line breaks or control "
                        "characters",
                    )
                )
        _read_row(key, (number, row), sheet, layout, record, criteria)
        if last.get(entity) == number:
            yield records.pop(entity)
    yield from records.values()
    if first:
        yield preamble


def _new_record(sheet: Sheet, entity: str, preamble: Record | None = None) -> Record:
    """An empty record for ``entity`` (a sheet's only record when the name is empty), with
    what the sheet's preamble says of the entity."""
    known = dict(preamble.entity) if preamble else {}
    shown = entity if entity.isprintable() else repr(entity)  # a line break never splits a message
    return Record(
        where=f"{sheet.where} ({shown})" if entity else sheet.where,
        entity=known | ({"name": entity} if entity else {}),
    )


def _key_and_entity(row: Sequence[Any], layout: Layout) -> tuple[str, str] | None:
    """The row's input name and entity, or ``None`` for a row without an input name."""
    width = len(row)
    if layout.input >= width:
        return None
    key = cell_text(row[layout.input])
    if not key:
        return None
    column = layout.entity
    return key, cell_text(row[column]) if column is not None and column < width else ""


def _entity_of(row: Sequence[Any], layout: Layout) -> str:
    column = layout.entity
    return cell_text(row[column]) if column is not None and column < len(row) else ""


def _values_without_input(row: Sequence[Any], layout: Layout) -> bool:
    """Whether a row without an input name has anything in its year columns (only rows
    without an input name are looked at: a blank separator row costs nothing more)."""
    skip = {layout.input, layout.entity}
    return any(cell_text(value) for column, value in enumerate(row) if column not in skip)


def _last_rows(rows: Iterable[Row], layout: Layout) -> dict[str, int]:
    """Each entity's last row number: its record is complete there."""
    last = {}
    for number, row in rows:
        key_and_entity = _key_and_entity(row, layout)
        if key_and_entity is not None:
            last[key_and_entity[1]] = number
        elif _values_without_input(row, layout):  # its problem belongs to the entity's record
            last[_entity_of(row, layout)] = number
    return last


def _read_preamble(row: Row, sheet: Sheet, record: Record) -> None:
    number, values = row
    filled = [(column, value) for column, value in enumerate(values) if cell_text(value)]
    if not filled:
        return
    key = cell_text(filled[0][1]).rstrip(":：").lower()
    if key in IGNORED_PREAMBLE:
        return
    field_name = PREAMBLE.get(key)
    if field_name is None:
        known = "、".join(k for k in PREAMBLE if not k.isascii())
        english = ", ".join(k for k in PREAMBLE if k.isascii())
        record.problems.append(
            Problem(
                sheet.ref(number, filled[0][0]),
                f"不认识的表头项 {key!r}；可用: {known}",
                f"unknown heading {key!r}; use one of: {english}",
            )
        )
        return
    if len(filled) > 1:
        record.entity[field_name] = entity_value(field_name, filled[1][1])
    elif field_name in _REQUIRED_PREAMBLE:
        # The heading is there and its value cell is blank: name that cell, not the field.
        zh, en = _REQUIRED_PREAMBLE[field_name]
        record.problems.append(Problem(sheet.ref(number, filled[0][0] + 1), zh, en))


_REQUIRED_PREAMBLE = {
    "name": (
        "评估对象名称为空；请在此格填写(如 保山市)",
        "the entity's name is blank; fill in this cell",
    ),
    "level": (
        "行政层级为空；请在此格填写 州(市) 或 县(市、区)(city / county)",
        "the level is blank; fill in this cell: city or county",
    ),
}


def entity_value(field_name: str, value: Any) -> Any:
    text = cell_text(value)
    if field_name in ("name", "code", "parent"):
        return text
    words = _profile_words()
    return words.get(text, words.get(text.lower(), text))


@cache
def _profile_words() -> dict[str, Any]:
    """Profile values as people write them (the report's wording in both languages, and
    short forms) → the values the data model takes."""
    from engine.resources import labels

    words: dict[str, Any] = dict(ENTITY_WORDS)
    for lang in ("zh", "en"):
        for key, label in labels()[lang]["profile_values"].items():
            value: Any = {"true": True, "false": False}.get(key, key)
            words.setdefault(str(label).lower(), value)
    words.update({"yes": True, "no": False})
    return words


def header_columns(header: Row, sheet: Sheet, record: Record) -> dict[str, int]:
    number, values = header
    columns: dict[str, int] = {}
    for index, value in enumerate(values):
        text = cell_text(value)
        year = _YEAR.match(text)
        if year:
            columns[f"year:{year[1]}"] = index
        elif HEADERS.get(text.lower()):
            columns.setdefault(HEADERS[text.lower()], index)
    if not any(key.startswith("year:") for key in columns) and "value" not in columns:
        record.problems.append(
            Problem(
                sheet.ref(number, 0),
                "没有年度列(如 2016)或“数值”列",
                "no year column (e.g. 2016) and no value column",
            )
        )
    return columns


@dataclass(frozen=True)
class Layout:
    """Which column holds what, found once from a sheet's header row."""

    input: int
    entity: int | None
    years: tuple[tuple[int, int], ...]
    """(year, column) of each year column."""
    year: int | None
    value: int | None
    """A ``年度`` column and a ``数值`` column, the long form of year columns."""
    provenance: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, columns: dict[str, int]) -> Layout:
        return cls(
            input=columns["input"],
            entity=columns.get("entity"),
            years=tuple(
                (int(key.removeprefix("year:")), index)
                for key, index in columns.items()
                if key.startswith("year:")
            ),
            year=columns.get("year"),
            value=columns.get("value"),
            provenance=tuple(
                (name, columns[name]) for name in ("source", "evidence", "note") if name in columns
            ),
        )


def _read_row(
    key: str,
    row: Row,
    sheet: Sheet,
    layout: Layout,
    record: Record,
    criteria: CompiledCriteria,
) -> None:
    number, cells = row
    columns = _year_columns(row, sheet, layout, record)
    if key.startswith("entity."):
        filled = [cells[column] for _, column in columns if cell_text(cells[column])]
        if filled:
            record.entity[key.removeprefix("entity.")] = entity_value(
                key.removeprefix("entity."), filled[0]
            )
        return
    declared = _declared(key, criteria)
    if declared is None and key in criteria.also_known:
        return  # a row for another set checked at the same time
    if declared is None:
        record.unknown += 1
        zh_hint, en_hint = record.suggest(key, [*criteria.inputs, *(c.id for c in criteria.items)])
        record.problems.append(
            Problem(
                sheet.ref(number, layout.input),
                f"{key!r} 不是指标体系 {criteria.id} 的输入项{zh_hint}",
                f"{key!r} is not an input of {criteria.id}{en_hint}",
            )
        )
        return
    # Rows are named by their label first, then the id (in the messages below).
    zh_key, en_key = f"{declared.name.zh} ({key})", f"{declared.name.en} ({key})"
    width = len(cells)
    provenance: dict[str, Any] = {}
    for name, column in layout.provenance:
        if column < width and (text := cell_text(cells[column])):
            provenance[name] = text
    for year, column in columns:
        value = cells[column]
        if sheet.external and (number, column) in sheet.external:
            record.problems.append(
                Problem(
                    sheet.ref(number, column),
                    f"{zh_key}: 数值来自另一个工作簿(外部链接)，可能已过期；请复制该单元格并"
                    "“选择性粘贴 → 数值”",
                    f"{en_key}: the value comes from another workbook (an external link) and may "
                    "be stale; copy the cell and paste it as a value",
                )
            )
            continue
        if sheet.uncomputed and (number, column) in sheet.uncomputed:
            record.problems.append(
                Problem(
                    sheet.ref(number, column),
                    f"{zh_key}: 公式尚未计算；请在 Excel 中打开并保存",
                    f"{en_key}: the formula has no computed value; open and save the file in Excel",
                )
            )
            continue
        percent = bool(sheet.percent) and (number, column) in sheet.percent
        plain = None if percent or declared.type != "number" else plain_number(value, declared.unit)
        if plain is not None:
            reading = Reading(value=plain)
        else:
            reading = read_value(value, declared, percent_cell=percent)
        if reading.problem is not None and sheet.unreadable == "refuse":
            record.problems.append(
                Problem(
                    sheet.ref(number, column),
                    f"{zh_key}: 填写的是 {cell_text(value)!r}，{reading.problem.text('zh')}",
                    f"{en_key}: found {cell_text(value)!r}; {reading.problem.text('en')}",
                )
            )
            continue
        if reading.problem is None and reading.value is None:
            continue
        read = value if reading.problem is not None else reading.value  # kept as written
        given: dict[str, Any] = {"value": read, **provenance}
        if reading.warning is not None:
            given["warning"] = {"code": reading.warning.code, "found": reading.warning.found}
        year_values = record.years.setdefault(year, {})
        if key in year_values:
            record.problems.append(
                Problem(
                    sheet.ref(number, column),
                    f"{zh_key}: {year} 年的数值重复填写",
                    f"{en_key}: a second value for {year}",
                )
            )
        year_values[key] = given


def _year_columns(row: Row, sheet: Sheet, layout: Layout, record: Record) -> list[tuple[int, int]]:
    """(year, column) of each value in the row: its year columns, or its 年度/数值 pair."""
    number, cells = row
    width = len(cells)
    columns = [(year, column) for year, column in layout.years if column < width]
    if layout.value is None or layout.year is None or max(layout.value, layout.year) >= width:
        return columns
    if cell_text(cells[layout.value]):
        year = _YEAR.match(cell_text(cells[layout.year]))
        if year:
            columns.append((int(year[1]), layout.value))
        else:
            record.problems.append(
                Problem(
                    sheet.ref(number, layout.year),
                    "年度应为四位数字，如 2016",
                    "the year must be four digits, e.g. 2016",
                )
            )
    return columns


def _declared(key: str, criteria: CompiledCriteria) -> Input | None:
    if key in criteria.inputs:
        return criteria.inputs[key]
    compiled = criteria.by_id.get(key)
    item = compiled.item if compiled is not None and compiled.item.measure else None
    return Input(name=item.name, unit=item.unit) if item else None


__all__ = [
    "Layout",
    "Record",
    "Row",
    "Sheet",
    "UnreadablePolicy",
    "cell_text",
    "entity_value",
    "header_columns",
    "read_records",
]
