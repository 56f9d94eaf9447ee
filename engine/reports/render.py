"""Render a :class:`~engine.results.Report` as Markdown, plain text or JSON.

Markdown and text come from the Jinja templates in ``reports/templates``; the templates
receive a finished :class:`ReportView` and only lay it out. JSON is the stable report
contract documented in ``docs/json-report.md``.
"""

from __future__ import annotations

import json
import unicodedata
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Literal

import jinja2

from engine.criteria.compiler import CompiledCriteria
from engine.evaluation.results import Report
from engine.reports.view import ReportView
from engine.resources import labels, templates_dir

Format = Literal["md", "text", "json", "html"]


@cache
def environment(folder: Path | None = None) -> jinja2.Environment:
    """The one Jinja environment: strict about undefined names, no HTML escaping (md/text)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder or templates_dir()),
        undefined=jinja2.StrictUndefined,
        # HTML templates escape everything they print; Markdown and text print as is.
        autoescape=lambda name: name is not None and ".html" in name,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["cell"] = markdown_cell
    env.filters["pad"] = pad
    return env


class _KeptTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs: a ``check`` starts ~30 ms sooner. Jinja keeps
    them in a private folder of the temporary directory and recompiles a template whose
    source changed; a cache that cannot be written is only slower."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    try:
        return _KeptTemplates()
    except (OSError, RuntimeError):  # no private temporary folder to be had
        return None


def pad(text: object, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a CJK character takes two)."""
    text = str(text)
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - columns, 0)


def markdown_cell(text: object) -> str:
    """``text`` made safe for one Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ") or " "


def render(
    report: Report,
    criteria: CompiledCriteria,
    fmt: Format,
    lang: str = "zh",
    department: str | None = None,
) -> str:
    """The report in ``fmt`` (md, text, json or html) and ``lang`` (zh or en).

    ``department``: only that department's task list (md, text, html); the verdict stays.
    """
    if fmt == "json":
        return json.dumps(report.to_json_dict(), ensure_ascii=False, indent=2) + "\n"
    view = ReportView(
        report=report, criteria=criteria, lang=lang, t=labels()[lang], department=department
    )
    template = environment().get_template(f"report.{fmt}.j2")
    return template.render(v=view)
