"""The ``ecoassess`` command line: a thin layer over the engine.

Engine errors become one line per problem on stderr and exit status 2; see
:class:`engine.cli.exit_codes.ExitCode` for every status. ``batch``, ``progress`` and
``serve`` live in their own modules of this package; what commands share is in
:mod:`engine.cli.support`.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from engine.cli.batch import batch
from engine.cli.exit_codes import ExitCode
from engine.cli.output import refuse_existing, write_atomic
from engine.cli.progress import progress
from engine.cli.serve import serve
from engine.cli.support import (
    FORCE_OPTION,
    LANG_OPTION,
    YEAR_OPTION,
    InputError,
    criteria_path_option,
    emit,
    emit_bytes,
    output_format,
    output_option,
    print_result,
    user_errors,
)
from engine.reports.formats import REPORT_FORMATS

if TYPE_CHECKING:
    pass


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ecoassess")
def main() -> None:
    """ecoassess — 生态文明建设示范区达标评估 (readiness checks against criteria sets)."""


@main.command()
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--criteria", "criteria_id", required=True, help="Criteria set id, e.g. yunnan_2014.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    default=None,
    help="Report format [default: from -o's suffix, else text]. docx needs -o.",
)
@LANG_OPTION
@YEAR_OPTION
@click.option(
    "--department",
    default=None,
    help="Only this responsible department's task list (with the verdict), e.g. 市林业局.",
)
@output_option("Write the report to this file instead of standard output.")
@FORCE_OPTION
@criteria_path_option
def check(
    data: Path,
    criteria_id: str,
    fmt: str | None,
    lang: str,
    year: int | None,
    department: str | None,
    output: Path | None,
    force: bool,
    criteria_paths: tuple[Path, ...],
) -> None:
    """Check DATA (a .yaml, .csv or .xlsx data file) against a criteria set and report
    passes and gaps.

    Exit status: 0 ready, 1 not ready, 2 bad usage or bad input.
    """
    from engine.criteria.loader import load_criteria, search_path
    from engine.data.sources import load_data
    from engine.evaluation.evaluator import evaluate
    from engine.reports.formats import FORMATS

    chosen = output_format(fmt, output, (data,), "the data file", lang)
    with user_errors(lang):
        if output is not None:
            refuse_existing(output, force)
        criteria = load_criteria(criteria_id, search_path(criteria_paths))
        report = evaluate(criteria, load_data(data, criteria, year))
        _check_department(report, department, lang)
        writer = FORMATS[chosen].report
        assert writer is not None
        emit(writer(report, criteria, lang, department), output, force)
    sys.exit(ExitCode.OK if report.verdict == "ready" else ExitCode.NOT_READY)


def _check_department(report: Any, department: str | None, lang: str) -> None:
    """A --department must be one the criteria name for some item."""
    if department is None:
        return
    from engine.errors import did_you_mean

    known = sorted({name for result in report.results for name in result.responsible})
    if department not in known:
        zh_hint, en_hint = did_you_mean(department, known)
        message = (
            f"--department {department}: not a responsible department here{en_hint}"
            if lang == "en"
            else f"--department {department}: 不是本指标体系的责任单位{zh_hint}"
        )
        raise InputError(message, lang)


@main.command("list")
@criteria_path_option
def list_sets(criteria_paths: tuple[Path, ...]) -> None:
    """List the criteria sets available on the search path."""
    from engine.criteria.loader import discover, load_path, search_path
    from engine.errors import EcoassessError

    folders = search_path(criteria_paths)
    for location in discover(folders).values():
        try:
            criteria = load_path(location.folder, folders)
        except EcoassessError:
            click.echo(f"{location.id}\t(无效 invalid: ecoassess validate {location.folder})")
            continue
        spec = criteria.spec
        click.echo(f"{spec.id}\t{spec.title.zh}\t{len(criteria.items)} items\t{location.folder}")


@main.command()
@click.argument("criteria_id")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@LANG_OPTION
@criteria_path_option
def show(criteria_id: str, fmt: str, lang: str, criteria_paths: tuple[Path, ...]) -> None:
    """Show every item of a criteria set: rule, binding, inputs and departments."""
    from engine.criteria.loader import load_criteria, search_path
    from engine.reports.show import show_json, show_text

    with user_errors(lang):
        criteria = load_criteria(criteria_id, search_path(criteria_paths), "ID")
    print_result(fmt, lambda: show_json(criteria), lambda: show_text(criteria, lang))


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@LANG_OPTION
@criteria_path_option
def validate(path: Path, lang: str, criteria_paths: tuple[Path, ...]) -> None:
    """Validate a criteria set (folder or criteria.yaml) or a folder of sets, and run its cases.

    Exit status: 0 valid and every case met, 1 a case was not met, 2 invalid.
    """
    from engine.criteria.loader import CRITERIA_FILE, load_path, search_path
    from engine.errors import EcoassessError
    from engine.evaluation.cases import case_files, run_case

    folders = (
        [path]
        if path.is_file() or (path / CRITERIA_FILE).is_file()
        else sorted(child for child in path.iterdir() if (child / CRITERIA_FILE).is_file())
    )
    if not folders:
        raise InputError(f"{path}: no {CRITERIA_FILE} here or in its sub-folders", lang)
    errors: list[str] = []
    failed_cases = False
    for folder in folders:
        try:
            base_folders = [(folder if folder.is_dir() else folder.parent).parent]
            criteria = load_path(folder, [*base_folders, *search_path(criteria_paths)])
            outcomes = [run_case(case, criteria) for case in case_files(criteria)]
        except EcoassessError as exc:
            errors.append(exc.render(lang))
            continue
        for outcome in outcomes:
            for mismatch in outcome.mismatches:
                click.echo(f"{outcome.path}: {mismatch}", err=True)
        passed = sum(outcome.passed for outcome in outcomes)
        failed_cases |= passed < len(outcomes)
        click.echo(
            f"{criteria.id}: {len(criteria.items)} items, {passed}/{len(outcomes)} cases met"
        )
    if errors:
        raise InputError("\n".join(errors), lang)
    sys.exit(ExitCode.NOT_READY if failed_cases else ExitCode.OK)


@main.command()
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
@output_option("Write the template to this file (xlsx needs one).")
@FORCE_OPTION
@criteria_path_option
def template(
    criteria_id: str,
    fmt: str | None,
    lang: str,
    year: int | None,
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
        raise InputError("--format xlsx: give the file to write with -o FILE.xlsx", lang)
    years = [(year or date.today().year - 1) - 1, year or date.today().year - 1]
    with user_errors(lang):
        if output is not None:
            refuse_existing(output, force)
        criteria = load_criteria(criteria_id, search_path(criteria_paths))
        if chosen == "xlsx":
            assert output is not None
            _write_xlsx(criteria, lang, years, output, force)
        elif chosen == "csv":
            emit_bytes(csv_template(criteria, lang, years), output, force)
        else:
            emit(data_template(criteria, lang), output, force)


def _write_xlsx(criteria: Any, lang: str, years: list[int], output: Path, force: bool) -> None:
    """Save the workbook to a temporary file, then move it into place like any output."""
    import tempfile

    from engine.reports.sheet_template import xlsx_template

    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder) / output.name
        xlsx_template(criteria, lang, years, scratch)
        write_atomic(output, scratch.read_bytes(), force=force)


@main.command("diff")
@click.argument("a_id", metavar="A")
@click.argument("b_id", metavar="B")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@LANG_OPTION
@criteria_path_option
def diff_sets(a_id: str, b_id: str, fmt: str, lang: str, criteria_paths: tuple[Path, ...]) -> None:
    """Compare criteria sets A and B: items only in one, and items whose threshold, operator,
    binding flag or applicability differ."""
    from engine.criteria.loader import load_criteria, search_path
    from engine.reports.diff import diff, diff_json, diff_text

    folders = search_path(criteria_paths)
    with user_errors(lang):
        result = diff(load_criteria(a_id, folders, "A"), load_criteria(b_id, folders, "B"))
    print_result(fmt, lambda: diff_json(result), lambda: diff_text(result, lang))


@main.command()
def schema() -> None:
    """Print the JSON Schema of the criteria format (for editors).

    A criteria file is either a whole set or a set that extends another (``extends``).
    """
    from pydantic import TypeAdapter

    from engine.criteria.model import CriteriaSet, DerivedSet

    schema = TypeAdapter(CriteriaSet | DerivedSet).json_schema()
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ecoassess criteria file",
        **schema,
    }
    click.echo(json.dumps(schema, ensure_ascii=False, indent=2))


for command in (batch, progress, serve):
    main.add_command(command)


if __name__ == "__main__":
    main()
