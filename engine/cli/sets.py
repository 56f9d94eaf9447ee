"""The commands about criteria sets themselves: ``list``, ``show``, ``validate``, ``diff``,
``schema``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from engine.cli.exit_codes import ExitCode
from engine.cli.support import (
    LANG_OPTION,
    InputError,
    criteria_path_option,
    print_result,
    user_errors,
)


@click.command("list")
@criteria_path_option
def list_sets(criteria_paths: tuple[Path, ...]) -> None:
    """List the criteria sets available on the search path: id, title, items, folder (内置 for
    the bundled ones), status
    (现行 in force / 已被替代 superseded, 不完整 incomplete) and how the items were verified."""
    from engine.criteria.loader import discover, load_path, search_path
    from engine.errors import EcoassessError
    from engine.resources import bundled_criteria_dir

    folders = search_path(criteria_paths)
    bundled = bundled_criteria_dir().resolve()
    for location in discover(folders).values():
        # A bundled set is "内置" (not a long site-packages path); a user's set shows its folder.
        where = "内置 bundled" if location.folder.resolve().parent == bundled else location.folder
        try:
            criteria = load_path(location.folder, folders)
        except EcoassessError:
            click.echo(f"{location.id}\t(无效 invalid: ecoassess validate {location.folder})")
            continue
        spec = criteria.spec
        click.echo(
            f"{spec.id}\t{spec.title.zh}\t{len(criteria.items)} items\t{where}"
            f"\t{_standing(criteria)}"
        )


def _standing(criteria: Any) -> str:
    """The set's status and how its items were verified, for ``list``: 现行 / 已被替代,
    不完整 (with how many items are untranscribed), and 官方 N / 转载 N / 未核实 N."""
    from engine.reports.standing import status_words, verification_counts

    spec = criteria.spec
    words = status_words(spec, "zh")
    if spec.incomplete is not None:
        words[-1] += f"(未录入 {len(spec.incomplete.untranscribed)} 项)"
    if spec.superseded is not None:
        words[0] += f"(自 {spec.superseded.since})"
    counts = verification_counts((c.item for c in criteria.items), spec)
    verified = (
        f"核实: 官方文本 {counts['official']} / 转载文件 {counts['secondary']} / "
        f"未核实 {counts['unverified']}"
    )
    return f"{'，'.join(words)}\t{verified}"


@click.command()
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


@click.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@LANG_OPTION
@criteria_path_option
def validate(path: Path, lang: str, criteria_paths: tuple[Path, ...]) -> None:
    """Validate a criteria set (folder or criteria.yaml) or a folder of sets, and run its cases.

    Exit status: 0 valid and every case met, 1 a case was not met or the cases lack a ready,
    a not-ready or a missing-data case, 2 invalid.
    """
    from engine.criteria.loader import CRITERIA_FILE, load_path, search_path
    from engine.errors import EcoassessError
    from engine.evaluation.cases import case_files, coverage_gaps, run_case

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
        except EcoassessError as exc:
            errors.append(exc.render(lang))
            continue
        outcomes, broken = [], 0
        for case in case_files(criteria):  # every broken case is reported, not the first
            try:
                outcomes.append(run_case(case, criteria))
            except EcoassessError as exc:
                errors.append(exc.render(lang))
                broken += 1
        for outcome in outcomes:
            for mismatch in outcome.mismatches:
                click.echo(f"{outcome.path}: {mismatch}", err=True)
        gaps = coverage_gaps(outcomes) if not broken else []
        for zh, en in gaps:
            click.echo(f"{criteria.path}: {en if lang == 'en' else zh}", err=True)
        passed = sum(outcome.passed for outcome in outcomes)
        failed_cases |= passed < len(outcomes) or bool(gaps)
        total = len(outcomes) + broken
        click.echo(f"{criteria.id}: {len(criteria.items)} items, {passed}/{total} cases met")
    if errors:
        raise InputError("\n".join(errors), lang)
    sys.exit(ExitCode.NOT_READY if failed_cases else ExitCode.OK)


@click.command("diff")
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


@click.command()
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
