"""``ecoassess template``: an empty data file (yaml, csv or xlsx) to fill in."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from engine.cli.output import refuse_existing, write_atomic
from engine.cli.support import (
    FORCE_OPTION,
    LANG_OPTION,
    InputError,
    criteria_path_option,
    emit,
    emit_bytes,
    output_option,
    user_errors,
    wrote,
)


@click.command()
@click.argument("criteria_id")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "csv", "xlsx"]),
    default=None,
    help="Template format [default: from -o's suffix, else yaml].",
)
@LANG_OPTION
@click.option(
    "--year",
    type=int,
    default=None,
    help="The year to assess [default: last year]; its previous year gets a column too.",
)
@click.option(
    "--department",
    help="Only this department's items (where it is lead, responsible or cooperating unit): "
    "the template a department fills in for its return.",
)
@output_option("Write the template to this file (xlsx needs one).")
@FORCE_OPTION
@criteria_path_option
def template(
    criteria_id: str,
    fmt: str | None,
    lang: str,
    year: int | None,
    department: str | None,
    output: Path | None,
    force: bool,
    criteria_paths: tuple[Path, ...],
) -> None:
    """Write an empty data file (yaml, csv or xlsx) for a criteria set, every input explained."""
    from engine.criteria.loader import load_criteria, search_path
    from engine.reports.data_template import data_template
    from engine.reports.sheet_template import csv_template

    chosen = fmt or (output.suffix.lower().lstrip(".") if output else "yaml")
    if chosen not in ("yaml", "yml", "csv", "xlsx"):
        raise InputError(f"-o {output}: use a .yaml, .csv or .xlsx name, or --format", lang)
    if chosen == "xlsx" and output is None:
        raise InputError(
            "--format xlsx: give the file to write with -o FILE.xlsx"
            if lang == "en"
            else "--format xlsx: 请用 -o 文件名.xlsx 指明要写入的文件",
            lang,
        )
    years = [(year or date.today().year - 1) - 1, year or date.today().year - 1]
    with user_errors(lang):
        if output is not None:
            refuse_existing(output, force)
        criteria = load_criteria(criteria_id, search_path(criteria_paths))
        if department is not None:
            from engine.criteria.departments import known_department

            known_department(criteria, department)
        if chosen == "xlsx":
            assert output is not None
            _write_xlsx(criteria, lang, years, output, force, department)
            wrote(output, lang)
        elif chosen == "csv":
            emit_bytes(csv_template(criteria, lang, years, department), output, force, lang)
        else:
            emit(data_template(criteria, lang, department, years[-1]), output, force, lang)


def _write_xlsx(
    criteria: Any, lang: str, years: list[int], output: Path, force: bool, department: str | None
) -> None:
    """Save the workbook to a temporary file, then move it into place like any output."""
    import tempfile

    from engine.reports.sheet_template import xlsx_template

    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder) / output.name
        xlsx_template(criteria, lang, years, scratch, department=department)
        write_atomic(output, scratch.read_bytes(), force=force)
