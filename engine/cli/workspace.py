"""``ecoassess workspace``: the campaign's values, their history and its check-ins kept in a
database (SQLite in the workspace folder by default; ``--database URL`` for PostgreSQL)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from engine.cli.exit_codes import ExitCode
from engine.cli.output import refuse_existing
from engine.cli.support import (
    FORCE_OPTION,
    LANG_OPTION,
    criteria_path_option,
    emit,
    format_option,
    output_format,
    output_option,
    user_errors,
)
from engine.reports.formats import REPORT_FORMATS

WORKSPACE = click.argument("path", type=click.Path(file_okay=False, path_type=Path))


@click.group()
def workspace() -> None:
    """工作区: 数值及其历史、检查点 / the campaign workspace: values, history, check-ins."""


@workspace.command()
@WORKSPACE
@click.option(
    "--database",
    metavar="URL",
    help="A database server instead of the SQLite file in PATH, e.g. "
    "postgresql+psycopg://user@localhost/eco (stored in PATH/workspace.yaml, mode 0600).",
)
@LANG_OPTION
def init(path: Path, database: str | None, lang: str) -> None:
    """Make a workspace in the folder PATH."""
    from engine.workspace.store import init as make

    with user_errors(lang):
        make(path, database)
    click.echo(f"workspace: {path}" if lang == "en" else f"已创建工作区: {path}")


@workspace.command("import")
@WORKSPACE
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--criteria", "criteria_id", required=True, help="Criteria set the files fill in.")
@LANG_OPTION
@criteria_path_option
def import_files(
    path: Path,
    files: tuple[Path, ...],
    criteria_id: str,
    lang: str,
    criteria_paths: tuple[Path, ...],
) -> None:
    """Import data files (YAML, CSV, xlsx; whole returns or a department's rows). A value that
    differs from the one in force is a new version; nothing is overwritten. A bad cell, or two
    files giving one input two values, imports nothing."""
    from engine.criteria.loader import load_criteria, search_path
    from engine.workspace.store import open_workspace

    with user_errors(lang):
        criteria = load_criteria(criteria_id, search_path(criteria_paths))
        result = open_workspace(path).import_files(list(files), criteria)
    click.echo(
        f"new {len(result.new)}, changed {len(result.changed)}, unchanged {result.unchanged}"
        if lang == "en"
        else f"新增 {len(result.new)} 项，更正 {len(result.changed)} 项，未变 {result.unchanged} 项"
    )


@workspace.command()
@WORKSPACE
@click.argument("name")
@click.option("--criteria", "criteria_id", required=True, help="Criteria set frozen with it.")
@LANG_OPTION
@criteria_path_option
def checkin(
    path: Path, name: str, criteria_id: str, lang: str, criteria_paths: tuple[Path, ...]
) -> None:
    """Freeze the values in force and the criteria set as check-in NAME (e.g. 2025-03)."""
    from engine.criteria.loader import load_criteria, search_path
    from engine.workspace.store import open_workspace

    with user_errors(lang):
        criteria = load_criteria(criteria_id, search_path(criteria_paths))
        made = open_workspace(path).checkin(name, criteria)
    click.echo(f"check-in {made.name}: {made.criteria_id} {made.criteria_digest[:12]}")


@workspace.command()
@WORKSPACE
@click.argument("entity")
@click.option("--checkin", "checkin_name", required=True, help="The check-in to report on.")
@click.option("--year", type=int, help="Year assessed (default: the latest with values).")
@format_option(REPORT_FORMATS, "Report", "text")
@LANG_OPTION
@output_option("Write the report to this file instead of standard output.")
@FORCE_OPTION
def check(
    path: Path,
    entity: str,
    checkin_name: str,
    year: int | None,
    fmt: str | None,
    lang: str,
    output: Path | None,
    force: bool,
) -> None:
    """The report of ENTITY exactly as at a check-in (its values and its criteria set).

    Exit status: 0 ready, 1 not ready, 2 bad usage or bad input."""
    from engine.evaluation.evaluator import evaluate
    from engine.reports.formats import FORMATS
    from engine.workspace.store import open_workspace

    chosen = output_format(fmt, output, (), "", lang)
    with user_errors(lang):
        if output is not None:
            refuse_existing(output, force)
        criteria, data = open_workspace(path).at_checkin(checkin_name, entity, year)
        report = evaluate(criteria, data)
        emit(FORMATS[chosen].write_report(report, criteria, lang), output, force)
    ready = report.verdict == "ready" and report.criteria.complete
    sys.exit(ExitCode.OK if ready else ExitCode.NOT_READY)


@workspace.command()
@WORKSPACE
@click.argument("entity")
@click.argument("input_name", metavar="INPUT")
@click.argument("year", type=int)
@LANG_OPTION
def history(path: Path, entity: str, input_name: str, year: int, lang: str) -> None:
    """Every version of one value: when, by whom, from which file."""
    from engine.workspace.store import open_workspace

    with user_errors(lang):
        versions = open_workspace(path).history(entity, input_name, year)
    for v in versions:
        click.echo(
            f"{v.number}\t{v.raw!r}\t{v.entered_at:%Y-%m-%d %H:%M}\t{v.entered_by}\t{v.file}"
        )


@workspace.command()
@WORKSPACE
@click.argument("entity")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", type=int, required=True, help="The year the evidence is for.")
@click.option("--input", "input_name", help="The input it supports (or --item).")
@click.option("--item", help="The item it supports (or --input).")
@LANG_OPTION
def attach(
    path: Path,
    entity: str,
    file: Path,
    year: int,
    input_name: str | None,
    item: str | None,
    lang: str,
) -> None:
    """Attach an evidence file (佐证材料: PDF, PNG, JPEG, .docx, .xlsx, .pptx, ≤ 20 MB, its type
    checked on its content) to ENTITY's input or item for a year. Stored once by content."""
    from engine.workspace.store import open_workspace

    with user_errors(lang):
        link = open_workspace(path).attach(entity, file, year, input_name=input_name, item=item)
    click.echo(f"{link.name}: {link.sha256[:12]}")


@workspace.command("evidence")
@WORKSPACE
@click.argument("entity")
@LANG_OPTION
def list_evidence(path: Path, entity: str, lang: str) -> None:
    """The evidence attached to ENTITY: year, input or item, file name, content hash, who, when."""
    from engine.workspace.store import open_workspace

    with user_errors(lang):
        links = open_workspace(path).evidence(entity)
    for link in links:
        target = link.input or link.item
        click.echo(
            f"{link.year}\t{target}\t{link.name}\t{link.sha256[:12]}\t{link.added_by}\t"
            f"{link.added_at:%Y-%m-%d %H:%M}"
        )


@workspace.command("bundle")
@WORKSPACE
@click.argument("entity")
@click.option("--checkin", "checkin_name", required=True, help="The check-in to assemble.")
@click.option("--year", type=int, help="Year assessed (default: the latest with values).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The zip to write.")  # fmt: skip
@FORCE_OPTION
@LANG_OPTION
def bundle(
    path: Path,
    entity: str,
    checkin_name: str,
    year: int | None,
    output: Path,
    force: bool,
    lang: str,
) -> None:
    """The declaration's evidence bundle of ENTITY at a check-in: a zip with a folder per item
    holding its evidence files, and index.xlsx (item, value, source, files)."""
    from engine.cli.output import write_atomic
    from engine.workspace.bundle import evidence_bundle
    from engine.workspace.store import open_workspace

    with user_errors(lang):
        refuse_existing(output, force)
        data = evidence_bundle(open_workspace(path), checkin_name, entity, year)
        write_atomic(output, data, force=force)
    click.echo(str(output))
