"""``ecoassess progress``: bulletins between check-ins."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from engine.cli.exit_codes import ExitCode
from engine.cli.output import refuse_existing
from engine.cli.support import (
    FORCE_OPTION,
    LANG_OPTION,
    InputError,
    criteria_path_option,
    emit,
    format_option,
    output_format,
    output_option,
    user_errors,
)
from engine.reports.formats import BULLETIN_FORMATS


@click.command()
@click.argument(
    "snapshots", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
)
@click.option("--criteria", "criteria_id", required=True, help="Criteria set id, e.g. yunnan_2014.")
@format_option(BULLETIN_FORMATS, "Bulletin", "md")
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
    from engine.criteria.loader import load_criteria, search_path
    from engine.data.sources import load_data
    from engine.evaluation.evaluator import evaluate
    from engine.evaluation.progress import Snapshot, compare
    from engine.reports.formats import FORMATS

    if len(snapshots) < 2:
        raise InputError("progress: give at least two snapshots, OLD NEW (oldest first)", lang)
    chosen = output_format(fmt, output, snapshots, "a snapshot", lang, "md", BULLETIN_FORMATS)
    with user_errors(lang):
        if output is not None:
            refuse_existing(output, force)
        criteria = load_criteria(criteria_id, search_path(criteria_paths))
        names = [path.name for path in snapshots]
        labels = [
            name if names.count(name) == 1 else str(path)
            for name, path in zip(names, snapshots, strict=True)
        ]
        taken = [
            Snapshot(label, evaluate(criteria, load_data(path, criteria)))
            for label, path in zip(labels, snapshots, strict=True)
        ]
        result = compare(criteria, taken)
        writer = FORMATS[chosen].bulletin
        assert writer is not None
        emit(writer(result, lang), output, force, lang)
    sys.exit(ExitCode.OK if result.new.verdict == "ready" else ExitCode.NOT_READY)
