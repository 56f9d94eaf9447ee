"""Read data kept in spreadsheets (xlsx, csv) into the same records a YAML file gives.

Layout (see ``docs/data-files.md``): optional preamble rows ``评估对象 | 保山市``,
``行政层级 | 州(市)`` … above a header row that contains ``输入项`` (or ``input``); below it
one row per input, with one column per year (``2015``, ``2016年``) or a ``年度``/``数值`` pair,
and optional ``来源``/``佐证``/``备注`` columns. A ``评估对象`` column puts several entities in one
sheet (their profile as rows ``entity.level`` …); a workbook may also hold one entity per sheet.

Every cell is read by :mod:`engine.normalise`; every cell that cannot be read is reported with
its place (``baoshan.xlsx!数据!F12``), the input, what was found and what is expected.
"""

from __future__ import annotations

import codecs
import csv
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

from engine.compiler import CompiledCriteria
from engine.errors import DataError, Problem, did_you_mean
from engine.model import Input
from engine.normalise import read_value

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
TABULAR = (".xlsx", ".csv")


class Cell(NamedTuple):
    """One cell: its value, where it is, and how Excel formatted it (a named tuple: one is
    made for each cell read)."""

    value: Any
    place: tuple[str, int, int]
    """(file or file!sheet, row, column), turned into a reference only when one is shown."""
    percent: bool = False
    uncomputed_formula: bool = False

    @property
    def ref(self) -> str:
        where, row, column = self.place
        return f"{where}!{_column(column)}{row}"


@dataclass
class Record:
    """One entity read from a table: its raw record (as YAML would give it) or its problems."""

    where: str
    entity: dict[str, Any] = field(default_factory=dict)
    years: dict[int, dict[str, dict[str, Any]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


Rows = Callable[[], Iterator[Sequence[Cell]]]
"""A sheet's rows, read afresh at each call (a large CSV is read twice, never held as cells)."""


def read_records(path: Path, criteria: CompiledCriteria) -> Iterator[Record]:
    """Every entity in a csv or xlsx file, each with the problems of its own cells, handed on
    as soon as its last row has been read."""
    sheets: list[tuple[str, Rows]] = (
        _xlsx_sheets(path) if path.suffix.lower() == ".xlsx" else [(path.name, _csv_rows(path))]
    )
    found = False
    for name, rows in sheets:
        for record in _read_sheet(name, rows, criteria):
            found = True
            yield record
    if not found:
        raise DataError.single(
            str(path),
            "没有找到含“输入项”列标题的表格；请用 ecoassess template ID --format xlsx 生成模板",
            "no table with an 'input' header row; generate one with "
            "ecoassess template ID --format xlsx",
        )


def _csv_rows(path: Path) -> Rows:
    encoding = _csv_encoding(path)
    name = path.name

    def rows() -> Iterator[_CsvRow]:
        with path.open(encoding=encoding, newline="") as stream:
            for number, row in enumerate(csv.reader(stream), start=1):
                yield _CsvRow(name, number, row)

    return rows


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), or GBK as Excel's "CSV (逗号分隔)" writes it on Chinese
    Windows (GB18030 reads it exactly); checked over the whole file, a megabyte at a time."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as stream:
                while chunk := stream.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
        except OSError as exc:
            raise DataError.single(
                str(path), f"无法读取: {exc.strerror}", f"cannot read: {exc.strerror}"
            ) from exc
    raise DataError.single(
        str(path), "编码无法识别；请另存为“CSV UTF-8”", "unknown encoding; save as 'CSV UTF-8'"
    )


class _CsvRow(Sequence[Cell]):
    """A CSV row whose cells are made only when read (most columns of a big file never are)."""

    __slots__ = ("_name", "_number", "_values")

    def __init__(self, name: str, number: int, values: list[str]) -> None:
        self._name, self._number, self._values = name, number, values

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, index: int) -> Cell:  # type: ignore[override]
        return Cell(self._values[index], (self._name, self._number, index + 1))


def _xlsx_sheets(path: Path) -> list[tuple[str, Rows]]:
    import openpyxl

    try:
        values = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    except FileNotFoundError as exc:
        raise DataError.single(str(path), "文件不存在", "file not found") from exc
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise DataError.single(
            str(path), f"不是可读取的 Excel(.xlsx) 文件: {exc}", f"not a readable .xlsx file: {exc}"
        ) from exc
    sheets: list[tuple[str, Rows]] = []
    for sheet in values.worksheets:
        source = formulas[sheet.title]
        rows = []
        for row in sheet.iter_rows():
            cells = []
            for cell in row:
                formula = source[cell.coordinate].value
                cells.append(
                    Cell(
                        value=cell.value,
                        place=(f"{path.name}!{sheet.title}", cell.row or 0, cell.column or 0),
                        percent="%" in (cell.number_format or ""),
                        uncomputed_formula=cell.value is None
                        and isinstance(formula, str)
                        and formula.startswith("="),
                    )
                )
            rows.append(cells)
        sheets.append((f"{path.name}!{sheet.title}", partial(iter, rows)))
    return sheets


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(cell: Cell) -> str:
    value = cell.value
    if value is None:
        return ""
    text = str(value)
    # NFKC leaves ASCII unchanged: most cells of a large file skip the normalisation.
    return text.strip() if text.isascii() else unicodedata.normalize("NFKC", text).strip()


def _read_sheet(name: str, rows: Rows, criteria: CompiledCriteria) -> Iterator[Record]:
    """The entities of one sheet, each handed on after its last row."""
    iterator = rows()
    above: list[Sequence[Cell]] = []
    for row in iterator:
        if any(HEADERS.get(_text(c).lower()) == "input" for c in row):
            header = row
            break
        above.append(row)
    else:
        return  # an instructions sheet, or anything else without a table
    preamble = Record(where=name)
    for row in above:
        _read_preamble(row, preamble)
    layout = _Layout.of(_columns(header, preamble))
    start = len(above) + 1
    last = _last_rows(islice(rows(), start, None), layout) if layout.entity is not None else {}
    records: dict[str, Record] = {}
    first = True
    for index, row in enumerate(iterator):
        key_and_entity = _key_and_entity(row, layout)
        if key_and_entity is None:
            continue
        key, entity = key_and_entity
        record = records.get(entity)
        if record is None:
            record = records[entity] = Record(
                where=f"{name} ({entity})" if entity else name,
                entity=dict(preamble.entity) | ({"name": entity} if entity else {}),
                problems=list(preamble.problems) if first else [],
            )
            first = False
        _read_row(key, row[layout.input], row, layout, record, criteria)
        if last.get(entity) == index:
            yield records.pop(entity)
    yield from records.values()
    if first:
        yield preamble


def _key_and_entity(row: Sequence[Cell], layout: _Layout) -> tuple[str, str] | None:
    """The row's input name and entity, or ``None`` for a row without an input name."""
    width = len(row)
    if layout.input >= width:
        return None
    key = _text(row[layout.input])
    if not key:
        return None
    column = layout.entity
    return key, _text(row[column]) if column is not None and column < width else ""


def _last_rows(rows: Iterable[Sequence[Cell]], layout: _Layout) -> dict[str, int]:
    """Each entity's last row (counted from below the header): a record is complete there."""
    last = {}
    for index, row in enumerate(rows):
        key_and_entity = _key_and_entity(row, layout)
        if key_and_entity is not None:
            last[key_and_entity[1]] = index
    return last


def _read_preamble(row: Sequence[Cell], record: Record) -> None:
    filled = [cell for cell in row if _text(cell)]
    if not filled:
        return
    key = _text(filled[0]).rstrip(":：").lower()
    if key in IGNORED_PREAMBLE:
        return
    field_name = PREAMBLE.get(key)
    if field_name is None:
        known = "、".join(k for k in PREAMBLE if not k.isascii())
        english = ", ".join(k for k in PREAMBLE if k.isascii())
        record.problems.append(
            Problem(
                filled[0].ref,
                f"不认识的表头项 {key!r}；可用: {known}",
                f"unknown heading {key!r}; use one of: {english}",
            )
        )
        return
    if len(filled) > 1:
        record.entity[field_name] = _entity_value(field_name, filled[1])


def _entity_value(field_name: str, cell: Cell) -> Any:
    if field_name in ("name", "code", "parent"):
        return _text(cell)
    text = _text(cell)
    words = _profile_words()
    return words.get(text, words.get(text.lower(), text))


@cache
def _profile_words() -> dict[str, Any]:
    """Profile values as people write them (the report's wording in both languages, and
    short forms) → the values the data model takes."""
    from engine.wording import labels

    words: dict[str, Any] = dict(ENTITY_WORDS)
    for lang in ("zh", "en"):
        for key, label in labels()[lang]["profile_values"].items():
            value: Any = {"true": True, "false": False}.get(key, key)
            words.setdefault(str(label).lower(), value)
    words.update({"yes": True, "no": False})
    return words


def _columns(header: Sequence[Cell], record: Record) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = _text(cell)
        year = _YEAR.match(text)
        if year:
            columns[f"year:{year[1]}"] = index
        elif HEADERS.get(text.lower()):
            columns.setdefault(HEADERS[text.lower()], index)
    if not any(key.startswith("year:") for key in columns) and "value" not in columns:
        record.problems.append(
            Problem(
                header[0].ref if header else record.where,
                "没有年度列(如 2016)或“数值”列",
                "no year column (e.g. 2016) and no value column",
            )
        )
    return columns


@dataclass(frozen=True)
class _Layout:
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
    def of(cls, columns: dict[str, int]) -> _Layout:
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
    key_cell: Cell,
    row: Sequence[Cell],
    layout: _Layout,
    record: Record,
    criteria: CompiledCriteria,
) -> None:
    values = _year_values(row, layout, record)
    if key.startswith("entity."):
        filled = [cell for _, cell in values if _text(cell)]
        if filled:
            record.entity[key.removeprefix("entity.")] = _entity_value(
                key.removeprefix("entity."), filled[0]
            )
        return
    declared = _declared(key, criteria)
    if declared is None:
        zh_hint, en_hint = did_you_mean(key, [*criteria.inputs, *(c.id for c in criteria.items)])
        record.problems.append(
            Problem(
                key_cell.ref,
                f"{key!r} 不是指标体系 {criteria.id} 的输入项{zh_hint}",
                f"{key!r} is not an input of {criteria.id}{en_hint}",
            )
        )
        return
    width = len(row)
    provenance: dict[str, Any] = {}
    for name, column in layout.provenance:
        if column < width and (text := _text(row[column])):
            provenance[name] = text
    for year, cell in values:
        if cell.uncomputed_formula:
            record.problems.append(
                Problem(
                    cell.ref,
                    f"{key}: 公式尚未计算；请在 Excel 中打开并保存",
                    f"{key}: the formula has no computed value; open and save the file in Excel",
                )
            )
            continue
        reading = read_value(cell.value, declared, percent_cell=cell.percent)
        if reading.problem is not None:
            record.problems.append(
                Problem(
                    cell.ref,
                    f"{key}: 填写的是 {_text(cell)!r}，{reading.problem.text('zh')}",
                    f"{key}: found {_text(cell)!r}; {reading.problem.text('en')}",
                )
            )
            continue
        if reading.value is None:
            continue
        given: dict[str, Any] = {"value": reading.value, **provenance}
        if reading.warning is not None:
            given["warning"] = {"code": reading.warning.code, "found": reading.warning.found}
        year_values = record.years.setdefault(year, {})
        if key in year_values:
            record.problems.append(
                Problem(
                    cell.ref, f"{key}: {year} 年的数值重复填写", f"{key}: a second value for {year}"
                )
            )
        year_values[key] = given


def _year_values(row: Sequence[Cell], layout: _Layout, record: Record) -> list[tuple[int, Cell]]:
    width = len(row)
    values = [(year, row[column]) for year, column in layout.years if column < width]
    if layout.value is None or layout.year is None or max(layout.value, layout.year) >= width:
        return values
    value, year_cell = row[layout.value], row[layout.year]
    if _text(value):
        year = _YEAR.match(_text(year_cell))
        if year:
            values.append((int(year[1]), value))
        else:
            record.problems.append(
                Problem(
                    year_cell.ref,
                    "年度应为四位数字，如 2016",
                    "the year must be four digits, e.g. 2016",
                )
            )
    return values


def _declared(key: str, criteria: CompiledCriteria) -> Input | None:
    if key in criteria.inputs:
        return criteria.inputs[key]
    compiled = criteria.by_id.get(key)
    item = compiled.item if compiled is not None and compiled.item.measure else None
    return Input(name=item.name, unit=item.unit) if item else None


__all__ = ["TABULAR", "Record", "read_records"]
