"""What every ``ecoassess`` command shares: options, user errors, writing what it made."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from engine.cli.exit_codes import ExitCode
from engine.cli.output import write_atomic

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


def format_option(formats: tuple[str, ...], what: str, default: str) -> Callable[[F], F]:
    """``--format`` among ``formats`` (from the registry), chosen by ``-o``'s suffix if absent."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(formats),
        default=None,
        help=f"{what} format [default: from -o's suffix, else {default}]. docx needs -o.",
    )


def document_option(summary_since: str) -> Callable[[F], F]:
    """``--document report|summary|technical``; ``summary_since`` says what the one-page
    summary compares with (``--since``, or the previous check-in)."""
    from engine.reports.formats import DOCUMENTS

    return click.option(
        "--document",
        type=click.Choice(DOCUMENTS),
        default="report",
        show_default=True,
        help=f"What to write: report (达标评估报告), summary (一页纸: verdict, blocking gaps, "
        f"change since {summary_since}), technical (技术报告草稿: per item explanation, method, "
        "data source, value, evidence). summary and technical: md, html, docx or pdf.",
    )


def document_format(
    document: str,
    fmt: str | None,
    output: Path | None,
    inputs: tuple[Path, ...],
    inputs_named: str,
    lang: str,
) -> str:
    """:func:`output_format` for ``--document``: the report's formats, or a document's
    (md, html, docx, pdf; Markdown by default)."""
    from engine.reports.formats import DOCUMENT_FORMATS

    if document == "report":
        return output_format(fmt, output, inputs, inputs_named, lang)
    return output_format(fmt, output, inputs, inputs_named, lang, "md", DOCUMENT_FORMATS)


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
    """Turn the engine's errors about user input into one line per problem, exit status 2;
    and an operating-system error (a name too long, a full disk under standard output) into
    one line naming the file and what to do."""
    from engine.cli.output import os_error
    from engine.errors import EcoassessError

    try:
        yield
    except EcoassessError as exc:
        raise InputError(exc.render(lang), lang) from exc
    except OSError as exc:
        where = exc.filename if exc.filename is not None else "<stdout>"
        raise InputError(os_error(str(where), exc).render(lang), lang) from exc


def print_result(fmt: str, as_json: Callable[[], Any], as_text: Callable[[], str]) -> None:
    if fmt == "json":
        click.echo(json.dumps(as_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(as_text(), nl=False)


def output_format(
    fmt: str | None,
    output: Path | None,
    inputs: tuple[Path, ...],
    inputs_named: str,
    lang: str,
    default: str = "text",
    formats: tuple[str, ...] | None = None,
) -> str:
    """The format to write: ``--format``, else the one whose suffix ``-o`` has, else
    ``default``. Refused: ``-o`` naming one of the ``inputs`` (``inputs_named`` in the
    message); a suffix no format of ``formats`` claims (a report.pdf is never text under
    that name); a binary format (Word) without ``-o``."""
    from engine.reports.formats import REPORT_FORMATS, format_of_suffix, suffixes_of

    allowed = formats or REPORT_FORMATS
    if fmt is not None and fmt not in allowed:
        names = ", ".join(allowed)
        raise InputError(
            f"--format {fmt}: not written here; the formats are {names}"
            if lang == "en"
            else f"--format {fmt}: 此处不能写为该格式；可用格式 {names}",
            lang,
        )
    if output is not None and any(output.resolve() == path.resolve() for path in inputs):
        raise InputError(f"-o {output}: would overwrite {inputs_named}; choose another name", lang)
    claimed = format_of_suffix(output.suffix) if output is not None and output.suffix else None
    unclaimed = claimed is None or (claimed.name not in allowed and fmt is None)
    if output is not None and output.suffix and unclaimed:
        names, suffixes = ", ".join(allowed), suffixes_of(allowed)
        raise InputError(
            f"-o {output}: cannot write a {output.suffix} file; the formats are {names} "
            f"(suffixes {suffixes})"
            if lang == "en"
            else f"-o {output}: 不能写为 {output.suffix} 文件；可用格式 {names}(后缀 {suffixes})",
            lang,
        )
    chosen = fmt or (claimed.name if claimed is not None else default)
    from engine.reports.formats import FORMATS

    if (
        claimed is not None
        and output is not None
        and claimed.name != chosen
        and (claimed.binary or FORMATS[chosen].binary)
    ):
        # A .pdf of Markdown, or a Word file named .html, would not open.
        raise InputError(
            f"-o {output}: a {output.suffix} file is {claimed.name}, not {chosen}; name the file "
            f"{FORMATS[chosen].suffix} or drop --format"
            if lang == "en"
            else f"-o {output}: {output.suffix} 文件应为 {claimed.name} 格式，不是 {chosen}；"
            f"请将文件命名为 *{FORMATS[chosen].suffix}，或去掉 --format",
            lang,
        )

    if FORMATS[chosen].binary and output is None:
        suffix = FORMATS[chosen].suffix
        raise InputError(
            f"--format {chosen}: give the file to write with -o FILE{suffix}"
            if lang == "en"
            else f"--format {chosen}: 请用 -o 文件名{suffix} 指明要写入的文件",
            lang,
        )
    return chosen


def wrote(path: Path, lang: str = "zh") -> None:
    """Say what was written (on standard error: standard output stays the data's)."""
    click.echo(f"wrote {path}" if lang == "en" else f"已写入: {path}", err=True)


def emit(text: str | bytes, output: Path | None, force: bool = False, lang: str = "zh") -> None:
    """Text to the terminal or to ``-o``; bytes (a Word file) only to ``-o``."""
    if output is None:
        assert isinstance(text, str)
        click.echo(text, nl=False)
    else:
        write_atomic(output, text, force=force)
        wrote(output, lang)


def emit_bytes(data: bytes, output: Path | None, force: bool, lang: str = "zh") -> None:
    if output is None:
        click.echo(data.decode("utf-8-sig"), nl=False)
    else:
        write_atomic(output, data, force=force)
        wrote(output, lang)
