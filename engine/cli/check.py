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
    document_format,
    document_option,
    emit,
    format_option,
    output_option,
    user_errors,
)
from engine.reports.formats import REPORT_FORMATS
from engine.resources import say


@click.command()
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--criteria",
    "criteria_ids",
    required=True,
    multiple=True,
    help="Criteria set id, e.g. yunnan_2014. Repeat it to check one data file against several "
    "sets (the national set and the city's plan): each set reads the keys it knows, a key no "
    "set knows is an error; one report per set (-o FILE writes FILE_<set id>.suffix each).",
)
@format_option(REPORT_FORMATS, "Report", "text")
@LANG_OPTION
@YEAR_OPTION
@click.option(
    "--department",
    default=None,
    help="Only this department's task list (with the verdict): a lead unit (牵头单位), or a "
    "responsible unit (责任单位) of items without one, e.g. 市林业局.",
)
@document_option("--since")
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
    criteria_ids: tuple[str, ...],
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
    chosen = document_format(document, fmt, output, inputs, "the data file", lang)
    if len(set(criteria_ids)) != len(criteria_ids):
        raise InputError(
            say(lang, "--criteria: 同一指标体系给出了两次", "--criteria: a set is named twice"),
            lang,
        )
    with user_errors(lang):
        folders = search_path(criteria_paths)
        sets = [load_criteria(name, folders) for name in criteria_ids]
        several = len(sets) > 1
        if several:
            sets = [c.alongside([o for o in sets if o is not c]) for c in sets]
        targets = [_target(output, c.id if several else None) for c in sets]
        for target in targets:
            if target is not None:
                refuse_existing(target, force)
        reports = [evaluate(c, load_data(data, c, year)) for c in sets]
        _check_department(reports, department, lang)
        written: list[str | bytes] = []
        for criteria, report in zip(sets, reports, strict=True):
            progress = None
            if since is not None:
                earlier = evaluate(criteria, load_data(since, criteria))
                snapshots = [Snapshot(since.name, earlier), Snapshot(data.name, report)]
                progress = compare(criteria, snapshots)
            written.append(
                write_document_of(document, chosen, report, criteria, lang, department, progress)
            )
        if output is None and several and chosen == "json":
            emit("[\n" + ",\n".join(str(w).rstrip("\n") for w in written) + "\n]\n", None)
        elif output is None and several and chosen == "html":
            raise InputError(
                say(
                    lang,
                    "多个指标体系的 HTML 报告请用 -o 文件名.html 写入文件(每个体系一个)",
                    "several sets' HTML reports need -o FILE.html (one file per set)",
                ),
                lang,
            )
        else:
            for target, content in zip(targets, written, strict=True):
                emit(content, target, force, lang)
    ready = all(r.verdict == "ready" and r.criteria.complete for r in reports)
    sys.exit(ExitCode.OK if ready else ExitCode.NOT_READY)


def _target(output: Path | None, set_id: str | None) -> Path | None:
    """Where one set's report goes: ``-o`` itself, or with several sets ``-o``'s name with
    the set's id before the suffix (报告.md → 报告_national_demo_area.md)."""
    if output is None or set_id is None:
        return output
    return output.with_name(f"{output.stem}_{set_id}{output.suffix}")


def _check_department(reports: list[Any], department: str | None, lang: str) -> None:
    """A --department must be one the criteria name for some item."""
    if department is None:
        return
    from engine.errors import did_you_mean

    known = sorted(
        {name for report in reports for result in report.results for name in result.owners}
    )
    if department not in known:
        zh_hint, en_hint = did_you_mean(department, known)
        message = (
            f"--department {department}: not a lead or responsible department here{en_hint}"
            if lang == "en"
            else f"--department {department}: 不是本指标体系的牵头或责任单位{zh_hint}"
        )
        raise InputError(message, lang)
