"""The output formats, in one registry read by ``check``, ``batch``, ``progress`` and the
workbench: each format's name, the file suffixes it claims, its media type, and how it writes
a report and a progress bulletin (``None`` where it does not)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.criteria.compiler import CompiledCriteria
    from engine.evaluation.progress import Progress
    from engine.evaluation.results import Report

ReportWriter = Callable[["Report", "CompiledCriteria", str, "str | None"], "str | bytes"]
BulletinWriter = Callable[["Progress", str], "str | bytes"]


@dataclass(frozen=True)
class OutputFormat:
    """One output format."""

    name: str
    suffixes: tuple[str, ...]
    """The file suffixes it claims; the first is the one it writes (batch reports)."""
    media_type: str
    binary: bool
    """Bytes (a file to save), not text that can go to the terminal."""
    report: ReportWriter | None
    bulletin: BulletinWriter | None

    @property
    def suffix(self) -> str:
        return self.suffixes[0]

    def write_report(
        self, report: Report, criteria: CompiledCriteria, lang: str, department: str | None = None
    ) -> str | bytes:
        """The report in this format (text, or a binary file's bytes)."""
        if self.report is None:
            raise ValueError(f"{self.name} does not write reports")
        return self.report(report, criteria, lang, department)


def _text_report(name: str) -> ReportWriter:
    def write(report: Report, criteria: CompiledCriteria, lang: str, department: str | None) -> str:
        from engine.reports.render import render

        return render(report, criteria, name, lang, department)  # type: ignore[arg-type]

    return write


def _docx_report(
    report: Report, criteria: CompiledCriteria, lang: str, department: str | None
) -> bytes:
    from engine.reports.docx import render_docx

    return render_docx(report, criteria, lang, department)


def _bulletin(name: str) -> BulletinWriter:
    def write(progress: Progress, lang: str) -> str | bytes:
        from engine.reports.progress import render_progress

        return render_progress(progress, name, lang)  # type: ignore[arg-type]

    return write


FORMATS: dict[str, OutputFormat] = {
    fmt.name: fmt
    for fmt in (
        OutputFormat("md", (".md", ".markdown"), "text/markdown;charset=utf-8", False,
                     _text_report("md"), _bulletin("md")),
        OutputFormat("text", (".txt",), "text/plain;charset=utf-8", False,
                     _text_report("text"), None),
        OutputFormat("json", (".json",), "application/json", False,
                     _text_report("json"), _bulletin("json")),
        OutputFormat("html", (".html", ".htm"), "text/html;charset=utf-8", False,
                     _text_report("html"), _bulletin("html")),
        OutputFormat("docx", (".docx",),
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     True, _docx_report, _bulletin("docx")),
    )
}  # fmt: skip
REPORT_FORMATS = tuple(name for name, fmt in FORMATS.items() if fmt.report is not None)
BULLETIN_FORMATS = tuple(name for name, fmt in FORMATS.items() if fmt.bulletin is not None)


def format_of_suffix(suffix: str) -> OutputFormat | None:
    """The format that claims ``suffix`` (``.MD`` too), if any."""
    lowered = suffix.lower()
    return next((fmt for fmt in FORMATS.values() if lowered in fmt.suffixes), None)


def suffixes_of(names: tuple[str, ...]) -> str:
    """The suffixes of the formats ``names``, for messages: ``.md, .markdown, .txt …``."""
    return ", ".join(suffix for name in names for suffix in FORMATS[name].suffixes)


__all__ = [
    "BULLETIN_FORMATS",
    "FORMATS",
    "REPORT_FORMATS",
    "OutputFormat",
    "format_of_suffix",
    "suffixes_of",
]
