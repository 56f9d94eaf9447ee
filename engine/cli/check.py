"""``ecoassess check``: one entity against a criteria set, to a report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from engine.cli.exit_codes import ExitCode
from engine.cli.output import refuse_existing
from engine.cli.support import (
    FORCE_OPTION,
    LANG_OPTION,
    YEAR_OPTION,
    InputError,
    criteria_path_option,
    emit,
    format_option,
    output_format,
    output_option,
    user_errors,
)
from engine.reports.formats import DOCUMENT_FORMATS, DOCUMENTS, REPORT_FORMATS


@click.command()
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--criteria", "criteria_id", required=True, help="Criteria set id, e.g. yunnan_2014.")
@format_option(REPORT_FORMATS, "Report", "text")
@LANG_OPTION
@YEAR_OPTION
@click.option(
    "--department",
    default=None,
    help="Only this department's task list (with the verdict): a lead unit (牵头单位), or a "
    "responsible unit (责任单位) of items without one, e.g. 市林业局.",
)
@click.option(
    "--document",
    type=click.Choice(DOCUMENTS),
    default="report",
    show_default=True,
    help="What to write: report (达标评估报告), summary (一页纸: verdict, blocking gaps, "
    "change since --since), technical (技术报告草稿: per item explanation, method, data "
    "source, value, evidence). summary and technical: md, html, docx or pdf.",
)
@click.option(
    "--since",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The previous data file of the same entity: the summary says what changed since.",
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
    document: str,
    since: Path | None,
    output: Path | None,
    force: bool,
    criteria_paths: tuple[Path, ...],
) -> None:
    """Check DATA (a .yaml, .csv or .xlsx data file) against a criteria set and report
    passes and gaps.

    Exit status: 0 ready, 1 not ready (also when the criteria set is incomplete: readiness
    cannot be concluded from the transcribed items alone), 2 bad usage or bad input.
    """
    from engine.criteria.loader import load_criteria, search_path
    from engine.data.sources import load_data
    from engine.evaluation.evaluator import evaluate
    from engine.evaluation.progress import Snapshot, compare
    from engine.reports.formats import write_document_of

    inputs = (data,) if since is None else (data, since)
    if document == "report":
        chosen = output_format(fmt, output, inputs, "the data file", lang)
    else:
        chosen = output_format(fmt, output, inputs, "the data file", lang, "md", DOCUMENT_FORMATS)
    with user_errors(lang):
        if output is not None:
            refuse_existing(output, force)
        criteria = load_criteria(criteria_id, search_path(criteria_paths))
        report = evaluate(criteria, load_data(data, criteria, year))
        _check_department(report, department, lang)
        progress = None
        if since is not None:
            earlier = evaluate(criteria, load_data(since, criteria))
            snapshots = [Snapshot(since.name, earlier), Snapshot(data.name, report)]
            progress = compare(criteria, snapshots)
        written = write_document_of(document, chosen, report, criteria, lang, department, progress)
        emit(written, output, force, lang)
    ready = report.verdict == "ready" and report.criteria.complete
    sys.exit(ExitCode.OK if ready else ExitCode.NOT_READY)


def _check_department(report: Any, department: str | None, lang: str) -> None:
    """A --department must be one the criteria name for some item."""
    if department is None:
        return
    from engine.errors import did_you_mean

    known = sorted({name for result in report.results for name in result.owners})
    if department not in known:
        zh_hint, en_hint = did_you_mean(department, known)
        message = (
            f"--department {department}: not a lead or responsible department here{en_hint}"
            if lang == "en"
            else f"--department {department}: 不是本指标体系的牵头或责任单位{zh_hint}"
        )
        raise InputError(message, lang)
