"""The data sources ecoassess reads — YAML, CSV, Excel — in one registry: the accepted
suffixes come from it, and a file whose suffix no source claims is refused with the list
(never parsed as YAML)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from engine.criteria.compiler import CompiledCriteria
from engine.criteria.yamlio import load_yaml
from engine.data.record import DataFile, assemble, parse_data, select_yaml_year
from engine.data.tables import Record, Sheet, UnreadablePolicy, named_set, read_records
from engine.errors import DataError

Entities = Callable[[Path, CompiledCriteria, "int | None", bool], Iterator["DataFile | DataError"]]


@dataclass(frozen=True)
class Source:
    """One kind of data file: its name, the suffixes it claims, how it yields entities."""

    name: str
    suffixes: tuple[str, ...]
    unreadable: UnreadablePolicy
    """The reading policy: what a value that cannot be read does (see UnreadablePolicy)."""
    entities: Entities
    """Every entity of a file: ``(path, criteria, year, subunits)`` → data or the error."""
    sheets: Callable[[Path], list[Sheet]] | None = None
    """A table source's tables (read for the set a workbook names for itself)."""


def _yaml_entities(
    path: Path, criteria: CompiledCriteria, year: int | None, subunits: bool
) -> Iterator[DataFile | DataError]:
    raw = load_yaml(path, DataError)
    try:
        yield parse_data(select_yaml_year(raw, path, year), path, criteria, subunits=subunits)
    except DataError as exc:
        entity = raw.get("entity") if isinstance(raw, dict) else None
        exc.entity = dict(entity) if isinstance(entity, dict) else {}
        yield exc


def _tabular(sheets: Callable[[Path], list[Sheet]], policy: UnreadablePolicy) -> Entities:
    def entities(
        path: Path, criteria: CompiledCriteria, year: int | None, subunits: bool
    ) -> Iterator[DataFile | DataError]:
        tables = [replace(sheet, unreadable=policy) for sheet in sheets(path)]
        named: tuple[str, str] | bool | None = False  # looked up once, when first needed
        for record in read_records(tables, str(path), criteria):
            if record.unknown:
                if named is False:
                    named = named_set(tables)  # a CSV's rows are read again for it
                if isinstance(named, tuple) and named[0] != criteria.id:
                    yield _made_for(named, criteria, record.unknown)
                    continue
            yield record_data(record, path, criteria, year, subunits=subunits)

    return entities


def _made_for(named: tuple[str, str], criteria: CompiledCriteria, unknown: int) -> DataError:
    """One line for a workbook made for another set — not a line per row it does not know."""
    name, where = named
    return DataError.single(
        where,
        f"此工作簿注明的指标体系为 {name}，与所选的 {criteria.id} 不同({criteria.id} 不认识其中 "
        f"{unknown} 个输入项)；请按 {name} 检查(命令行 --criteria {name}；工作台选择该指标体系)",
        f"this workbook names the set {name}, not {criteria.id} ({unknown} of its inputs are "
        f"unknown to {criteria.id}); check it against {name} (--criteria {name}, or choose "
        "that set in the workbench)",
    )


def named_criteria(path: Path) -> str | None:
    """The criteria set a data file names for itself (a workbook's 指标体系 cell), if any."""
    source = source_for(path)
    if source.sheets is None:
        return None
    named = named_set(source.sheets(path))
    return named[0] if named else None


def _csv_sheets(path: Path) -> list[Sheet]:
    from engine.data.csvfile import csv_sheet

    return [csv_sheet(path)]


def _xlsx_sheets(path: Path) -> list[Sheet]:
    from engine.data.xlsx import xlsx_sheets

    return xlsx_sheets(path)


# A YAML file's values are not read when it is loaded: the evaluator reads each through the
# same cell reader, so a bad one makes its items `error` (item_error by construction).
SOURCES = (
    Source("yaml", (".yaml", ".yml"), "item_error", _yaml_entities),
    Source("csv", (".csv",), "refuse", _tabular(_csv_sheets, "refuse"), _csv_sheets),
    Source("xlsx", (".xlsx",), "refuse", _tabular(_xlsx_sheets, "refuse"), _xlsx_sheets),
)
DATA_SUFFIXES = tuple(suffix for source in SOURCES for suffix in source.suffixes)
"""The kinds of data file ecoassess reads."""


def source_for(path: Path) -> Source:
    """The source that reads ``path``, by its suffix; a clear error for any other."""
    suffix = path.suffix.lower()
    for source in SOURCES:
        if suffix in source.suffixes:
            return source
    kinds = ", ".join(DATA_SUFFIXES)
    raise DataError.single(
        str(path),
        f"不支持的数据文件类型 {suffix or '(无后缀)'}；ecoassess 读取 {kinds} 文件"
        "(.xls 或 WPS 的 .et 请在 Excel 或 WPS 中另存为 .xlsx)",
        f"unsupported data file type {suffix or '(no suffix)'}; ecoassess reads {kinds} files "
        "(save an .xls, or a WPS .et, as .xlsx in Excel or WPS)",
    )


def load_data(path: Path, criteria: CompiledCriteria, year: int | None = None) -> DataFile:
    """Load the one entity of a data file (YAML, CSV or XLSX) and check it against ``criteria``.

    Args:
        year: the year to assess; by default ``entity.year`` of a YAML file, or the latest
            year with values in a spreadsheet. The other years become ``history``.

    Raises:
        DataError: listing every problem (malformed file, unreadable cells, unknown keys …).
    """
    records = load_entities(path, criteria, year)
    if len(records) != 1:
        raise DataError.single(
            str(path),
            f"文件包含 {len(records)} 个评估对象；请用 ecoassess batch",
            f"the file holds {len(records)} entities; use ecoassess batch",
        )
    record = records[0]
    if isinstance(record, DataError):
        raise record
    return record


def load_entities(
    path: Path, criteria: CompiledCriteria, year: int | None = None, *, subunits: bool = False
) -> list[DataFile | DataError]:
    """Every entity in a data file, each loaded or with the error that stops it.

    ``subunits``: an entity of a level the set does not cover is accepted when it names its
    ``parent`` (a county feeding a prefecture's roll-up in a batch).
    """
    return list(iter_entities(path, criteria, year, subunits=subunits))


def iter_entities(
    path: Path, criteria: CompiledCriteria, year: int | None = None, *, subunits: bool = False
) -> Iterator[DataFile | DataError]:
    """:func:`load_entities` one entity at a time, so a batch can let each go once evaluated."""
    source = source_for(path)
    if path.exists() and not path.is_file():  # /dev/zero as x.yaml, a pipe as x.csv
        raise DataError.single(
            str(path),
            "不是普通文件(设备、目录或管道)；请给出数据文件",
            "not a regular file (a device, folder or pipe); give a data file",
        )
    yield from source.entities(path, criteria, year, subunits)


def record_data(
    record: Record, path: Path, criteria: CompiledCriteria, year: int | None, *, subunits: bool
) -> DataFile | DataError:
    """One spreadsheet record as data for ``criteria``, or the error that stops it."""
    try:
        if record.problems:
            raise DataError(record.problems)
        raw = assemble(record.entity, record.years, record.where, year)
        return parse_data(raw, path, criteria, where=record.where, subunits=subunits)
    except DataError as exc:
        exc.entity = dict(record.entity)
        return exc
