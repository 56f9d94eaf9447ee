"""The output formats, in one registry read by ``check``, ``batch``, ``progress`` and the
workbench: each format's name, the file suffixes it claims, its media type, and how it writes
a report, a progress bulletin and a document to hand on (the one-page summary, the technical
report: :mod:`engine.reports.document`) — ``None`` where it does not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.criteria.compiler import CompiledCriteria
    from engine.evaluation.progress import Progress
    from engine.evaluation.results import Report
    from engine.reports.document import Document

ReportWriter = Callable[["Report", "CompiledCriteria", str, "str | None"], "str | bytes"]
BulletinWriter = Callable[["Progress", str], "str | bytes"]
DocumentWriter = Callable[["Document"], "str | bytes"]


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
    document: DocumentWriter | None = None

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

    def write_document(self, document: Document) -> str | bytes:
        """A document to hand on (summary, technical report) in this format."""
        if self.document is None:
            raise ValueError(f"{self.name} does not write documents")
        return self.document(document)


def _text_report(name: str) -> ReportWriter:
    def write(report: Report, criteria: CompiledCriteria, lang: str, department: str | None) -> str:
        from engine.reports.render import render

        return render(report, criteria, name, lang, department)  # type: ignore[arg-type]

    return write


def _paper_report(name: str) -> ReportWriter:
    """The report in a paper format (Word, PDF): its document, set by that format."""

    def write(
        report: Report, criteria: CompiledCriteria, lang: str, department: str | None
    ) -> str | bytes:
        from engine.reports.report_document import report_document

        return FORMATS[name].write_document(report_document(report, criteria, lang, department))

    return write


def _html_document(document: Document) -> str:
    from engine.reports.document import to_html

    return to_html(document)


def _markdown_document(document: Document) -> str:
    from engine.reports.document import to_markdown

    return to_markdown(document)


def _docx_document(document: Document) -> bytes:
    from engine.reports.docx import write_docx

    return write_docx(document)


def _pdf_document(document: Document) -> bytes:
    from engine.reports.pdf import write_pdf

    return write_pdf(document)


def _bulletin(name: str) -> BulletinWriter:
    def write(progress: Progress, lang: str) -> str | bytes:
        from engine.reports.progress import render_progress

        return render_progress(progress, name, lang)

    return write


FORMATS: dict[str, OutputFormat] = {
    fmt.name: fmt
    for fmt in (
        OutputFormat("md", (".md", ".markdown"), "text/markdown;charset=utf-8", False,
                     _text_report("md"), _bulletin("md"), _markdown_document),
        OutputFormat("text", (".txt",), "text/plain;charset=utf-8", False,
                     _text_report("text"), None),
        OutputFormat("json", (".json",), "application/json", False,
                     _text_report("json"), _bulletin("json")),
        OutputFormat("html", (".html", ".htm"), "text/html;charset=utf-8", False,
                     _text_report("html"), _bulletin("html"), _html_document),
        OutputFormat("docx", (".docx",),
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     True, _paper_report("docx"), _bulletin("docx"), _docx_document),
        OutputFormat("pdf", (".pdf",), "application/pdf", True,
                     _paper_report("pdf"), _bulletin("pdf"), _pdf_document),
    )
}  # fmt: skip
REPORT_FORMATS = tuple(name for name, fmt in FORMATS.items() if fmt.report is not None)
BULLETIN_FORMATS = tuple(name for name, fmt in FORMATS.items() if fmt.bulletin is not None)
DOCUMENT_FORMATS = tuple(name for name, fmt in FORMATS.items() if fmt.document is not None)


DOCUMENTS = ("report", "summary", "technical")
"""What ``check --document`` writes: the pass/gap report, the one-page summary (一页纸), the
technical report's draft (技术报告)."""


def write_document_of(
    kind: str,
    fmt: str,
    report: Report,
    criteria: CompiledCriteria,
    lang: str,
    department: str | None = None,
    progress: Progress | None = None,
) -> str | bytes:
    """The document ``kind`` (one of :data:`DOCUMENTS`) of ``report`` in format ``fmt``."""
    if kind == "report":
        return FORMATS[fmt].write_report(report, criteria, lang, department)
    if kind == "summary":
        from engine.reports.onepage import onepage_document

        document = onepage_document(report, criteria, lang, department, progress)
    else:
        from engine.reports.technical import technical_document

        document = technical_document(report, criteria, lang, department)
    return FORMATS[fmt].write_document(document)


def format_of_suffix(suffix: str) -> OutputFormat | None:
    """The format that claims ``suffix`` (``.MD`` too), if any."""
    lowered = suffix.lower()
    return next((fmt for fmt in FORMATS.values() if lowered in fmt.suffixes), None)


def suffixes_of(names: tuple[str, ...]) -> str:
    """The suffixes of the formats ``names``, for messages: ``.md, .markdown, .txt …``."""
    return ", ".join(suffix for name in names for suffix in FORMATS[name].suffixes)


__all__ = [
    "BULLETIN_FORMATS",
    "DOCUMENTS",
    "DOCUMENT_FORMATS",
    "FORMATS",
    "REPORT_FORMATS",
    "OutputFormat",
    "format_of_suffix",
    "suffixes_of",
    "write_document_of",
]
