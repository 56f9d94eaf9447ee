"""The ``ecoassess`` command line: a thin layer over the engine.

Engine errors become one line per problem on stderr and exit status 2; see
:class:`engine.exit_codes.ExitCode` for every status.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from engine.exit_codes import ExitCode

if TYPE_CHECKING:
    from engine.batch import BatchResult
    from engine.progress_report import ProgressFormat
    from engine.render import Format
from engine.output import Content, refuse_existing, write_atomic

F = TypeVar("F", bound=Callable[..., Any])
LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Language of the output: 中文 (zh) or English (en).",
)


def criteria_path_option(function: F) -> F:
    return click.option(
        "--criteria-path",
        "criteria_paths",
        multiple=True,
        type=click.Path(file_okay=False, path_type=Path),
        help="Extra folder of criteria sets, searched first (repeatable). "
        "Also read from ECOASSESS_CRITERIA_PATH.",
    )(function)


def output_option(help_text: str) -> Callable[[F], F]:
    return click.option(
        "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help=help_text
    )


YEAR_OPTION = click.option(
    "--year",
    type=int,
    default=None,
    help="The year to assess [default: the file's entity.year (YAML) or latest year (tables)].",
)
FORCE_OPTION = click.option("--force", is_flag=True, help="Replace an existing output file.")


class InputError(click.ClickException):
    """Bad usage or bad input, shown as one line per problem."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, lines: str, lang: str = "zh") -> None:
        super().__init__(lines)
        self.lang = lang

    def show(self, file: Any = None) -> None:
        prefix = "error" if self.lang == "en" else "错误"
        for line in self.message.splitlines():
            click.echo(f"{prefix}: {line}", err=True)


@contextmanager
def user_errors(lang: str) -> Iterator[None]:
    """Turn the engine's errors about user input into one line per problem, exit status 2."""
    from engine.errors import EcoassessError

    try:
        yield
    except EcoassessError as exc:
        raise InputError(exc.render(lang), lang) from exc


def _print(fmt: str, as_json: Callable[[], Any], as_text: Callable[[], str]) -> None:
    if fmt == "json":
        click.echo(json.dumps(as_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(as_text(), nl=False)


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
    type=click.Choice(["md", "text", "json", "html", "docx"]),
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
    from engine.data import load_data
    from engine.evaluator import evaluate
    from engine.loader import load_criteria, search_path
    from engine.render import render

    if output is not None and output.resolve() == data.resolve():
        raise InputError(f"-o {output}: would overwrite the data file; choose another name", lang)
    chosen = fmt or _format_from_suffix(output)
    if chosen == "docx" and output is None:
        raise InputError("--format docx: give the file to write with -o FILE.docx", lang)
    with user_errors(lang):
        if output is not None:
            refuse_existing(output, force)
        criteria = load_criteria(criteria_id, search_path(criteria_paths))
        report = evaluate(criteria, load_data(data, criteria, year))
        _check_department(report, department, lang)
        if chosen == "docx":
            from engine.docx_report import render_docx

            assert output is not None
            write_atomic(output, render_docx(report, criteria, lang, department), force=force)
        else:
            text = render(report, criteria, cast("Format", chosen), lang, department)
            _emit(text, output, force)
    sys.exit(ExitCode.OK if report.verdict == "ready" else ExitCode.NOT_READY)


@main.command()
@click.argument(
    "snapshots", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
)
@click.option("--criteria", "criteria_id", required=True, help="Criteria set id, e.g. yunnan_2014.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "json", "html", "docx"]),
    default=None,
    help="Bulletin format [default: from -o's suffix, else md]. docx needs -o.",
)
@LANG_OPTION
@output_option("Write the bulletin to this file instead of standard output.")
@FORCE_OPTION
@criteria_path_option
def progress(
    snapshots: tuple[Path, ...],
    criteria_id: str,
    fmt: str | None,
    lang: str,
    output: Path | None,
    force: bool,
    criteria_paths: tuple[Path, ...],
) -> None:
    """Compare data snapshots of one entity (OLD NEW, or three and more, oldest first) under
    one criteria set: which gaps closed, opened, improved and worsened, by department.

    Exit status: 0 the newest snapshot is ready, 1 not ready, 2 bad usage or bad input.
    """
    from engine.data import load_data
    from engine.evaluator import evaluate
    from engine.loader import load_criteria, search_path
    from engine.progress import Snapshot, compare
    from engine.progress_report import render_progress

    if len(snapshots) < 2:
        raise InputError("progress: give at least two snapshots, OLD NEW (oldest first)", lang)
    if output is not None and any(output.resolve() == p.resolve() for p in snapshots):
        raise InputError(f"-o {output}: would overwrite a snapshot; choose another name", lang)
    suffix = _format_from_suffix(output)
    chosen = fmt or (suffix if suffix in ("md", "json", "html", "docx") else "md")
    if chosen == "docx" and output is None:
        raise InputError("--format docx: give the file to write with -o FILE.docx", lang)
    with user_errors(lang):
        if output is not None:
            refuse_existing(output, force)
        criteria = load_criteria(criteria_id, search_path(criteria_paths))
        labels = [
            p.name if [q.name for q in snapshots].count(p.name) == 1 else str(p) for p in snapshots
        ]
        taken = [
            Snapshot(label, evaluate(criteria, load_data(path, criteria)))
            for label, path in zip(labels, snapshots, strict=True)
        ]
        result = compare(criteria, taken)
        bulletin = render_progress(result, cast("ProgressFormat", chosen), lang)
        if isinstance(bulletin, bytes):
            assert output is not None
            write_atomic(output, bulletin, force=force)
        else:
            _emit(bulletin, output, force)
    sys.exit(ExitCode.OK if result.new.verdict == "ready" else ExitCode.NOT_READY)


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


def _format_from_suffix(output: Path | None) -> str:
    suffixes = {
        ".md": "md",
        ".markdown": "md",
        ".json": "json",
        ".txt": "text",
        ".html": "html",
        ".htm": "html",
        ".docx": "docx",
    }
    return suffixes.get(output.suffix.lower(), "text") if output else "text"


def _emit(text: str, output: Path | None, force: bool = False) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text, force=force)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--criteria", "criteria_id", required=True, help="Criteria set id.")
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for one report per entity and summary.{csv,md,json}; without it the summary "
    "is printed.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "text", "json", "html"]),
    default="md",
    show_default=True,
    help="Format of the per-entity reports.",
)
@click.option("--no-reports", is_flag=True, help="Write only the summaries, no report per entity.")
@LANG_OPTION
@YEAR_OPTION
@FORCE_OPTION
@criteria_path_option
def batch(
    inputs: tuple[Path, ...],
    criteria_id: str,
    out_dir: Path | None,
    fmt: str,
    no_reports: bool,
    lang: str,
    year: int | None,
    force: bool,
    criteria_paths: tuple[Path, ...],
) -> None:
    """Assess many entities: data files, folders of them, workbooks with several entities.

    Counties that name their prefecture (entity.parent) feed its roll-up inputs. Writes one
    report per entity and a summary matrix; a bad input is listed and the rest go on.

    Exit status: 0 all ready, 1 some not ready, 2 some input could not be assessed.
    """
    from engine.batch import run_batch
    from engine.loader import load_criteria, search_path

    paths = _data_files(inputs)
    # Per-input provenance and trend series matter only in per-entity reports.
    detail = out_dir is not None and not no_reports
    with user_errors(lang):
        criteria = load_criteria(criteria_id, search_path(criteria_paths))
        if sys.stderr.isatty():
            with click.progressbar(length=len(paths), label="ecoassess", file=sys.stderr) as bar:
                result = run_batch(
                    paths,
                    criteria,
                    year,
                    progress=lambda _: bar.update(1),
                    detail=detail,
                )
        else:
            result = run_batch(paths, criteria, year, detail=detail)
        if out_dir is None:
            from engine.summary import summary_markdown

            click.echo(summary_markdown(result, lang), nl=False)
        else:
            _write_batch(result, out_dir, None if no_reports else fmt, lang, force)
    for bad in result.rejected:
        for line in bad.error.render(lang).splitlines():
            click.echo(("error: " if lang == "en" else "错误: ") + line, err=True)
    click.echo(_batch_line(result, lang), err=True)
    if result.rejected:
        sys.exit(ExitCode.BAD_INPUT)
    ready = len(result.ready) == len(result.assessed)
    sys.exit(ExitCode.OK if ready else ExitCode.NOT_READY)


def _data_files(inputs: tuple[Path, ...]) -> list[Path]:
    """The data files named, with folders expanded (sorted, hidden files skipped)."""
    from engine.data import DATA_SUFFIXES

    files: list[Path] = []
    for path in inputs:
        if path.is_dir():
            files += sorted(
                p
                for p in path.iterdir()
                if p.suffix.lower() in DATA_SUFFIXES and not p.name.startswith((".", "~$"))
            )
        else:
            files.append(path)
    return files


def _write_batch(
    result: BatchResult, out_dir: Path, fmt: str | None, lang: str, force: bool
) -> None:
    """Every output, checked for existence first so that nothing is half written."""
    from engine.render import render
    from engine.summary import json_text, summary_csv, summary_json, summary_markdown

    outputs: dict[Path, Content] = {}
    if fmt is not None:
        suffix = {"md": "md", "text": "txt", "json": "json", "html": "html"}[fmt]
        outputs = {
            out_dir / f"{_safe_name(entry.name)}.{suffix}": render(
                entry.report, result.criteria, cast("Format", fmt), lang
            )
            for entry in result.assessed
            if entry.report is not None
        }
    outputs[out_dir / "summary.csv"] = summary_csv(result, lang)
    outputs[out_dir / "summary.md"] = summary_markdown(result, lang)
    outputs[out_dir / "summary.json"] = json_text(summary_json(result))
    outputs[out_dir / "ready.txt"] = "".join(f"{name}\n" for name in result.ready)
    for path in outputs:
        refuse_existing(path, force)
    for path, text in outputs.items():
        write_atomic(path, text, force=force)


def _safe_name(name: str) -> str:
    """A file name for an entity: its name without characters file systems refuse."""
    cleaned = "".join("_" if c in '\\/:*?"<>|' or ord(c) < 32 else c for c in name).strip(". ")
    return cleaned or "entity"


def _batch_line(result: BatchResult, lang: str) -> str:
    counts = (len(result.assessed), len(result.ready), len(result.subunits), len(result.rejected))
    if lang == "en":
        return "assessed {}, ready {}, sub-units {}, could not be assessed {}".format(*counts)
    return "已评估 {} 个，具备条件 {} 个；下级单位 {} 个；无法评估 {} 个".format(*counts)


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. 127.0.0.1 is reachable from this machine only; any other "
    "address needs --allow-remote.",
)
@click.option(
    "--port",
    default=8765,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow a --host that other machines can reach: anyone on that network could then "
    "use the workbench and see what is uploaded.",
)
@click.option(
    "--max-upload-mb",
    default=20,
    show_default=True,
    type=click.IntRange(1, 1024),
    help="Largest upload accepted, in MB.",
)
@LANG_OPTION
@criteria_path_option
def serve(
    host: str,
    port: int,
    allow_remote: bool,
    max_upload_mb: int,
    lang: str,
    criteria_paths: tuple[Path, ...],
) -> None:
    """Start the web workbench on this machine and print the address to open in a browser:
    criteria sets, checks with the Excel template, batches and comparisons, without a
    terminal. Uploads are processed in a private temporary folder and never kept.
    """
    from engine.web.server import is_loopback
    from engine.web.server import serve as run

    if not is_loopback(host):
        if not allow_remote:
            raise InputError(
                f"--host {host}: other machines could reach this address and see what is "
                "uploaded; add --allow-remote if that is intended"
                if lang == "en"
                else f"--host {host}: 其他机器可以访问此地址并看到上传的数据；"
                "确需如此请加 --allow-remote",
                lang,
            )
        click.echo(
            f"warning: listening on {host}: anyone who can reach it can use the workbench"
            if lang == "en"
            else f"警告: 正在 {host} 上监听，能访问该地址的任何人都可以使用本工作台",
            err=True,
        )

    def announce(address: str) -> None:
        click.echo(
            f"ecoassess workbench: open {address} in a browser (Ctrl+C stops it)"
            if lang == "en"
            else f"ecoassess 工作台已启动，请在浏览器中打开: {address} (按 Ctrl+C 停止)"
        )
        sys.stdout.flush()

    try:
        run(host, port, criteria_paths, max_upload_mb, announce)
    except OSError as exc:
        raise InputError(f"--host {host} --port {port}: {exc.strerror or exc}", lang) from exc


@main.command("list")
@criteria_path_option
def list_sets(criteria_paths: tuple[Path, ...]) -> None:
    """List the criteria sets available on the search path."""
    from engine.errors import EcoassessError
    from engine.loader import discover, load_path, search_path

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
    from engine.loader import load_criteria, search_path
    from engine.showing import show_json, show_text

    with user_errors(lang):
        criteria = load_criteria(criteria_id, search_path(criteria_paths), "ID")
    _print(fmt, lambda: show_json(criteria), lambda: show_text(criteria, lang))


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@LANG_OPTION
@criteria_path_option
def validate(path: Path, lang: str, criteria_paths: tuple[Path, ...]) -> None:
    """Validate a criteria set (folder or criteria.yaml) or a folder of sets, and run its cases.

    Exit status: 0 valid and every case met, 1 a case was not met, 2 invalid.
    """
    from engine.cases import case_files, run_case
    from engine.errors import EcoassessError
    from engine.loader import CRITERIA_FILE, load_path, search_path

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
    from engine.datatemplate import data_template
    from engine.loader import load_criteria, search_path
    from engine.sheettemplate import csv_template

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
            _emit_bytes(csv_template(criteria, lang, years), output, force)
        else:
            _emit(data_template(criteria, lang), output, force)


def _write_xlsx(criteria: Any, lang: str, years: list[int], output: Path, force: bool) -> None:
    """Save the workbook to a temporary file, then move it into place like any output."""
    import tempfile

    from engine.sheettemplate import xlsx_template

    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder) / output.name
        xlsx_template(criteria, lang, years, scratch)
        write_atomic(output, scratch.read_bytes(), force=force)


def _emit_bytes(data: bytes, output: Path | None, force: bool) -> None:
    if output is None:
        click.echo(data.decode("utf-8-sig"), nl=False)
    else:
        write_atomic(output, data, force=force)


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
    from engine.diffing import diff, diff_json, diff_text
    from engine.loader import load_criteria, search_path

    folders = search_path(criteria_paths)
    with user_errors(lang):
        result = diff(load_criteria(a_id, folders, "A"), load_criteria(b_id, folders, "B"))
    _print(fmt, lambda: diff_json(result), lambda: diff_text(result, lang))


@main.command()
def schema() -> None:
    """Print the JSON Schema of the criteria format (for editors).

    A criteria file is either a whole set or a set that extends another (``extends``).
    """
    from pydantic import TypeAdapter

    from engine.model import CriteriaSet, DerivedSet

    schema = TypeAdapter(CriteriaSet | DerivedSet).json_schema()
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ecoassess criteria file",
        **schema,
    }
    click.echo(json.dumps(schema, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
