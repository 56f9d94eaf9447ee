"""Fill-in spreadsheets (xlsx, csv) for a criteria set: one row per input, a column per year.

The layout is the one :mod:`engine.data.tables` reads back: preamble rows for the entity, a
header row, then the inputs. The xlsx adds an instructions sheet, yes/no and number
validation, a frozen header and readable widths.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.criteria.compiler import CompiledCriteria
from engine.criteria.departments import department_items
from engine.criteria.model import PROFILE_VALUES
from engine.data.record import DataFile
from engine.reports.inert import as_text_cells, inert_row
from engine.resources import labels

_WORDS: dict[str, dict[str, Any]] = {
    "zh": {
        "criteria": "指标体系", "entity": "评估对象", "level": "行政层级", "region": "地区类型",
        "terrain": "地形", "coastal": "是否沿海", "city_size": "城市规模",
        "columns": ["编号", "条目", "输入项", "名称", "单位", "类型", "责任单位"],
        "after": ["来源", "佐证", "备注"], "number": "数值", "yes_no": "是/否", "also": "亦用于",
        "data": "数据", "help": "说明",
        "instructions": [
            "填报说明",
            "1. 在“数据”表顶部填写评估对象名称和特征(层级、地区类型等，仅填本指标体系用到的)。",
            "2. 每行一个输入项：在对应年度列填写数值；“是/否”类事实填“是”或“否”。",
            "3. 不知道的数值请留空(或填“—”)：缺数据不会被当作达标。"
            "不要填“约85”“≥85”这类约数或范围。",
            "4. 百分数可填 85 或 85%；若单元格设为百分比格式，0.85 会按 85% 读取。",
            "5. 需要与上年比较的指标(年增量、保持稳定或持续改善)请同时填写上年数值。",
            "6. 在“来源/佐证/备注”列注明统计年鉴、部门、文号等，报告中会显示。",
            "7. 填好后运行: ecoassess check 文件名.xlsx --criteria {id}{path}",
        ],
    },
    "en": {
        "criteria": "criteria", "entity": "entity", "level": "level", "region": "region",
        "terrain": "terrain", "coastal": "coastal", "city_size": "city size",
        "columns": ["No.", "Item", "Input", "Name", "Unit", "Type", "Responsible"],
        "after": ["Source", "Evidence", "Note"], "number": "number", "yes_no": "yes/no",
        "also": "also feeds", "data": "Data", "help": "Instructions",
        "instructions": [
            "How to fill in",
            "1. At the top of the Data sheet, give the entity's name and profile (only the keys "
            "this criteria set uses).",
            "2. One row per input: write the value in the year's column; yes/no facts take yes "
            "or no.",
            "3. Leave unknown values empty (or '—'): missing data never counts as passing. Do not "
            "write approximations or bounds such as '约85' or '≥85'.",
            "4. Percentages may be written 85 or 85%; in a cell formatted as a percentage, 0.85 "
            "is read as 85%.",
            "5. For annual increments and 'stable or improving' rules, fill in last year too.",
            "6. Name the source (yearbook, department, document number) in Source / Evidence / "
            "Note; the report shows it.",
            "7. Then run: ecoassess check FILE.xlsx --criteria {id}{path}",
        ],
    },
}  # fmt: skip


@dataclass(frozen=True)
class TemplateRow:
    number: str
    item: str
    input: str
    name: str
    unit: str
    type: str
    responsible: str
    boolean: bool
    minimum: float | None
    maximum: float | None


def profile_keys(criteria: CompiledCriteria) -> list[str]:
    """The profile keys the set's thresholds and applicability read, ``level`` first."""
    used = {"level"}
    for compiled in criteria.items:
        item = compiled.item
        conditions = [item.applies_when] + [v.when for v in item.thresholds or []]
        for condition in filter(None, conditions):
            used |= set(condition.requirements())
    return [key for key in PROFILE_VALUES if key in used]


def template_rows(
    criteria: CompiledCriteria, lang: str, department: str | None = None
) -> list[TemplateRow]:
    """A row per input, item by item (only ``department``'s items, if given)."""
    words = _WORDS[lang]
    rows, listed = [], set()
    owned = set(department_items(criteria, department)) if department else None
    for compiled in criteria.items:
        if owned is not None and compiled.item.id not in owned:
            continue
        for name in (*compiled.inputs, *compiled.previous_inputs):
            if name in listed:
                continue
            listed.add(name)
            declared = criteria.inputs[name]
            others = [c.item.number for c in criteria.readers_of(name) if c is not compiled]
            also = f" ({words['also']} {', '.join(others)})" if others else ""
            item = compiled.item
            rows.append(
                TemplateRow(
                    number=item.number,
                    item=item.name.get(lang) + also,
                    input=name,
                    name=declared.name.get(lang),
                    unit=declared.unit,
                    type=words["yes_no"] if declared.type == "boolean" else words["number"],
                    responsible="、".join(item.responsible),
                    boolean=declared.type == "boolean",
                    minimum=declared.minimum,
                    maximum=declared.maximum,
                )
            )
    return rows


def _direct_rows(
    criteria: CompiledCriteria, lang: str, filled: DataFile | None
) -> list[TemplateRow]:
    """A row for each item whose value the filled data gives directly (not from inputs)."""
    if filled is None:
        return []
    years = (filled.entity.year, *filled.history)
    given = {key for year in years for key in filled.year_values(year)}
    words = _WORDS[lang]
    rows = []
    for item in (compiled.item for compiled in criteria.items):
        if item.id in given and item.id not in criteria.inputs:
            rows.append(
                TemplateRow(
                    number=item.number,
                    item=item.name.get(lang),
                    input=item.id,
                    name=item.name.get(lang),
                    unit=item.unit,
                    type=words["number"],
                    responsible="、".join(item.responsible),
                    boolean=False,
                    minimum=None,
                    maximum=None,
                )
            )
    return rows


def _preamble(
    criteria: CompiledCriteria, lang: str, filled: DataFile | None = None
) -> list[list[str]]:
    words = _WORDS[lang]
    values = labels()[lang]["profile_values"]
    rows = [
        [words["criteria"], f"{criteria.id} — {criteria.spec.title.get(lang)}"],
        [words["entity"], filled.entity.name if filled else ""],
    ]
    for key in profile_keys(criteria):
        default = values[criteria.spec.level[0]] if key == "level" else ""
        if filled is not None:
            given = getattr(filled.entity, key)
            default = "" if given is None else values[str(given).lower()]
        rows.append([words[key], default])
    return rows


def _header(lang: str, years: list[int]) -> list[str]:
    words = _WORDS[lang]
    return [*words["columns"], *map(str, years), *words["after"]]


def _row_cells(row: TemplateRow, years: list[int], filled: DataFile | None = None) -> list[Any]:
    info = [row.number, row.item, row.input, row.name, row.unit, row.type, row.responsible]
    if filled is None:
        return [*info, *([""] * len(years)), "", "", ""]
    given = [filled.year_values(year).get(row.input) for year in years]
    cells = [_cell(g.value) if g else "" for g in given]
    latest = next((g for g in reversed(given) if g is not None), None)
    keys = ("source", "evidence", "note")
    after = [(getattr(latest, key) or "") if latest else "" for key in keys]
    return [*info, *cells, *after]


def _cell(value: Any) -> Any:
    """A stored value as a cell: numbers as numbers, yes/no and text as typed."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return value if isinstance(value, int | float | str) else ""


def csv_template(
    criteria: CompiledCriteria, lang: str, years: list[int], department: str | None = None
) -> bytes:
    """The CSV template, UTF-8 with a byte-order mark so that Excel shows the Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(inert_row(row) for row in _preamble(criteria, lang))
    writer.writerow([])
    writer.writerow(inert_row(_header(lang, years)))
    rows = template_rows(criteria, lang, department)
    writer.writerows(inert_row(_row_cells(row, years)) for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_template(
    criteria: CompiledCriteria,
    lang: str,
    years: list[int],
    path: Path,
    filled: DataFile | None = None,
    department: str | None = None,
) -> None:
    """Write the Excel template to ``path`` — ``filled`` with an entity's values: the
    workbook a workspace exports, which reads back to the same values."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    words = _WORDS[lang]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = words["data"]
    preamble = _preamble(criteria, lang, filled)
    for row in preamble:
        sheet.append(row)
        as_text_cells(sheet[sheet.max_row])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    _profile_choices(sheet, criteria, lang, DataValidation)
    sheet.append([])
    sheet.append(_header(lang, years))
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="2F6B3F")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    first_year_column = len(words["columns"]) + 1
    yes_no = DataValidation(type="list", formula1=f'"{_yes_no(lang)}"', allow_blank=True)
    yes_no.error = "是 / 否" if lang == "zh" else "yes / no"
    number = DataValidation(
        type="decimal",
        operator="between",
        formula1="-1000000000000",
        formula2="1000000000000",
        allow_blank=True,
        errorStyle="warning",
    )
    number.error = "请填写数字" if lang == "zh" else "Please enter a number"
    sheet.add_data_validation(yes_no)
    sheet.add_data_validation(number)
    rows = template_rows(criteria, lang, department) + _direct_rows(criteria, lang, filled)
    for input_row in rows:
        sheet.append(_row_cells(input_row, years, filled))
        as_text_cells(sheet[sheet.max_row])
        for offset in range(len(years)):
            cell = sheet.cell(sheet.max_row, first_year_column + offset)
            (yes_no if input_row.boolean else number).add(cell.coordinate)
            cell.fill = PatternFill("solid", fgColor="FFF8DC")
    sheet.freeze_panes = sheet.cell(header_row + 1, first_year_column).coordinate
    widths = [6, 34, 30, 34, 12, 8, 24, *([12] * len(years)), 24, 24, 24]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    help_sheet = book.create_sheet(words["help"])
    for line in words["instructions"]:
        help_sheet.append([line.format(id=criteria.id, path=_criteria_path_option(criteria))])
    help_sheet.column_dimensions["A"].width = 110
    help_sheet["A1"].font = Font(bold=True, size=14)
    book.save(path)


def _yes_no(lang: str) -> str:
    return "是,否" if lang == "zh" else "yes,no"


def _profile_choices(sheet, criteria: CompiledCriteria, lang: str, validation) -> None:  # type: ignore[no-untyped-def]
    """Drop-down lists for the profile cells of the preamble."""
    values = labels()[lang]["profile_values"]
    words = _WORDS[lang]
    for index, row in enumerate(sheet.iter_rows(min_col=1, max_col=1), start=1):
        label = row[0].value
        key = next((k for k in profile_keys(criteria) if words[k] == label), None)
        if key is None:
            continue
        options = ",".join(
            str(values[str(v).lower() if isinstance(v, bool) else v]) for v in PROFILE_VALUES[key]
        )
        if key == "coastal":
            options = _yes_no(lang)
        choice = validation(type="list", formula1=f'"{options}"', allow_blank=True)
        sheet.add_data_validation(choice)
        choice.add(f"B{index}")


def _criteria_path_option(criteria: CompiledCriteria) -> str:
    """`` --criteria-path DIR`` for a set found outside the bundled sets (the command in
    the help sheet must run as written), else nothing."""
    from engine.resources import bundled_criteria_dir

    folder = criteria.path.parent.parent
    try:
        if folder.resolve() == bundled_criteria_dir().resolve():
            return ""
    except OSError:
        return ""
    return f" --criteria-path {folder}"
