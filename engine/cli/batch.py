"""``ecoassess batch``: many entities at once, and the summary matrix."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

from engine.cli.exit_codes import ExitCode
from engine.cli.output import Content, check_writable, refuse_existing, write_atomic
from engine.cli.support import (
    FORCE_OPTION,
    LANG_OPTION,
    YEAR_OPTION,
    criteria_path_option,
    user_errors,
)
from engine.reports.formats import REPORT_FORMATS

if TYPE_CHECKING:
    from engine.evaluation.batch import BatchResult


@click.command()
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
    type=click.Choice(REPORT_FORMATS),
    default="md",
    show_default=True,
    help="Format of the per-entity reports.",
)
@click.option("--no-reports", is_flag=True, help="Write only the summaries, no report per entity.")
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Kept for compatibility; has no effect (one process reads every input).",
)
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
    jobs: int | None,
    lang: str,
    year: int | None,
    force: bool,
    criteria_paths: tuple[Path, ...],
) -> None:
    """Assess many entities: data files, folders of them, workbooks with several entities.

    Counties that name their prefecture (entity.parent) feed its roll-up inputs. Writes one
    report per entity and a summary matrix; a bad input is listed and the rest go on.

    Exit status: 0 all ready, 1 some not ready (or the criteria set is incomplete), 2 some input
    could not be assessed.
    """
    from engine.criteria.loader import load_criteria, search_path
    from engine.evaluation.batch import run_batch, without_cycle_collection

    paths = _data_files(inputs)
    # Per-input provenance and trend series matter only in per-entity reports.
    detail = out_dir is not None and not no_reports
    with user_errors(lang), without_cycle_collection():
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
            from engine.reports.summary import summary_markdown

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
    complete = criteria.spec.incomplete is None  # readiness cannot be concluded otherwise
    sys.exit(ExitCode.OK if ready and complete else ExitCode.NOT_READY)


def _data_files(inputs: tuple[Path, ...]) -> list[Path]:
    """The data files named, with folders expanded (sorted, hidden files skipped)."""
    from engine.data.sources import DATA_SUFFIXES

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
    from engine.reports.formats import FORMATS
    from engine.reports.summary import (
        json_text,
        summary_csv,
        summary_json,
        summary_markdown,
        summary_rows,
    )

    outputs: dict[Path, Content] = {}
    if fmt is not None:
        chosen = FORMATS[fmt]
        kept = [(entry, entry.report) for entry in result.assessed if entry.report]
        counts = Counter(entry.name for entry, _ in kept)
        # An entity of several years gets its year in each report's name.
        reports = [
            (f"{entry.name} {entry.entity.year}" if counts[entry.name] > 1 else entry.name, report)
            for entry, report in kept
        ]
        names = report_names([name for name, _ in reports], chosen.suffix, lang)
        outputs = {
            out_dir / file_name: chosen.write_report(report, result.criteria, lang)
            for file_name, (_, report) in zip(names, reports, strict=True)
        }
    rows = summary_rows(result, lang)
    outputs[out_dir / "summary.csv"] = summary_csv(result, lang, rows)
    outputs[out_dir / "summary.md"] = summary_markdown(result, lang, rows)
    outputs[out_dir / "summary.json"] = json_text(summary_json(result, rows))
    outputs[out_dir / "ready.txt"] = "".join(f"{name}\n" for name in result.ready)
    for path in outputs:
        refuse_existing(path, force)
    # Known before the first file is written: the folder can be written and holds them all.
    check_writable(out_dir, sum(_size(content) for content in outputs.values()))
    for path, text in outputs.items():
        write_atomic(path, text, force=force)
    click.echo(
        f"wrote {len(outputs)} files to {out_dir}"
        if lang == "en"
        else f"已写入 {len(outputs)} 个文件到 {out_dir}",
        err=True,
    )


def _size(content: Content) -> int:
    """Bytes ``content`` takes on disk (UTF-8); a text in pieces counts each piece."""
    if isinstance(content, bytes):
        return len(content)
    if isinstance(content, str):
        return len(content.encode("utf-8"))
    return 0  # summary.json, written in pieces, is not consumed to be counted


SUMMARY_FILES = ("summary.csv", "summary.md", "summary.json", "ready.txt")
MAX_STEM_BYTES = 200
"""A report's file name stem at most (file systems allow 255 bytes; room for " (2).html")."""


def report_names(names: list[str], suffix: str, lang: str) -> list[str]:
    """A distinct file name for each entity's report, decided before anything is written:
    characters file systems refuse replaced, long names shortened, and a name that another
    report or a summary file already has (compared as a case-insensitive file system would)
    numbered " (2)", " (3)" — each renamed report said on standard error."""
    taken = {name.lower() for name in SUMMARY_FILES}
    chosen = []
    for name in names:
        stem = _safe_name(name)
        candidate, number = f"{stem}{suffix}", 1
        while candidate.lower() in taken:
            number += 1
            candidate = f"{stem} ({number}){suffix}"
        taken.add(candidate.lower())
        if number > 1 or stem != name:
            said = (
                f"note: the report of {name!r} is {candidate}"
                if lang == "en"
                else f"注意: 评估对象 {name!r} 的报告文件名为 {candidate}"
            )
            click.echo(said, err=True)
        chosen.append(candidate)
    return chosen


def _safe_name(name: str) -> str:
    """A file name for an entity: its name without characters file systems refuse, at most
    :data:`MAX_STEM_BYTES` bytes."""
    cleaned = "".join("_" if c in '\\/:*?"<>|' or ord(c) < 32 else c for c in name).strip(". ")
    while len(cleaned.encode("utf-8")) > MAX_STEM_BYTES:
        cleaned = cleaned[:-1]
    return cleaned or "entity"


def _batch_line(result: BatchResult, lang: str) -> str:
    counts = (len(result.assessed), len(result.ready), len(result.subunits), len(result.rejected))
    if lang == "en":
        return "assessed {}, ready {}, sub-units {}, could not be assessed {}".format(*counts)
    return "已评估 {} 个，具备条件 {} 个；下级单位 {} 个；无法评估 {} 个".format(*counts)
