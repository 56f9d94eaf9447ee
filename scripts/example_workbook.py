"""Regenerate the example workbook, examples/baoshan_2016.xlsx, from the YAML example.

    python scripts/example_workbook.py

It is the Excel template of yunnan_2014 filled in with examples/baoshan_2016.yaml, the way a
clerk would fill it; a test checks that it still gives the YAML example's results.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import yaml

from engine.criteria.loader import load_criteria, search_path
from engine.reports.sheet_template import xlsx_template

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "baoshan_2016.yaml"
WORKBOOK = REPO / "examples" / "baoshan_2016.xlsx"


def example_years(example: Path = EXAMPLE) -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
    """The example's entity, and its values by year."""
    raw = yaml.safe_load(example.read_text(encoding="utf-8"))
    by_year = {raw["entity"]["year"]: raw["values"], **raw["history"]}
    return raw["entity"], by_year


def fill_workbook(path: Path, example: Path = EXAMPLE) -> None:
    """Fill the generated workbook at ``path`` with the values of ``example``."""
    entity, by_year = example_years(example)
    book = openpyxl.load_workbook(path)
    sheet = book["数据"]
    header = next(r for r in sheet.iter_rows() if any(c.value == "输入项" for c in r))
    columns = {c.value: c.column for c in header}
    for row in sheet.iter_rows():
        if row[0].value == "评估对象":
            row[1].value = entity["name"]
    rows = {
        row[columns["输入项"] - 1].value: row[0].row
        for row in sheet.iter_rows(min_row=header[0].row + 1)
    }
    # A value the example gives for an item directly (not an input) goes on a row of its own.
    for name in sorted({key for values in by_year.values() for key in values} - set(rows)):
        rows[name] = sheet.max_row + 1
        sheet.cell(rows[name], columns["输入项"], name)
    for name, number in rows.items():
        for year, values in by_year.items():
            given = values.get(name)
            value = given.get("value") if isinstance(given, dict) else given
            if value is True or value is False:
                value = "是" if value else "否"
            sheet.cell(number, columns[str(year)], value)
            if isinstance(given, dict):
                for key, title in (("source", "来源"), ("evidence", "佐证"), ("note", "备注")):
                    if given.get(key):
                        sheet.cell(number, columns[title], given[key])
    book.save(path)


def main() -> None:
    criteria = load_criteria("yunnan_2014", search_path())
    _, by_year = example_years()
    xlsx_template(criteria, "zh", sorted(by_year), WORKBOOK)
    fill_workbook(WORKBOOK)
    print(f"wrote {WORKBOOK.relative_to(REPO)}")


if __name__ == "__main__":
    main()
