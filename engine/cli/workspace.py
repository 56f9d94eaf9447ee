"""``ecoassess workspace``: the campaign's values, their history and its check-ins kept in a
database (SQLite in the workspace folder by default; ``--database URL`` for PostgreSQL)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from engine.cli.exit_codes import ExitCode
from engine.cli.output import refuse_existing
from engine.cli.support import (
    FORCE_OPTION,
    LANG_OPTION,
    InputError,
    criteria_path_option,
    document_format,
    document_option,
    emit,
    format_option,
    output_format,
    output_option,
    user_errors,
    wrote,
)
from engine.reports.formats import BULLETIN_FORMATS, DOCUMENT_FORMATS, REPORT_FORMATS
from engine.reports.inert import one_line

if TYPE_CHECKING:
    from engine.criteria.compiler import CompiledCriteria as Compiled
    from engine.workspace.store import Workspace

WORKSPACE = click.argument("path", type=click.Path(file_okay=False, path_type=Path))
CRITERIA = click.option(
    "--criteria",
    "criteria_id",
    help="Criteria set [default: the workspace's first set, from workspace init --criteria].",
)
PERIOD = click.option(
    "--period", help="The return's month or quarter, e.g. 2025-03 or 2025-Q1 (optional)."
)


def _criteria(space: Workspace, criteria_id: str | None, paths: tuple[Path, ...]) -> Compiled:
    """The set named, else the workspace's default set."""
    from engine.criteria.loader import load_criteria, search_path
    from engine.workspace.store import WorkspaceError

    chosen = criteria_id or (space.criteria_ids[0] if space.criteria_ids else None)
    if chosen is None:
        raise WorkspaceError.single(
            str(space.path),
            "请用 --criteria 指明指标体系(或在 workspace init 时用 --criteria 设定默认的)",
            "name the criteria set with --criteria (or set a default with workspace init "
            "--criteria)",
        )
    return load_criteria(chosen, search_path(paths))


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
@click.option(
    "--criteria",
    "criteria_ids",
    multiple=True,
    help="A criteria set the campaign is assessed under (repeatable; the first is the default "
    "of every command's --criteria).",
)
@LANG_OPTION
@criteria_path_option
def init(
    path: Path,
    database: str | None,
    criteria_ids: tuple[str, ...],
    lang: str,
    criteria_paths: tuple[Path, ...],
) -> None:
    """Make a workspace in the folder PATH."""
    from engine.criteria.loader import load_criteria, search_path
    from engine.workspace.store import init as make

    with user_errors(lang):
        for criteria_id in criteria_ids:  # a set that does not load is refused now
            load_criteria(criteria_id, search_path(criteria_paths))
        make(path, database, criteria_ids)
    click.echo(f"workspace: {path}" if lang == "en" else f"已创建工作区: {path}")


@workspace.command("import")
@WORKSPACE
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@CRITERIA
@PERIOD
@LANG_OPTION
@criteria_path_option
def import_files(
    path: Path,
    files: tuple[Path, ...],
    criteria_id: str | None,
    period: str | None,
    lang: str,
    criteria_paths: tuple[Path, ...],
) -> None:
    """Import data files (YAML, CSV, xlsx; whole returns or a department's rows). A value that
    differs from the one in force is a new version; nothing is overwritten. A bad cell, or two
    files giving one input two values, imports nothing."""
    from engine.workspace.store import open_workspace

    with user_errors(lang):
        space = open_workspace(path)
        criteria = _criteria(space, criteria_id, criteria_paths)
        result = space.import_files(list(files), criteria, period=period)
    click.echo(
        f"new {len(result.new)}, changed {len(result.changed)}, unchanged {result.unchanged}"
        if lang == "en"
        else f"新增 {len(result.new)} 项，更正 {len(result.changed)} 项，未变 {result.unchanged} 项"
    )


@workspace.command()
@WORKSPACE
@click.argument("name")
@CRITERIA
@LANG_OPTION
@criteria_path_option
def checkin(
    path: Path, name: str, criteria_id: str | None, lang: str, criteria_paths: tuple[Path, ...]
) -> None:
    """Freeze the values in force and the criteria set as check-in NAME (e.g. 2025-03)."""
    from engine.workspace.store import open_workspace

    with user_errors(lang):
        space = open_workspace(path)
        made = space.checkin(name, _criteria(space, criteria_id, criteria_paths))
    click.echo(
        f"check-in {made.name}: {made.criteria_id} {made.criteria_digest[:12]}"
        if lang == "en"
        else f"已建立检查点 {made.name}: 指标体系 {made.criteria_id} ({made.criteria_digest[:12]})"
    )


@workspace.command()
@WORKSPACE
@click.argument("entity")
@click.option("--checkin", "checkin_name", required=True, help="The check-in to report on.")
@click.option("--year", type=int, help="Year assessed (default: the latest with values).")
@format_option(REPORT_FORMATS, "Report", "text")
@document_option("the previous check-in")
@LANG_OPTION
@output_option("Write the report to this file instead of standard output.")
@FORCE_OPTION
def check(
    path: Path,
    entity: str,
    checkin_name: str,
    year: int | None,
    fmt: str | None,
    document: str,
    lang: str,
    output: Path | None,
    force: bool,
) -> None:
    """The report of ENTITY exactly as at a check-in (its values and its criteria set).

    Exit status: 0 ready, 1 not ready, 2 bad usage or bad input."""
    from engine.evaluation.evaluator import evaluate
    from engine.reports.formats import write_document_of
    from engine.workspace.dashboard import since_previous
    from engine.workspace.store import open_workspace

    chosen = document_format(document, fmt, output, (), "", lang)
    with user_errors(lang):
        if output is not None:
            refuse_existing(output, force)
        space = open_workspace(path)
        criteria, data = space.at_checkin(checkin_name, entity, year)
        report = evaluate(criteria, data)
        progress = (
            since_previous(space, entity, checkin_name, year) if document == "summary" else None
        )
        written = write_document_of(document, chosen, report, criteria, lang, None, progress)
        emit(written, output, force, lang)
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
            f"{v.number}\t{v.raw!r}\t{v.period or '-'}\t{v.entered_at:%Y-%m-%d %H:%M}\t"
            f"{v.entered_by}\t{one_line(v.file)}\t{one_line(v.source or '')}"
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
    wrote(output, lang)


@workspace.command()
@WORKSPACE
@click.argument("entity")
@click.argument("input_name", metavar="INPUT")
@click.argument("year", type=int)
@click.argument("value")
@click.option("--source", help="Where the value comes from (yearbook, department …).")
@click.option("--evidence", help="The document that supports it (number, title).")
@click.option("--note", help="A note shown beside the value.")
@PERIOD
@CRITERIA
@LANG_OPTION
@criteria_path_option
def enter(
    path: Path,
    entity: str,
    input_name: str,
    year: int,
    value: str,
    source: str | None,
    evidence: str | None,
    note: str | None,
    period: str | None,
    criteria_id: str | None,
    lang: str,
    criteria_paths: tuple[Path, ...],
) -> None:
    """Enter one value of ENTITY's INPUT for YEAR as typed (85, 85%, 是 …): read by the same
    reader as a spreadsheet cell, refused with the same message when it cannot be read. A
    value different from the one in force is a new version; nothing is overwritten."""
    from engine.workspace.store import open_workspace

    with user_errors(lang):
        space = open_workspace(path)
        criteria = _criteria(space, criteria_id, criteria_paths)
        result = space.enter_value(
            entity, input_name, year, value, criteria,
            source=source, evidence=evidence, note=note, period=period,
        )  # fmt: skip
    stored = bool(result.new or result.changed)
    click.echo(
        ("stored" if stored else "unchanged")
        if lang == "en"
        else ("已保存(新版本)" if stored else "与现行数值相同，未保存")
    )


@workspace.command()
@WORKSPACE
@LANG_OPTION
def checkins(path: Path, lang: str) -> None:
    """Every check-in: name, when, by whom, the criteria set and its content hash."""
    from engine.workspace.store import open_workspace

    with user_errors(lang):
        made = open_workspace(path).checkins()
    for c in made:
        click.echo(
            f"{one_line(c.name)}\t{c.made_at:%Y-%m-%d %H:%M}\t{c.made_by}\t{c.criteria_id}\t"
            f"{c.criteria_digest[:12]}"
        )


@workspace.command()
@WORKSPACE
@click.argument("entity")
@click.argument("checkin_names", nargs=-1, required=True, metavar="CHECKIN...")
@click.option("--year", type=int, help="Year assessed (default: each check-in's latest).")
@format_option(BULLETIN_FORMATS, "Bulletin", "md")
@LANG_OPTION
@output_option("Write the bulletin to this file instead of standard output.")
@FORCE_OPTION
def progress(
    path: Path,
    entity: str,
    checkin_names: tuple[str, ...],
    year: int | None,
    fmt: str | None,
    lang: str,
    output: Path | None,
    force: bool,
) -> None:
    """The progress bulletin (月通报) of ENTITY between check-ins (OLD NEW, or more, oldest
    first), from the stored history: gaps closed, opened, improved, worsened, by department.

    Exit status: 0 ready at the newest check-in, 1 not ready, 2 bad usage or bad input."""
    from engine.reports.formats import FORMATS
    from engine.workspace.dashboard import bulletin
    from engine.workspace.store import open_workspace

    chosen = output_format(fmt, output, (), "", lang, "md", BULLETIN_FORMATS)
    with user_errors(lang):
        if output is not None:
            refuse_existing(output, force)
        result = bulletin(open_workspace(path), entity, list(checkin_names), year)
        writer = FORMATS[chosen].bulletin
        assert writer is not None
        emit(writer(result, lang), output, force, lang)
    sys.exit(ExitCode.OK if result.new.verdict == "ready" else ExitCode.NOT_READY)


@workspace.command()
@WORKSPACE
@CRITERIA
@click.option("--format", "fmt", type=click.Choice(["text", "json", *DOCUMENT_FORMATS]),
              default=None, help="Dashboard format [default: from -o's suffix, else text]; "
              "md, html, docx and pdf are the dashboard to hand on.")  # fmt: skip
@output_option("Write the dashboard to this file instead of standard output.")
@FORCE_OPTION
@LANG_OPTION
@criteria_path_option
def dashboard(
    path: Path,
    criteria_id: str | None,
    fmt: str | None,
    output: Path | None,
    force: bool,
    lang: str,
    criteria_paths: tuple[Path, ...],
) -> None:
    """The readiness dashboard: each entity's verdict on the values in force, blocking gaps by
    department, the blocking-gap count over the check-ins, values missing or without evidence."""
    from engine.reports.formats import FORMATS
    from engine.workspace.dashboard import dashboard as make
    from engine.workspace.rendering import dashboard_document, dashboard_json, dashboard_text
    from engine.workspace.store import open_workspace

    chosen = output_format(fmt, output, (), "", lang, "text", ("text", "json", *DOCUMENT_FORMATS))
    with user_errors(lang):
        if output is not None:
            refuse_existing(output, force)
        space = open_workspace(path)
        board = make(space, _criteria(space, criteria_id, criteria_paths))
        written: str | bytes
        if chosen == "json":
            written = json.dumps(dashboard_json(board), ensure_ascii=False, indent=2) + "\n"
        elif chosen == "text":
            written = dashboard_text(board, lang)
        else:
            written = FORMATS[chosen].write_document(dashboard_document(board, lang))
        emit(written, output, force, lang)


@workspace.command()
@WORKSPACE
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write: .json (everything), or .yaml / .xlsx (one entity's "
              "year, with --entity).")  # fmt: skip
@click.option("--entity", help="The entity to export (for .yaml and .xlsx).")
@click.option("--year", type=int, help="Year assessed (default: the latest with values).")
@click.option("--checkin", "checkin_name", help="As at this check-in (default: values in force).")
@CRITERIA
@FORCE_OPTION
@LANG_OPTION
@criteria_path_option
def export(
    path: Path,
    output: Path,
    entity: str | None,
    year: int | None,
    checkin_name: str | None,
    criteria_id: str | None,
    force: bool,
    lang: str,
    criteria_paths: tuple[Path, ...],
) -> None:
    """Export: JSON of everything (-o all.json), or an entity's year as a YAML data file or a
    filled workbook (-o x.yaml / x.xlsx --entity NAME) that ecoassess check reads back."""
    from engine.cli.output import write_atomic
    from engine.workspace.export import data_workbook, data_yaml, everything
    from engine.workspace.store import WorkspaceError, open_workspace

    suffix = output.suffix.lower()
    if suffix not in (".json", ".yaml", ".yml", ".xlsx"):
        raise InputError(
            f"-o {output}: 请用 .json、.yaml 或 .xlsx 结尾的文件名"
            if lang == "zh"
            else f"-o {output}: give a file ending in .json, .yaml or .xlsx",
            lang,
        )
    with user_errors(lang):
        refuse_existing(output, force)
        space = open_workspace(path)
        content: str | bytes
        if suffix == ".json":
            content = json.dumps(everything(space), ensure_ascii=False, indent=1)
        else:
            if entity is None:
                raise WorkspaceError.single(
                    str(output), "请用 --entity 指明导出的评估对象", "name the entity: --entity"
                )
            if checkin_name is not None:
                criteria, data = space.at_checkin(checkin_name, entity, year)
            else:
                criteria = _criteria(space, criteria_id, criteria_paths)
                found = space.now(criteria, entity, year)
                if not found:
                    raise WorkspaceError.single(entity, "没有数值", "no values")
                data = found[0][1]
            content = data_yaml(data) if suffix != ".xlsx" else data_workbook(criteria, data, lang)
        write_atomic(output, content, force=force)
    wrote(output, lang)
